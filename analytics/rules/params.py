"""Bound SQL parameters with readable names: every plan value enters a query as ``$name``.

``p(80, "band_2_min")`` returns ``$band_2_min`` and records the value; the same name with
the same value is bound once, another value gets ``$band_2_min_2``. Generated SQL (and its
snapshot files) reads as the rules do, never with a plan value spliced in as text.
"""

from __future__ import annotations

import re
from typing import Any

_NOT_NAME = re.compile(r"[^a-z0-9_]+")


def param_name(text: str) -> str:
    """'judgment:head_directs' -> 'judgment_head_directs' (a valid SQL identifier)."""
    name = _NOT_NAME.sub("_", text.lower()).strip("_") or "p"
    return name if not name[0].isdigit() else f"p_{name}"


class Params:
    """The parameters of one query, by name."""

    def __init__(self, **fixed: Any):
        self.values: dict[str, Any] = dict(fixed)

    def __call__(self, value: Any, name: str = "p") -> str:
        base = param_name(name)
        candidate, i = base, 2
        while candidate in self.values:
            known = self.values[candidate]
            if type(known) is type(value) and known == value:
                return f"${candidate}"
            candidate, i = f"{base}_{i}", i + 1
        self.values[candidate] = value
        return f"${candidate}"

    def used_by(self, sql: str) -> dict[str, Any]:
        """Only the parameters ``sql`` names (DuckDB rejects extra ones)."""
        return {k: v for k, v in self.values.items() if re.search(rf"\${re.escape(k)}\b", sql)}
