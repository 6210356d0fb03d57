"""Two or three units side by side: their PAR Index ratios, groups and ranks in their block
year by year (each unit's own active years, as reported), for the comparison page."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from analytics.plans.models import Plan
from analytics.views.sql import ACTIVE_UNITS, BLOCK_RANKS, band_sql, plan_params, query_df


def units_history(
    con: duckdb.DuckDBPyConnection, plan: Plan, unit_ids: Sequence[str]
) -> pd.DataFrame:
    """Every scored active year of each unit of ``unit_ids`` (units in the given order,
    then by year).

    Columns: unit_id, name, block, block_label (None: outside the plan), year, score,
    max_score, ratio_pct, band_label, band_index, rank, n_ranked (within its block that
    year).
    """
    blocks = [{"code": b.code, "label": b.label} for b in plan.blocks]
    p = plan_params(plan, units=list(unit_ids), blocks=blocks)
    sql = f"""
    WITH {ACTIVE_UNITS.strip()},
    {BLOCK_RANKS.strip()},
    b AS (SELECT x.code, x.label FROM (SELECT unnest($blocks) AS x))
    SELECT rk.unit_id, rk.name, rk.block, b.label AS block_label, rk.year, rk.score,
        rk.max_score, rk.ratio_pct,
        {band_sql(plan, "rk.r", p, "label")} AS band_label,
        {band_sql(plan, "rk.r", p, "index")} AS band_index,
        rk.rank, rk.n_ranked
    FROM ranks rk LEFT JOIN b ON b.code = rk.block
    WHERE list_contains($units, rk.unit_id)
    ORDER BY list_position($units, rk.unit_id), rk.year
    """
    return query_df(con, sql, p)
