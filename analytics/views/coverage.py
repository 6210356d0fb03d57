"""What a store has data for: the years per kind of data, and the plan's years."""

from __future__ import annotations

from typing import Any

import duckdb

from analytics.plans.models import Plan


def plan_years(plan: Plan) -> list[int]:
    """Every year of the plan, first to last."""
    return list(range(plan.first_year, plan.last_year + 1))


def data_years(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
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
    out: dict[str, Any] = {
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
