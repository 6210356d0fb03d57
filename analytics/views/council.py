"""The council's editor (Hội đồng xét): the candidates of a review with the values the
committee records — judgments as Đạt / Không đạt / Chưa xác nhận, discipline, nomination,
votes, the proposed form — and the edits of that table turned into ``Change``s to save.

Candidates are the subjects the review's shortlist evaluates (every unit or person of its
categories), with what the shortlist says of them now; the values come from the store's
``unit_judgments`` / ``person_judgments`` rows of the review (none yet: Chưa xác nhận).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from analytics import fmt, labels
from analytics.ingest.edits import EDITABLE, Change, key_columns
from analytics.plans.models import Plan

Connection = duckdb.DuckDBPyConnection
YES, NO, UNSET = "Đạt", "Không đạt", "Chưa xác nhận"
TRI_STATE = (YES, NO, UNSET)
NOMINATED = {True: "Có", False: "Rút đề cử", None: "Chưa xác nhận"}
BOOL_FIELDS = {
    "head_directs",
    "outstanding",
    "has_initiative",
    "initiative_recognized",
    "good_conduct",
}
COUNT_FIELDS = {"votes_for", "council_members"}
FIELD_LABELS = labels.RECORDED_FIELDS
# the fields shown per table (votes_pct follows the counts and is not edited here)
SHOWN: dict[str, tuple[str, ...]] = {
    t: tuple(f for f in EDITABLE[t] if f != "votes_pct")
    for t in ("unit_judgments", "person_judgments")
}
TABLE_OF_KIND = {"unit": "unit_judgments", "person": "person_judgments"}


@dataclass(frozen=True)
class Column:
    """One editable column: its code, label, kind (tri / select / count) and options."""

    field: str
    label: str
    kind: str
    options: tuple[str, ...] = ()


def columns(plan: Plan, kind: str) -> list[Column]:
    table = TABLE_OF_KIND[kind]
    out = []
    for f in SHOWN[table]:
        if f in BOOL_FIELDS:
            out.append(Column(f, FIELD_LABELS[f], "tri", TRI_STATE))
        elif f == "is_nominated":
            out.append(Column(f, FIELD_LABELS[f], "select", tuple(NOMINATED.values())))
        elif f == "discipline":
            out.append(Column(f, FIELD_LABELS[f], "select", tuple(labels.DISCIPLINE.values())))
        elif f == "proposed_form":
            out.append(Column(f, FIELD_LABELS[f], "select", ("", *(x.label for x in plan.forms))))
        else:
            out.append(Column(f, FIELD_LABELS[f], "count"))
    return out


def _shown(field: str, value: Any, plan: Plan) -> Any:
    """A stored value as the editor shows it."""
    missing = value is None or (isinstance(value, float) and math.isnan(value))
    if field in BOOL_FIELDS:
        return UNSET if missing else (YES if value else NO)
    if field == "is_nominated":
        return NOMINATED[None if missing else bool(value)]
    if field == "discipline":
        return labels.DISCIPLINE["none" if missing else value]
    if field == "proposed_form":
        return "" if missing else next((f.label for f in plan.forms if f.code == value), value)
    return None if missing else int(value)


def _stored(field: str, shown: Any, plan: Plan) -> str | None:
    """An editor cell back as the template would hold it (blank = not set)."""
    if shown is None or (isinstance(shown, float) and math.isnan(shown)) or shown == "":
        return None
    if field in BOOL_FIELDS:
        return {YES: "có", NO: "không", UNSET: None}[shown]
    if field == "is_nominated":
        return {"Có": "có", "Rút đề cử": "không", "Chưa xác nhận": None}[shown]
    if field == "discipline":
        code = next(k for k, v in labels.DISCIPLINE.items() if v == shown)
        return None if code == "none" else code
    if field == "proposed_form":
        return next((f.code for f in plan.forms if f.label == shown), str(shown))
    return str(int(shown))


def candidates(
    con: Connection, plan: Plan, review_id: str, shortlist: pd.DataFrame, kind: str
) -> pd.DataFrame:
    """One row per candidate of ``kind`` (unit / person) of the review: id, name, what the
    shortlist says now (award: status, per category), then the editable fields (shown
    values), in the shortlist's order."""
    table = TABLE_OF_KIND[kind]
    fields = SHOWN[table]
    rows = shortlist[shortlist["subject_kind"] == kind]
    result: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for r in rows.itertuples(index=False):
        names.setdefault(r.subject_id, r.subject_name)
        award = next((a for a in plan.awards if a.id == r.award), None)
        label = award.label if award else r.award
        result.setdefault(r.subject_id, []).append(
            f"{label}: {labels.STATUSES.get(r.status, r.status)}"
        )
    stored = con.execute(
        f"SELECT {key_columns(table)[1]} AS subject_id, {', '.join(fields)} FROM {table} "
        "WHERE review = $r",
        {"r": review_id},
    ).df()
    by_id = {str(r["subject_id"]): r for r in stored.to_dict("records")}
    out = []
    for sid, name in names.items():
        row: dict[str, Any] = {"subject_id": sid, "subject_name": name}
        row["result"] = "; ".join(dict.fromkeys(result[sid]))
        have = by_id.get(sid, {})
        for f in fields:
            row[f] = _shown(f, have.get(f), plan)
        out.append(row)
    return pd.DataFrame(out, columns=["subject_id", "subject_name", "result", *fields])


def changes_between(
    plan: Plan, review_id: str, kind: str, before: pd.DataFrame, after: pd.DataFrame
) -> list[Change]:
    """The values the editor changed (rows matched by subject id), as changes to save."""
    table = TABLE_OF_KIND[kind]
    old = before.set_index("subject_id")
    out = []
    for r in after.to_dict("records"):
        sid = r["subject_id"]
        if sid not in old.index:
            continue
        for f in SHOWN[table]:
            a, b = _stored(f, old.at[sid, f], plan), _stored(f, r.get(f), plan)
            if a != b:
                out.append(Change(table, review_id, sid, f, b))
    return out


def bulk_changes(
    plan: Plan, review_id: str, kind: str, subjects: list[str], field: str, shown: Any
) -> list[Change]:
    """The same value of one field for a selection of candidates."""
    table = TABLE_OF_KIND[kind]
    if field not in SHOWN[table]:
        raise ValueError(field)
    value = _stored(field, shown, plan)
    return [Change(table, review_id, s, field, value) for s in subjects]


def filtered(frame: pd.DataFrame, text: str) -> pd.DataFrame:
    """The candidates whose id or name contains ``text`` (any case); all when blank."""
    needle = text.strip().casefold()
    if not needle:
        return frame
    mask = frame["subject_id"].str.casefold().str.contains(needle, regex=False) | frame[
        "subject_name"
    ].str.casefold().str.contains(needle, regex=False)
    return frame[mask].reset_index(drop=True)


def proposed(shortlist: pd.DataFrame) -> dict[str, str]:
    """The proposed subjects of a shortlist (id -> name, told apart without the id when two
    share a name), in the shortlist's order."""
    rows = shortlist[shortlist["status"] == "proposed"]
    return fmt.unique_names(dict(zip(rows["subject_id"], rows["subject_name"], strict=True)))
