"""What every reader produces: a raw all-text table, and the rules readers share (the size
limit, mapping a header or a file/sheet name to the contract's names)."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from analytics import labels
from analytics.errors import Problem
from analytics.store import contract

MAX_IMPORT_BYTES = int(os.environ.get("THIDUA_MAX_IMPORT_BYTES", str(1 << 30)))
# Limits checked before the work (README "Giới hạn"): a cell, the rows of one table.
MAX_CELL_CHARS = 10_000
MAX_ROWS = int(os.environ.get("THIDUA_MAX_ROWS", "5000000"))
# Characters no cell may hold, found on the raw text before anything else reads it: NUL
# (DuckDB and C code cut text there), the other C0 controls but tab, LF, CR, and U+FFFE,
# U+FFFF (XML 1.0 cannot store them: the workbook and Word exports would fail).
FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FORBIDDEN_MESSAGE = (
    "chứa ký tự điều khiển hoặc ký tự không in được (thường do sao chép từ phần mềm khác)"
)
INSTRUCTIONS_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"  # the lists behind drop-downs (data contract v2)


@dataclass
class RawTable:
    """A table read as text into DuckDB temp table ``raw_<name>`` (column ``_row`` = line)."""

    name: str
    file: str
    columns: tuple[str, ...]
    rows: int


def norm_header(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\ufeff", "")).strip().casefold()


IGNORED_SHEETS = frozenset(norm_header(s) for s in (INSTRUCTIONS_SHEET, LISTS_SHEET))


def _header_map(table: str) -> dict[str, str]:
    spec = contract.TABLES[table]
    mapping = {norm_header(c): c for c in spec.column_names}
    for col, (label, _help) in labels.COLUMNS[table].items():
        mapping.setdefault(norm_header(label), col)
    return mapping


def column_label(table: str, column: str) -> str:
    """A contract column as a message names it: the template's header, with the column's
    contract name in parentheses (``Mã đơn vị (unit_id)``): either may head a file."""
    label = labels.COLUMNS.get(table, {}).get(column, (column, ""))[0]
    return column if label == column else f"{label} ({column})"


def table_label(table: str) -> str:
    """A contract table as a message names it: the template's sheet name (``Đơn vị``)."""
    return labels.SHEETS.get(table, table)


def table_names_text(suffix: str = "") -> str:
    """The accepted names of the tables' sheets (``suffix`` ''), or files (``suffix`` '.csv'):
    the template's names, each with the table's contract name in parentheses."""
    return ", ".join(f"{table_label(t)}{suffix} ({t}{suffix})" for t in contract.TABLES)


def map_header(table: str, file: str, header: list[str]) -> tuple[list[str | None], list[Problem]]:
    """Canonical column name for each header cell (None = blank header), and problems."""
    mapping = _header_map(table)
    spec = contract.TABLES[table]
    out: list[str | None] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, cell in enumerate(header, start=1):
        key = norm_header(cell or "")
        if not key:
            out.append(None)
            continue
        col = mapping.get(key)
        if col is None:
            valid = ", ".join(column_label(table, c) for c in spec.column_names)
            problems.append(
                Problem(
                    file,
                    1,
                    cell,
                    None,
                    f"cột không có trong bảng «{table_label(table)}» của mẫu dữ liệu; "
                    f"các cột hợp lệ: {valid}",
                )
            )
            out.append(None)
            continue
        if col in seen:
            problems.append(
                Problem(
                    file,
                    1,
                    cell,
                    None,
                    f"cột {column_label(table, col)} xuất hiện hai lần "
                    f"(cột thứ {seen[col]} và thứ {i})",
                )
            )
        seen[col] = i
        out.append(col)
    present = {c for c in out if c}
    for c in spec.columns:
        if c.required and c.name not in present:
            problems.append(
                Problem(
                    file,
                    1,
                    c.name,
                    None,
                    "thiếu cột bắt buộc",
                    column_label(table, c.name),
                )
            )
    return out, problems


def table_for_name(stem: str) -> str | None:
    """The contract table a file or sheet name means: the table's name, the template's
    sheet name or the table's Vietnamese label (any case)."""
    key = norm_header(stem)
    for name in contract.TABLES:
        if key == name:
            return name
    for names in (labels.SHEETS, labels.TABLES):
        for name, label in names.items():
            if key == norm_header(label):
                return name
    return None


def too_large(path: Path, file: str) -> Problem | None:
    """The problem of a file over the import size limit, if it is (checked before reading)."""
    size = path.stat().st_size
    if size > MAX_IMPORT_BYTES:
        return Problem(
            file,
            None,
            None,
            None,
            f"tệp quá lớn ({size:,} byte; giới hạn {MAX_IMPORT_BYTES:,} byte)",
        )
    return None


def cell_problem(
    file: str, row: int | None, column: str | None, text: str, header: str | None = None
) -> Problem | None:
    """The problem of one raw cell, if any: a forbidden character or over the length limit
    (``header``: the column as messages name it, see ``column_label``)."""
    if len(text) > MAX_CELL_CHARS:
        return Problem(
            file,
            row,
            column,
            text[:40] + "…",
            f"ô dài {len(text):_} ký tự, quá giới hạn {MAX_CELL_CHARS:_} ký tự".replace("_", "."),
            header,
        )
    if m := FORBIDDEN_CHARS.search(text):
        # repr() in the message shows the character escaped ('\\x00')
        shown = text if len(text) <= 80 else text[max(0, m.start() - 30) : m.start() + 30]
        return Problem(
            file, row, column, shown, f"{FORBIDDEN_MESSAGE}: U+{ord(m.group()):04X}", header
        )
    return None
