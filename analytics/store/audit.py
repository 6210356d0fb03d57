"""The record of every write: the import log (who, when, what, how many rows).

Each import is logged with its source (file names only), the SHA-256 of its content and
the rows inserted / updated / unchanged per table; the log is the data behind the
"Nhật ký nhập" view.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import duckdb

Connection = duckdb.DuckDBPyConnection


@dataclass(frozen=True)
class ImportEntry:
    import_id: int
    imported_at: dt.datetime
    source: str
    files: str
    content_sha256: str
    row_counts: str
    is_change: bool


def record_import(
    con: Connection,
    *,
    source: str,
    files: list[str],
    content_sha256: str,
    counts: dict[str, dict[str, int]],
    is_change: bool,
) -> int:
    """Add an import to the log (inside the import's transaction); its id."""
    next_id = con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM import_log").fetchall()[0][0]
    con.execute(
        "INSERT INTO import_log VALUES ($id, $at, $src, $files, $sha, $counts, $chg)",
        {
            "id": next_id,
            "at": dt.datetime.now().replace(microsecond=0),
            "src": source,
            "files": ";".join(files),
            "sha": content_sha256,
            "counts": json.dumps(counts),
            "chg": is_change,
        },
    )
    return int(next_id)


def import_entries(con: Connection) -> list[ImportEntry]:
    """The import log, newest first."""
    rows = con.execute(
        "SELECT import_id, imported_at, source, files, content_sha256, row_counts, is_change "
        "FROM import_log ORDER BY import_id DESC"
    ).fetchall()
    return [ImportEntry(*r) for r in rows]
