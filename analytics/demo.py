"""Building a store from a plan's illustrative demo dataset (data/demo/<plan-id>/)."""

from __future__ import annotations

from pathlib import Path

from analytics.access import Actor
from analytics.errors import UsageError
from analytics.ingest.demo_data import demo_folder
from analytics.ingest.importer import ImportResult, run_import
from analytics.plans.loading import load_plan


def build_demo_store(plan_id: str, path: Path | str, actor: Actor) -> ImportResult:
    """Import the plan's demo dataset into ``path`` (created and bound to the plan if new;
    a store created so is in demo mode until other data is imported)."""
    plan = load_plan(plan_id)
    folder = demo_folder(plan.id)
    if not folder.is_dir():
        raise UsageError(f"kế hoạch {plan.id} không có bộ dữ liệu mẫu ({folder})")
    return run_import(
        folder, path, plan_ref=plan.id, source=f"demo:{plan.id}", actor=actor, demo=True
    )
