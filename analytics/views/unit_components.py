"""Units' component scores (the areas of the province's index of its units) in a year, each
as a ratio against the median and the best of the unit's block that year.

The block of a component is the units of the same block active that year that have a row
for that component (data-contract.md ``unit_component_scores``); a unit outside the plan's
blocks has no block figures. Ratios are exact hundredths (round half up, as every ratio of
the engine); the median of an even count is the mean of the two middle ratios, rounded
half up to hundredths.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import pandas as pd

from analytics.plans.models import Plan
from analytics.views.sql import ACTIVE_UNITS, plan_params, query_df

# The median in hundredths: median() of integers is exact to a half, floor(x + 0.5) rounds
# that half up (x + 0.5 is exact in a double for these magnitudes).
MEDIAN_CENTI = "CAST(floor(median({r}) + 0.5) AS BIGINT)"
# unnest() of an empty list has no type: a plan without components binds one no row has.
_NO_COMPONENT = {"code": "", "label": "", "ord": 0}


def components_param(plan: Plan) -> list[dict[str, Any]]:
    """The plan's unit components as structs for ``unnest`` (plan order kept in ``ord``)."""
    return [
        {"code": c.code, "label": c.label, "ord": i} for i, c in enumerate(plan.unit_components)
    ]


def component_scores(
    con: duckdb.DuckDBPyConnection, plan: Plan, unit_ids: Sequence[str], year: int
) -> pd.DataFrame:
    """The component scores of each unit of ``unit_ids`` in ``year``, one row per (unit,
    component it has a row for), units in the given order, components in plan order.

    Columns: unit_id, name, block, component, component_label, score, max_score, ratio_pct,
    block_median_pct, block_best_pct, n_block (units of the block with that component).
    A component the plan does not declare (a store bound to another plan) is left out.
    """
    p = plan_params(
        plan, year=year, units=list(unit_ids), comps=components_param(plan) or [_NO_COMPONENT]
    )
    median = MEDIAN_CENTI.format(r="cs.r")
    sql = f"""
    WITH {ACTIVE_UNITS.strip()},
    comps AS (SELECT x.code, x.label, x.ord FROM (SELECT unnest($comps) AS x)),
    cs AS (
        SELECT s.unit_id, s.component, s.score, s.max_score,
            ratio_centi(s.score, s.max_score) AS r
        FROM unit_component_scores s
        WHERE s.year = $year AND s.max_score > 0
    ),
    peers AS (
        SELECT u.block, cs.component, count(*) AS n_block, {median} AS median_r,
            max(cs.r) AS best_r
        FROM cs JOIN u USING (unit_id)
        WHERE $year BETWEEN u.a_from AND u.a_to AND u.block IS NOT NULL
        GROUP BY u.block, cs.component
    )
    SELECT x.unit_id, x.name, x.block, c.code AS component, c.label AS component_label,
        cs.score, cs.max_score, centi_dec(cs.r) AS ratio_pct,
        centi_dec(pe.median_r) AS block_median_pct, centi_dec(pe.best_r) AS block_best_pct,
        pe.n_block
    FROM units x
    JOIN cs ON cs.unit_id = x.unit_id
    JOIN comps c ON c.code = cs.component
    LEFT JOIN peers pe ON pe.block = x.block AND pe.component = cs.component
    WHERE list_contains($units, x.unit_id)
    ORDER BY list_position($units, x.unit_id), c.ord
    """
    return query_df(con, sql, p)


def component_years(con: duckdb.DuckDBPyConnection, unit_ids: Sequence[str]) -> list[int]:
    """The years in which any of ``unit_ids`` has a component score, ascending."""
    rows = con.execute(
        "SELECT DISTINCT year FROM unit_component_scores WHERE list_contains($units, unit_id) "
        "ORDER BY year",
        {"units": list(unit_ids)},
    ).fetchall()
    return [r[0] for r in rows]
