"""The median and the best PAR Index ratio of a block, year by year: the reference lines a
unit's own ratio is read against (its profile, the comparison of units).

The block's units of a year are those active that year (rules.md §2) with a ratio; the
median of an even count is the mean of the two middle ratios, rounded half up to hundredths.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.plans.models import Plan
from analytics.views.sql import ACTIVE_UNITS, plan_params, query_df
from analytics.views.unit_components import MEDIAN_CENTI


def block_ratio_stats(con: duckdb.DuckDBPyConnection, plan: Plan, block: str) -> pd.DataFrame:
    """Per year with scored units of ``block``: year, n_units, median_pct, best_pct."""
    p = plan_params(plan, block=block)
    sql = f"""
    WITH {ACTIVE_UNITS.strip()},
    s AS (
        SELECT sc.year, centi(sc.ratio_pct) AS r
        FROM unit_scores sc JOIN u USING (unit_id)
        WHERE u.block = $block AND sc.year BETWEEN u.a_from AND u.a_to
    )
    SELECT year, count(*) AS n_units, centi_dec({MEDIAN_CENTI.format(r="r")}) AS median_pct,
        centi_dec(max(r)) AS best_pct
    FROM s GROUP BY year ORDER BY year
    """
    return query_df(con, sql, p)
