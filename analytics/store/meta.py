"""The store's meta data: its version counter, and the data version people see.

Every committed write bumps ``store_version`` (in ``meta``), so a cache keyed on a
``StoreRef`` (path + version) refreshes after any write, also one from another process
and a restore (an mtime can repeat). The data version shown on screens and stamped on
files counts the imports that changed something and gives the time of the last one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from analytics.store.schema import schema_version

Connection = duckdb.DuckDBPyConnection


@dataclass(frozen=True)
class StoreRef:
    """Which store and which state of it: the key of every cached read."""

    path: str
    version: int  # 0: no store file (yet)

    @property
    def exists(self) -> bool:
        return Path(self.path).exists()


def get_meta(con: Connection, key: str) -> str | None:
    if schema_version(con) == 0:
        return None
    row = next(
        iter(con.execute("SELECT value FROM meta WHERE key = $k", {"k": key}).fetchall()), None
    )
    return row[0] if row else None


def set_meta(con: Connection, key: str, value: str) -> None:
    con.execute("INSERT OR REPLACE INTO meta VALUES ($k, $v)", {"k": key, "v": value})


def store_version(con: Connection) -> int:
    value = get_meta(con, "store_version")
    return int(value) if value else 0


def bump_version(con: Connection) -> int:
    """Count one more write (call inside the write's transaction); the new version."""
    version = store_version(con) + 1
    set_meta(con, "store_version", str(version))
    return version


EMPTY_VERSION = "Phiên bản dữ liệu 0 (kho trống)"


def data_version(con: Connection) -> str:
    """The label of the data a result was computed from, as people read it: the number of
    changing imports and the last one's time (Vietnam time, dd/mm/yyyy hh:mm)."""
    if schema_version(con) == 0:
        return EMPTY_VERSION
    row = con.execute(
        "SELECT count(*), max(imported_at) FROM import_log WHERE is_change"
    ).fetchall()[0]
    if not row[0]:
        return EMPTY_VERSION
    return f"Phiên bản dữ liệu {row[0]} — cập nhật {row[1]:%d/%m/%Y %H:%M}"
