"""One unit's profile: who it is, its lineage, and its results year by year."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import duckdb
import pandas as pd

from analytics import fmt, labels
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

    Keys: unit_id, name, block, block_label (None: outside the plan), advised_components
    (list of codes), active_from, active_to (effective: blank = the plan's first/last
    year), active_from_declared, active_to_declared, ceasing_date (when it ceased or
    ceases: its first outgoing link, its ceased_on, or 31 December of a declared last year;
    None = goes on), predecessors and successors (lists of links: unit_id, name, kind,
    kind_label, effective_on, is_primary — rules.md §11, ``predecessors`` entries read as
    merged links), scored_years (active years with a PAR Index ratio) and series ('none',
    'one_year', 'several').
    """
    p = plan_params(plan, unit=unit_id)
    rows = con.execute(
        f"""
        WITH {ACTIVE_UNITS.strip()},
        links AS (SELECT * FROM effective_links($y0))
        SELECT x.unit_id, x.name, x.block, x.advised_components, x.a_from, x.a_to,
            d.active_from, d.active_to, c.ceasing_date,
            (SELECT list({{'unit_id': l.from_unit_id, 'name': coalesce(o.name, l.from_unit_id),
                           'kind': l.kind, 'effective_on': l.effective_on,
                           'is_primary': l.is_primary}} ORDER BY l.effective_on, o.name COLLATE vi)
             FROM links l LEFT JOIN units o ON o.unit_id = l.from_unit_id
             WHERE l.to_unit_id = x.unit_id) AS predecessors,
            (SELECT list({{'unit_id': l.to_unit_id, 'name': coalesce(o.name, l.to_unit_id),
                           'kind': l.kind, 'effective_on': l.effective_on,
                           'is_primary': l.is_primary}} ORDER BY l.effective_on, o.name COLLATE vi)
             FROM links l LEFT JOIN units o ON o.unit_id = l.to_unit_id
             WHERE l.from_unit_id = x.unit_id) AS successors,
            (SELECT list(sc.year ORDER BY sc.year) FROM unit_scores sc
             WHERE sc.unit_id = x.unit_id AND sc.year BETWEEN x.a_from AND x.a_to) AS scored_years
        FROM u x JOIN units d USING (unit_id)
        LEFT JOIN unit_ceasing($y0, $y1) c ON c.unit_id = x.unit_id
        WHERE x.unit_id = $unit
        """,
        p.used_by("$y0 $y1 $unit"),
    ).fetchall()
    if not rows:
        return None
    uid, name, block, comps, a_from, a_to, d_from, d_to, ceasing, preds, succs, scored = rows[0]
    scored = list(scored or [])
    block_label = next((b.label for b in plan.blocks if b.code == block), None)

    def links(items: Any) -> list[dict[str, Any]]:
        return [
            {**i, "kind_label": labels.LINK_KINDS.get(i["kind"], i["kind"])} for i in items or []
        ]

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
        "ceasing_date": ceasing,
        "predecessors": links(preds),
        "successors": links(succs),
        "scored_years": scored,
        "series": "none" if not scored else "one_year" if len(scored) == 1 else "several",
    }


def lineage_table(info: dict[str, Any]) -> pd.DataFrame:
    """The unit's links for display (rules.md §11): predecessors (→ this unit) first, then
    successors, each with its kind, date and whether it is the primary link."""
    rows = [("Tiền thân", x) for x in info["predecessors"]]
    rows += [("Kế nhiệm / tiếp nhận", x) for x in info["successors"]]
    return pd.DataFrame(
        {
            "Quan hệ": [r for r, _ in rows],
            "Đơn vị": [x["name"] for _, x in rows],
            "Hình thức": [x["kind_label"] for _, x in rows],
            "Ngày hiệu lực": [fmt.date(x["effective_on"]) for _, x in rows],
            "Liên kết chính": ["có" if x["is_primary"] else "không" for _, x in rows],
        }
    )


def lineage_line(info: dict[str, Any]) -> str:
    """'A (hợp nhất, 01/01/2023) → B → C (sáp nhập vào, 01/07/2025)': the unit between its
    predecessors and successors, as plain text."""

    def described(links: list[dict[str, Any]]) -> str:
        return ", ".join(
            f"{x['name']} ({x['kind_label']}, {fmt.date(x['effective_on'])})" for x in links
        )

    parts = (described(info["predecessors"]), str(info["name"]), described(info["successors"]))
    return " → ".join(part for part in parts if part)


def unit_history(con: duckdb.DuckDBPyConnection, plan: Plan, unit_id: str) -> pd.DataFrame:
    """The unit's results per year, up to the last year the store has unit data: its own
    active years, and the years before them its primary predecessors cover (rules.md §11:
    what its window averages inherit), marked ``is_inherited`` with ``source_name``.

    Columns: year, source_id, source_name, is_inherited, score, max_score, ratio_pct,
    band_label, band_index, rank, n_ranked (of the unit that year, within its block),
    change_pct (against the year before), satisfaction_pct, tasks_completed_pct, discipline.
    Rows outside the unit's and its predecessors' years are ignored, as every measure does.
    """
    p = plan_params(plan, unit=unit_id)
    history = "h.depth = 0" if plan.history == "own" else "true"
    sql = f"""
    WITH {ACTIVE_UNITS.strip()},
    {BLOCK_RANKS.strip()},
    last AS (
        SELECT max(year) AS y FROM (
            SELECT year FROM unit_scores UNION ALL SELECT year FROM satisfaction
            UNION ALL SELECT year FROM unit_facts)
    ),
    yrs AS (
        SELECT g.year, arg_min(h.source_id, h.depth) AS source_id, min(h.depth) AS depth
        FROM history_chain($y0) h
        JOIN u s ON s.unit_id = h.source_id
        JOIN u x ON x.unit_id = h.unit_id
        CROSS JOIN last
        JOIN (SELECT range AS year FROM range($y0, $y1 + 1)) g
            ON g.year BETWEEN s.a_from AND s.a_to AND g.year <= least(x.a_to, last.y)
        WHERE h.unit_id = $unit AND {history}
        GROUP BY g.year
    )
    SELECT y.year, y.source_id, su.name AS source_name, y.depth > 0 AS is_inherited,
        rk.score, rk.max_score, rk.ratio_pct,
        {band_sql(plan, "rk.r", p, "label")} AS band_label,
        {band_sql(plan, "rk.r", p, "index")} AS band_index,
        rk.rank, rk.n_ranked,
        centi_dec(rk.r - pv.r) AS change_pct,
        sa.satisfaction_pct, f.tasks_completed_pct, coalesce(f.discipline, 'none') AS discipline
    FROM yrs y
    JOIN units su ON su.unit_id = y.source_id
    LEFT JOIN ranks rk ON rk.unit_id = y.source_id AND rk.year = y.year
    LEFT JOIN yrs py ON py.year = y.year - 1
    LEFT JOIN ranks pv ON pv.unit_id = py.source_id AND pv.year = y.year - 1
    LEFT JOIN satisfaction sa ON sa.unit_id = y.source_id AND sa.year = y.year
    LEFT JOIN unit_facts f ON f.unit_id = y.source_id AND f.year = y.year
    ORDER BY y.year
    """
    return query_df(con, sql, p)


def candidate_reviews(con: duckdb.DuckDBPyConnection, plan: Plan, unit_id: str) -> list[str]:
    """The held reviews in which the unit is a candidate (active in the review's effective end
    year); a review not held (rules.md §12) has no candidates."""
    rows = con.execute(
        "SELECT a_from, a_to, block FROM active_units($y0, $y1) WHERE unit_id = $u",
        {"y0": plan.first_year, "y1": plan.last_year, "u": unit_id},
    ).fetchall()
    if not rows or rows[0][2] is None:  # a unit outside the plan is never a candidate
        return []
    a_from, a_to, _ = rows[0]
    ends = {r.id: plan.effective_end(r) for r in plan.reviews}
    return [
        r.id
        for r in plan.reviews
        if r.held and (e := ends[r.id]) is not None and a_from <= e <= a_to
    ]


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
