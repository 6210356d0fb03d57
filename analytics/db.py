"""The store: the one module that opens DuckDB. Schema, migrations, locking, plan binding.

A store is one DuckDB file holding one jurisdiction's data and the plan it follows.
DuckDB lets one process hold a file for writing; another process that finds it held
waits briefly, then gets ``StoreBusy`` (the CLI exits 3), changing nothing.
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from analytics.plans import DEFAULT_PLAN_ID, Plan, PlanError, file_sha256, load_plan, plan_path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
LOCK_WAIT_S = float(os.environ.get("THIDUA_LOCK_WAIT", "3"))

# Key uniqueness of the data tables is guaranteed by the importer (duplicate keys are
# rejected, rows are upserted by key), so the large tables carry no PRIMARY KEY: an ART
# index costs seconds per million rows on import and serves no query here.
# Migrations: a store created at version k is brought to the latest by running
# MIGRATIONS[k:] in order, in one transaction. Never edit a released migration.
MIGRATIONS: tuple[str, ...] = (
    # v1: the data contract's tables (without province results) and the import log.
    """
    CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);
    CREATE TABLE units (
        unit_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, block VARCHAR NOT NULL,
        advised_components VARCHAR, active_from INTEGER, active_to INTEGER,
        predecessors VARCHAR);
    CREATE TABLE unit_scores (
        year INTEGER, unit_id VARCHAR, score DECIMAL(18,4), max_score DECIMAL(18,4),
        ratio DECIMAL(18,4), ratio_pct DECIMAL(5,2) NOT NULL);
    CREATE TABLE province_components (
        year INTEGER, component VARCHAR, component_name VARCHAR,
        score DECIMAL(18,4), max_score DECIMAL(18,4), PRIMARY KEY (year, component));
    CREATE TABLE satisfaction (
        year INTEGER, unit_id VARCHAR, satisfaction_pct DECIMAL(5,2));
    CREATE TABLE unit_facts (
        year INTEGER, unit_id VARCHAR, tasks_completed_pct DECIMAL(5,2),
        discipline VARCHAR);
    CREATE TABLE unit_judgments (
        review VARCHAR, unit_id VARCHAR, head_directs BOOLEAN, outstanding BOOLEAN,
        has_initiative BOOLEAN);
    CREATE TABLE people (
        person_id VARCHAR, full_name VARCHAR NOT NULL, unit_id VARCHAR,
        position VARCHAR, advised_components VARCHAR);
    CREATE TABLE person_judgments (
        review VARCHAR, person_id VARCHAR, outstanding BOOLEAN, has_initiative BOOLEAN,
        initiative_recognized BOOLEAN, good_conduct BOOLEAN, discipline VARCHAR,
        votes_pct DECIMAL(5,2));
    CREATE TABLE publications (year INTEGER PRIMARY KEY, published_on DATE);
    CREATE TABLE import_log (
        import_id INTEGER PRIMARY KEY, imported_at TIMESTAMP NOT NULL, source VARCHAR,
        files VARCHAR, content_sha256 VARCHAR, row_counts VARCHAR, is_change BOOLEAN);
    """,
    # v2: the province's own results (PAR INDEX, national rank, SIPAS) for the overview.
    """
    CREATE TABLE province_results (
        year INTEGER PRIMARY KEY, ratio DECIMAL(5,2), national_rank INTEGER,
        sipas_pct DECIMAL(5,2));
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

DATA_TABLES = (
    "units",
    "province_components",
    "unit_scores",
    "satisfaction",
    "unit_facts",
    "unit_judgments",
    "people",
    "person_judgments",
    "publications",
    "province_results",
)


class StoreBusy(RuntimeError):
    """Another process holds the store; nothing was changed."""


class StoreTooNew(RuntimeError):
    """The store was written by a newer version of this software."""


def default_db_path(plan_id: str = DEFAULT_PLAN_ID) -> Path:
    env = os.environ.get("THIDUA_DB")
    if env:
        return Path(env)
    return DATA_DIR / f"{plan_id}.duckdb"


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


def connect(path: Path | str, *, read_only: bool = False, wait_s: float | None = None):
    """Open the store, waiting up to ``wait_s`` seconds for another process's lock."""
    path = Path(path)
    if read_only and not path.exists():
        raise FileNotFoundError(f"store {path} does not exist")
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + (LOCK_WAIT_S if wait_s is None else wait_s)
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if not _is_lock_error(exc):
                raise
            if time.monotonic() >= deadline:
                raise StoreBusy(f"store in use: {path} is held by another process") from exc
            time.sleep(0.1)


def schema_version(con) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
    ).fetchall()[0][0]
    if not exists:
        return 0
    row = next(
        iter(con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()), None
    )
    return int(row[0]) if row else 0


def migrate(con, target: int = SCHEMA_VERSION) -> int:
    """Bring the store to ``target``; returns the version it was at."""
    current = schema_version(con)
    if current > SCHEMA_VERSION:
        raise StoreTooNew(
            f"store schema version {current} is newer than this software's ({SCHEMA_VERSION})"
        )
    if current >= target:
        return current
    con.execute("BEGIN TRANSACTION")
    try:
        for sql in MIGRATIONS[current:target]:
            con.execute(sql)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', $v)", {"v": str(target)})
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return current


@dataclass(frozen=True)
class StorePlan:
    """The plan a store follows, and whether its file changed since binding."""

    plan: Plan
    bound_sha256: str | None
    current_sha256: str

    @property
    def changed(self) -> bool:
        return self.bound_sha256 is not None and self.bound_sha256 != self.current_sha256


def get_meta(con, key: str) -> str | None:
    if schema_version(con) == 0:
        return None
    row = next(
        iter(con.execute("SELECT value FROM meta WHERE key = $k", {"k": key}).fetchall()), None
    )
    return row[0] if row else None


def bound_plan_id(con) -> str | None:
    return get_meta(con, "plan_id")


def bind_plan(con, plan_ref: str) -> None:
    """Record the plan a new store follows (id, file and hash)."""
    plan = load_plan(plan_ref)
    path = plan_path(plan_ref)
    for key, value in (
        ("plan_id", plan.id),
        ("plan_file", str(path.name)),
        ("plan_sha256", file_sha256(path)),
    ):
        con.execute("INSERT OR REPLACE INTO meta VALUES ($k, $v)", {"k": key, "v": value})


def store_plan(con, override: str | None = None) -> StorePlan:
    """The plan to evaluate with: ``override`` if given, else the store's (warning if edited)."""
    plan_ref = override or bound_plan_id(con) or DEFAULT_PLAN_ID
    plan = load_plan(plan_ref)
    current = file_sha256(plan_path(plan_ref))
    bound = get_meta(con, "plan_sha256") if override is None else None
    sp = StorePlan(plan, bound, current)
    if sp.changed:
        warnings.warn(
            f"tệp kế hoạch {plan.id} đã thay đổi kể từ khi kho dữ liệu được gắn với nó; "
            "dùng tệp hiện tại",
            stacklevel=2,
        )
    return sp


def check_plan_fits(con, plan: Plan) -> None:
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


def data_version(con) -> str:
    """A short label for the data a result was computed from: changing imports + last time."""
    if schema_version(con) == 0:
        return "v0 (trống)"
    row = next(
        iter(
            con.execute(
                "SELECT count(*), max(imported_at) FROM import_log WHERE is_change"
            ).fetchall()
        ),
        None,
    )
    if not row[0]:
        return "v0 (trống)"
    return f"v{row[0]} ({row[1]:%Y-%m-%d %H:%M})"


@contextmanager
def open_store(
    path: Path | str, *, read_only: bool = False, wait_s: float | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open (creating and migrating if writable) and always close the store."""
    con = connect(path, read_only=read_only, wait_s=wait_s)
    try:
        if read_only:
            version = schema_version(con)
            if version > SCHEMA_VERSION:
                raise StoreTooNew(
                    f"store schema version {version} is newer than this software's ({SCHEMA_VERSION})"
                )
            if version < SCHEMA_VERSION:
                # A read-only open cannot migrate; reopen writable just for the migration.
                con.close()
                with open_store(path, read_only=False, wait_s=wait_s):
                    pass
                con = connect(path, read_only=True, wait_s=wait_s)
        else:
            migrate(con)
        yield con
    finally:
        con.close()


__all__ = [
    "DATA_TABLES",
    "PlanError",
    "SCHEMA_VERSION",
    "StoreBusy",
    "StoreTooNew",
    "bind_plan",
    "bound_plan_id",
    "connect",
    "data_version",
    "default_db_path",
    "migrate",
    "open_store",
    "store_plan",
]
