"""Backup and restore of a whole store file.

A backup is a consistent copy taken while the app runs: the store attached read-only (no
writer can hold it meanwhile) and copied table by table, macros and constraints included,
with ``COPY FROM DATABASE`` into a new file, renamed into place when complete. A restore
(admin only) checks that the file is a store of this software (not newer), copies it beside
the store, migrates the copy, records the restore in the copy's audit trail, then renames
it over the store in one step: readers see the old store or the restored one, never a
mixture; a file that is not a backup changes nothing.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import duckdb

from analytics.access import Actor, require
from analytics.errors import UsageError
from analytics.store.audit_trail import record_save
from analytics.store.connection import open_store, reading_lock, replacing
from analytics.store.meta import get_meta, set_meta, store_version
from analytics.store.schema import check_not_newer, schema_version

Connection = duckdb.DuckDBPyConnection


def table_counts(con: Connection, catalog: str | None = None) -> dict[str, int]:
    """Rows per table of a database (the main schema), by table name."""
    where = f"database_name = '{catalog}'" if catalog else "database_name = current_database()"
    names = [
        r[0]
        for r in con.execute(
            f"SELECT table_name FROM duckdb_tables() WHERE {where} AND schema_name = 'main' "
            "ORDER BY 1"
        ).fetchall()
    ]
    prefix = f"{catalog}." if catalog else ""
    return {
        n: int(con.execute(f'SELECT count(*) FROM {prefix}"{n}"').fetchall()[0][0]) for n in names
    }


def _temp_beside(target: Path) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    os.unlink(name)  # DuckDB creates the file itself
    return Path(name)


def backup(store_path: Path | str, out: Path | str) -> dict[str, int]:
    """Write a consistent copy of the store to ``out`` (replaced only when complete); the
    rows per table copied."""
    source, target = Path(store_path), Path(out)
    if not source.exists():
        raise UsageError(f"không có kho dữ liệu {source}")
    if target.is_dir():
        raise UsageError(f"--out {out} là một thư mục; hãy cho tên tệp")
    if not target.parent.is_dir():
        raise UsageError(f"--out {out}: không có thư mục {target.parent}")
    if target.resolve() == source.resolve():
        raise UsageError("tệp sao lưu phải khác tệp kho dữ liệu")
    tmp = _temp_beside(target)
    try:
        with reading_lock(source):
            mem = duckdb.connect()
            try:
                mem.execute("ATTACH $p AS src (READ_ONLY)", {"p": str(source)})
                mem.execute("ATTACH $p AS dst", {"p": str(tmp)})
                mem.execute("COPY FROM DATABASE src TO dst")
                counts = table_counts(mem, "dst")
                mem.execute("DETACH dst")
                mem.execute("DETACH src")
            finally:
                mem.close()
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
    return counts


def backup_bytes(store_path: Path | str) -> bytes:
    """A backup of the store as bytes (the dashboard's download), via a temporary file."""
    with tempfile.TemporaryDirectory(prefix="thidua-backup-") as tmp:
        out = Path(tmp) / "sao-luu.duckdb"
        backup(store_path, out)
        return out.read_bytes()


def check_backup(path: Path | str) -> dict[str, int]:
    """The rows per table of a backup file; UsageError (exit 2) when it is not a store of
    this software, StoreTooNew when a newer version wrote it."""
    file = Path(path)
    if not file.is_file():
        raise UsageError(f"không có tệp sao lưu {file}")
    try:
        con = duckdb.connect(str(file), read_only=True)
    except duckdb.Error as exc:
        raise UsageError(f"{file.name} không phải bản sao lưu kho dữ liệu Thi đua CCHC") from exc
    try:
        version = schema_version(con)
        if version == 0 or get_meta(con, "plan_id") is None:
            raise UsageError(
                f"{file.name} không phải bản sao lưu kho dữ liệu Thi đua CCHC "
                "(không có cấu trúc hoặc kế hoạch của kho)"
            )
        check_not_newer(version)
        return table_counts(con)
    finally:
        con.close()


def _version(path: Path) -> int:
    """The store version of the store being replaced (0 if it has none or cannot be read)."""
    if not path.exists():
        return 0
    try:
        with open_store(path, read_only=True) as con:
            return store_version(con)
    except Exception:  # noqa: BLE001 (a damaged store: restoring it is the point)
        return 0


def restore(actor: Actor, backup_file: Path | str, store_path: Path | str) -> dict[str, int]:
    """Replace the store by a backup, atomically (admin only); the rows per table restored."""
    require(actor, "restore_backup")
    source, target = Path(backup_file), Path(store_path)
    counts = check_backup(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_beside(target)
    try:
        mem = duckdb.connect()
        try:
            mem.execute("ATTACH $p AS src (READ_ONLY)", {"p": str(source)})
            mem.execute("ATTACH $p AS dst", {"p": str(tmp)})
            mem.execute("COPY FROM DATABASE src TO dst")
            mem.execute("DETACH dst")
            mem.execute("DETACH src")
        finally:
            mem.close()
        with open_store(tmp) as con:  # migrated to this software's schema
            con.execute("BEGIN TRANSACTION")
            record_save(
                con,
                actor=actor.login,
                action="restore",
                review=None,
                note=f"khôi phục từ bản sao lưu {source.name}",
                entries=[],
            )
            # above every version the store had: no cache keyed on an old version is reused
            set_meta(con, "store_version", str(max(store_version(con), _version(target)) + 1))
            con.execute("COMMIT")
        with replacing(target):
            os.replace(tmp, target)
            Path(f"{target}.wal").unlink(missing_ok=True)
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
    return counts
