"""The Dữ liệu page's import side: the import log, an import's preview and its problems,
as tables for people."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

import duckdb
import pandas as pd

from analytics import labels
from analytics.errors import Problem
from analytics.ingest.legacy_text import Conversion
from analytics.ingest.upsert import TableCounts
from analytics.store.audit import import_entries

DEMO_SOURCE = "demo:"  # the source the demo import logs: "demo:<plan id>" (analytics.demo)


def source_label(source: str | None) -> str:
    """An import's source as people read it: the demo's plan id becomes "dữ liệu mẫu"."""
    if source and source.startswith(DEMO_SOURCE):
        return "Dữ liệu mẫu minh họa"
    return source or ""


def import_log(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The import log, newest first, formatted for people (time dd/mm/yyyy HH:MM)."""
    return pd.DataFrame(
        [
            {
                "Lần nhập": e.import_id,
                "Thời gian": e.imported_at.strftime("%d/%m/%Y %H:%M"),
                "Có thay đổi": "có" if e.is_change else "không",
                "Nguồn": source_label(e.source),
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
                "column": p.shown_column or "",
                "value": p.value or "",
                "message": p.message,
            }
            for p in problems
        ],
        columns=list(PROBLEM_HEADERS),
    ).rename(columns=PROBLEM_HEADERS)


def conversions_frame(conversions: Iterable[Conversion]) -> pd.DataFrame:
    """The files read converted from a legacy encoding: file, encoding, before → after."""
    rows = [
        {"Tệp": c.file, "Bảng mã cũ": c.encoding_label, "Trong tệp": a, "Đọc thành": b}
        for c in conversions
        for a, b in c.samples
    ]
    return pd.DataFrame(rows, columns=["Tệp", "Bảng mã cũ", "Trong tệp", "Đọc thành"])
