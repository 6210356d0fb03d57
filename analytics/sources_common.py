"""Shared by the readers: problems, the raw table, the size limit, header and name mapping."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from analytics import contract, labels

MAX_IMPORT_BYTES = int(os.environ.get("THIDUA_MAX_IMPORT_BYTES", str(1 << 30)))
INSTRUCTIONS_SHEET = "Hướng dẫn"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where (file, row, column), what, and what is expected."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", dòng {self.row}"
        if self.column:
            where += f", cột {self.column}"
        value = "" if self.value is None else f" (giá trị {self.value!r})"
        return f"{where}{value}: {self.message}"


class InputRejected(Exception):
    """The input has problems; nothing was written."""

    def __init__(self, problems: list[Problem], total: int | None = None):
        self.problems = problems
        self.total = total if total is not None else len(problems)
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  … và {self.total - 50} lỗi khác" if self.total > 50 else ""
        super().__init__(f"{self.total} lỗi trong dữ liệu nhập:\n{shown}{more}")


@dataclass
class RawTable:
    """A table read as text into DuckDB temp table ``raw_<name>`` (column ``_row`` = line)."""

    name: str
    file: str
    columns: tuple[str, ...]
    rows: int


def _norm_header(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\ufeff", "")).strip().casefold()


def _header_map(table: str) -> dict[str, str]:
    spec = contract.TABLES[table]
    mapping = {_norm_header(c): c for c in spec.column_names}
    for col, (label, _help) in labels.COLUMNS[table].items():
        mapping.setdefault(_norm_header(label), col)
    return mapping


def map_header(table: str, file: str, header: list[str]) -> tuple[list[str | None], list[Problem]]:
    """Canonical column name for each header cell (None = blank header), and problems."""
    mapping = _header_map(table)
    spec = contract.TABLES[table]
    out: list[str | None] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, cell in enumerate(header, start=1):
        key = _norm_header(cell or "")
        if not key:
            out.append(None)
            continue
        col = mapping.get(key)
        if col is None:
            problems.append(
                Problem(
                    file,
                    1,
                    cell,
                    None,
                    f"cột không có trong mẫu dữ liệu; các cột hợp lệ: {', '.join(spec.column_names)}",
                )
            )
            out.append(None)
            continue
        if col in seen:
            problems.append(
                Problem(
                    file, 1, cell, None, f"cột {col} xuất hiện hai lần (cột {seen[col]} và {i})"
                )
            )
        seen[col] = i
        out.append(col)
    present = {c for c in out if c}
    for c in spec.columns:
        if c.required and c.name not in present:
            problems.append(Problem(file, 1, c.name, None, "thiếu cột bắt buộc"))
    return out, problems


def table_for_name(stem: str) -> str | None:
    key = _norm_header(stem)
    for name in contract.TABLES:
        if key == name:
            return name
    for name, label in labels.TABLES.items():
        if key == _norm_header(label):
            return name
    return None


def _too_large(path: Path, file: str) -> Problem | None:
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
