"""The dossier deadline of a review (hạn nộp hồ sơ đề nghị khen thưởng).

Sóc Trăng (seed 000 §III.5.b, rules.md §8): within ``dossier_days_after_publication``
days of the publication of the review's end-year PAR Index. Như Quỳnh (seed 002 §VI.2):
a fixed date. A fixed date on the review wins over the plan's; a plan without either
rule, or a publication date not yet imported, gives an unknown deadline that says why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from analytics import clock, fmt
from analytics.plans.citations import cite
from analytics.plans.models import Plan, Review


@dataclass(frozen=True)
class Deadline:
    """When the dossier is due, from what, and how many days remain (negative = overdue)."""

    due: dt.date | None
    publication: dt.date | None
    days_left: int | None
    basis: str
    source: str = ""  # the plan's rule, cited in words ("Kế hoạch …, mục III.5.b")

    @property
    def is_known(self) -> bool:
        return self.due is not None

    @property
    def is_overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    def days_metric(self) -> tuple[str, str]:
        """(label, value) for a compact metric: ('Còn lại', '46 ngày') / ('Đã quá hạn', '3 ngày')."""
        if self.days_left is None:
            return "Còn lại", "—"
        if self.days_left < 0:
            return "Đã quá hạn", f"{-self.days_left} ngày"
        if self.days_left == 0:
            return "Hạn chót", "hôm nay"
        return "Còn lại", f"{self.days_left} ngày"

    def days_text(self) -> str:
        """'còn 12 ngày' / 'hạn chót hôm nay' / 'đã quá hạn 3 ngày' / '—'."""
        if self.days_left is None:
            return "—"
        if self.days_left > 0:
            return f"còn {self.days_left} ngày"
        if self.days_left == 0:
            return "hạn chót hôm nay"
        return f"đã quá hạn {-self.days_left} ngày"


def publication_date(con: duckdb.DuckDBPyConnection, year: int) -> dt.date | None:
    """The publication date of a year's PAR Index, if imported."""
    rows = con.execute(
        "SELECT published_on FROM publications WHERE year = $year", {"year": year}
    ).fetchall()
    return rows[0][0] if rows else None


def dossier_deadline(
    con: duckdb.DuckDBPyConnection, plan: Plan, review: Review | str, today: dt.date
) -> Deadline:
    """The dossier due date of ``review`` and the days left counted from ``today``."""
    if isinstance(review, str):
        review = plan.review(review)
    year = plan.effective_end(review)
    if year is None:
        return Deadline(None, None, None, "Đợt xét không có năm nào được đánh giá Chỉ số CCHC.")
    publication = publication_date(con, year)
    fixed = review.dossier_due or plan.deadlines.dossier_due
    if fixed is not None:
        where = "đợt xét" if review.dossier_due is not None else "kế hoạch"
        basis = f"Hạn cố định theo {where}: {fmt.date(fixed)}"
        return Deadline(
            fixed, publication, (fixed - today).days, basis, cite(plan, plan.deadlines.source)
        )
    days = plan.deadlines.dossier_days_after_publication
    if days is None:
        return Deadline(None, publication, None, "Kế hoạch không quy định hạn nộp hồ sơ.")
    if publication is None:
        basis = (
            f"Chưa có ngày công bố Chỉ số CCHC năm {year}: hạn nộp là {days} ngày kể từ ngày "
            f"công bố. Nhập ngày công bố (tệp publications.csv) ở trang Dữ liệu."
        )
        return Deadline(None, None, None, basis, cite(plan, plan.deadlines.source))
    due = publication + dt.timedelta(days=days)
    basis = f"{days} ngày kể từ ngày công bố Chỉ số CCHC năm {year} ({fmt.date(publication)})"
    return Deadline(due, publication, (due - today).days, basis, cite(plan, plan.deadlines.source))


def decision_date(
    con: duckdb.DuckDBPyConnection, plan: Plan, review: Review | str
) -> dt.date | None:
    """When the review is decided (rules.md §8 v2): the plan's ``decided_on``, else the
    dossier due date; None when neither is known (recipients are then unknown)."""
    if isinstance(review, str):
        review = plan.review(review)
    if review.decided_on is not None:
        return review.decided_on
    return dossier_deadline(con, plan, review, clock.today()).due
