"""Building a store from a plan's illustrative demo dataset (data/demo/<plan-id>/)."""

from __future__ import annotations

from pathlib import Path

from analytics import db, importing
from analytics.plans import load_plan

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"


def demo_folder(plan_id: str) -> Path:
    return DEMO_DIR / plan_id


def has_demo(plan_id: str) -> bool:
    return demo_folder(plan_id).is_dir()


def build_demo_store(plan_id: str, path: Path | str) -> importing.ImportResult:
    """Import the plan's demo dataset into ``path`` (created and bound to the plan if new)."""
    plan = load_plan(plan_id)
    folder = demo_folder(plan.id)
    if not folder.is_dir():
        raise FileNotFoundError(f"kế hoạch {plan.id} không có bộ dữ liệu mẫu ({folder})")
    with db.open_store(path) as con:
        bound = db.bound_plan_id(con)
        if bound is None:
            db.bind_plan(con, plan.id)
        elif bound != plan.id:
            raise db.PlanError(f"kho {path} đã gắn với kế hoạch {bound}, không phải {plan.id}")
        return importing.import_dataset(con, folder, plan, source=f"demo:{plan.id}")
