"""The Word (.docx) list officials attach to the dossier: the units and people proposed
for each award of a review ("danh sách tập thể, cá nhân đề nghị khen thưởng", seed 000
§III.5.a; seed 002 §VI.2), in plan order, with the numbers that earned their place and
blanks to sign.

Only proposed candidates are listed (what is filed); a category still waiting for data
or judgments says so, so nobody files an incomplete list unawares.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from analytics import awards, fmt, labels
from analytics.measures import measures_ctes, review_params
from analytics.plans import Plan, Review

if TYPE_CHECKING:
    import pyarrow as pa

HEADERS = ("STT", "Tên tập thể / Họ và tên", "Mã", "Thành tích")
WIDTHS_CM = (1.1, 6.4, 2.2, 6.8)  # A4 less the margins: 16,5 cm
DEFAULT_BODY = "Hội đồng thi đua, khen thưởng"  # a plan without a [dossier] table
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


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


def subject_facts(con, plan: Plan, review: Review, ids: list[str]) -> dict[str, Facts]:
    """The facts of ``ids`` for ``review``, in one query (the engine's own window measures)."""
    if not ids:
        return {}
    p = review_params(plan, review)
    sql = f"""
WITH {measures_ctes(people=False)}
SELECT subject_id, w_from, w_to, window_avg_centi, advised_components,
    comp_end_centi, comp_prev_centi, NULL::BIGINT, NULL::VARCHAR, NULL::VARCHAR
FROM m_units WHERE list_contains({p(ids)}, subject_id)
UNION ALL
SELECT p.person_id, NULL, NULL, NULL, p.advised_components, cr.comp_end_centi,
    cr.comp_prev_centi, CAST(pj.votes_pct * 100 AS BIGINT), p.position, u.name
FROM people p
LEFT JOIN units u ON u.unit_id = p.unit_id
LEFT JOIN person_judgments pj ON pj.person_id = p.person_id AND pj.review = $review
LEFT JOIN comp_ratio cr ON cr.cs = p.advised_components
WHERE list_contains({p(ids)}, p.person_id)
"""
    rows = con.execute(sql, p.values).fetchall()
    return {r[0]: Facts(*r[1:]) for r in rows}


def proposal_list_docx(con, table: pa.Table, plan: Plan, review: Review, stamp: dict) -> bytes:
    """The proposal list with the facts of its proposed candidates read from the store."""
    proposed = (
        [
            r["subject_id"]
            for r in table.select(["subject_id", "status"]).to_pylist()
            if r["status"] == "proposed"
        ]
        if table.num_rows
        else []
    )
    facts = subject_facts(con, plan, review, sorted(set(proposed)))
    return shortlist_docx_bytes(table, plan, review, stamp, facts)


def _pct(centi: int | None) -> str:
    return "chưa có" if centi is None else fmt.pct(centi / 100)


def _achievement(row: dict, ranking: tuple[str, ...], facts: Facts, review: Review) -> str:
    """What earned the place: the number the category ranks by (its first ranking key)."""
    key = ranking[0] if ranking else ""
    if key.startswith("component_"):
        comps = (facts.components or "").replace(";", ", ")
        return (
            f"Chỉ số thành phần tham mưu ({comps}): năm {review.window_end} "
            f"{_pct(facts.comp_end_centi)}, năm {review.window_end - 1} "
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


def _clean(text: str) -> str:
    """Text Word can store: control characters a store of older imports may hold are dropped."""
    return _XML_ILLEGAL.sub("", text)


def _paragraph(doc, text: str, *, bold=False, italic=False, size=None, center=False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    par = doc.add_paragraph()
    run = par.add_run(_clean(text))
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    if center:
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return par


def _two_blocks(doc, left: list[tuple[str, bool]], right: list[tuple[str, bool]]) -> None:
    """Two centred blocks of (line, bold) side by side, no borders (letterhead, signatures)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    grid = doc.add_table(rows=1, cols=2)
    for cell, lines in zip(grid.rows[0].cells, (left, right), strict=True):
        for i, (line, bold) in enumerate(lines):
            par = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            run = par.add_run(_clean(line))
            run.bold = bold
            run.italic = line.startswith("(")
            par.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _category_table(doc, rows: list[dict], cells_of) -> None:
    from docx.oxml import OxmlElement
    from docx.shared import Cm

    grid = doc.add_table(rows=1, cols=len(HEADERS))
    grid.style = "Table Grid"
    grid.autofit = False
    for cell, text in zip(grid.rows[0].cells, HEADERS, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page of a long list
    grid.rows[0]._tr.get_or_add_trPr().append(repeat)
    for row in rows:
        for cell, text in zip(grid.add_row().cells, cells_of(row), strict=True):
            cell.text = _clean(text)
    for column, width in zip(grid.columns, WIDTHS_CM, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def _new_document():
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    page = doc.sections[0]  # A4 with the margins of official documents (Nghị định 30/2020)
    page.page_width, page.page_height = Cm(21), Cm(29.7)
    page.top_margin = page.bottom_margin = Cm(2)
    page.left_margin, page.right_margin = Cm(3), Cm(1.5)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    normal.paragraph_format.space_after = Pt(3)
    lang = OxmlElement("w:lang")  # spelling and hyphenation in Vietnamese, not en-US
    lang.set(qn("w:val"), "vi-VN")
    normal.element.get_or_add_rPr().append(lang)
    return doc


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
    doc = _new_document()
    parent = plan.dossier.parent if plan.dossier and plan.dossier.parent else plan.jurisdiction
    body = plan.dossier.body if plan.dossier else DEFAULT_BODY
    _two_blocks(
        doc,
        [(parent.upper(), False), (body.upper(), True)],
        [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True), ("Độc lập - Tự do - Hạnh phúc", True)],
    )
    _paragraph(doc, "DANH SÁCH", bold=True, size=14, center=True)
    _paragraph(doc, "TẬP THỂ, CÁ NHÂN ĐỀ NGHỊ KHEN THƯỞNG", bold=True, size=14, center=True)
    _paragraph(doc, f"{plan.title} — {review.label}", center=True)
    _paragraph(
        doc,
        "(Kèm theo Tờ trình số ........ ngày .... tháng .... năm ......)",
        italic=True,
        center=True,
    )
    rows = table.to_pylist() if table.num_rows else []
    by_cat: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        by_cat.setdefault((row["award"], row["category"]), []).append(row)
    categories = {(a.id, c.id): c for a in plan.awards for c in a.categories}
    secs = awards.sections(plan, review)
    if not secs:
        _paragraph(doc, "Đợt xét này không có hình thức khen thưởng nào theo kế hoạch.")
    unit_rows: list[str] = []
    people: list[str] = []
    for a, (award_id, award_label, award_secs) in enumerate(awards.by_award(secs), start=1):
        _paragraph(doc, f"{_roman(a)}. {award_label}", bold=True)
        for c, sec in enumerate(award_secs, start=1):
            cat = categories[award_id, sec.category_id]
            mine = by_cat.get((award_id, sec.category_id), [])
            proposed = sorted(
                (r for r in mine if r["status"] == "proposed"), key=lambda r: r["rank"]
            )
            heading = f"{c}. {sec.category_label} ({awards.quota_text(sec.quota)}"
            order = ", ".join(labels.RANKING_KEYS[k].lower() for k in cat.ranking)
            heading += f"; thứ tự theo {order})" if order else "; thứ tự theo mã)"
            _paragraph(doc, heading, italic=True)
            if proposed:
                _category_table(doc, proposed, _cells(cat.ranking, facts, review))
            else:
                _paragraph(doc, _nobody(mine, sec.quota))
            waiting = sum(r["status"] == "pending" for r in mine)
            if waiting:
                _paragraph(
                    doc,
                    f"Lưu ý: còn {fmt.num(waiting, 0)} trường hợp chưa đủ dữ liệu hoặc chưa được "
                    "đánh giá; danh sách có thể thay đổi.",
                    italic=True,
                )
            unit_rows += [r["subject_id"] for r in proposed if r["subject_kind"] == "unit"]
            people += [r["subject_id"] for r in proposed if r["subject_kind"] != "unit"]
    _paragraph(doc, _totals(unit_rows, people), bold=True)
    _paragraph(
        doc,
        f"Lập từ Thi đua CCHC: kế hoạch {stamp.get('plan_id', plan.id)}, đợt xét "
        f"{stamp.get('review_id', review.id)}, phiên bản dữ liệu {stamp.get('data_version', '—')}, "
        f"lúc {stamp.get('exported_at', '—')}.",
        italic=True,
        size=10,
    )
    _two_blocks(
        doc,
        [("NGƯỜI LẬP DANH SÁCH", True), ("(Ký, ghi rõ họ tên)", False)],
        [(f"TM. {body.upper()}", True), ("(Chức vụ, ký, ghi rõ họ tên, đóng dấu)", False)],
    )
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _cells(ranking: tuple[str, ...], facts: dict[str, Facts], review: Review):
    """Row -> cell texts. Proposed ranks run 1..n, so the STT is the rank."""

    def cells(row: dict) -> tuple[str, ...]:
        f = facts.get(row["subject_id"], Facts())
        name = row["subject_name"]
        if row["subject_kind"] != "unit":
            where = ", ".join(x for x in (f.position, f.unit_name) if x)
            name = f"{name}\n{where}" if where else name
        return (str(row["rank"]), name, row["subject_id"], _achievement(row, ranking, f, review))

    return cells


def _nobody(rows: list[dict], quota: int | None) -> str:
    reserve = sum(r["status"] == "reserve" for r in rows)
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
