"""A whole import: read, check (once), then one all-or-nothing write.

The dataset is read and checked in a scratch in-memory database beside the store (the
store attached read-only), so a long check never blocks another reader or writer. Only
when there is no problem is the store opened writable, for the moment of one
transaction: bind the plan (a new store), upsert every table by key, log the import,
bump the store version. A failure anywhere changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import duckdb

from analytics.access import Actor, require
from analytics.errors import InputRejected, UsageError
from analytics.ingest.checks import UNIVERSE_VIEWS, Checker, check_values, reference_universe
from analytics.ingest.dataset import load_dataset
from analytics.ingest.legacy_text import Conversion, unicode_copy
from analytics.ingest.parse import stage
from analytics.ingest.raw import RawTable
from analytics.ingest.upsert import TableCounts, count_changes, upsert
from analytics.plans.models import Plan
from analytics.store import contract
from analytics.store.audit import record_import
from analytics.store.binding import bind_plan, bound_plan_id, plan_for_write
from analytics.store.connection import new_scratch, reading_beside, writing_beside
from analytics.store.meta import bump_version, set_meta

Connection = duckdb.DuckDBPyConnection
Step = Literal["read", "check", "write"]
log = logging.getLogger(__name__)


@dataclass
class ImportResult:
    plan_id: str
    counts: dict[str, TableCounts] = field(default_factory=dict)
    content_sha256: str = ""
    import_id: int | None = None
    conversions: tuple[Conversion, ...] = ()  # files read converted from TCVN3/VNI

    @property
    def is_change(self) -> bool:
        return any(c.inserted or c.updated for c in self.counts.values())

    @property
    def rows(self) -> dict[str, int]:
        """Rows read per table."""
        return {k: c.inserted + c.updated + c.unchanged for k, c in self.counts.items()}


def _no_step(step: Step) -> None:
    return None


def cleanup_staged(con: Connection, raws: list[RawTable]) -> None:
    for r in raws:
        for prefix in ("raw_", "txt_", "stg_", "fin_"):
            con.execute(f"DROP TABLE IF EXISTS {prefix}{r.name}")
    for v in reversed(UNIVERSE_VIEWS):
        con.execute(f"DROP VIEW IF EXISTS {v}")


def check_dataset(
    con: Connection,
    path: Path,
    plan: Plan,
    on_step: Callable[[Step], None] = _no_step,
    conversions: list[Conversion] | None = None,
) -> tuple[list[RawTable], str]:
    """Read and check a dataset into ``stg_<table>`` tables of ``con`` (in contract order)
    and its content hash; raise InputRejected on any problem (staging dropped). Files in
    a legacy Vietnamese encoding are read converted; each conversion is appended to
    ``conversions``."""
    on_step("read")
    with unicode_copy(Path(path)) as (readable, converted):
        raws, problems, sha = load_dataset(con, readable)
    if conversions is not None:
        conversions += converted
    if problems:
        cleanup_staged(con, raws)
        raise InputRejected(problems)
    on_step("check")
    chk = Checker(con, plan)
    by_name = {r.name: r for r in raws}
    try:
        for raw in raws:
            stage(con, raw, plan)
        universe = reference_universe(con, by_name)
        for raw in sorted(raws, key=lambda r: contract.ORDER.index(r.name)):
            check_values(raw, plan, chk, universe)
    except Exception:
        cleanup_staged(con, raws)
        raise
    if chk.total:
        cleanup_staged(con, raws)
        problems = sorted(chk.problems, key=lambda p: (p.file, p.row or 0))
        raise InputRejected(problems, chk.total)
    return sorted(raws, key=lambda r: contract.ORDER.index(r.name)), sha


def write_staged(
    con: Connection,
    raws: list[RawTable],
    sha: str,
    *,
    plan_id: str,
    source: str,
    bind_ref: str | None = None,
    actor: Actor,
    demo: bool = False,
) -> ImportResult:
    """One transaction on a connection whose tables are the store's: bind ``bind_ref`` (a
    new store), upsert every staged table, log the import with its actor, bump the store
    version. The store's demo flag is set by the demo import that creates the store
    (``demo``) and cleared by any other import."""
    require(actor, "import_data")
    result = ImportResult(plan_id, content_sha256=sha)
    con.execute("BEGIN TRANSACTION")
    try:
        if bind_ref is not None:
            bound = bound_plan_id(con)  # another process may have bound it since the check
            if bound is None:
                bind_plan(con, bind_ref)
                set_meta(con, "demo_mode", "1" if demo else "0")
            elif bound != plan_id:
                raise UsageError(
                    f"kho dữ liệu đã gắn với kế hoạch {bound}; không nhập theo kế hoạch {plan_id}"
                )
        if not (demo and bind_ref is not None):
            set_meta(con, "demo_mode", "0")
        for raw in raws:
            result.counts[raw.name] = upsert(con, raw)
        result.import_id = record_import(
            con,
            source=source,
            files=[r.file for r in raws],
            content_sha256=sha,
            counts={k: vars(v) for k, v in result.counts.items()},
            is_change=result.is_change,
            actor=actor.login,
        )
        bump_version(con)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return result


def import_dataset(
    con: Connection,
    path: Path | str,
    plan: Plan,
    *,
    source: str | None = None,
    dry_run: bool = False,
    actor: Actor,
) -> ImportResult:
    """Import into a store connection already open for writing (the store must be bound;
    scripts and tests), staging in that connection; ``dry_run`` writes nothing."""
    conversions: list[Conversion] = []
    raws, sha = check_dataset(con, Path(path), plan, conversions=conversions)
    try:
        if dry_run:
            counts = {r.name: count_changes(con, r) for r in raws}
            return ImportResult(plan.id, counts, sha, conversions=tuple(conversions))
        result = write_staged(
            con, raws, sha, plan_id=plan.id, source=source or str(path), actor=actor
        )
        return replace(result, conversions=tuple(conversions))
    finally:
        cleanup_staged(con, raws)


def validate(
    data_path: Path | str, store_path: Path | str, plan: Plan | None = None
) -> ImportResult:
    """Check a dataset against the store (if it exists) and a plan (default: the one an
    import would use), writing nothing; the counts an import would give."""
    return run_import(data_path, store_path, plan=plan, dry_run=True)


def run_import(
    data_path: Path | str,
    store_path: Path | str,
    *,
    plan_ref: str | None = None,
    plan: Plan | None = None,
    source: str | None = None,
    dry_run: bool = False,
    on_step: Callable[[Step], None] = _no_step,
    actor: Actor | None = None,
    demo: bool = False,
) -> ImportResult:
    """Import a dataset into the store, all-or-nothing and idempotent.

    ``plan_ref`` binds a new store (default plan when absent) and must match an existing
    store's plan; ``plan`` (validation only) checks against that plan instead. With
    ``dry_run`` nothing is written: the result holds the exact counts of the import.
    A write needs an ``actor`` whose role may import (admin), checked before any work.
    """
    if not dry_run:
        if actor is None:
            raise UsageError("nhập dữ liệu cần biết người thực hiện")
        require(actor, "import_data")
    data_path = Path(data_path)
    mem = new_scratch()
    try:
        with reading_beside(mem, store_path):
            chosen = plan_for_write(mem, plan_ref)
            use = plan if plan is not None else chosen.plan
            conversions: list[Conversion] = []
            raws, sha = check_dataset(mem, data_path, use, on_step, conversions)
            if dry_run:
                counts = {r.name: count_changes(mem, r) for r in raws}
                return ImportResult(use.id, counts, sha, conversions=tuple(conversions))
        on_step("write")
        assert actor is not None  # checked above
        with writing_beside(mem, store_path):
            result = write_staged(
                mem,
                raws,
                sha,
                plan_id=use.id,
                source=source or str(data_path),
                bind_ref=chosen.plan_ref if chosen.is_new else None,
                actor=actor,
                demo=demo,
            )
        result = replace(result, conversions=tuple(conversions))
        log.info(
            "import %s: %s into %s (%s)",
            result.import_id,
            data_path.name,
            Path(store_path).name,
            "changed" if result.is_change else "no change",
        )
        return result
    finally:
        mem.close()
