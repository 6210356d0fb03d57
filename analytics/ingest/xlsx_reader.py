"""Reading an .xlsx workbook: each sheet named like a contract table becomes a raw table.

Cells become the text a CSV would hold (ISO dates, % cells times 100): one parser reads both.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from analytics.errors import Problem
from analytics.ingest.raw import (
    IGNORED_SHEETS,
    RawTable,
    map_header,
    norm_header,
    table_for_name,
    too_large,
)
from analytics.store import contract


def _cell_text(cell: Any) -> str:
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
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        return [], [Problem(file, None, None, None, f"không mở được tệp Excel: {exc}")]
    raws: list[RawTable] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    try:
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
                        f"trang tính không thuộc mẫu dữ liệu; tên hợp lệ: {', '.join(contract.TABLES)}",
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
            cols, hp = map_header(table, where, [_cell_text(c) for c in header_cells])
            if hp:
                problems += hp
                continue
            data_cols: list[list[str]] = [[] for _ in cols]
            row_numbers: list[int] = []
            for i, row in enumerate(rows, start=2):
                texts = [_cell_text(c) for c in row]
                if not any(t.strip() for t in texts):
                    continue  # Excel keeps empty formatted rows; they are not data
                texts += [""] * (len(cols) - len(texts))
                for j, col in enumerate(cols):
                    if col is None and texts[j].strip():
                        problems.append(
                            Problem(where, i, None, texts[j], "có giá trị trong cột không có tên")
                        )
                    data_cols[j].append(texts[j])
                row_numbers.append(i)
            arrays = {
                c: pa.array(v, pa.string()) for c, v in zip(cols, data_cols, strict=True) if c
            }
            arrays["_row"] = pa.array(row_numbers, pa.int64())
            arrow = pa.table(arrays)  # noqa: F841 (read by DuckDB's replacement scan)
            con.execute(f"DROP TABLE IF EXISTS raw_{table}")
            con.execute(f"CREATE TEMP TABLE raw_{table} AS SELECT * FROM arrow")
            raws.append(RawTable(table, where, tuple(c for c in cols if c), len(row_numbers)))
    finally:
        wb.close()
    return raws, problems
