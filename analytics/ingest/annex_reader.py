"""Reading a PAR Index results table as the province publishes it (the annex of the
decision announcing the index), every sheet but the instructions.

A sheet's header is the first row (of the first ``HEADER_SEARCH_ROWS``) whose columns
include a unit's name and a score or ratio; a header over two rows (merged parents over
children) is read as both rows together. Above it, the title rows are skipped; below
it, blank rows, column-number rows ("(1) (2) …"), group rows without a number
("I. Khối sở, ban, ngành") and total or average rows ("Tổng cộng", "Trung bình") are
skipped and said so. Numbers may be written with a decimal comma ("85,5", as text).
The workbook is opened in full (not read-only): merged cells are only known so, and the
size is bounded first (the container checks of ``xlsx_reader``, ``MAX_ANNEX_BYTES``).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from analytics.errors import Problem
from analytics.ingest.annex_headers import (
    MEANINGS,
    Meaning,
    column_meaning,
    combined_label,
    header_key,
    meaning_of,
)
from analytics.ingest.raw import IGNORED_SHEETS, cell_problem, norm_header
from analytics.ingest.xlsx_reader import cell_text, check_zip

MAX_ANNEX_BYTES = 20 << 20  # an annex is a few hundred rows; opened in full, not streamed
MAX_ANNEX_ROWS = 20_000  # rows per sheet
HEADER_SEARCH_ROWS = 30
# A total or average row: its label is one of these words, or starts with one of the first.
TOTAL_STARTS = ("tong cong", "tong so", "trung binh", "binh quan", "diem trung binh")
TOTAL_WORDS = (*TOTAL_STARTS, "tong", "cong")
NUMBERING = re.compile(r"^\(?\s*(\d+|[ivxlc]+|[a-z])\s*\)?[.)]?$")  # (1), 2, II., a)
GROUP_LABEL = re.compile(r"^([ivxlc]+|[a-z])[.)]\s")  # "I. Khối …", "a) …"
NUMBER = re.compile(r"^\d+(\.\d+)?$")

SKIP_REASONS = {
    "total": "dòng tổng cộng / trung bình",
    "numbering": "dòng đánh số cột",
    "group": "dòng tên nhóm (không có điểm)",
    "no_values": "không có điểm hay tỷ lệ",
    "no_name": "không có tên đơn vị",
}


@dataclass(frozen=True)
class AnnexColumn:
    """One column of a sheet's header: its letter, the header as written (both rows of a
    two-row header joined) and its meaning (None = read but not imported)."""

    sheet: str
    letter: str
    header: str
    meaning: Meaning | None


@dataclass(frozen=True)
class AnnexRow:
    """One unit's line: its name as written and its numbers (None = blank)."""

    sheet: str
    row: int
    name: str
    score: Decimal | None = None
    max_score: Decimal | None = None
    ratio: Decimal | None = None


@dataclass(frozen=True)
class SkippedRow:
    """A sheet or a row read but not imported, and why (``row`` None: the whole sheet)."""

    sheet: str
    row: int | None
    text: str
    reason: str


@dataclass
class Annex:
    file: str
    columns: list[AnnexColumn] = field(default_factory=list)
    header_rows: dict[str, tuple[int, int]] = field(default_factory=dict)  # sheet -> rows
    rows: list[AnnexRow] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def where(self, sheet: str) -> str:
        """How a message names a sheet of the file: ``ket-qua.xlsx [Khối huyện]``."""
        return f"{self.file} [{sheet}]"

    def header_of(self, sheet: str, meaning: str) -> str | None:
        """The header in the file of a sheet's column with ``meaning``."""
        return next(
            (c.header for c in self.columns if c.sheet == sheet and c.meaning == meaning), None
        )


def parse_number(text: str) -> Decimal | None:
    """A number as an annex writes it ("85,5", "85.5", "85,5 %"), None if it is not one
    (blank text is None too: check for blank first). As in any import, a comma is the
    decimal mark only when there is no "." ("1.234,5" is refused as ambiguous)."""
    t = text.strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
    if "," in t and "." in t:
        return None
    t = t.replace(",", ".")
    if not NUMBER.match(t):
        return None
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


def _is_numeric(value: Any, text: str) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    return bool(text.strip()) and parse_number(text) is not None


def _grid(ws: Any, n_rows: int) -> tuple[list[list[Any]], list[list[str]]]:
    """The first ``n_rows`` rows as (values, texts), every cell of a merged range holding
    the value of its top-left cell (headers merge across and down)."""
    width = ws.max_column or 0
    values: list[list[Any]] = []
    texts: list[list[str]] = []
    for cells in ws.iter_rows(min_row=1, max_row=n_rows, max_col=width):
        values.append([c.value for c in cells])
        texts.append([cell_text(c) for c in cells])
    for rng in ws.merged_cells.ranges:
        if rng.min_row > n_rows:
            continue
        top_value = values[rng.min_row - 1][rng.min_col - 1]
        top_text = texts[rng.min_row - 1][rng.min_col - 1]
        for r in range(rng.min_row, min(rng.max_row, n_rows) + 1):
            for c in range(rng.min_col, min(rng.max_col, width) + 1):
                values[r - 1][c - 1] = top_value
                texts[r - 1][c - 1] = top_text
    return values, texts


def _meanings(parents: list[str], children: list[str]) -> list[Meaning | None]:
    return [column_meaning(p, c) for p, c in zip(parents, children, strict=True)]


def _qualifies(meanings: list[Meaning | None]) -> bool:
    return "name" in meanings and ("score" in meanings or "ratio" in meanings)


def _continues(top: list[str], below: list[str], below_values: list[Any], name_col: int) -> bool:
    """Whether ``below`` is the second row of a header starting at ``top``: no number in
    it, and under the name's header a blank, the same header (merged down) or a header."""
    if not any(t.strip() for t in below):
        return False
    if any(_is_numeric(v, t) for v, t in zip(below_values, below, strict=True)):
        return False
    under = below[name_col].strip()
    return not under or under == top[name_col].strip() or meaning_of(under) == "name"


def find_header(
    values: list[list[Any]], texts: list[list[str]]
) -> tuple[int, int, list[str], list[Meaning | None]] | None:
    """(first row, last row, labels, meanings) of the header (rows 1-based), or None."""
    for i, row in enumerate(texts):
        if len({t.strip() for t in row if t.strip()}) < 2:
            continue  # a title (one text, merged across) or a blank row
        blank = [""] * len(row)
        if i + 1 < len(texts):
            below = texts[i + 1]
            two = _meanings(row, below)
            if _qualifies(two) and _continues(row, below, values[i + 1], two.index("name")):
                labels = [combined_label(p, c) for p, c in zip(row, below, strict=True)]
                return i + 1, i + 2, labels, two
        one = _meanings(row, blank)
        if _qualifies(one):
            return i + 1, i + 1, [" ".join(t.split()) for t in row], one
    return None


def _skip_reason(texts: list[str], name: str, has_values: bool) -> str | None:
    first = next((t for t in texts if t.strip()), "")
    for text in (name, first):
        key = header_key(text)
        if key in TOTAL_WORDS or any(key.startswith(w + " ") for w in TOTAL_STARTS):
            return "total"
    key = header_key(name)
    if name and NUMBERING.match(name.strip().casefold()):
        return "numbering"
    if not has_values:
        if GROUP_LABEL.match(name.strip().casefold() + " ") or key.startswith("khoi "):
            return "group"
        return "no_values" if name else "no_name"
    return None


def _read_sheet(ws: Any, annex: Annex) -> None:
    sheet = ws.title
    where = annex.where(sheet)
    n_rows = ws.max_row or 0
    if n_rows > MAX_ANNEX_ROWS:
        annex.problems.append(
            Problem(where, None, None, None, f"quá {MAX_ANNEX_ROWS:_} dòng".replace("_", "."))
        )
        return
    values, texts = _grid(ws, min(n_rows, HEADER_SEARCH_ROWS + 1))
    if not any(t.strip() for row in texts for t in row):
        return  # an empty sheet
    found = find_header(values, texts)
    if found is None:
        annex.skipped.append(
            SkippedRow(
                sheet,
                None,
                "",
                "không tìm thấy dòng tiêu đề có cột tên đơn vị và cột điểm hoặc tỷ lệ "
                f"trong {HEADER_SEARCH_ROWS} dòng đầu",
            )
        )
        return
    first, last, labels, meanings = found
    annex.header_rows[sheet] = (first, last)
    seen: dict[str, str] = {}
    for j, (label, meaning) in enumerate(zip(labels, meanings, strict=True)):
        if not label and meaning is None:
            continue
        letter = get_column_letter(j + 1)
        if meaning is not None and meaning in seen:
            annex.problems.append(
                Problem(
                    where,
                    last,
                    label,
                    None,
                    f"hai cột cùng nghĩa: cột {seen[meaning]} và cột {letter}; "
                    "hãy xoá hoặc đổi tiêu đề một cột",
                )
            )
            continue
        if meaning is not None:
            seen[meaning] = letter
        annex.columns.append(AnnexColumn(sheet, letter, label, meaning))
    index = {m: meanings.index(m) for m in MEANINGS if m in meanings}
    for r, cells in enumerate(ws.iter_rows(min_row=last + 1), start=last + 1):
        row_texts = [cell_text(c) for c in cells]
        if not any(t.strip() for t in row_texts):
            continue
        row_texts += [""] * (len(labels) - len(row_texts))
        name = " ".join(row_texts[index["name"]].split())
        given = {m: row_texts[j].strip() for m, j in index.items() if m != "name"}
        reason = _skip_reason(row_texts, name, any(given.values()))
        if reason is not None:
            if reason != "numbering":
                shown = name or next((t for t in row_texts if t.strip()), "")
                annex.skipped.append(SkippedRow(sheet, r, shown, SKIP_REASONS[reason]))
            continue
        if bad := cell_problem(where, r, labels[index["name"]], name):
            annex.problems.append(bad)
            continue
        if not name:
            annex.problems.append(
                Problem(where, r, labels[index["name"]], None, "có điểm nhưng thiếu tên đơn vị")
            )
            continue
        numbers: dict[str, Decimal | None] = {}
        for m, text in given.items():
            numbers[m] = parse_number(text) if text else None
            if text and numbers[m] is None:
                annex.problems.append(
                    Problem(
                        where,
                        r,
                        labels[index[m]],
                        text,
                        "không phải số (ghi ví dụ 85,5 hoặc 85.5)",
                    )
                )
        annex.rows.append(AnnexRow(sheet, r, name, **numbers))


def read_annex(path: Path, file: str | None = None) -> Annex:
    """Read every sheet of a published results workbook (``file``: its name in messages)."""
    import openpyxl  # imported here: only needed for workbooks

    annex = Annex(file or path.name)
    size = path.stat().st_size
    if size > MAX_ANNEX_BYTES:
        annex.problems.append(
            Problem(
                annex.file,
                None,
                None,
                None,
                f"tệp quá lớn cho một bảng kết quả ({size >> 20} MB; giới hạn "
                f"{MAX_ANNEX_BYTES >> 20} MB)",
            )
        )
        return annex
    data = path.read_bytes()
    if bad := check_zip(data, annex.file):
        annex.problems.append(bad)
        return annex
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # noqa: BLE001 (any damage openpyxl meets is the file's)
        annex.problems.append(
            Problem(annex.file, None, None, None, f"không mở được tệp Excel: {type(exc).__name__}")
        )
        return annex
    try:
        for ws in wb.worksheets:
            if norm_header(ws.title) not in IGNORED_SHEETS:
                _read_sheet(ws, annex)
    finally:
        wb.close()
    if not annex.header_rows and not annex.problems:
        annex.problems.append(
            Problem(
                annex.file,
                None,
                None,
                None,
                "không có trang tính nào có dòng tiêu đề gồm cột tên đơn vị (ví dụ “Tên đơn "
                "vị”) và cột điểm hoặc tỷ lệ (ví dụ “Tổng điểm đạt được”, “Tỷ lệ (%)”)",
            )
        )
    return annex
