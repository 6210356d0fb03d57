"""The audit trail of what people record on screen and of account changes.

A *save* is one transaction by one person: when, who, what kind of action, for which
review, the required note (e.g. "Biên bản họp ngày 12/03/2026") and, for an undo, the save
it undoes. Each changed value is one *entry*: table, review, subject, field, old → new
(as text, blank = not set). Imports are logged per import in ``import_log`` instead (per
value would slow large imports). Times are the server's local wall clock (Vietnam time:
see ``analytics.clock``).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from analytics.clock import now
from analytics.errors import UsageError

Connection = duckdb.DuckDBPyConnection
MAX_NOTE_CHARS = 500


@dataclass(frozen=True)
class Entry:
    """One changed value."""

    table_name: str
    review: str | None
    subject_id: str
    field: str
    old_value: str | None
    new_value: str | None


def clean_note(note: str | None) -> str:
    """The note a save must carry, stripped; refused when empty or too long."""
    text = (note or "").strip()
    if not text:
        raise UsageError(
            "hãy ghi căn cứ của lần lưu này (ví dụ: Biên bản họp ngày 12/03/2026); "
            "không lưu khi chưa có ghi chú"
        )
    if len(text) > MAX_NOTE_CHARS:
        raise UsageError(f"ghi chú dài {len(text)} ký tự, quá giới hạn {MAX_NOTE_CHARS}")
    if any(ord(c) < 32 and c not in "\t\n" for c in text):
        raise UsageError("ghi chú chứa ký tự điều khiển không hợp lệ")
    return text


def record_save(
    con: Connection,
    *,
    actor: str,
    action: str,
    review: str | None,
    note: str,
    entries: list[Entry],
    undoes: int | None = None,
) -> int:
    """Add a save and its entries (inside the write's transaction); the save's id."""
    save_id = int(
        con.execute("SELECT coalesce(max(save_id), 0) + 1 FROM audit_saves").fetchall()[0][0]
    )
    con.execute(
        "INSERT INTO audit_saves VALUES ($id, $at, $who, $action, $review, $note, $undoes)",
        {
            "id": save_id,
            "at": now(),
            "who": actor,
            "action": action,
            "review": review,
            "note": note,
            "undoes": undoes,
        },
    )
    if entries:
        con.executemany(
            "INSERT INTO audit_entries VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                [save_id, e.table_name, e.review, e.subject_id, e.field, e.old_value, e.new_value]
                for e in entries
            ],
        )
    return save_id


def save_entries(con: Connection, save_id: int) -> tuple[dict[str, object], list[Entry]]:
    """A save (its columns by name) and its entries; UsageError if there is none."""
    rows = con.execute(
        "SELECT save_id, saved_at, actor, action, review, note, undoes FROM audit_saves "
        "WHERE save_id = $id",
        {"id": save_id},
    ).fetchall()
    if not rows:
        raise UsageError(f"không có lần lưu số {save_id} trong nhật ký")
    names = ("save_id", "saved_at", "actor", "action", "review", "note", "undoes")
    save = dict(zip(names, rows[0], strict=True))
    entries = [
        Entry(*r)
        for r in con.execute(
            "SELECT table_name, review, subject_id, field, old_value, new_value "
            "FROM audit_entries WHERE save_id = $id ORDER BY table_name, subject_id, field",
            {"id": save_id},
        ).fetchall()
    ]
    return save, entries


def later_changes(con: Connection, save_id: int) -> list[tuple[int, str, str, str]]:
    """The values of a save that a later save changed again: (later save, table, subject,
    field) — an undo of ``save_id`` would overwrite them."""
    return [
        (int(r[0]), r[1], r[2], r[3])
        for r in con.execute(
            """
            SELECT DISTINCT l.save_id, l.table_name, l.subject_id, l.field
            FROM audit_entries e
            JOIN audit_entries l
              ON l.table_name = e.table_name AND l.subject_id = e.subject_id
             AND l.field = e.field AND l.review IS NOT DISTINCT FROM e.review
             AND l.save_id > e.save_id
            WHERE e.save_id = $id
            ORDER BY 1, 2, 3, 4
            """,
            {"id": save_id},
        ).fetchall()
    ]


def undone_by(con: Connection, save_id: int) -> int | None:
    """The save that undid ``save_id``, if any."""
    rows = con.execute(
        "SELECT min(save_id) FROM audit_saves WHERE undoes = $id", {"id": save_id}
    ).fetchall()
    return None if rows[0][0] is None else int(rows[0][0])


AUDIT_COLUMNS = (
    "save_id",
    "saved_at",
    "actor",
    "action",
    "review",
    "note",
    "undoes",
    "table_name",
    "subject_id",
    "field",
    "old_value",
    "new_value",
)


def audit_rows(
    con: Connection,
    *,
    review: str | None = None,
    subject_id: str | None = None,
    actor: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[tuple[object, ...]]:
    """The audit trail, newest first, one row per changed value (a save without entries,
    e.g. an account disabled twice, gives one row with empty value columns), filtered by
    review, subject and actor (None = all)."""
    sql = f"""
        SELECT s.save_id, s.saved_at, s.actor, s.action, coalesce(e.review, s.review), s.note,
            s.undoes, e.table_name, e.subject_id, e.field, e.old_value, e.new_value
        FROM audit_saves s LEFT JOIN audit_entries e ON e.save_id = s.save_id
        WHERE ($review IS NULL OR coalesce(e.review, s.review) = $review)
          AND ($subject IS NULL OR e.subject_id = $subject)
          AND ($actor IS NULL OR s.actor = $actor)
        ORDER BY s.save_id DESC, e.table_name, e.subject_id, e.field
        {"LIMIT $limit OFFSET $offset" if limit is not None else ""}
    """
    params: dict[str, object] = {"review": review, "subject": subject_id, "actor": actor}
    if limit is not None:
        params |= {"limit": limit, "offset": offset}
    return [tuple(r) for r in con.execute(sql, params).fetchall()]


def audit_count(
    con: Connection, *, review: str | None = None, subject_id: str | None = None
) -> int:
    """How many rows ``audit_rows`` gives with these filters (for paging)."""
    return int(
        con.execute(
            """
            SELECT count(*) FROM audit_saves s LEFT JOIN audit_entries e ON e.save_id = s.save_id
            WHERE ($review IS NULL OR coalesce(e.review, s.review) = $review)
              AND ($subject IS NULL OR e.subject_id = $subject)
            """,
            {"review": review, "subject": subject_id},
        ).fetchall()[0][0]
    )
