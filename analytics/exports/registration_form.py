"""The registration form (đăng ký thi đua) as the annex of seed 002 lays it out, in Word
and Excel: the place and date, the heading "ĐĂNG KÝ / Danh hiệu thi đua, khen thưởng trong
cải cách hành chính năm Y", "Kính gửi", the basis, the table with its numbered columns and
its two sections, the signature block. All text written as text (no formula, no markup).
The table comes ready from ``analytics.views.registration`` (headers, the numbers row, the
body rows)."""

from __future__ import annotations

import datetime as dt
import io

from analytics.exports import docx_parts
from analytics.exports.workbook import first_sheet
from analytics.plans.models import Plan

Rows = list[tuple[str, ...]]

ADDRESSEE = "Kính gửi: Hội đồng thi đua, khen thưởng các cấp"


def heading(year: int) -> tuple[str, str]:
    return "ĐĂNG KÝ", f"Danh hiệu thi đua, khen thưởng trong cải cách hành chính năm {year}."


def place_date(plan: Plan, day: dt.date) -> str:
    """ "Như Quỳnh, ngày 15 tháng 01 năm 2023": the plan's place (blank dots without one)."""
    place = plan.dossier.place if plan.dossier and plan.dossier.place else "……"
    return f"{place}, ngày {day:%d} tháng {day:%m} năm {day:%Y}"


def _who(plan: Plan) -> str:
    return plan.dossier.parent if plan.dossier and plan.dossier.parent else plan.jurisdiction


def registration_docx(
    plan: Plan, year: int, headers: tuple[str, ...], body: Rows, place_date: str
) -> bytes:
    """The form as a Word document (A4 landscape-wide table in Times New Roman)."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    doc = docx_parts.new_document()
    page = doc.sections[0]
    page.orientation = WD_ORIENT.LANDSCAPE
    page.page_width, page.page_height = Cm(29.7), Cm(21)
    page.left_margin, page.right_margin = Cm(2), Cm(1.5)
    docx_parts.paragraph(doc, place_date, italic=True)
    first, second = heading(year)
    docx_parts.paragraph(doc, first, bold=True, center=True, size=14)
    docx_parts.paragraph(doc, second, bold=True, center=True)
    docx_parts.paragraph(doc, ADDRESSEE, center=True)
    docx_parts.paragraph(doc, f"Căn cứ {plan.title}.")
    docx_parts.paragraph(doc, f"{_who(plan)} đăng ký thi đua như sau:")
    n_marks = len(headers) - 3
    widths = (1.2, 6.0, *([max(1.4, 17.0 / max(n_marks, 1))] * n_marks), 3.0)
    docx_parts.grid_table(doc, headers, widths, body)
    docx_parts.paragraph(doc, "")
    docx_parts.two_blocks(
        doc,
        [("", False)],
        [(f"TM. {_who(plan).upper()}", True), ("CHỦ TỊCH", True), ("", False), ("", False)],
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def registration_xlsx(
    plan: Plan, year: int, headers: tuple[str, ...], body: Rows, place_date: str
) -> bytes:
    """The same form as a workbook: one sheet, every cell a string (never a formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    ws = first_sheet(wb)
    ws.title = "Đăng ký thi đua"
    width = len(headers)
    lines = [
        (place_date, False),
        (heading(year)[0], True),
        (heading(year)[1], True),
        (ADDRESSEE, False),
        (f"Căn cứ {plan.title}.", False),
        (f"{_who(plan)} đăng ký thi đua như sau:", False),
    ]
    for i, (text, bold) in enumerate(lines, 1):
        cell = ws.cell(row=i, column=1, value=text)
        cell.data_type = "s"
        cell.font = Font(bold=bold)
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=width)
        if 2 <= i <= 4:
            cell.alignment = Alignment(horizontal="center")
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    start = len(lines) + 2
    table = [headers, *body]
    for r, row in enumerate(table, start):
        for c, text in enumerate(row, 1):
            cell = ws.cell(row=r, column=c, value=str(text))
            cell.data_type = "s"  # text, even "=…" typed into a subject or a note
            cell.border = box
            cell.alignment = Alignment(
                wrap_text=True, vertical="center", horizontal="center" if c != 2 else "left"
            )
            if r == start or (row and row[0] in ("I", "II")):
                cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 7
    ws.column_dimensions["B"].width = 40
    sign = start + len(table) + 1
    for i, text in enumerate((f"TM. {_who(plan).upper()}", "CHỦ TỊCH")):
        ws.cell(row=sign + i, column=width - 3, value=text).font = Font(bold=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
