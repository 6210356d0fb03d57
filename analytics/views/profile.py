"""One unit's profile: who it is, its lineage, and its results year by year."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import duckdb
import pandas as pd

from analytics import labels
from analytics.plans.models import Plan
from analytics.rules.shortlist import evaluate_review
from analytics.views.sql import (
    ACTIVE_UNITS,
    BLOCK_RANKS,
    band_sql,
    plan_params,
    query_df,
)


def unit_list(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """All declared units (unit_id, name, block), sorted by name the Vietnamese way."""
    return con.execute(
        "SELECT unit_id, name, block FROM units ORDER BY name COLLATE vi, unit_id"
    ).df()


def unit_info(con: duckdb.DuckDBPyConnection, plan: Plan, unit_id: str) -> dict[str, Any] | None:
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


def unit_history(con: duckdb.DuckDBPyConnection, plan: Plan, unit_id: str) -> pd.DataFrame:
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
        centi_dec(rk.r - pv.r) AS change_pct,
        sa.satisfaction_pct, f.tasks_completed_pct, coalesce(f.discipline, 'none') AS discipline
    FROM yrs y
    LEFT JOIN ranks rk ON rk.unit_id = y.unit_id AND rk.year = y.year
    LEFT JOIN ranks pv ON pv.unit_id = y.unit_id AND pv.year = y.year - 1
    LEFT JOIN satisfaction sa ON sa.unit_id = y.unit_id AND sa.year = y.year
    LEFT JOIN unit_facts f ON f.unit_id = y.unit_id AND f.year = y.year
    ORDER BY y.year
    """
    return query_df(con, sql, p)


def candidate_reviews(con: duckdb.DuckDBPyConnection, plan: Plan, unit_id: str) -> list[str]:
    """The reviews in which the unit is a candidate (active in the review's end year)."""
    rows = con.execute(
        "SELECT a_from, a_to FROM active_units($y0, $y1) WHERE unit_id = $u",
        {"y0": plan.first_year, "y1": plan.last_year, "u": unit_id},
    ).fetchall()
    if not rows:
        return []
    a_from, a_to = rows[0]
    return [r.id for r in plan.reviews if a_from <= r.window_end <= a_to]


def verdicts_for_unit(
    plan: Plan, shortlists: Mapping[str, pd.DataFrame], unit_id: str
) -> pd.DataFrame:
    """The unit's rows of already evaluated shortlists (``evaluate_review(detail=True)``
    as DataFrames, keyed by review id), in plan order, with Vietnamese labels.

    Columns: review, review_label, award, award_label, category, category_label,
    status, status_label, rank (Int64), window_avg, reasons, criteria (list of
    {key, label, state, evidence}).
    """
    award_labels = {a.id: a.label for a in plan.awards}
    cat_labels = {(a.id, c.id): c.label for a in plan.awards for c in a.categories}
    parts = []
    for order, review in enumerate(plan.reviews):
        frame = shortlists.get(review.id)
        if frame is None or frame.empty:
            continue
        rows = frame[(frame["subject_id"] == unit_id) & (frame["subject_kind"] == "unit")]
        if rows.empty:
            continue
        parts.append(rows.assign(review_label=review.label, _order=order))
    columns = [
        "review", "review_label", "award", "award_label", "category", "category_label",
        "status", "status_label", "rank", "window_avg", "reasons", "criteria",
    ]  # fmt: skip
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    out = pd.concat(parts, ignore_index=True)
    if "criteria" not in out:
        out["criteria"] = None
    out["award_label"] = out["award"].map(award_labels)
    out["category_label"] = [
        cat_labels.get((a, c), c) for a, c in zip(out["award"], out["category"], strict=True)
    ]
    out["status_label"] = out["status"].map(labels.STATUSES)
    out["rank"] = out["rank"].astype("Int64")
    return out.sort_values("_order", kind="stable")[columns].reset_index(drop=True)


def unit_verdicts(con: duckdb.DuckDBPyConnection, plan: Plan, unit_id: str) -> pd.DataFrame:
    """The unit's verdict in every review of the plan where it is a candidate: for each
    (review, award, category) its status, rank and criteria with evidence (engine's
    ``evaluate_review(detail=True)`` restricted to the unit's rows: the unit categories are
    still ranked over all their members; only the reviews it can be a candidate in)."""
    shortlists = {
        rid: evaluate_review(con, plan, rid, detail=True, unit_id=unit_id).to_pandas()
        for rid in candidate_reviews(con, plan, unit_id)
    }
    return verdicts_for_unit(plan, shortlists, unit_id)
