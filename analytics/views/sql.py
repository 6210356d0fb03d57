"""SQL pieces every view shares: the plan's years, blocks and bands as bound parameters,
ranks within a block, and running a query into a DataFrame.

Percentages are carried as integer hundredths in SQL (exact) and leave as DECIMAL(5,2)
values; pandas receives them as float64 holding exactly those 2-decimal values (no
arithmetic happens after the query). Format them with ``analytics.fmt``.
"""

from __future__ import annotations

from typing import Any, Literal

import duckdb
import pandas as pd

from analytics.plans.models import Plan
from analytics.rules.params import Params

# Rank of every scored (year, unit) within its block among the units active that year
# (the CTE ``u`` = active_units). rank(): ties share a rank. Rows outside a unit's active
# years are ignored (rules.md §2).
BLOCK_RANKS = """
ranks AS (
    SELECT s.year, s.unit_id, u.name, u.block, s.score, s.max_score, s.ratio_pct,
        centi(s.ratio_pct) AS r,
        rank() OVER (PARTITION BY s.year, u.block ORDER BY s.ratio_pct DESC) AS rank,
        count(*) OVER (PARTITION BY s.year, u.block) AS n_ranked
    FROM unit_scores s JOIN u USING (unit_id)
    WHERE s.year BETWEEN u.a_from AND u.a_to
)"""
ACTIVE_UNITS = "u AS (SELECT * FROM active_units($y0, $y1))"


def plan_params(plan: Plan, **fixed: Any) -> Params:
    """Bound parameters every view uses: the plan's first and last year."""
    return Params(y0=plan.first_year, y1=plan.last_year, **fixed)


def query_df(con: duckdb.DuckDBPyConnection, sql: str, p: Params) -> pd.DataFrame:
    """Run a query, binding only the parameters it names (DuckDB rejects extra ones)."""
    return con.execute(sql, p.used_by(sql)).df()


def band_sql(
    plan: Plan, centi_expr: str, p: Params, what: Literal["label", "index"] = "label"
) -> str:
    """The band (label or 0-based index, best first) of a hundredths ratio (the store's
    ``band_label`` / ``band_index`` macros over the plan's bounds)."""
    mins = p(plan.classification.mins_centi, "band_mins_centi")
    if what == "index":
        return f"band_index({centi_expr}, {mins})"
    band_labels = p([b.label for b in plan.classification.bands], "band_labels")
    return f"band_label({centi_expr}, {mins}, {band_labels})"


def trend_sql(now: str, prev: str, *, with_max: bool = True) -> str:
    """'up' / 'down' / 'same' (and 'max' at 100.00) comparing two hundredths values."""
    return f"trend({now}, {prev}, {'true' if with_max else 'false'})"


def blocks_param(plan: Plan) -> list[dict[str, Any]]:
    """The plan's blocks as a list of structs for ``unnest`` (plan order kept in ``ord``)."""
    return [
        {"code": b.code, "label": b.label, "ord": i, "expected": b.expected_units}
        for i, b in enumerate(plan.blocks)
    ]
