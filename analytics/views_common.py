"""Shared pieces of the browsing views: plan bands and blocks as SQL, active units, ranks.

Percentages are carried as integer hundredths in SQL (exact) and leave as DECIMAL(5,2)
values; pandas receives them as float64 holding exactly those 2-decimal values (no
arithmetic happens after the query). Format them with ``analytics.fmt``.
"""

from __future__ import annotations

import re

import pandas as pd

from analytics import fmt
from analytics.measures import Params, centi_dec
from analytics.plans import Plan

__all__ = [
    "ACTIVE_UNITS",
    "BLOCK_RANKS",
    "TRENDS",
    "Params",
    "RANK_TRENDS",
    "band_sql",
    "bands_frame",
    "blocks_param",
    "centi_dec",
    "data_years",
    "page_count",
    "page_of",
    "plan_params",
    "query_df",
    "rows_of_units",
    "trend_sql",
]

# Vietnamese labels of a year-on-year trend (declared once; pages and tests reuse them).
TRENDS: dict[str, str] = {
    "up": "▲ tăng",
    "down": "▼ giảm",
    "same": "= không đổi",
    "max": "★ tối đa",
}

# Rank movement against the year before ({n} = number of places moved).
RANK_TRENDS: dict[str, str] = {
    "up": "▲ {n} bậc",
    "down": "▼ {n} bậc",
    "same": "= giữ hạng",
}

# Units with their effective active range (blank bounds = the plan's first/last year).
ACTIVE_UNITS = """
u AS (
    SELECT unit_id, name, block, advised_components, predecessors,
        coalesce(active_from, $y0) AS a_from, coalesce(active_to, $y1) AS a_to
    FROM units
)"""

# Rank of every scored (year, unit) within its block among the units active that year.
# rank(): ties share a rank. Rows outside a unit's active years are ignored (rules.md §2).
BLOCK_RANKS = """
ranks AS (
    SELECT s.year, s.unit_id, u.name, u.block, s.score, s.max_score, s.ratio_pct,
        CAST(s.ratio_pct * 100 AS BIGINT) AS r,
        rank() OVER (PARTITION BY s.year, u.block ORDER BY s.ratio_pct DESC) AS rank,
        count(*) OVER (PARTITION BY s.year, u.block) AS n_ranked
    FROM unit_scores s JOIN u USING (unit_id)
    WHERE s.year BETWEEN u.a_from AND u.a_to
)"""


def plan_params(plan: Plan, **fixed) -> Params:
    """Bound parameters every view uses: the plan's first and last year."""
    return Params(y0=plan.first_year, y1=plan.last_year, **fixed)


def query_df(con, sql: str, p: Params | dict) -> pd.DataFrame:
    """Run a query, binding only the parameters it names (DuckDB rejects extra ones)."""
    values = p.values if isinstance(p, Params) else p
    used = {k: v for k, v in values.items() if re.search(rf"\${re.escape(k)}\b", sql)}
    return con.execute(sql, used).df()


def band_sql(plan: Plan, centi_expr: str, p: Params, what: str = "label") -> str:
    """SQL CASE giving the band (label, code or 0-based index) of a hundredths ratio."""
    whens = []
    for i, band in enumerate(plan.classification.bands):
        value = {"label": band.label, "code": band.code, "index": i}[what]
        whens.append(
            f"WHEN {centi_expr} >= {p(int(round(band.min_ratio_pct * 100)))} THEN {p(value)}"
        )
    return f"CASE WHEN {centi_expr} IS NULL THEN NULL {' '.join(whens)} END"


def trend_sql(now: str, prev: str, *, with_max: bool = True) -> str:
    """'up' / 'down' / 'same' (and 'max' at 100.00) comparing two hundredths values."""
    at_max = f"WHEN {now} = 10000 THEN 'max' " if with_max else ""
    return (
        f"CASE WHEN {now} IS NULL THEN NULL {at_max}WHEN {prev} IS NULL THEN NULL "
        f"WHEN {now} > {prev} THEN 'up' WHEN {now} < {prev} THEN 'down' ELSE 'same' END"
    )


def blocks_param(plan: Plan) -> list[dict]:
    """The plan's blocks as a list of structs for ``unnest`` (plan order kept in ``ord``)."""
    return [
        {"code": b.code, "label": b.label, "ord": i, "expected": b.expected_units}
        for i, b in enumerate(plan.blocks)
    ]


def bands_frame(plan: Plan) -> pd.DataFrame:
    """The classification bands (best first): index, code, label, min_ratio_pct, has_bound
    (a lower bound above 0, drawn as a line) and a display text for legends and lines."""
    rows = []
    for i, band in enumerate(plan.classification.bands):
        rows.append(
            {
                "index": i,
                "code": band.code,
                "label": band.label,
                "min_ratio_pct": band.min_ratio_pct,
                "has_bound": band.min_ratio_pct > 0,  # the worst band has no line of its own
                "text": f"{band.label} (≥ {_bound(band.min_ratio_pct)} %)"
                if band.min_ratio_pct > 0
                else f"{band.label} (< {_bound(plan.classification.bands[i - 1].min_ratio_pct)} %)",
            }
        )
    return pd.DataFrame(rows)


def _bound(x: float) -> str:
    """80.0 -> '80', 82.5 -> '82,5' (a band bound as written in the plan)."""
    return fmt.num(x, 2).rstrip("0").removesuffix(",")


def data_years(con) -> dict:
    """Which years the store has data for, per kind, and how many units it declares."""
    rows = con.execute(
        """
        SELECT 'units' AS kind, NULL::INTEGER AS year, count(*) AS n FROM units
        UNION ALL SELECT 'unit_scores', year, count(*) FROM unit_scores GROUP BY year
        UNION ALL SELECT 'province_components', year, count(*) FROM province_components GROUP BY year
        UNION ALL SELECT 'province_results', year, count(*) FROM province_results GROUP BY year
        UNION ALL SELECT 'unit_other', year, count(*) FROM (
            SELECT year FROM satisfaction UNION ALL SELECT year FROM unit_facts) GROUP BY year
        ORDER BY kind, year
        """
    ).fetchall()
    out: dict = {
        "n_units": 0,
        "unit_scores": [],
        "province_components": [],
        "province_results": [],
        "unit_other": [],
    }
    for kind, year, n in rows:
        if kind == "units":
            out["n_units"] = n
        else:
            out[kind].append(year)
    return out


def page_count(n_rows: int, size: int) -> int:
    """How many pages of ``size`` rows ``n_rows`` rows fill (at least one)."""
    return max(1, -(-n_rows // size))


def page_of(df: pd.DataFrame, page: int, size: int) -> tuple[pd.DataFrame, int, int]:
    """One page of a ranked frame for display: (rows of page ``page``, 1-based and clamped
    to the pages there are; number of pages; the clamped page). Large blocks (a national
    dataset has 2 000 units in one block) are shown a page at a time, never all at once."""
    n_pages = page_count(len(df), size)
    page = min(max(1, int(page)), n_pages)
    return df.iloc[(page - 1) * size : page * size], n_pages, page


def rows_of_units(df: pd.DataFrame, unit_ids) -> pd.DataFrame:
    """The rows of ``df`` about the given units (e.g. the history of one table page)."""
    return df[df["unit_id"].isin(list(unit_ids))]
