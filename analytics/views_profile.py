"""One unit's profile: who it is, its lineage, and its results year by year."""

from __future__ import annotations

import pandas as pd

from analytics.plans import Plan
from analytics.views_common import (
    ACTIVE_UNITS,
    BLOCK_RANKS,
    band_sql,
    centi_dec,
    plan_params,
    query_df,
)


def unit_list(con) -> pd.DataFrame:
    """All declared units (unit_id, name, block), sorted by name the Vietnamese way."""
    return con.execute(
        "SELECT unit_id, name, block FROM units ORDER BY name COLLATE vi, unit_id"
    ).df()


def unit_info(con, plan: Plan, unit_id: str) -> dict | None:
    """The unit's identity and lineage, or None if the store does not declare it.

    Keys: unit_id, name, block, block_label, advised_components (list of codes),
    active_from, active_to (effective: blank = the plan's first/last year),
    active_from_declared, active_to_declared, predecessors and successors (lists of
    {unit_id, name}; a successor names this unit among its predecessors), scored_years
    (active years with a PAR Index ratio) and series ('none', 'one_year', 'several').
    """
    p = plan_params(plan, unit=unit_id)
    rows = con.execute(
        f"""
        WITH {ACTIVE_UNITS.strip()}
        SELECT x.unit_id, x.name, x.block, x.advised_components, x.a_from, x.a_to,
            d.active_from, d.active_to,
            (SELECT list({{'unit_id': pu.unit_id, 'name': coalesce(pu.name, pu.unit_id)}}
                         ORDER BY pu.name COLLATE vi)
             FROM (SELECT unnest(string_split(x.predecessors, ';')) AS pid) pp
             LEFT JOIN units pu ON pu.unit_id = pp.pid) AS predecessors,
            (SELECT list({{'unit_id': s.unit_id, 'name': s.name}} ORDER BY s.name COLLATE vi)
             FROM units s
             WHERE list_contains(string_split(s.predecessors, ';'), x.unit_id)) AS successors,
            (SELECT list(sc.year ORDER BY sc.year) FROM unit_scores sc
             WHERE sc.unit_id = x.unit_id AND sc.year BETWEEN x.a_from AND x.a_to) AS scored_years
        FROM u x JOIN units d USING (unit_id)
        WHERE x.unit_id = $unit
        """,
        p.values,
    ).fetchall()
    if not rows:
        return None
    uid, name, block, comps, a_from, a_to, d_from, d_to, preds, succs, scored = rows[0]
    scored = list(scored or [])
    block_label = next((b.label for b in plan.blocks if b.code == block), block)
    return {
        "unit_id": uid,
        "name": name,
        "block": block,
        "block_label": block_label,
        "advised_components": comps.split(";") if comps else [],
        "active_from": a_from,
        "active_to": a_to,
        "active_from_declared": d_from,
        "active_to_declared": d_to,
        "predecessors": [p_ for p_ in (preds or []) if p_["unit_id"]],
        "successors": list(succs or []),
        "scored_years": scored,
        "series": "none" if not scored else "one_year" if len(scored) == 1 else "several",
    }


def unit_history(con, plan: Plan, unit_id: str) -> pd.DataFrame:
    """The unit's results per active year, up to the last year the store has unit data.

    Columns: year, score, max_score, ratio_pct, band_label, band_index, rank, n_ranked
    (within its block that year), change_pct (against the year before, if active and
    scored then), satisfaction_pct, tasks_completed_pct, discipline. Rows for years
    outside the unit's active range are ignored, as every measure ignores them.
    """
    p = plan_params(plan, unit=unit_id)
    sql = f"""
    WITH {ACTIVE_UNITS.strip()},
    {BLOCK_RANKS.strip()},
    last AS (
        SELECT max(year) AS y FROM (
            SELECT year FROM unit_scores UNION ALL SELECT year FROM satisfaction
            UNION ALL SELECT year FROM unit_facts)
    ),
    yrs AS (
        SELECT x.unit_id, g.year FROM u x, last,
            (SELECT range AS year FROM range($y0, $y1 + 1)) g
        WHERE x.unit_id = $unit AND g.year BETWEEN x.a_from AND least(x.a_to, last.y)
    )
    SELECT y.year, rk.score, rk.max_score, rk.ratio_pct,
        {band_sql(plan, "rk.r", p, "label")} AS band_label,
        {band_sql(plan, "rk.r", p, "index")} AS band_index,
        rk.rank, rk.n_ranked,
        {centi_dec("rk.r - pv.r")} AS change_pct,
        sa.satisfaction_pct, f.tasks_completed_pct, coalesce(f.discipline, 'none') AS discipline
    FROM yrs y
    LEFT JOIN ranks rk ON rk.unit_id = y.unit_id AND rk.year = y.year
    LEFT JOIN ranks pv ON pv.unit_id = y.unit_id AND pv.year = y.year - 1
    LEFT JOIN satisfaction sa ON sa.unit_id = y.unit_id AND sa.year = y.year
    LEFT JOIN unit_facts f ON f.unit_id = y.unit_id AND f.year = y.year
    ORDER BY y.year
    """
    return query_df(con, sql, p)
