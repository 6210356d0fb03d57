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
from typing import TYPE_CHECKING, Any

import duckdb

from analytics import fmt, labels
from analytics.exports.achievements import Facts, achievement, subject_facts
from analytics.exports.docx_parts import grid_table, new_document, paragraph, two_blocks
from analytics.plans.models import Category, Plan, Review, Section, group_by_award

if TYPE_CHECKING:
    import pyarrow as pa
    from docx.document import Document

HEADERS = ("STT", "Tên tập thể / Họ và tên", "Thành tích")
WIDTHS_CM = (1.1, 6.6, 8.8)  # A4 less the margins: 16,5 cm
QUOC_HIEU = [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True), ("Độc lập - Tự do - Hạnh phúc", True)]
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
    "variant",
]


def proposal_list_docx(
    con: duckdb.DuckDBPyConnection,
    table: pa.Table,
    plan: Plan,
    review: Review,
    stamp: dict[str, str],
) -> bytes:
    """The proposal list with the facts of its proposed candidates read from the store."""
    ids = proposed_only(table).column("subject_id").to_pylist()
    facts = subject_facts(con, plan, review, sorted(set(ids)))
    return shortlist_docx_bytes(table, plan, review, stamp, facts)


def proposed_only(table: pa.Table) -> pa.Table:
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


def parent_of(plan: Plan) -> str:
    """The authority above the body (letterhead): the plan's, else its jurisdiction."""
    return plan.dossier.parent if plan.dossier and plan.dossier.parent else plan.jurisdiction


def body_of(plan: Plan) -> str:
    """The body that proposes the awards (the committee)."""
    return plan.dossier.body if plan.dossier else DEFAULT_BODY


def letterhead(doc: Document, plan: Plan) -> None:
    """The body under its parent on the left, the Quốc hiệu on the right (Nghị định 30/2020)."""
    two_blocks(doc, [(parent_of(plan).upper(), False), (body_of(plan).upper(), True)], QUOC_HIEU)


def made_line(stamp: dict[str, str]) -> str:
    """The short reference to the data a file was made from: version and time, no codes."""
    version = stamp.get("data_version") or "Phiên bản dữ liệu: không rõ"
    when = stamp.get("exported_at")
    return f"{version} — lập lúc {when}." if when else f"{version}."


def proposed_rows(table: pa.Table) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """The proposed rows by (award, category), each list in rank order."""
    by_cat: dict[tuple[str, str], list[dict[str, Any]]] = {}
    rows = proposed_only(table)
    listed = [c for c in _LISTED if c in rows.column_names]
    for row in rows.select(listed).to_pylist() if rows.num_rows else []:
        by_cat.setdefault((row["award"], row["category"]), []).append(row)
    for rows_ in by_cat.values():
        rows_.sort(key=lambda r: r["rank"])
    return by_cat


def award_lists(plan: Plan, review: Review) -> list[tuple[str, str, list[Section], str | None]]:
    """The lists filed for a review: (award id, title, its sections, form or None), one per
    form when the committee chooses among several (Như Quỳnh: the district's Giấy khen and
    the town's are filed apart, each to its issuer, seed 002 §VI.1–2)."""
    out = []
    for award_id, award_label, secs in group_by_award(plan.sections(review)):
        for form in forms_listed(plan, award_id):
            title = award_label if form is None else plan.form(form).label
            out.append((award_id, title, secs, form))
    return out


def in_list(rows: list[dict[str, Any]], form: str | None) -> list[dict[str, Any]]:
    """The rows of one list: all of them, or those proposed for ``form``."""
    return [r for r in rows if form is None or r["form"] == form]


def categories_of(plan: Plan) -> dict[tuple[str, str], Category]:
    return {(a.id, c.id): c for a in plan.awards for c in a.categories}


def shortlist_docx_bytes(
    table: pa.Table,
    plan: Plan,
    review: Review,
    stamp: dict[str, str],
    facts: dict[str, Facts] | None = None,
) -> bytes:
    """The proposal list of ``review`` as a .docx document (bytes); ``facts`` from
    ``subject_facts`` for the proposed candidates (without it: names and ranks only)."""
    doc = new_document()
    body = body_of(plan)
    letterhead(doc, plan)
    paragraph(doc, "DANH SÁCH", bold=True, size=14, center=True)
    paragraph(doc, "TẬP THỂ, CÁ NHÂN ĐỀ NGHỊ KHEN THƯỞNG", bold=True, size=14, center=True)
    paragraph(doc, f"{plan.title} — {review.label}", center=True)
    paragraph(
        doc,
        "(Kèm theo Tờ trình số ........ ngày .... tháng .... năm ......)",
        italic=True,
        center=True,
    )
    by_cat = proposed_rows(table)
    counts = _status_counts(table)
    categories = categories_of(plan)
    lists = award_lists(plan, review)
    if not lists:
        paragraph(doc, "Đợt xét này không có hình thức khen thưởng nào theo kế hoạch.")
    unit_rows: list[str] = []
    people: list[str] = []
    for a, (award_id, title, award_secs, form) in enumerate(lists, start=1):
        paragraph(doc, f"{roman(a)}. {title}", bold=True)
        for c, sec in enumerate(award_secs, start=1):
            cat = categories[award_id, sec.category_id]
            mine = by_cat.get((award_id, sec.category_id), [])
            proposed = in_list(mine, form)
            count = {
                s: counts.get((award_id, sec.category_id, s), 0) for s in ("reserve", "pending")
            }
            paragraph(doc, f"{c}. {category_heading(sec, cat)}", italic=True)
            if proposed:
                cells = _cells(cat, facts, plan, review)
                grid_table(
                    doc, HEADERS, WIDTHS_CM, [cells(i, r) for i, r in enumerate(proposed, 1)]
                )
            elif form is not None and mine:
                paragraph(doc, OTHER_FORM)
            else:
                paragraph(doc, _nobody(count["reserve"], sec.quota))
            first = form is None or form == forms_listed(plan, award_id)[0]
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
    paragraph(doc, totals_text(unit_rows, people), bold=True)
    _deferred(doc, table)
    paragraph(doc, made_line(stamp), italic=True, size=10)
    two_blocks(
        doc,
        [("NGƯỜI LẬP DANH SÁCH", True), ("(Ký, ghi rõ họ tên)", False)],
        [(f"TM. {body.upper()}", True), ("(Chức vụ, ký, ghi rõ họ tên, đóng dấu)", False)],
    )
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def category_heading(sec: Section, cat: Category) -> str:
    """'Khối sở, ban, ngành (chỉ tiêu 3; thứ tự theo chỉ số trung bình giai đoạn, …)'."""
    order = ", ".join(labels.RANKING_KEYS[k].lower() for k in cat.ranking)
    tail = f"; thứ tự theo {order})" if order else "; không xếp thứ hạng)"
    return f"{sec.category_label} ({labels.quota_text(sec.quota)}{tail}"


def forms_listed(plan: Plan, award_id: str) -> list[str | None]:
    """One list per form when the committee chooses among several (Như Quỳnh: the district's
    and the town's Giấy khen, rules.md §9 v2); else one list (None). Pending cases are
    noted under the first."""
    award = next(a for a in plan.awards if a.id == award_id)
    return list(award.forms) if len(award.forms) > 1 else [None]


def named(row: dict[str, Any]) -> str:
    return labels.named_with_recipient(
        row["subject_id"], row["subject_name"], row.get("recipient_id"), row.get("recipient_name")
    )


def named_with_place(row: dict[str, Any], facts: Facts | None) -> str:
    """The name; a person's with the position and unit on a second line."""
    name = named(row)
    if row["subject_kind"] != "unit" and facts is not None:
        where = ", ".join(x for x in (facts.position, facts.unit_name) if x)
        name = f"{name}\n{where}" if where else name
    return name


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
        cells.append((str(len(cells) + 1), named(r), r["reasons"] or ""))
    grid_table(doc, ("STT", "Tên tập thể / Họ và tên", "Lý do"), WIDTHS_CM, cells)


def _cells(
    category: Category, facts: dict[str, Facts] | None, plan: Plan, review: Review
) -> Callable[[int, dict[str, Any]], tuple[str, ...]]:
    """(STT, row) -> cell texts. The STT runs 1..n in each list (a list per form holds
    some of a category's ranks only)."""

    def cells(stt: int, row: dict[str, Any]) -> tuple[str, ...]:
        f = None if facts is None else facts.get(row["subject_id"], Facts())
        return (
            str(stt),
            named_with_place(row, f),
            achievement(row, category, f, plan, review),
        )

    return cells


def _nobody(reserve: int, quota: int | None) -> str:
    if reserve:  # eligible, but the quota is used up (or 0)
        return (
            f"Không đề nghị: chỉ tiêu {quota}; {fmt.num(reserve, 0)} trường hợp đạt tiêu chuẩn "
            "nhưng ngoài chỉ tiêu."
        )
    return "Không có tập thể, cá nhân đủ điều kiện đề nghị."


def totals_text(unit_rows: list[str], people: list[str]) -> str:
    """Units proposed for two awards (flag and certificate) are counted once, and said so."""
    units = len(set(unit_rows))
    text = f"Tổng cộng: {fmt.num(units, 0)} tập thể"
    if len(unit_rows) != units:
        text += f" ({fmt.num(len(unit_rows), 0)} lượt đề nghị)"
    return f"{text}, {fmt.num(len(set(people)), 0)} cá nhân."


def roman(n: int) -> str:
    out = ""
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out
