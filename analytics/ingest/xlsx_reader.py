"""Reading an .xlsx workbook: each sheet named like a contract table becomes a raw table.

Cells become the text a CSV would hold (ISO dates, % cells times 100): one parser reads both.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import posixpath
import re
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from analytics.errors import Problem
from analytics.ingest.raw import (
    IGNORED_SHEETS,
    RawTable,
    cell_problem,
    column_label,
    map_header,
    norm_header,
    table_for_name,
    table_names_text,
    too_large,
)


def cell_text(cell: Any) -> str:
    """A cell as the text a CSV would hold: ISO dates, numbers in full, % cells times 100."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        fmt = getattr(cell, "number_format", "") or ""
        if "%" in fmt:
            number *= 100  # a % cell stores 0.855 for 85.5 %
        text = format(number.normalize(), "f")
        return text
    return str(value)


# A workbook is a zip: what its members may unpack to, checked before anything is parsed
# (a 300 KB file can hold a 300 MB cell, or millions of empty rows).
MAX_UNPACKED_BYTES = 512 << 20
MAX_RATIO = 100  # unpacked / packed, over members larger than 16 MiB unpacked
_RATIO_FROM = 16 << 20
# Rows per sheet (empty rows count: they are read too); larger tables come as CSV.
MAX_ROWS = int(os.environ.get("THIDUA_MAX_XLSX_ROWS", "200000"))


# What a damaged container raises while it is listed or a part inflated: a bad header, a
# flipped bit in a compressed stream (zlib), a stream cut short, an unknown compression
# method or an encrypted part.
ZIP_DAMAGE = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    OSError,
    KeyError,
    ValueError,
)


def check_zip(data: bytes, file: str) -> Problem | None:
    """The problem of a workbook's container, if any: not a zip, too large unpacked, a
    compression ratio of a zip bomb, or a sheet the workbook lists whose part is missing."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            unpacked = sum(i.file_size for i in infos)
            if unpacked > MAX_UNPACKED_BYTES:
                return Problem(
                    file,
                    None,
                    None,
                    None,
                    f"tệp Excel giải nén ra {unpacked >> 20} MB, quá giới hạn "
                    f"{MAX_UNPACKED_BYTES >> 20} MB",
                )
            for i in infos:
                if i.file_size > _RATIO_FROM and i.file_size > MAX_RATIO * max(i.compress_size, 1):
                    return Problem(
                        file,
                        None,
                        None,
                        None,
                        f"tệp Excel có phần {i.filename} nén bất thường "
                        f"({i.compress_size} byte thành {i.file_size} byte): không đọc",
                    )
            names = set(zf.namelist())
            missing = [title for title, part in _sheet_parts(zf) if part not in names]
            if missing:
                return Problem(
                    file,
                    None,
                    None,
                    None,
                    f"tệp Excel bị hỏng: thiếu dữ liệu của trang tính {', '.join(missing)}",
                )
    except ZIP_DAMAGE as exc:
        return Problem(
            file, None, None, None, f"không mở được tệp Excel (tệp bị hỏng: {_short(exc)})"
        )
    return None


def _sheet_parts(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(title, part name) of every sheet xl/workbook.xml lists (none if it cannot say)."""
    try:
        book = zf.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        return []
    targets = {}
    for rel in re.findall(r"<Relationship\b[^>]*>", rels):
        rid = re.search(r'\bId="([^"]*)"', rel)
        target = re.search(r'\bTarget="([^"]*)"', rel)
        if rid and target:
            t = target[1]
            targets[rid[1]] = (
                t.lstrip("/") if t.startswith("/") else posixpath.normpath(posixpath.join("xl", t))
            )
    out = []
    for sheet in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", book):
        name = re.search(r'\bname="([^"]*)"', sheet)
        rid = re.search(r'\br:id="([^"]*)"', sheet) or re.search(r'\b\w+:id="([^"]*)"', sheet)
        if name and rid and rid[1] in targets:
            out.append((name[1], targets[rid[1]]))
    return out


def load_xlsx(
    con: duckdb.DuckDBPyConnection, path: Path, digest: Any
) -> tuple[list[RawTable], list[Problem]]:
    """Each sheet named like a contract table (or its Vietnamese label) becomes a raw table."""
    import openpyxl  # imported here: only needed for workbooks

    file = path.name
    if big := too_large(path, file):
        return [], [big]
    data = path.read_bytes()
    digest.update(data)
    if bad := check_zip(data, file):
        return [], [bad]
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 (any damage openpyxl meets is the file's)
        return [], [Problem(file, None, None, None, f"không mở được tệp Excel: {_short(exc)}")]
    raws: list[RawTable] = []
    problems: list[Problem] = []
    try:
        _read_sheets(con, wb, file, raws, problems)
    except Exception as exc:  # noqa: BLE001 (a damaged part found while reading it)
        return [], [Problem(file, None, None, None, f"tệp Excel bị hỏng: {_short(exc)}")]
    finally:
        wb.close()
    return raws, problems


def _short(exc: BaseException) -> str:
    text = str(exc).split("\n", 1)[0][:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _read_sheets(
    con: duckdb.DuckDBPyConnection,
    wb: Any,
    file: str,
    raws: list[RawTable],
    problems: list[Problem],
) -> None:
    seen: dict[str, str] = {}
    for ws in wb.worksheets:
        if norm_header(ws.title) in IGNORED_SHEETS:  # instructions, drop-down lists
            continue
        table = table_for_name(ws.title)
        where = f"{file} [{ws.title}]"
        if table is None:
            problems.append(
                Problem(
                    where,
                    None,
                    None,
                    None,
                    f"trang tính không thuộc mẫu dữ liệu; tên hợp lệ: {table_names_text()}",
                )
            )
            continue
        if table in seen:
            problems.append(
                Problem(where, None, None, None, f"trùng bảng với trang tính {seen[table]}")
            )
            continue
        seen[table] = ws.title
        rows = ws.iter_rows()
        header_cells = next(rows, None)
        if header_cells is None:
            problems.append(
                Problem(where, None, None, None, "trang tính rỗng (không có dòng tiêu đề)")
            )
            continue
        header = [cell_text(c) for c in header_cells]
        if hp := [
            bad for j, h in enumerate(header) if (bad := cell_problem(where, 1, f"thứ {j + 1}", h))
        ]:
            problems += hp
            continue
        cols, hp = map_header(table, where, header)
        if hp:
            problems += hp
            continue
        data_cols: list[list[str]] = [[] for _ in cols]
        row_numbers: list[int] = []
        i = 1
        try:
            for i, row in enumerate(rows, start=2):
                if i > MAX_ROWS + 1:
                    problems.append(
                        Problem(
                            where,
                            i,
                            None,
                            None,
                            f"quá giới hạn {MAX_ROWS:_} dòng của một trang tính; dữ liệu lớn hơn hãy nhập bằng tệp CSV".replace(
                                "_", "."
                            ),
                        )
                    )
                    break
                texts = [cell_text(c) for c in row]
                if not any(t.strip() for t in texts):
                    continue  # Excel keeps empty formatted rows; they are not data
                texts += [""] * (len(cols) - len(texts))
                for j, text in enumerate(texts):
                    col = cols[j] if j < len(cols) else None
                    shown = column_label(table, col) if col else None
                    if text and (bad := cell_problem(where, i, col or f"thứ {j + 1}", text, shown)):
                        problems.append(bad)
                for j, col in enumerate(cols):
                    if col is None and texts[j].strip():
                        problems.append(
                            Problem(where, i, None, texts[j], "có giá trị trong cột không có tên")
                        )
                    data_cols[j].append(texts[j])
                row_numbers.append(i)
        except Exception as exc:  # noqa: BLE001 (damaged sheet XML, bad cell values)
            problems.append(
                Problem(where, i + 1, None, None, f"trang tính bị hỏng từ dòng này: {_short(exc)}")
            )
            continue
        if len(problems) > 1000:
            return
        arrays = {c: pa.array(v, pa.string()) for c, v in zip(cols, data_cols, strict=True) if c}
        arrays["_row"] = pa.array(row_numbers, pa.int64())
        arrow = pa.table(arrays)  # noqa: F841 (read by DuckDB's replacement scan)
        con.execute(f"DROP TABLE IF EXISTS raw_{table}")
        con.execute(f"CREATE TEMP TABLE raw_{table} AS SELECT * FROM arrow")
        raws.append(RawTable(table, where, tuple(c for c in cols if c), len(row_numbers)))
