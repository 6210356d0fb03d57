"""The year at a glance (Tổng quan): units per block, averages and the group distribution
with the change from the year before, the province's own results, and the next deadline."""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pandas as pd

from analytics.plans.models import Plan, Review
from analytics.rules import deadlines
from analytics.views.components import component_table
from analytics.views.sql import (
    ACTIVE_UNITS,
    band_sql,
    blocks_param,
    plan_params,
    query_df,
    trend_sql,
)

_AGG_COLS = "a.n_units, a.n_scored, a.r_sum, a.n_units_prev, a.n_scored_prev, a.r_sum_prev"


def plan_years(plan: Plan) -> list[int]:
    """Every year of the plan, first to last."""
    return list(range(plan.first_year, plan.last_year + 1))


def overview(con: duckdb.DuckDBPyConnection, plan: Plan, year: int) -> dict[str, Any]:
    """The year at a glance, with the change from the year before.

    Returns a dict of DataFrames:
    - ``blocks``: per plan block (plan order) and a last ``total`` row (block NULL):
      block, label, expected_units, n_units (active in the year), n_scored, avg_pct
      (exact mean of the scored ratios, half-up), n_units_prev, n_scored_prev,
      avg_prev_pct, avg_change_pct, avg_trend, band_counts (units per band, best first);
    - ``groups``: per band (best first): band_index, band_label, n, n_prev, n_change;
    - ``block_groups``: per block × band: block, block_label, band_index, band_label, n;
    - ``province``: see ``province_results``;
    - ``components``: the components of the year (see ``component_table``).
    """
    p = plan_params(plan, year=year, blocks=blocks_param(plan))
    base = f"""
    WITH {ACTIVE_UNITS.strip()},
    b AS (SELECT x.code, x.label, x.ord, x.expected FROM (SELECT unnest($blocks) AS x)),
    yr AS (SELECT $year AS year, true AS is_cur UNION ALL SELECT $year - 1, false),
    act AS (
        SELECT y.is_cur, u.unit_id, u.block, centi(s.ratio_pct) AS r
        FROM yr y
        JOIN u ON y.year BETWEEN u.a_from AND u.a_to
        JOIN b ON b.code = u.block
        LEFT JOIN unit_scores s ON s.unit_id = u.unit_id AND s.year = y.year
    )"""
    blocks = query_df(
        con,
        f"""{base},
        agg AS (
            SELECT block,
                count(*) FILTER (WHERE is_cur) AS n_units,
                count(r) FILTER (WHERE is_cur) AS n_scored,
                sum(r) FILTER (WHERE is_cur) AS r_sum,
                count(*) FILTER (WHERE NOT is_cur) AS n_units_prev,
                count(r) FILTER (WHERE NOT is_cur) AS n_scored_prev,
                sum(r) FILTER (WHERE NOT is_cur) AS r_sum_prev
            FROM act GROUP BY GROUPING SETS ((block), ())
        ),
        rows AS (
            SELECT b.code AS block, b.label, b.expected AS expected_units, b.ord, {_AGG_COLS}
            FROM b LEFT JOIN agg a ON a.block = b.code
            UNION ALL
            SELECT NULL, 'Tất cả các khối', (SELECT CASE WHEN count(expected) = count(*)
                THEN CAST(sum(expected) AS INTEGER) END FROM b), 1000000, {_AGG_COLS}
            FROM agg a WHERE a.block IS NULL
        ),
        avgs AS (
            SELECT *, CASE WHEN n_scored > 0 THEN mean_centi(r_sum, n_scored) END AS a,
                CASE WHEN n_scored_prev > 0 THEN mean_centi(r_sum_prev, n_scored_prev) END AS ap
            FROM rows
        )
        SELECT block, label, expected_units,
            coalesce(n_units, 0) AS n_units, coalesce(n_scored, 0) AS n_scored,
            centi_dec(a) AS avg_pct,
            coalesce(n_units_prev, 0) AS n_units_prev, coalesce(n_scored_prev, 0) AS n_scored_prev,
            centi_dec(ap) AS avg_prev_pct,
            centi_dec(a - ap) AS avg_change_pct,
            {trend_sql("a", "ap", with_max=False)} AS avg_trend
        FROM avgs ORDER BY ord
        """,
        p,
    )
    bands = [{"i": i, "label": band.label} for i, band in enumerate(plan.classification.bands)]
    p2 = plan_params(plan, year=year, blocks=blocks_param(plan), bands=bands)
    band_index = band_sql(plan, "r", p2, "index")
    counts = query_df(
        con,
        f"""{base},
        bd AS (SELECT x.i, x.label FROM (SELECT unnest($bands) AS x)),
        cl AS (SELECT is_cur, block, {band_index} AS bi FROM act WHERE r IS NOT NULL),
        grid AS (
            SELECT b.code AS block, b.label AS block_label, b.ord, bd.i AS band_index,
                bd.label AS band_label
            FROM b CROSS JOIN bd
        )
        SELECT g.block, g.block_label, g.band_index, g.band_label,
            count(cl.bi) FILTER (WHERE cl.is_cur) AS n,
            count(cl.bi) FILTER (WHERE NOT cl.is_cur) AS n_prev,
            count(cl.bi) FILTER (WHERE cl.is_cur) - count(cl.bi) FILTER (WHERE NOT cl.is_cur)
                AS n_change
        FROM grid g LEFT JOIN cl ON cl.block = g.block AND cl.bi = g.band_index
        GROUP BY GROUPING SETS ((g.block, g.block_label, g.ord, g.band_index, g.band_label),
                                (g.band_index, g.band_label))
        ORDER BY g.ord NULLS LAST, g.band_index
        """,
        p2,
    )
    # Each block's counts per band (best first) as a list, on the blocks frame too.
    per_band = counts.groupby(counts["block"].fillna(""), sort=False)["n"].agg(list)
    blocks["band_counts"] = [
        per_band.get(b if isinstance(b, str) else "", []) for b in blocks["block"]
    ]
    totals = counts[counts["block"].isna()].drop(columns=["block", "block_label"])
    totals = totals.reset_index(drop=True)
    per_block = counts[counts["block"].notna()].drop(columns=["n_prev", "n_change"])
    per_block = per_block.reset_index(drop=True)
    province = province_results(con, plan, year)
    this_year = province[province["year"] == year]
    return {
        "year": year,
        "prev_year": year - 1,
        "province_year": this_year.iloc[0].to_dict() if not this_year.empty else None,
        "blocks": blocks,
        "groups": totals,
        "block_groups": per_block,
        "province": province,
        "components": component_table(con, plan, year),
    }


def province_results(con: duckdb.DuckDBPyConnection, plan: Plan, year: int) -> pd.DataFrame:
    """The province's own results from the plan's first year to ``year`` (a row per year,
    blanks where there is no data): year, ratio_pct, ratio_change_pct, national_rank,
    rank_change (previous rank − rank: positive = moved up), sipas_pct, has_data."""
    p = plan_params(plan, year=year)
    return query_df(
        con,
        """
        WITH g AS (SELECT range AS year FROM range($y0, $year + 1)),
        pr AS (SELECT year, ratio, national_rank, sipas_pct,
                      centi(ratio) AS r FROM province_results)
        SELECT g.year, c.ratio AS ratio_pct, centi_dec(c.r - v.r) AS ratio_change_pct,
            c.national_rank, v.national_rank - c.national_rank AS rank_change,
            c.sipas_pct,
            c.ratio IS NOT NULL OR c.national_rank IS NOT NULL OR c.sipas_pct IS NOT NULL
                AS has_data
        FROM g LEFT JOIN pr c ON c.year = g.year LEFT JOIN pr v ON v.year = g.year - 1
        ORDER BY g.year
        """,
        p,
    )


def dossier_deadline(
    con: duckdb.DuckDBPyConnection, plan: Plan, review: Review, today: dt.date
) -> dict[str, Any]:
    """When the review's award dossier is due, and why (rules.md §8; seed 002 §VI.2), as a
    dict for display: due_date, publication_date, publication_year, days_left (relative
    to ``today``; negative = overdue; None when not known yet), is_overdue, days_text
    ("còn 15 ngày", "đã quá hạn 3 ngày"; None when unknown), basis, source.

    The rule itself lives in ``analytics.deadlines`` (shared with the awards page).
    """
    d = deadlines.dossier_deadline(con, plan, review, today)
    return {
        "due_date": d.due,
        "publication_date": d.publication,
        "publication_year": plan.effective_end(review),
        "days_left": d.days_left,
        "is_overdue": d.is_overdue if d.is_known else None,
        "days_text": d.days_text() if d.is_known else None,
        "basis": d.basis,
        "source": d.source,
    }
