"""The committee's minutes "Biên bản họp xét khen thưởng" as a Word skeleton (seed 000
§III.5.a: "Biên bản họp xét khen thưởng của Thường trực Ban Chỉ đạo cải cách hành chính
cấp trình khen"; seed 002 §VI.2: "Biên bản và kết quả bỏ phiếu của Hội đồng thi đua, khen
thưởng"): letterhead and Quốc hiệu, the date, time and place left blank to fill, the
members present, the agenda, the proposed list of each award with the votes recorded
(person judgments: votes_for / council_members, votes_pct), the result of the vote and the
signatures of the chair and the secretary.

The lists are the Word proposal list's (``wordform``): the same awards, forms, categories
and order, so the minutes and the list filed with them never disagree.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

import duckdb

from analytics import fmt
from analytics.exports.achievements import Facts, achievement, subject_facts
from analytics.exports.docx_parts import grid_table, new_document, paragraph, two_blocks
from analytics.exports.wordform import (
    OTHER_FORM,
    award_lists,
    body_of,
    categories_of,
    category_heading,
    in_list,
    letterhead,
    made_line,
    named_with_place,
    proposed_only,
    proposed_rows,
    totals_text,
)
from analytics.plans.models import Category, Plan, Review

if TYPE_CHECKING:
    import pyarrow as pa
    from docx.document import Document

TITLE = "BIÊN BẢN"
BLANK = "……………………………………"
VOTES_BLANK = "……/……"
HEADERS = ("STT", "Tên tập thể / Họ và tên", "Thành tích", "Số phiếu đồng ý")
WIDTHS_CM = (1.1, 5.4, 6.8, 3.2)  # A4 less the margins: 16,5 cm
NOBODY = "Không có tập thể, cá nhân đủ điều kiện đề nghị."
BLANK_MEMBERS = 5  # lines for the members' names when the committee's size is not known
MAX_MEMBER_LINES = 25
SIGNATURES = (
    [("THƯ KÝ", True), ("(Ký, ghi rõ họ tên)", False), ("", False), ("", False)],
    [("CHỦ TRÌ", True), ("(Ký, ghi rõ họ tên)", False), ("", False), ("", False)],
)


def minutes_docx(
    con: duckdb.DuckDBPyConnection,
    table: pa.Table,
    plan: Plan,
    review: Review,
    stamp: dict[str, str],
) -> bytes:
    """The minutes with the facts (achievements, votes) of the proposed read from the store."""
    ids = sorted(set(proposed_only(table).column("subject_id").to_pylist()))
    return minutes_docx_bytes(table, plan, review, stamp, subject_facts(con, plan, review, ids))


def council_size(facts: dict[str, Facts]) -> int | None:
    """The committee's number of members when the recorded votes agree on one, else None."""
    sizes = {f.council_members for f in facts.values() if f.council_members}
    return sizes.pop() if len(sizes) == 1 else None


def votes_cell(f: Facts | None) -> str:
    """'17/20 (85,00 %)', '85,00 %' (the rate only), or blanks to fill in at the meeting."""
    if f is None or f.votes_centi is None:
        return VOTES_BLANK
    rate = fmt.pct(f.votes_centi / 100)
    if f.votes_for is not None and f.council_members:
        return f"{f.votes_for}/{f.council_members} ({rate})"
    return rate


def place_date_blank(plan: Plan) -> str:
    place = plan.dossier.place if plan.dossier and plan.dossier.place else "……"
    return f"{place}, ngày …… tháng …… năm ……"


def basis(plan: Plan) -> str:
    """'Căn cứ Kế hoạch số 11/KH-UBND ngày 15/01/2023 của UBND thị trấn Như Quỳnh về …'."""
    doc = plan.documents[0]
    text = f"Căn cứ {doc.title}"
    if doc.number:
        text += f" số {doc.number}"
    if doc.date:
        text += f" ngày {fmt.date(doc.date)}"
    if doc.issuer:
        text += f" của {doc.issuer}"
    return f"{text};"


def _members(doc: Document, body: str, size: int | None) -> None:
    paragraph(doc, "I. THÀNH PHẦN THAM DỰ", bold=True)
    paragraph(doc, f"- Chủ trì: {BLANK} Chức vụ: {BLANK}")
    paragraph(doc, f"- Thư ký: {BLANK} Chức vụ: {BLANK}")
    total = str(size) if size else "……"
    paragraph(
        doc,
        f"- Thành viên {body}: có mặt ……/{total} thành viên; vắng mặt …… (lý do: {BLANK}).",
    )
    paragraph(doc, "Danh sách thành viên dự họp:", italic=True)
    for i in range(1, min(size or BLANK_MEMBERS, MAX_MEMBER_LINES) + 1):
        paragraph(doc, f"{i}. {BLANK} Chức vụ: {BLANK}")


def _agenda(doc: Document, plan: Plan, review: Review) -> None:
    paragraph(doc, "II. NỘI DUNG", bold=True)
    paragraph(
        doc,
        f"1. Thư ký thông qua {plan.documents[0].short}: tiêu chuẩn, chỉ tiêu khen thưởng "
        f"({review.label}).",
    )
    paragraph(
        doc,
        "2. Xem xét thành tích của các tập thể, cá nhân đủ điều kiện đề nghị khen thưởng "
        "(kết quả Chỉ số cải cách hành chính và đánh giá đã ghi nhận, danh sách dưới đây).",
    )
    paragraph(doc, "3. Bỏ phiếu (biểu quyết) danh sách đề nghị khen thưởng.")


def minutes_docx_bytes(
    table: pa.Table,
    plan: Plan,
    review: Review,
    stamp: dict[str, str],
    facts: dict[str, Facts] | None = None,
) -> bytes:
    """The minutes of the committee's meeting on ``review`` as a .docx document (bytes);
    ``facts`` from ``subject_facts`` for the proposed (without them: names and blanks)."""
    body = body_of(plan)
    doc = new_document()
    letterhead(doc, plan)
    paragraph(doc, place_date_blank(plan), italic=True)
    paragraph(doc, TITLE, bold=True, size=14, center=True)
    paragraph(doc, f"Họp xét khen thưởng — {review.label}", bold=True, center=True)
    paragraph(doc, basis(plan), italic=True)
    paragraph(
        doc,
        "Hôm nay, vào lúc …… giờ …… phút, ngày …… tháng …… năm ……, tại "
        f"{BLANK}, {body} họp xét khen thưởng ({review.label}).",
    )
    _members(doc, body, council_size(facts or {}))
    _agenda(doc, plan, review)
    paragraph(doc, "III. KẾT QUẢ XÉT VÀ BỎ PHIẾU", bold=True)
    by_cat = proposed_rows(table)
    categories = categories_of(plan)
    lists = award_lists(plan, review)
    if not lists:
        paragraph(doc, "Đợt xét này không có hình thức khen thưởng nào theo kế hoạch.")
    all_units: list[str] = []
    all_people: list[str] = []
    for a, (award_id, title, secs, form) in enumerate(lists, start=1):
        paragraph(doc, f"{a}. {title}", bold=True)
        units: list[str] = []
        people: list[str] = []
        for c, sec in enumerate(secs, start=1):
            cat = categories[award_id, sec.category_id]
            mine = by_cat.get((award_id, sec.category_id), [])
            proposed = in_list(mine, form)
            paragraph(doc, f"{a}.{c}. {category_heading(sec, cat)}", italic=True)
            if proposed:
                grid_table(doc, HEADERS, WIDTHS_CM, _rows(proposed, cat, facts, plan, review))
            else:
                paragraph(doc, OTHER_FORM if form is not None and mine else NOBODY)
            units += [r["subject_id"] for r in proposed if r["subject_kind"] == "unit"]
            people += [r["subject_id"] for r in proposed if r["subject_kind"] != "unit"]
        paragraph(
            doc,
            f"Kết quả biểu quyết: ……/…… thành viên có mặt đồng ý đề nghị tặng {title} cho "
            f"{fmt.num(len(set(units)), 0)} tập thể, {fmt.num(len(set(people)), 0)} cá nhân "
            "có tên trên.",
        )
        all_units += units
        all_people += people
    paragraph(doc, "IV. KẾT LUẬN", bold=True)
    paragraph(
        doc,
        f"{body} thống nhất đề nghị khen thưởng theo danh sách trên. "
        + totals_text(all_units, all_people),
    )
    paragraph(
        doc,
        "Cuộc họp kết thúc vào lúc …… giờ …… cùng ngày. Biên bản đã được đọc lại cho các "
        "thành viên dự họp và được thống nhất thông qua.",
    )
    paragraph(doc, made_line(stamp), italic=True, size=10)
    two_blocks(doc, *SIGNATURES)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _rows(
    proposed: list[dict[str, Any]],
    category: Category,
    facts: dict[str, Facts] | None,
    plan: Plan,
    review: Review,
) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for i, row in enumerate(proposed, start=1):
        f = None if facts is None else facts.get(row["subject_id"], Facts())
        out.append(
            (
                str(i),
                named_with_place(row, f),
                achievement(row, category, f, plan, review, with_votes=False),
                votes_cell(f),
            )
        )
    return out
