"""Rankings of units within a block: one year's table and the history over the years."""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.plans.models import Plan
from analytics.views.sql import (
    ACTIVE_UNITS,
    BLOCK_RANKS,
    band_sql,
    plan_params,
    query_df,
    trend_sql,
)


def ranking(con: duckdb.DuckDBPyConnection, plan: Plan, year: int, block: str) -> pd.DataFrame:
    """Units of ``block`` active in ``year``, ranked by ratio (ties share a rank).

    Columns: unit_id, name, score, max_score, ratio_pct, band_label, band_index, rank,
    n_ranked, prev_ratio_pct, ratio_change_pct, ratio_trend, prev_rank, rank_change
    (previous rank − rank: positive = moved up), rank_moves (places moved),
    rank_trend ('up', 'down', 'same'), satisfaction_pct.
    Units without a score in the year come last, unranked. The previous year counts
    only if the unit was active then (rules.md §2).
    """
    p = plan_params(plan, year=year, block=block)
    band_label = band_sql(plan, "c.r", p, "label")
    band_index = band_sql(plan, "c.r", p, "index")
    sql = f"""
    WITH {ACTIVE_UNITS.strip()},
    {BLOCK_RANKS.strip()},
    cur AS (
        SELECT u.unit_id, u.name, rk.score, rk.max_score, rk.ratio_pct, rk.r, rk.rank, rk.n_ranked
        FROM u LEFT JOIN ranks rk ON rk.unit_id = u.unit_id AND rk.year = $year
        WHERE u.block = $block AND $year BETWEEN u.a_from AND u.a_to
    )
    SELECT c.unit_id, c.name, c.score, c.max_score, c.ratio_pct,
        {band_label} AS band_label, {band_index} AS band_index,
        c.rank, c.n_ranked,
        pr.ratio_pct AS prev_ratio_pct,
        centi_dec(c.r - pr.r) AS ratio_change_pct,
        {trend_sql("c.r", "pr.r", with_max=False)} AS ratio_trend,
        pr.rank AS prev_rank,
        pr.rank - c.rank AS rank_change,
        abs(pr.rank - c.rank) AS rank_moves,
        CASE WHEN c.rank IS NULL OR pr.rank IS NULL THEN NULL
             WHEN c.rank < pr.rank THEN 'up' WHEN c.rank > pr.rank THEN 'down'
             ELSE 'same' END AS rank_trend,
        sa.satisfaction_pct
    FROM cur c
    LEFT JOIN ranks pr ON pr.unit_id = c.unit_id AND pr.year = $year - 1 AND pr.block = $block
    LEFT JOIN satisfaction sa ON sa.unit_id = c.unit_id AND sa.year = $year
    ORDER BY c.ratio_pct DESC NULLS LAST, c.name COLLATE vi
    """
    return query_df(con, sql, p)


def block_history(
    con: duckdb.DuckDBPyConnection, plan: Plan, block: str, end_year: int
) -> pd.DataFrame:
    """Every scored (year, unit) of ``block`` from the plan's first year to ``end_year``.

    Columns: year, unit_id, name, ratio_pct, band_label, band_index, rank, n_ranked,
    order_no (display order of units: by the ``end_year`` ratio, then name; units not
    ranked in ``end_year`` after them, by name).
    """
    p = plan_params(plan, block=block, end=end_year)
    sql = f"""
    WITH {ACTIVE_UNITS.strip()},
    {BLOCK_RANKS.strip()},
    hist AS (
        SELECT * FROM ranks WHERE block = $block AND year BETWEEN $y0 AND $end
    ),
    ordered AS (
        SELECT h.unit_id, row_number() OVER (
            ORDER BY e.ratio_pct DESC NULLS LAST, h.name COLLATE vi) AS order_no
        FROM (SELECT DISTINCT unit_id, name FROM hist) h
        LEFT JOIN hist e ON e.unit_id = h.unit_id AND e.year = $end
    )
    SELECT h.year, h.unit_id, h.name, h.ratio_pct,
        {band_sql(plan, "h.r", p, "label")} AS band_label,
        {band_sql(plan, "h.r", p, "index")} AS band_index,
        h.rank, h.n_ranked, o.order_no
    FROM hist h JOIN ordered o USING (unit_id)
    ORDER BY o.order_no, h.year
    """
    return query_df(con, sql, p)
