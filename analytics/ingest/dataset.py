"""Reading a dataset (a folder of CSV files, one CSV file, or an .xlsx workbook) into
raw all-text DuckDB tables, with the row number of every record kept for messages.

Nothing here interprets values; ``analytics.ingest.parse`` parses them in SQL.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from analytics.errors import Problem
from analytics.ingest.csv_reader import load_csv
from analytics.ingest.raw import RawTable, table_for_name, table_names_text
from analytics.ingest.xlsx_reader import load_xlsx


def load_dataset(
    con: duckdb.DuckDBPyConnection, path: Path
) -> tuple[list[RawTable], list[Problem], str]:
    """Read every table file of a dataset; returns raw tables, problems and a content hash."""
    path = Path(path)
    digest = hashlib.sha256()
    raws: list[RawTable] = []
    problems: list[Problem] = []
    if not path.exists():
        return [], [Problem(str(path), None, None, None, "không tìm thấy tệp hoặc thư mục")], ""
    if path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
        raws, problems = load_xlsx(con, path, digest)
        return raws, problems, digest.hexdigest()
    files = [path] if path.is_file() else sorted(p for p in path.iterdir() if p.is_file())
    seen: dict[str, str] = {}
    for f in files:
        if f.suffix.lower() != ".csv":
            if path.is_file():
                problems.append(Problem(f.name, None, None, None, "chỉ nhận tệp .csv hoặc .xlsx"))
            continue
        table = table_for_name(f.stem)
        if table is None:
            problems.append(
                Problem(
                    f.name,
                    None,
                    None,
                    None,
                    f"tên tệp không thuộc mẫu dữ liệu; tên hợp lệ: {table_names_text('.csv')}",
                )
            )
            continue
        if table in seen:
            problems.append(Problem(f.name, None, None, None, f"trùng bảng với tệp {seen[table]}"))
            continue
        seen[table] = f.name
        raw, p = load_csv(con, table, f, digest)
        problems += p
        if raw:
            raws.append(raw)
    if not raws and not problems:
        problems.append(
            Problem(str(path), None, None, None, "không có tệp dữ liệu nào (.csv) để nhập")
        )
    return raws, problems, digest.hexdigest()
