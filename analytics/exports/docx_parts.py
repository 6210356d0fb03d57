"""python-docx building blocks for the Word files officials file: an A4 page with the
margins and font of Nghị định 30/2020, paragraphs, letterhead/signature blocks, tables."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean(text: str) -> str:
    """Text Word can store: control characters a store of older imports may hold are dropped."""
    return XML_ILLEGAL.sub("", text)


def paragraph(
    doc: Document,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    center: bool = False,
) -> Paragraph:
    """One run of text in its own paragraph."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    par = doc.add_paragraph()
    run = par.add_run(clean(text))
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    if center:
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return par


def two_blocks(doc: Document, left: list[tuple[str, bool]], right: list[tuple[str, bool]]) -> None:
    """Two centred blocks of (line, bold) side by side, no borders (letterhead, signatures)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    grid = doc.add_table(rows=1, cols=2)
    for cell, lines in zip(grid.rows[0].cells, (left, right), strict=True):
        for i, (line, bold) in enumerate(lines):
            par = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            run = par.add_run(clean(line))
            run.bold = bold
            run.italic = line.startswith("(")
            par.alignment = WD_ALIGN_PARAGRAPH.CENTER


def grid_table(
    doc: Document,
    headers: tuple[str, ...],
    widths_cm: tuple[float, ...],
    rows: Iterable[tuple[str, ...]],
) -> None:
    """A bordered table with bold headers repeated on every page; ``rows`` of cell texts."""
    from docx.oxml import OxmlElement
    from docx.shared import Cm

    grid = doc.add_table(rows=1, cols=len(headers))
    grid.style = "Table Grid"
    grid.autofit = False
    for cell, text in zip(grid.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page of a long list
    grid.rows[0]._tr.get_or_add_trPr().append(repeat)
    for texts in rows:
        for cell, text in zip(grid.add_row().cells, texts, strict=True):
            cell.text = clean(text)
    for column, width in zip(grid.columns, widths_cm, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def new_document() -> Document:
    """An empty A4 document in Times New Roman 13, Vietnamese (Nghị định 30/2020)."""
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
