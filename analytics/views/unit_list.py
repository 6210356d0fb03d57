"""The units a store holds, as rows of the data contract's ``units`` columns.

What the import template pre-fills when it is downloaded from a store (exports may not
read the store's views: the page passes these rows to ``template_xlsx_bytes``).
"""

from __future__ import annotations

from typing import Any

import duckdb

from analytics.plans.models import Plan
from analytics.store import contract


def unit_rows(con: duckdb.DuckDBPyConnection, plan: Plan) -> list[dict[str, Any]]:
    """Every unit of the store (contract column names, stored values), in the plan's block
    order (units outside the blocks last), then by name."""
    cols = contract.TABLES["units"].column_names
    rows = con.execute(f"SELECT {', '.join(cols)} FROM units").fetchall()
    order = {b.code: i for i, b in enumerate(plan.blocks)}
    units = [dict(zip(cols, r, strict=True)) for r in rows]
    return sorted(
        units,
        key=lambda u: (order.get(u["block"] or "", len(order)), u["name"], u["unit_id"]),
    )
