"""Rankings of units within a block: one year's table and the history over the years, in
one of three comparison modes (rules.md §11):

- ``reported`` (như báo cáo): each year's units as they were;
- ``restated`` (quy về đơn vị hiện nay): the units active in the last year shown, their
  earlier years taken from their primary chain (a predecessor's ratio);
- ``continuing`` (chỉ đơn vị liên tục): only the units whose own id is active in every
  year shown.

Ranks are taken within the units shown for the block that year (ties share a rank).
"""

from __future__ import annotations

from typing import Literal, get_args

import duckdb
import pandas as pd

from analytics.plans.models import Plan
from analytics.rules.params import Params
from analytics.views.sql import ACTIVE_UNITS, band_sql, plan_params, query_df, trend_sql

Mode = Literal["reported", "restated", "continuing"]
MODES: tuple[str, ...] = get_args(Mode)


def _series(mode: Mode) -> str:
    """CTEs ``series`` (unit_id shown, block, year, source_id whose numbers it shows) and
    ``ranks`` over it, for the years ``$y0``..``$last`` and the block ``$block``."""
    years = "(SELECT range AS year FROM range($y0, $last + 1)) g"
    if mode == "restated":
        rows = f"""
        SELECT x.unit_id, x.name, x.block, g.year, arg_min(h.source_id, h.depth) AS source_id
        FROM u x
        JOIN history_chain($y0) h ON h.unit_id = x.unit_id
        JOIN u s ON s.unit_id = h.source_id
        JOIN {years} ON g.year BETWEEN s.a_from AND s.a_to AND g.year <= x.a_to
        WHERE x.block = $block AND $last BETWEEN x.a_from AND x.a_to
        GROUP BY x.unit_id, x.name, x.block, g.year"""
    else:
        keep = "AND x.a_from <= $y0 AND x.a_to >= $last" if mode == "continuing" else ""
        rows = f"""
        SELECT x.unit_id, x.name, x.block, g.year, x.unit_id AS source_id
        FROM u x JOIN {years} ON g.year BETWEEN x.a_from AND x.a_to
        WHERE x.block = $block {keep}"""
    return f"""
    series AS ({rows}
    ),
    ranks AS (
        SELECT s.year, s.unit_id, s.name, s.block, s.source_id, sc.score, sc.max_score,
            sc.ratio_pct, centi(sc.ratio_pct) AS r,
            CASE WHEN sc.ratio_pct IS NOT NULL THEN rank() OVER (
                PARTITION BY s.year, sc.ratio_pct IS NULL ORDER BY sc.ratio_pct DESC) END AS rank,
            count(sc.ratio_pct) OVER (PARTITION BY s.year) AS n_ranked
        FROM series s LEFT JOIN unit_scores sc ON sc.unit_id = s.source_id AND sc.year = s.year
    )"""


def _params(plan: Plan, block: str, last: int, **fixed: object) -> Params:
    return plan_params(plan, block=block, last=last, **fixed)


def ranking(
    con: duckdb.DuckDBPyConnection, plan: Plan, year: int, block: str, mode: Mode = "reported"
) -> pd.DataFrame:
    """Units of ``block`` shown in ``year``, ranked by ratio (ties share a rank).

    Columns: unit_id, name, source_id, source_name (the unit whose numbers are shown:
    a predecessor in ``restated`` mode for years before the unit), score, max_score,
    ratio_pct, band_label, band_index, rank, n_ranked, prev_ratio_pct, ratio_change_pct,
    ratio_trend, prev_rank, rank_change (previous rank − rank: positive = moved up),
    rank_moves (places moved), rank_trend ('up', 'down', 'same'), satisfaction_pct.
    Units without a score in the year come last, unranked. The year before counts only
    if the unit is shown then too.
    """
    p = _params(plan, block, year, year=year)
    band_label = band_sql(plan, "c.r", p, "label")
    band_index = band_sql(plan, "c.r", p, "index")
    sql = f"""
    WITH {ACTIVE_UNITS.strip()},
    {_series(mode).strip()},
    cur AS (SELECT * FROM ranks WHERE year = $year)
    SELECT c.unit_id, c.name, c.source_id, su.name AS source_name, c.score, c.max_score,
        c.ratio_pct, {band_label} AS band_label, {band_index} AS band_index,
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
    JOIN units su ON su.unit_id = c.source_id
    LEFT JOIN ranks pr ON pr.unit_id = c.unit_id AND pr.year = $year - 1
    LEFT JOIN satisfaction sa ON sa.unit_id = c.source_id AND sa.year = $year
    ORDER BY c.ratio_pct DESC NULLS LAST, c.name COLLATE vi
    """
    return query_df(con, sql, p)


def block_history(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    block: str,
    end_year: int,
    mode: Mode = "reported",
) -> pd.DataFrame:
    """Every scored (year, unit) of ``block`` from the plan's first year to ``end_year``.

    Columns: year, unit_id, name, source_id, is_inherited (a predecessor's numbers, in
    ``restated`` mode), ratio_pct, band_label, band_index, rank, n_ranked, order_no (display
    order of units: by the ``end_year`` ratio, then name; units not ranked in
    ``end_year`` after them, by name).
    """
    p = _params(plan, block, end_year, end=end_year)
    sql = f"""
    WITH {ACTIVE_UNITS.strip()},
    {_series(mode).strip()},
    hist AS (SELECT * FROM ranks WHERE ratio_pct IS NOT NULL),
    ordered AS (
        SELECT h.unit_id, row_number() OVER (
            ORDER BY e.ratio_pct DESC NULLS LAST, h.name COLLATE vi) AS order_no
        FROM (SELECT DISTINCT unit_id, name FROM hist) h
        LEFT JOIN hist e ON e.unit_id = h.unit_id AND e.year = $end
    )
    SELECT h.year, h.unit_id, h.name, h.source_id, h.source_id <> h.unit_id AS is_inherited,
        h.ratio_pct,
        {band_sql(plan, "h.r", p, "label")} AS band_label,
        {band_sql(plan, "h.r", p, "index")} AS band_index,
        h.rank, h.n_ranked, o.order_no
    FROM hist h JOIN ordered o USING (unit_id)
    ORDER BY o.order_no, h.year
    """
    return query_df(con, sql, p)
