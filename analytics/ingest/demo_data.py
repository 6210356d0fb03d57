"""The demo datasets shipped with the plans (``data/demo/<plan id>/``, contract CSV)."""

from __future__ import annotations

import csv
from pathlib import Path

from analytics.store import contract

DEMO_DIR = Path(__file__).resolve().parent.parent.parent / "data" / "demo"


def demo_folder(plan_id: str) -> Path:
    return DEMO_DIR / plan_id


def has_demo(plan_id: str) -> bool:
    return demo_folder(plan_id).is_dir()


def demo_rows(plan_id: str) -> dict[str, list[dict[str, str]]]:
    """Every contract table of the plan's demo dataset as rows of text (empty if absent)."""
    folder = demo_folder(plan_id)
    out: dict[str, list[dict[str, str]]] = {}
    for name in contract.TABLES:
        path = folder / f"{name}.csv"
        if path.exists():
            with path.open(encoding="utf-8-sig", newline="") as fh:
                out[name] = list(csv.DictReader(fh))
        else:
            out[name] = []
    return out
