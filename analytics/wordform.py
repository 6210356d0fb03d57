"""The Word (.docx) list officials attach to the dossier: the units and people proposed
for each award of a review ("danh sách tập thể, cá nhân đề nghị khen thưởng", seed 000
§III.5.a; seed 002 §VI.2), in plan order, with their numbers and blanks to sign.

Only proposed candidates are listed (what is filed); a category still waiting for data
or the committee's judgment says so, so nobody files an incomplete list unawares.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from analytics import awards, fmt
from analytics.plans import Plan, Review

if TYPE_CHECKING:
    import pyarrow as pa

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
HEADERS = ("STT", "Tên tập thể / Họ và tên", "Mã", "Thành tích", "Xếp thứ")
WIDTHS_CM = (1.1, 6.0, 2.2, 5.6, 1.6)  # A4 less margins: 16,5 cm
DEFAULT_BODY = "Hội đồng thi đua, khen thưởng"  # a plan without a [dossier] table


def _achievement(row: dict, review: Review) -> str:
    """What earned the place: the unit's index over the window, or the criteria met."""
    if row["subject_kind"] != "unit" or row["window_avg"] is None:
        return "Đạt tất cả tiêu chuẩn"
    if review.window_start == review.window_end:
        return f"Chỉ số CCHC năm {review.window_end}: {fmt.pct(row['window_avg'])}"
    return f"Chỉ số CCHC bình quân giai đoạn: {fmt.pct(row['window_avg'])}"


def _rows_by_category(table: pa.Table) -> dict[tuple[str, str], list[dict]]:
    cols = ("award", "category", "subject_id", "subject_name", "subject_kind", "status")
    out: dict[tuple[str, str], list[dict]] = {}
    wanted = table.select([*cols, "rank", "window_avg"]).to_pylist() if table.num_rows else []
    for row in wanted:
        out.setdefault((row["award"], row["category"]), []).append(row)
    return out


def _paragraph(doc, text: str, *, bold=False, italic=False, size=None, center=False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    par = doc.add_paragraph()
    run = par.add_run(text)
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    if center:
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return par


def _two_blocks(doc, left: list[str], right: list[str]) -> None:
    """Two centred blocks side by side, no borders (letterhead, signatures)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    grid = doc.add_table(rows=1, cols=2)
    for cell, lines in zip(grid.rows[0].cells, (left, right), strict=True):
        cell.paragraphs[0].text = ""
        for i, line in enumerate(lines):
            par = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            run = par.add_run(line)
            run.bold = line.isupper()
            run.italic = line.startswith("(")
            par.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _category_table(doc, rows: list[dict], review: Review) -> None:
    from docx.oxml import OxmlElement
    from docx.shared import Cm

    grid = doc.add_table(rows=1, cols=len(HEADERS))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, HEADERS, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page of a long list
    grid.rows[0]._tr.get_or_add_trPr().append(repeat)
    for i, row in enumerate(rows, start=1):
        cells = grid.add_row().cells
        values = (
            str(i),
            row["subject_name"],
            row["subject_id"],
            _achievement(row, review),
            str(row["rank"]),
        )
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    for column, width in zip(grid.columns, WIDTHS_CM, strict=True):
        for cell in column.cells:
            cell.width = Cm(width)


def shortlist_docx_bytes(
    table: pa.Table, plan: Plan, review: Review, stamp: dict[str, str]
) -> bytes:
    """The proposal list of ``review`` as a .docx document (bytes)."""
    from docx import Document
    from docx.shared import Cm, Pt

    doc = Document()
    page = doc.sections[0]  # A4 with the margins of official documents (Nghị định 30/2020)
    page.page_width, page.page_height = Cm(21), Cm(29.7)
    page.top_margin = page.bottom_margin = Cm(2)
    page.left_margin, page.right_margin = Cm(3), Cm(1.5)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    body = plan.dossier.body if plan.dossier else DEFAULT_BODY
    _two_blocks(
        doc,
        [plan.jurisdiction.upper(), body.upper()],
        ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"],
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

    by_cat = _rows_by_category(table)
    n_units = n_people = 0
    for a, (award_id, award_label, secs) in enumerate(
        awards.by_award(awards.sections(plan, review))
    ):
        _paragraph(doc, f"{ROMAN[a] if a < len(ROMAN) else a + 1}. {award_label}", bold=True)
        for c, sec in enumerate(secs, start=1):
            rows = by_cat.get((award_id, sec.category_id), [])
            proposed = sorted(
                (r for r in rows if r["status"] == "proposed"), key=lambda r: r["rank"]
            )
            waiting = sum(r["status"] == "pending" for r in rows)
            _paragraph(
                doc, f"{c}. {sec.category_label} ({awards.quota_text(sec.quota)})", italic=True
            )
            if proposed:
                _category_table(doc, proposed, review)
            else:
                _paragraph(doc, "Không có tập thể, cá nhân đủ điều kiện đề nghị.")
            if waiting:
                _paragraph(
                    doc,
                    f"Lưu ý: còn {fmt.num(waiting, 0)} trường hợp chưa đủ dữ liệu hoặc chưa có "
                    "đánh giá của Ban Chỉ đạo; danh sách có thể thay đổi.",
                    italic=True,
                )
            n_units += sum(r["subject_kind"] == "unit" for r in proposed)
            n_people += sum(r["subject_kind"] != "unit" for r in proposed)
    _paragraph(
        doc,
        f"Tổng cộng: {fmt.num(n_units, 0)} tập thể, {fmt.num(n_people, 0)} cá nhân.",
        bold=True,
    )
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
        ["NGƯỜI LẬP DANH SÁCH", "(Ký, ghi rõ họ tên)"],
        [f"TM. {body.upper()}", "(Ký, ghi rõ họ tên, đóng dấu)"],
    )
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
