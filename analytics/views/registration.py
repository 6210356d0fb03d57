"""Registration for the emulation (đăng ký thi đua, the annex of seed 002): who registered
for which titles and forms, late registrations, and at year end what each registered row
got from the review (registered vs achieved).

The form's columns are the plan's titles and forms that carry a ``registration_column``,
in that order: (1) Số TT, (2) Tập thể, cá nhân, the titles and forms marked X, then Ghi chú.
Rows are in two sections as the annex draws them: I Tập thể (units, and groups of
collectives such as "Các thôn, phố"), II Cá nhân (persons, and groups of persons: a group
whose name speaks of cán bộ, công chức, viên chức, người lao động or cá nhân, such as "Toàn
thể cán bộ, công chức, người lao động UBND"). A unit or person is written by its name.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from analytics import fmt, labels
from analytics.ingest.edits import Change, subject_key
from analytics.plans.models import Plan

Connection = duckdb.DuckDBPyConnection
SECTIONS = (("I", "Tập thể"), ("II", "Cá nhân"))
PERSON_WORDS = ("cán bộ", "công chức", "viên chức", "người lao động", "cá nhân")


@dataclass(frozen=True)
class FormColumn:
    number: int
    code: str
    label: str
    kind: str  # "title" or "form"


@dataclass(frozen=True)
class Registration:
    subject_kind: str
    subject: str  # the id (a unit, a person) or the group's name
    name: str  # as written on the form
    titles: tuple[str, ...]
    forms: tuple[str, ...]
    registered_on: dt.date | None
    note: str | None
    late: bool


def form_columns(plan: Plan) -> list[FormColumn]:
    """The titles and forms of the registration form, by their column number."""
    cols = [
        FormColumn(c.registration_column, c.code, c.label, kind)
        for kind, codes in (("title", plan.titles), ("form", plan.forms))
        for c in codes
        if c.registration_column is not None
    ]
    return sorted(cols, key=lambda c: c.number)


def registrations(con: Connection, plan: Plan, year: int) -> list[Registration]:
    """The year's registrations in the annex's order (sections, then as imported: subject)."""
    due = plan.deadlines.registration_due
    rows = con.execute(
        """
        SELECT r.subject_kind, r.subject, coalesce(u.name, p.full_name, r.subject), r.titles,
            r.forms, r.registered_on, r.note
        FROM registrations r
        LEFT JOIN units u ON r.subject_kind = 'unit' AND u.unit_id = r.subject
        LEFT JOIN people p ON r.subject_kind = 'person' AND p.person_id = r.subject
        WHERE r.year = $y
        ORDER BY CASE r.subject_kind WHEN 'unit' THEN 0 WHEN 'group' THEN 1 ELSE 2 END,
            r.subject_kind, coalesce(u.name, p.full_name, r.subject) COLLATE vi
        """,
        {"y": year},
    ).fetchall()
    out = []
    for kind, subject, name, titles, forms, on, note in rows:
        out.append(
            Registration(
                kind,
                subject,
                name,
                tuple(t for t in (titles or "").split(";") if t),
                tuple(f for f in (forms or "").split(";") if f),
                on,
                note,
                bool(due and on and on > due),
            )
        )
    return out


def form_rows(plan: Plan, regs: list[Registration]) -> list[tuple[str, ...]]:
    """The annex's table body: a heading row per section (I Tập thể, II Cá nhân), then one
    row per registration — (1) the number within its section, (2) the subject, an X under
    each registered title and form, the note (a late registration says so)."""
    cols = form_columns(plan)
    out: list[tuple[str, ...]] = []
    for roman, title in SECTIONS:
        items = [r for r in regs if section_of(r) == roman]
        out.append((roman, title, *("" for _ in cols), ""))
        for i, r in enumerate(items, 1):
            marks = tuple(
                "X" if c.code in (r.titles if c.kind == "title" else r.forms) else "" for c in cols
            )
            note = r.note or ""
            if r.late:
                late = f"đăng ký muộn ({fmt.date(r.registered_on)})"
                note = f"{note}; {late}" if note else late
            out.append((str(i), r.name, *marks, note))
    return out


def section_of(r: Registration) -> str:
    """I (collectives) or II (persons) of the annex."""
    if r.subject_kind == "person":
        return "II"
    if r.subject_kind == "group" and any(w in _key(r.name) for w in PERSON_WORDS):
        return "II"
    return "I"


def form_table(
    plan: Plan, regs: list[Registration]
) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """(headers, body) of the form: the numbers row, then the sections and their rows."""
    return form_headers(plan), [form_numbers(plan), *form_rows(plan, regs)]


def form_headers(plan: Plan) -> tuple[str, ...]:
    return ("Số TT", "Tập thể, cá nhân", *(c.label for c in form_columns(plan)), "Ghi chú")


def form_numbers(plan: Plan) -> tuple[str, ...]:
    """The numbers row under the headers: (1), (2), each column's own number, then the
    next one for Ghi chú — as the annex numbers them."""
    cols = form_columns(plan)
    last = max((c.number for c in cols), default=2)
    return ("(1)", "(2)", *(f"({c.number})" for c in cols), f"({last + 1})")


def registration_frame(plan: Plan, regs: list[Registration]) -> pd.DataFrame:
    """The registrations as a table for the screen: kind, subject, titles and forms in
    words, the date (late ones flagged), the note."""
    names = {c.code: c.label for c in (*plan.titles, *plan.forms)}
    return pd.DataFrame(
        [
            {
                "Loại": labels.SUBJECT_KINDS.get(r.subject_kind, r.subject_kind),
                "Tập thể, cá nhân": r.name,
                "Danh hiệu thi đua": "; ".join(names.get(t, t) for t in r.titles),
                "Hình thức khen thưởng": "; ".join(names.get(f, f) for f in r.forms),
                "Ngày đăng ký": fmt.date(r.registered_on) if r.registered_on else "",
                "Đúng hạn": "đăng ký muộn" if r.late else "đúng hạn",
                "Ghi chú": r.note or "",
            }
            for r in regs
        ],
        columns=[
            "Loại",
            "Tập thể, cá nhân",
            "Danh hiệu thi đua",
            "Hình thức khen thưởng",
            "Ngày đăng ký",
            "Đúng hạn",
            "Ghi chú",
        ],
    )


def _key(text: Any) -> str:
    return unicodedata.normalize("NFC", str(text)).casefold().strip()


def registered_vs_achieved(
    plan: Plan,
    regs: list[Registration],
    shortlist: pd.DataFrame,
    granted: dict[str, list[str]] | None = None,
) -> pd.DataFrame:
    """For each registered row: the forms it registered for, what the review says of the
    same subject (matched by its name or code in the shortlist; a subject the review does
    not evaluate by name — a group, "các thôn, phố" — says so), and what the register of
    awards granted holds for it (``granted``: subject id -> the awards, as texts)."""
    granted = granted or {}
    names = {c.code: c.label for c in (*plan.titles, *plan.forms)}
    awards = {a.id: a.label for a in plan.awards}
    by_subject: dict[str, list[str]] = {}
    for r in shortlist.itertuples(index=False):
        text = f"{awards.get(r.award, r.award)}: {labels.STATUSES.get(r.status, r.status)}"
        for k in (_key(r.subject_name), _key(r.subject_id)):
            by_subject.setdefault(k, []).append(text)
    out = []
    for r in regs:
        results = by_subject.get(_key(r.subject)) or by_subject.get(_key(r.name))
        out.append(
            {
                "Tập thể, cá nhân": r.name,
                "Đã đăng ký": "; ".join(names.get(f, f) for f in (*r.titles, *r.forms)),
                "Kết quả xét": "; ".join(dict.fromkeys(results))
                if results
                else "không có trong danh sách xét theo tên (tập thể, nhóm ghi chung)",
                "Đã khen thưởng": "; ".join(granted.get(r.subject, [])),
            }
        )
    return pd.DataFrame(
        out, columns=["Tập thể, cá nhân", "Đã đăng ký", "Kết quả xét", "Đã khen thưởng"]
    )


def subject_choices(con: Connection, kind: str) -> dict[str, str]:
    """The units or people a registration may name (id -> name, by name); none for a group."""
    sql = {
        "unit": "SELECT unit_id, name FROM units WHERE block IS NOT NULL ORDER BY name COLLATE vi",
        "person": "SELECT person_id, full_name FROM people ORDER BY full_name COLLATE vi",
    }.get(kind)
    return {r[0]: r[1] for r in con.execute(sql).fetchall()} if sql else {}


def changes_for(
    year: int,
    kind: str,
    subject: str,
    titles: list[str],
    forms: list[str],
    registered_on: dt.date | None,
    note: str,
) -> list[Change]:
    """One registration as the values to save (the key: year, kind, subject)."""
    sid = subject_key(kind, subject.strip())
    values = {
        "titles": ";".join(titles),
        "forms": ";".join(forms),
        "registered_on": registered_on.strftime("%d/%m/%Y") if registered_on else "",
        "note": note.strip(),
    }
    return [Change("registrations", str(year), sid, f, v or None) for f, v in values.items()]
