"""The committee's work recorded on screen: judgments, discipline, nominations, votes and
the proposed form, saved as one audited, all-or-nothing transaction — and undone.

A save goes through the import's own validation: the changed rows are written as a small
contract dataset (the key columns and the edited columns, the other edited values of a row
kept as stored) and checked by ``check_dataset`` like any upload, so an on-screen value is
held to exactly the rules of the Excel template. Then, under the store's write lock, the
old values are read, the rows upserted, one audit entry written per value that changed
(who, when, review, subject, field, old → new, the required note) and the store version
bumped. An undo applies a save's old values as a new save (audited, ``undoes`` = that save),
refused when a later save changed one of the same values.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from analytics.access import Actor, require
from analytics.errors import ConflictingChange, UsageError
from analytics.ingest.importer import check_dataset, cleanup_staged
from analytics.ingest.upsert import upsert
from analytics.store import contract
from analytics.store.audit_trail import (
    Entry,
    clean_note,
    later_changes,
    record_save,
    save_entries,
    undone_by,
)
from analytics.store.binding import plan_for_write
from analytics.store.connection import new_scratch, reading_beside, writing_beside
from analytics.store.meta import bump_version

Connection = duckdb.DuckDBPyConnection
Stored = dict[str, dict[tuple[str, str], dict[str, object]]]  # table -> key -> field -> value
# What the committee records on screen, per table. The votes are replaced together (data
# contract): votes_pct follows the counts when both are given, else keeps the given value.
EDITABLE: dict[str, tuple[str, ...]] = {
    "unit_judgments": (
        "head_directs",
        "outstanding",
        "has_initiative",
        "discipline",
        "proposed_form",
    ),
    "person_judgments": (
        "outstanding",
        "has_initiative",
        "initiative_recognized",
        "good_conduct",
        "discipline",
        "votes_for",
        "council_members",
        "votes_pct",
        "is_nominated",
        "proposed_form",
    ),
    # the registration of a year (seed 002 annex), key (year, subject_kind, subject)
    "registrations": ("titles", "forms", "registered_on", "note"),
    # the register of awards granted, key (review, award, subject_id)
    "awards_granted": ("recipient_id", "form", "decision_no", "decided_on", "authority"),
}
MAX_CHANGES = 20_000


def key_columns(table: str) -> tuple[str, ...]:
    """The table's key (contract): its first column is the change's ``review`` (a review
    id, or the year of a registration), the others its ``subject_id``."""
    return contract.TABLES[table].key


def subject_key(*parts: str) -> str:
    """The ``subject_id`` of a change to a table keyed by more than (review, subject): the
    key's other parts joined by ``:`` (codes first, so the last part may hold a ``:``) —
    e.g. a registration ``unit:ubnd-tt``, an award granted ``certificate:snv``."""
    return ":".join(parts)


def key_parts(table: str, review: str, subject_id: str) -> tuple[str, ...]:
    n = len(key_columns(table))
    parts = (review, *subject_id.split(":", n - 2)) if n > 2 else (review, subject_id)
    if len(parts) != n or not all(parts):
        raise UsageError(
            f"khoá {subject_id!r} của bảng {table} không đủ: cần {', '.join(key_columns(table))}"
        )
    return parts


@dataclass(frozen=True)
class Change:
    """One value to record: ``value`` as the template would hold it (``có`` / ``không`` /
    blank for a judgment, a discipline or form code, a count); None or blank = not set."""

    table: str
    review: str
    subject_id: str
    field: str
    value: str | None


@dataclass(frozen=True)
class SaveResult:
    save_id: int | None  # None: nothing differed from the store, nothing written
    entries: tuple[Entry, ...]


def as_text(value: object) -> str | None:
    """A stored value as the audit trail and the CSV keep it (None = not set)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "có" if value else "không"
    return str(value)


def with_together(table: str, fields: list[str]) -> list[str]:
    """``fields`` and the columns replaced together with them (the votes: counts and %)."""
    group = contract.TABLES[table].together
    if set(group) & set(fields):
        return [*dict.fromkeys([*fields, *group])]
    return fields


def _edited_fields(table: str, items: list[Change]) -> list[str]:
    """The table's columns some change edits (in contract order), with their group."""
    return with_together(table, [f for f in EDITABLE[table] if any(c.field == f for c in items)])


def _check_changes(changes: list[Change]) -> None:
    if len(changes) > MAX_CHANGES:
        raise UsageError(f"một lần lưu tối đa {MAX_CHANGES} giá trị (có {len(changes)})")
    seen: set[tuple[str, str, str, str]] = set()
    for c in changes:
        if c.table not in EDITABLE:
            raise UsageError(f"bảng {c.table} không ghi được trên màn hình")
        if c.field not in EDITABLE[c.table]:
            raise UsageError(f"cột {c.field} của bảng {c.table} không ghi được trên màn hình")
        key_parts(c.table, c.review, c.subject_id)
        key = (c.table, c.review, c.subject_id, c.field)
        if key in seen:
            raise UsageError(
                f"giá trị {c.field} của {c.subject_id} được đổi hai lần trong một lần lưu"
            )
        seen.add(key)


def _stored(
    con: Connection, table: str, keys: list[tuple[str, str]], fields: list[str]
) -> dict[tuple[str, str], dict[str, object]]:
    """The stored values of ``fields`` for (review, subject) keys (absent rows left out)."""
    cols = key_columns(table)
    parts = [key_parts(table, *k) for k in keys]
    given = ", ".join(f"unnest($k{i}) AS k{i}" for i in range(len(cols)))
    match = " AND ".join(f"k.k{i} = CAST(t.{c} AS VARCHAR)" for i, c in enumerate(cols))
    rows = con.execute(
        f"SELECT {', '.join('t.' + c for c in cols)}, {', '.join('t.' + f for f in fields)} "
        f"FROM {table} t JOIN (SELECT {given}) k ON {match}",
        {f"k{i}": [p[i] for p in parts] for i in range(len(cols))},
    ).fetchall()
    n = len(cols)
    return {
        (str(r[0]), subject_key(*(str(x) for x in r[1:n]))): dict(zip(fields, r[n:], strict=True))
        for r in rows
    }


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _write_folder(
    folder: Path,
    changes: list[Change],
    stored: Stored,
) -> None:
    """One CSV per table: the key columns and every edited column of that table; a value
    not being changed in a row keeps its stored value."""
    by_table: dict[str, list[Change]] = {}
    for c in changes:
        by_table.setdefault(c.table, []).append(c)
    for table, items in by_table.items():
        fields = _edited_fields(table, items)
        rows: dict[tuple[str, str], dict[str, str]] = {}
        for c in items:
            key = (c.review, c.subject_id)
            if key not in rows:
                old = stored[table].get(key, {})
                rows[key] = {f: _csv_value(old.get(f)) for f in fields}
            rows[key][c.field] = (c.value or "").strip()
        changed = {(c.review, c.subject_id, c.field) for c in items}
        for (review, subject), values in rows.items():
            # counts given: the % follows them (a stored % would contradict new counts)
            if (
                "votes_pct" in values
                and (review, subject, "votes_pct") not in changed
                and values.get("votes_for")
                and values.get("council_members")
            ):
                values["votes_pct"] = ""
        with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow([*key_columns(table), *fields])
            for (review, subject), values in rows.items():
                w.writerow([*key_parts(table, review, subject), *(values[f] for f in fields)])


def _diff(con: Connection, changes: list[Change], before: Stored) -> list[Entry]:
    """One entry per edited value whose stored value differs from before the write."""
    entries = []
    for table in sorted({c.table for c in changes}):
        items = [c for c in changes if c.table == table]
        fields = _edited_fields(table, items)
        keys = [*dict.fromkeys((c.review, c.subject_id) for c in items)]
        after = _stored(con, table, keys, fields)
        for review, subject in keys:
            for f in fields:
                old = as_text(before[table].get((review, subject), {}).get(f))
                new = as_text(after.get((review, subject), {}).get(f))
                if old != new:
                    entries.append(Entry(table, review, subject, f, old, new))
    return entries


def _stored_all(con: Connection, changes: list[Change]) -> Stored:
    out: Stored = {}
    for table in EDITABLE:
        items = [c for c in changes if c.table == table]
        if items:
            keys = [*dict.fromkeys((c.review, c.subject_id) for c in items)]
            out[table] = _stored(con, table, keys, list(EDITABLE[table]))
    return out


def save_changes(
    store_path: Path | str,
    actor: Actor,
    changes: list[Change],
    note: str | None,
    *,
    action: str = "record",
    undoes: int | None = None,
    before_write: Callable[[Connection], None] | None = None,
) -> SaveResult:
    """Record ``changes`` as one audited transaction (editor or admin; a note required).

    Validated like an import (file, row, column messages name the table and the subject);
    nothing is written when anything is wrong, nor when nothing differs from the store.
    ``before_write(con)`` runs inside the write transaction before the upsert (the undo's
    conflict check)."""
    require(actor, "record_judgments")
    text = clean_note(note)
    _check_changes(changes)
    if not changes:
        return SaveResult(None, ())
    reviews = sorted({c.review for c in changes})
    mem = new_scratch()
    try:
        with (
            tempfile.TemporaryDirectory(prefix="thidua-save-") as tmp,
            reading_beside(mem, store_path),
        ):
            chosen = plan_for_write(mem, None)
            if chosen.is_new:
                raise UsageError("kho dữ liệu chưa có dữ liệu: hãy nhập dữ liệu trước")
            _write_folder(Path(tmp), changes, _stored_all(mem, changes))
            raws, _sha = check_dataset(mem, Path(tmp), chosen.plan)
        try:
            with writing_beside(mem, store_path):
                mem.execute("BEGIN TRANSACTION")
                try:
                    if before_write is not None:
                        before_write(mem)
                    before = _stored_all(mem, changes)
                    for raw in raws:
                        upsert(mem, raw)
                    entries = _diff(mem, changes, before)
                    if not entries:
                        mem.execute("ROLLBACK")
                        return SaveResult(None, ())
                    save_id = record_save(
                        mem,
                        actor=actor.login,
                        action=action,
                        review=reviews[0] if len(reviews) == 1 else None,
                        note=text,
                        entries=entries,
                        undoes=undoes,
                    )
                    bump_version(mem)
                    mem.execute("COMMIT")
                except Exception:
                    mem.execute("ROLLBACK")
                    raise
        finally:
            cleanup_staged(mem, raws)
        return SaveResult(save_id, tuple(entries))
    finally:
        mem.close()


def undo_save(store_path: Path | str, actor: Actor, save_id: int, note: str | None) -> SaveResult:
    """Put back the old values of a save, as a new audited save; refused (ConflictingChange)
    when a later save changed one of its values, or when it was already undone."""
    require(actor, "record_judgments")
    mem = new_scratch()
    try:
        with reading_beside(mem, store_path):
            save, entries = save_entries(mem, save_id)
    finally:
        mem.close()
    if save["action"] not in ("record", "undo"):
        raise UsageError(f"lần lưu số {save_id} ({save['action']}) không hoàn tác được ở đây")
    changes = [
        Change(e.table_name, e.review or "", e.subject_id, e.field, e.old_value)
        for e in entries
        if e.table_name in EDITABLE and e.field in EDITABLE[e.table_name]
    ]

    def no_conflict(con: Connection) -> None:
        if (by := undone_by(con, save_id)) is not None:
            raise ConflictingChange(f"lần lưu số {save_id} đã được hoàn tác (lần lưu số {by})")
        later = later_changes(con, save_id)
        if later:
            shown = "; ".join(
                f"{field} của {subject} (lần lưu số {n})" for n, _t, subject, field in later[:5]
            )
            more = f" và {len(later) - 5} giá trị khác" if len(later) > 5 else ""
            raise ConflictingChange(
                f"không hoàn tác được lần lưu số {save_id}: lần lưu sau đã đổi lại {shown}{more}; "
                "hãy sửa trực tiếp các giá trị này"
            )

    return save_changes(
        store_path, actor, changes, note, action="undo", undoes=save_id, before_write=no_conflict
    )
