"""Which plan a store follows: bound at its first import, checked at every later one.

A store holds one jurisdiction's data and records the plan it follows (id, file name and
the file's SHA-256). ``plan_for_write`` is the one rule for every writer (the CLI and the
upload page alike): a new store takes the requested plan (default: the Sóc Trăng plan),
bound in the same transaction as its first data; an existing store keeps its own.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import duckdb

from analytics.errors import PlanError, UsageError
from analytics.plans.loading import (
    DEFAULT_PLAN_ID,
    file_sha256,
    load_plan,
    plan_files,
    plan_path,
)
from analytics.plans.models import Plan
from analytics.store.meta import get_meta, set_meta
from analytics.store.schema import schema_version

Connection = duckdb.DuckDBPyConnection
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StorePlan:
    """The plan a store follows, and whether its file changed since binding."""

    plan: Plan
    bound_sha256: str | None  # the plan's own file and its base's (when it extends one)
    current_sha256: str

    @property
    def changed(self) -> bool:
        return self.bound_sha256 is not None and self.bound_sha256 != self.current_sha256

    @property
    def change_warning(self) -> str | None:
        """The Vietnamese warning to show when the plan file changed since binding."""
        if not self.changed:
            return None
        return (
            f"tệp kế hoạch {self.plan.id} đã thay đổi kể từ khi kho dữ liệu được gắn với nó; "
            "dùng tệp hiện tại"
        )


@dataclass(frozen=True)
class WritePlan:
    """The plan a write validates against; ``plan_ref`` is bound first when ``is_new``."""

    plan: Plan
    plan_ref: str
    is_new: bool


def bound_plan_id(con: Connection) -> str | None:
    return get_meta(con, "plan_id")


def _hashes(plan_ref: str) -> str:
    """The SHA-256 of the plan's own file, and ``+`` its base's when it extends one."""
    return "+".join(file_sha256(f) for f in plan_files(plan_ref))


def bind_plan(con: Connection, plan_ref: str) -> None:
    """Record the plan a store follows (id, file, hashes of its files); call inside the write."""
    plan = load_plan(plan_ref)
    path = plan_path(plan_ref)
    set_meta(con, "plan_id", plan.id)
    set_meta(con, "plan_file", str(path.name))
    set_meta(con, "plan_sha256", _hashes(plan_ref))
    log.info("store bound to plan %s (%s)", plan.id, path.name)


def rebind_plan(con: Connection, plan_ref: str) -> tuple[str, str]:
    """Rebind a store from a plan to its amendment or back (rules.md §12), recorded in the
    import log; (old plan id, new plan id). Any other change of plan is refused (exit 2)."""
    old_id = bound_plan_id(con)
    new = load_plan(plan_ref)
    if old_id is None:
        raise UsageError("kho dữ liệu chưa gắn với kế hoạch nào; hãy nhập dữ liệu với --plan")
    old = load_plan(old_id)
    if new.id == old.id:
        raise UsageError(f"kho dữ liệu đã theo kế hoạch {old.id}")
    if new.extends != old.id and old.extends != new.id:
        raise UsageError(
            f"chỉ đổi được giữa một kế hoạch và kế hoạch điều chỉnh của nó; {new.id} không "
            f"điều chỉnh {old.id} (và ngược lại)"
        )
    bind_plan(con, plan_ref)
    return old.id, new.id


def store_plan(con: Connection, override: str | None = None) -> StorePlan:
    """The plan to evaluate with: ``override`` if given, else the store's."""
    plan_ref = override or bound_plan_id(con) or DEFAULT_PLAN_ID
    plan = load_plan(plan_ref)
    current = _hashes(plan_ref)
    bound = get_meta(con, "plan_sha256") if override is None else None
    sp = StorePlan(plan, bound, current)
    if sp.changed:
        log.warning("plan file of %s changed since the store was bound", plan.id)
    return sp


def plan_for_write(con: Connection, requested: str | None) -> WritePlan:
    """The plan a write uses: the store's own; a new store takes ``requested`` (or the
    default). A request for another plan than the store's is refused (exit 2)."""
    bound = bound_plan_id(con)
    if bound is None:
        ref = requested or DEFAULT_PLAN_ID
        return WritePlan(load_plan(ref), ref, True)
    if requested is not None and load_plan(requested).id != bound:
        raise UsageError(
            f"kho dữ liệu đã gắn với kế hoạch {bound}; không nhập theo kế hoạch {requested}"
        )
    return WritePlan(store_plan(con).plan, bound, False)


def check_plan_fits(con: Connection, plan: Plan) -> None:
    """Raise PlanError if the stored data cannot be read under ``plan`` (what-if copies)."""
    if schema_version(con) == 0:
        return
    blocks = {b.code for b in plan.blocks}
    bad = con.execute(
        "SELECT DISTINCT block FROM units WHERE NOT list_contains($b, block) ORDER BY 1",
        {"b": sorted(blocks)},
    ).fetchall()
    if bad:
        raise PlanError(
            f"plan {plan.id} does not declare block(s) {', '.join(r[0] for r in bad)} used by the store"
        )
    years = con.execute(
        "SELECT min(year), max(year) FROM (SELECT year FROM unit_scores UNION ALL "
        "SELECT year FROM province_components)"
    ).fetchall()[0]
    if years[0] is not None and (years[0] < plan.first_year or years[1] > plan.last_year):
        raise PlanError(
            f"plan {plan.id} spans {plan.first_year}-{plan.last_year} but the store has "
            f"data for {years[0]}-{years[1]}"
        )
