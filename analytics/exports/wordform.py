"""The Word (.docx) list officials attach to the dossier: the units and people proposed
for each award of a review ("danh sách tập thể, cá nhân đề nghị khen thưởng", seed 000
§III.5.a; seed 002 §VI.2), in plan order, with the numbers that earned their place and
blanks to sign.

Only proposed candidates are listed (what is filed); a category still waiting for data
or judgments says so, so nobody files an incomplete list unawares.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import duckdb

from analytics import fmt, labels
from analytics.exports.docx_parts import grid_table, new_document, paragraph, two_blocks
from analytics.plans.models import Plan, Review, group_by_award
from analytics.rules.measures import measures_ctes, review_params

if TYPE_CHECKING:
    import pyarrow as pa
    from docx.document import Document

HEADERS = ("STT", "Tên tập thể / Họ và tên", "Mã", "Thành tích")
WIDTHS_CM = (1.1, 6.4, 2.2, 6.8)  # A4 less the margins: 16,5 cm
DEFAULT_BODY = "Hội đồng thi đua, khen thưởng"  # a plan without a [dossier] table
OTHER_FORM = "Không có đề nghị theo hình thức này (các đề nghị được liệt kê ở hình thức khác)."
_LISTED = [
    "award",
    "category",
    "subject_id",
    "subject_name",
    "subject_kind",
    "rank",
    "window_avg",
    "recipient_id",
    "recipient_name",
    "form",
]


@dataclass(frozen=True)
class Facts:
    """What the list prints about one candidate besides its name (None = not known)."""

    w_from: int | None = None
    w_to: int | None = None
    window_avg_centi: int | None = None
    components: str | None = None
    comp_end_centi: int | None = None
    comp_prev_centi: int | None = None
    votes_centi: int | None = None
    position: str | None = None
    unit_name: str | None = None


def subject_facts(
    con: duckdb.DuckDBPyConnection, plan: Plan, review: Review, ids: list[str]
) -> dict[str, Facts]:
    """The facts of ``ids`` for ``review``, in one query (the engine's own window measures)."""
    if not ids:
        return {}
    p = review_params(plan, review)
    wanted = p(ids, "subject_ids")
    sql = f"""
WITH {measures_ctes(people=False)}
SELECT subject_id, w_from, w_to, window_avg_centi, advised_components,
    comp_end_centi, comp_prev_centi, NULL::BIGINT, NULL::VARCHAR, NULL::VARCHAR
FROM m_units WHERE list_contains({wanted}, subject_id)
UNION ALL
SELECT p.person_id, NULL, NULL, NULL, p.advised_components, cr.comp_end_centi,
    cr.comp_prev_centi, centi(pj.votes_pct), p.position, u.name
FROM people p
LEFT JOIN units u ON u.unit_id = p.unit_id
LEFT JOIN person_judgments pj ON pj.person_id = p.person_id AND pj.review = $review
LEFT JOIN comp_ratio cr ON cr.cs = p.advised_components
WHERE list_contains({wanted}, p.person_id)
"""
    rows = con.execute(sql, p.used_by(sql)).fetchall()
    return {r[0]: Facts(*r[1:]) for r in rows}


def proposal_list_docx(
    con: duckdb.DuckDBPyConnection,
    table: pa.Table,
    plan: Plan,
    review: Review,
    stamp: dict[str, str],
) -> bytes:
    """The proposal list with the facts of its proposed candidates read from the store."""
    ids = _proposed(table).column("subject_id").to_pylist()
    facts = subject_facts(con, plan, review, sorted(set(ids)))
    return shortlist_docx_bytes(table, plan, review, stamp, facts)


def _proposed(table: pa.Table) -> pa.Table:
    """Only the proposed rows (a handful, even when the review has 200 000 candidates)."""
    import pyarrow.compute as pc

    return table.filter(pc.equal(table["status"], "proposed"))


def _status_counts(table: pa.Table) -> dict[tuple[str, str, str], int]:
    """(award, category, status) -> rows, counted in Arrow rather than row by row."""
    counts = table.group_by(["award", "category", "status"]).aggregate([([], "count_all")])
    names = ("award", "category", "status", "count_all")
    return {
        (a, c, s): n for a, c, s, n in zip(*(counts[x].to_pylist() for x in names), strict=True)
    }


def _pct(centi: int | None) -> str:
    return "chưa có" if centi is None else fmt.pct(centi / 100)


def _achievement(
    row: dict[str, Any], ranking: tuple[str, ...], facts: Facts, plan: Plan, review: Review
) -> str:
    """What earned the place: the number the category ranks by (its first ranking key)."""
    key = ranking[0] if ranking else ""
    if key.startswith("component_"):
        comps = (facts.components or "").replace(";", ", ")
        prev = plan.comparison_year(review)
        return (
            f"Chỉ số thành phần tham mưu ({comps}): năm {plan.effective_end(review)} "
            f"{_pct(facts.comp_end_centi)}, năm {prev if prev is not None else 'so sánh'} "
            f"{_pct(facts.comp_prev_centi)}"
        )
    if key == "votes_pct" and facts.votes_centi is not None:
        return f"Tỷ lệ phiếu bầu: {_pct(facts.votes_centi)}"
    if row["subject_kind"] == "unit" and row["window_avg"] is not None:
        years = (facts.w_from, facts.w_to)
        if None in years:
            years = (review.window_start, review.window_end)
        when = f"năm {years[1]}" if years[0] == years[1] else f"bình quân {years[0]}–{years[1]}"
        return f"Chỉ số CCHC {when}: {fmt.pct(row['window_avg'])}"
    return "Đạt tất cả tiêu chuẩn"


def shortlist_docx_bytes(
    table: pa.Table,
    plan: Plan,
    review: Review,
    stamp: dict[str, str],
    facts: dict[str, Facts] | None = None,
) -> bytes:
    """The proposal list of ``review`` as a .docx document (bytes); ``facts`` from
    ``subject_facts`` for the proposed candidates (without it: names and ranks only)."""
    facts = facts or {}
    doc = new_document()
    parent = plan.dossier.parent if plan.dossier and plan.dossier.parent else plan.jurisdiction
    body = plan.dossier.body if plan.dossier else DEFAULT_BODY
    two_blocks(
        doc,
        [(parent.upper(), False), (body.upper(), True)],
        [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True), ("Độc lập - Tự do - Hạnh phúc", True)],
    )
    paragraph(doc, "DANH SÁCH", bold=True, size=14, center=True)
    paragraph(doc, "TẬP THỂ, CÁ NHÂN ĐỀ NGHỊ KHEN THƯỞNG", bold=True, size=14, center=True)
    paragraph(doc, f"{plan.title} — {review.label}", center=True)
    paragraph(
        doc,
        "(Kèm theo Tờ trình số ........ ngày .... tháng .... năm ......)",
        italic=True,
        center=True,
    )
    by_cat: dict[tuple[str, str], list[dict[str, Any]]] = {}
    proposed_rows = _proposed(table)
    for row in proposed_rows.select(_LISTED).to_pylist() if proposed_rows.num_rows else []:
        by_cat.setdefault((row["award"], row["category"]), []).append(row)
    counts = _status_counts(table)
    categories = {(a.id, c.id): c for a in plan.awards for c in a.categories}
    secs = plan.sections(review)
    if not secs:
        paragraph(doc, "Đợt xét này không có hình thức khen thưởng nào theo kế hoạch.")
    unit_rows: list[str] = []
    people: list[str] = []
    lists = [
        (award_id, award_label, award_secs, form)
        for award_id, award_label, award_secs in group_by_award(secs)
        for form in _forms_listed(plan, award_id)
    ]
    for a, (award_id, award_label, award_secs, form) in enumerate(lists, start=1):
        title = award_label if form is None else f"{award_label}: {plan.form(form).label}"
        paragraph(doc, f"{_roman(a)}. {title}", bold=True)
        for c, sec in enumerate(award_secs, start=1):
            cat = categories[award_id, sec.category_id]
            proposed = sorted(
                (
                    r
                    for r in by_cat.get((award_id, sec.category_id), [])
                    if form is None or r["form"] == form
                ),
                key=lambda r: r["rank"],
            )
            count = {
                s: counts.get((award_id, sec.category_id, s), 0) for s in ("reserve", "pending")
            }
            heading = f"{c}. {sec.category_label} ({labels.quota_text(sec.quota)}"
            order = ", ".join(labels.RANKING_KEYS[k].lower() for k in cat.ranking)
            heading += f"; thứ tự theo {order})" if order else "; thứ tự theo mã)"
            paragraph(doc, heading, italic=True)
            others = form is not None and bool(by_cat.get((award_id, sec.category_id)))
            if proposed:
                cells = _cells(cat.ranking, facts, plan, review)
                grid_table(
                    doc, HEADERS, WIDTHS_CM, [cells(i, r) for i, r in enumerate(proposed, 1)]
                )
            elif others:
                paragraph(doc, OTHER_FORM)
            else:
                paragraph(doc, _nobody(count["reserve"], sec.quota))
            first = form is None or form == _forms_listed(plan, award_id)[0]
            waiting = count["pending"] if first else 0  # noted once per category
            if waiting:
                paragraph(
                    doc,
                    f"Lưu ý: còn {fmt.num(waiting, 0)} trường hợp chưa đủ dữ liệu hoặc chưa được "
                    "đánh giá; danh sách có thể thay đổi.",
                    italic=True,
                )
            unit_rows += [r["subject_id"] for r in proposed if r["subject_kind"] == "unit"]
            people += [r["subject_id"] for r in proposed if r["subject_kind"] != "unit"]
    paragraph(doc, _totals(unit_rows, people), bold=True)
    _deferred(doc, table)
    paragraph(
        doc,
        f"Lập từ Thi đua CCHC: kế hoạch {stamp.get('plan_id', plan.id)}, đợt xét "
        f"{stamp.get('review_id', review.id)}, phiên bản dữ liệu {stamp.get('data_version', '—')}, "
        f"lúc {stamp.get('exported_at', '—')}.",
        italic=True,
        size=10,
    )
    two_blocks(
        doc,
        [("NGƯỜI LẬP DANH SÁCH", True), ("(Ký, ghi rõ họ tên)", False)],
        [(f"TM. {body.upper()}", True), ("(Chức vụ, ký, ghi rõ họ tên, đóng dấu)", False)],
    )
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _forms_listed(plan: Plan, award_id: str) -> list[str | None]:
    """One list per form when the committee chooses among several (Như Quỳnh: the district's
    and the town's Giấy khen, rules.md §9 v2); else one list (None). Pending cases are
    noted under the first."""
    award = next(a for a in plan.awards if a.id == award_id)
    return list(award.forms) if len(award.forms) > 1 else [None]


def _named(row: dict[str, Any]) -> str:
    return labels.named_with_recipient(
        row["subject_id"], row["subject_name"], row.get("recipient_id"), row.get("recipient_name")
    )


def _deferred(doc: Document, table: pa.Table) -> None:
    """The deferred candidates, listed apart from the proposals (rules.md §6)."""
    import pyarrow.compute as pc

    rows = table.filter(pc.equal(table["status"], "deferred"))
    if not rows.num_rows:
        return
    paragraph(
        doc,
        "Các trường hợp chưa xét khen thưởng (không thuộc danh sách đề nghị; xét lại khi đã có "
        "kết luận):",
        bold=True,
    )
    listed = rows.select(
        ["subject_id", "subject_name", "recipient_id", "recipient_name", "reasons"]
    )
    seen: set[str] = set()
    cells: list[tuple[str, ...]] = []
    for r in listed.to_pylist():
        if r["subject_id"] in seen:
            continue  # one line per subject, whatever the number of categories
        seen.add(r["subject_id"])
        cells.append((str(len(cells) + 1), _named(r), r["subject_id"], r["reasons"] or ""))
    grid_table(doc, ("STT", "Tên tập thể / Họ và tên", "Mã", "Lý do"), WIDTHS_CM, cells)


def _cells(
    ranking: tuple[str, ...], facts: dict[str, Facts], plan: Plan, review: Review
) -> Callable[[int, dict[str, Any]], tuple[str, ...]]:
    """(STT, row) -> cell texts. The STT runs 1..n in each list (a list per form holds
    some of a category's ranks only)."""

    def cells(stt: int, row: dict[str, Any]) -> tuple[str, ...]:
        f = facts.get(row["subject_id"], Facts())
        name = _named(row)
        if row["subject_kind"] != "unit":
            where = ", ".join(x for x in (f.position, f.unit_name) if x)
            name = f"{name}\n{where}" if where else name
        return (
            str(stt),
            name,
            row["subject_id"],
            _achievement(row, ranking, f, plan, review),
        )

    return cells


def _nobody(reserve: int, quota: int | None) -> str:
    if reserve:  # eligible, but the quota is used up (or 0)
        return (
            f"Không đề nghị: chỉ tiêu {quota}; {fmt.num(reserve, 0)} trường hợp đạt tiêu chuẩn "
            "nhưng ngoài chỉ tiêu."
        )
    return "Không có tập thể, cá nhân đủ điều kiện đề nghị."


def _totals(unit_rows: list[str], people: list[str]) -> str:
    """Units proposed for two awards (flag and certificate) are counted once, and said so."""
    units = len(set(unit_rows))
    text = f"Tổng cộng: {fmt.num(units, 0)} tập thể"
    if len(unit_rows) != units:
        text += f" ({fmt.num(len(unit_rows), 0)} lượt đề nghị)"
    return f"{text}, {fmt.num(len(set(people)), 0)} cá nhân."


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out
