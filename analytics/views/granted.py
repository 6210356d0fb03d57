"""The register of awards granted (``awards_granted``: what was actually awarded, after the
decision) as the award page reads it: for the candidates of a review, the earlier awards of
the same subject ("đã được khen thưởng"), and a flag when an earlier award rewarded the
same numbers — another review over exactly the same years (one achievement, one form of
award: rules.md §8). A sơ kết after an annual award is not flagged: its achievement is the
multi-year one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics import fmt
from analytics.ingest.edits import Change, subject_key
from analytics.plans.models import Plan

Connection = duckdb.DuckDBPyConnection


@dataclass(frozen=True)
class Granted:
    subject_id: str
    text: str  # "Bằng khen … (Khen thưởng năm 2023; QĐ số 12/QĐ-UBND ngày 05/06/2024)"
    same_numbers: bool  # the earlier review's window is this review's


def granted_before(con: Connection, plan: Plan, review_id: str) -> list[Granted]:
    """Every award granted in another review of the plan to a subject, for the candidates
    of ``review_id`` to be marked with; those of a review over the same years flagged."""
    review = plan.review(review_id)
    rows = con.execute(
        "SELECT review, award, subject_id, form, decision_no, decided_on, authority "
        "FROM awards_granted WHERE review <> $r ORDER BY subject_id, decided_on NULLS LAST",
        {"r": review_id},
    ).fetchall()
    reviews = {r.id: r for r in plan.reviews}
    awards = {a.id: a.label for a in plan.awards}
    forms = {f.code: f.label for f in plan.forms}
    out = []
    for other, award, subject, form, number, on, authority in rows:
        earlier = reviews.get(other)
        label = forms.get(form or "", "") or awards.get(award, award)
        where = earlier.label if earlier else other
        decision = ", ".join(
            x
            for x in (
                f"QĐ số {number}" if number else "",
                f"ngày {fmt.date(on)}" if on else "",
                authority or "",
            )
            if x
        )
        overlap = earlier is not None and (earlier.window_start, earlier.window_end) == (
            review.window_start,
            review.window_end,
        )
        text = f"{label} ({where}" + (f"; {decision}" if decision else "") + ")"
        out.append(Granted(subject, text, overlap))
    return out


def marks(granted: list[Granted], shortlist: pd.DataFrame) -> pd.DataFrame:
    """The candidates of the shortlist (proposed or reserve first) with an earlier award:
    subject, name, what the review says now, the earlier awards, and the flag."""
    by_subject: dict[str, list[Granted]] = {}
    for g in granted:
        by_subject.setdefault(g.subject_id, []).append(g)
    rows = []
    seen: set[str] = set()
    order = shortlist.sort_values(
        "status", key=lambda s: s.map({"proposed": 0, "reserve": 1}).fillna(2)
    )
    for r in order.itertuples(index=False):
        if r.subject_id in seen or r.subject_id not in by_subject:
            continue
        seen.add(r.subject_id)
        items = by_subject[r.subject_id]
        rows.append(
            {
                "Mã": r.subject_id,
                "Tên": r.subject_name,
                "Đã được khen thưởng": "; ".join(g.text for g in items),
                "Cảnh báo": "đã được khen thưởng cho cùng số liệu (cùng các năm của đợt xét này)"
                if any(g.same_numbers for g in items)
                else "",
            }
        )
    return pd.DataFrame(rows, columns=["Mã", "Tên", "Đã được khen thưởng", "Cảnh báo"])


def changes_for(
    review_id: str,
    award: str,
    subject_id: str,
    *,
    form: str | None,
    decision_no: str,
    decided_on: dt.date | None,
    authority: str,
    recipient_id: str | None = None,
) -> list[Change]:
    """One entry of the register (an award granted by a decision) as the values to save."""
    values = {
        "recipient_id": recipient_id or "",
        "form": form or "",
        "decision_no": decision_no.strip(),
        "decided_on": decided_on.strftime("%d/%m/%Y") if decided_on else "",
        "authority": authority.strip(),
    }
    sid = subject_key(award, subject_id)
    return [Change("awards_granted", review_id, sid, f, v or None) for f, v in values.items()]


def granted_in(con: Connection, plan: Plan, review_id: str) -> dict[str, list[str]]:
    """What the register holds for a review itself: subject id -> the awards granted, as
    texts (the registration's "registered vs achieved")."""
    forms = {f.code: f.label for f in plan.forms}
    awards = {a.id: a.label for a in plan.awards}
    out: dict[str, list[str]] = {}
    for award, subject, form, number, on in con.execute(
        "SELECT award, subject_id, form, decision_no, decided_on FROM awards_granted "
        "WHERE review = $r ORDER BY subject_id, award",
        {"r": review_id},
    ).fetchall():
        label = forms.get(form or "", "") or awards.get(award, award)
        decision = ", ".join(
            x for x in (f"QĐ số {number}" if number else "", fmt.date(on) if on else "") if x
        )
        out.setdefault(subject, []).append(f"{label}" + (f" ({decision})" if decision else ""))
    return out
