"""The record of every write: the import log (who, when, what, how many rows).

Each import is logged with its source (file names only), the SHA-256 of its content and
the rows inserted / updated / unchanged per table; the log is the data behind the
"Nhật ký nhập" view.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

import duckdb

from analytics.clock import now

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
    actor: str | None = None


_UNSAFE = re.compile("[\x00-\x1f\x7f\ufffe\uffff]")


def clean_name(text: str, limit: int = 200) -> str:
    """A client-supplied source as the log keeps it: "label: a, b" with each item reduced
    to its base name (no folders, / or \\), no control characters, at most ``limit``
    characters."""
    text = _UNSAFE.sub("", text)
    label, sep, rest = text.partition(": ")
    if not sep:
        label, rest = "", text
    items = [re.split(r"[/\\]", item)[-1] for item in rest.split(", ")]
    base = (label + sep if sep else "") + ", ".join(items)
    return base if len(base) <= limit else base[: limit - 1] + "…"


def record_import(
    con: Connection,
    *,
    source: str,
    files: list[str],
    content_sha256: str,
    counts: dict[str, dict[str, int]],
    is_change: bool,
    actor: str | None = None,
) -> int:
    """Add an import to the log (inside the import's transaction); its id."""
    next_id = con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM import_log").fetchall()[0][0]
    con.execute(
        "INSERT INTO import_log (import_id, imported_at, source, files, content_sha256, "
        "row_counts, is_change, actor) VALUES ($id, $at, $src, $files, $sha, $counts, $chg, $who)",
        {
            "id": next_id,
            "at": now(),
            "src": clean_name(source),
            "files": ";".join(clean_name(f) for f in files),
            "sha": content_sha256,
            "counts": json.dumps(counts),
            "chg": is_change,
            "who": actor,
        },
    )
    return int(next_id)


def import_entries(con: Connection) -> list[ImportEntry]:
    """The import log, newest first."""
    rows = con.execute(
        "SELECT import_id, imported_at, source, files, content_sha256, row_counts, is_change, "
        "actor FROM import_log ORDER BY import_id DESC"
    ).fetchall()
    return [ImportEntry(*r) for r in rows]
