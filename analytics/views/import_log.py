"""The Dữ liệu page's import side: the import log, an import's preview and its problems,
as tables for people."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

import duckdb
import pandas as pd

from analytics import labels
from analytics.errors import Problem
from analytics.ingest.upsert import TableCounts
from analytics.store.audit import import_entries


def import_log(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The import log, newest first, formatted for people (time dd/mm/yyyy HH:MM)."""
    return pd.DataFrame(
        [
            {
                "Lần nhập": e.import_id,
                "Thời gian": e.imported_at.strftime("%d/%m/%Y %H:%M"),
                "Có thay đổi": "có" if e.is_change else "không",
                "Nguồn": e.source or "",
                "Số dòng": counts_text(e.row_counts),
                "Tệp": (e.files or "").replace(";", ", "),
            }
            for e in import_entries(con)
        ],
        columns=["Lần nhập", "Thời gian", "Có thay đổi", "Nguồn", "Số dòng", "Tệp"],
    )


def counts_text(row_counts: str | None) -> str:
    """'Đơn vị: thêm 3, giữ nguyên 37; …' from the log's JSON (tables without rows left out)."""
    if not row_counts:
        return ""
    try:
        counts = json.loads(row_counts)
    except ValueError:
        return row_counts
    words = (("inserted", "thêm"), ("updated", "sửa"), ("unchanged", "giữ nguyên"))
    parts = []
    for table, c in counts.items():
        said = ", ".join(f"{w} {c[k]}" for k, w in words if c.get(k))
        if said:
            parts.append(f"{labels.TABLES.get(table, table)}: {said}")
    return "; ".join(parts) or "không có dòng nào"


def more_problems_text(total: int, shown: int) -> str:
    """'… và 12 lỗi khác' when the importer found more problems than it listed."""
    return f"… và {total - shown} lỗi khác" if total > shown else ""


def preview_frame(counts: Mapping[str, TableCounts]) -> pd.DataFrame:
    """An import preview (``TableCounts`` per table) as a Vietnamese table."""
    return pd.DataFrame(
        [
            {
                "Bảng": labels.TABLES.get(name, name),
                "Mã bảng": name,
                "Thêm mới": c.inserted,
                "Cập nhật": c.updated,
                "Không đổi": c.unchanged,
            }
            for name, c in counts.items()
        ],
        columns=["Bảng", "Mã bảng", "Thêm mới", "Cập nhật", "Không đổi"],
    )


def has_changes(counts: Mapping[str, TableCounts]) -> bool:
    return any(c.inserted or c.updated for c in counts.values())


PROBLEM_HEADERS = {
    "file": "Tệp",
    "row": "Dòng",
    "column": "Cột",
    "value": "Giá trị",
    "message": "Lỗi",
}


def problems_frame(problems: Iterable[Problem]) -> pd.DataFrame:
    """Import problems as a table with Vietnamese headers."""
    return pd.DataFrame(
        [
            {
                "file": p.file,
                "row": "" if p.row is None else str(p.row),
                "column": p.column or "",
                "value": p.value or "",
                "message": p.message,
            }
            for p in problems
        ],
        columns=list(PROBLEM_HEADERS),
    ).rename(columns=PROBLEM_HEADERS)
