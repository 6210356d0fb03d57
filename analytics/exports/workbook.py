"""The shortlist as a workbook people file: a stamp block, then the contract rows with
Vietnamese headers (values as in the CSV; the status also in words; no cell a formula)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from analytics import labels
from analytics.exports.csv_files import contract_rows
from analytics.rules.shortlist import CONTRACT_COLUMNS

if TYPE_CHECKING:
    import pyarrow as pa

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
BOLD = Font(bold=True)


def first_sheet(wb: Workbook) -> Worksheet:
    """The sheet a new workbook starts with."""
    ws = wb.active
    assert isinstance(ws, Worksheet)
    return ws


def named_with_recipient(columns: dict[str, list[Any]], i: int) -> str:
    """Row ``i``'s name, with its recipient when another unit receives the award."""
    return labels.named_with_recipient(
        columns["subject_id"][i],
        columns["subject_name"][i],
        columns["recipient_id"][i],
        columns["recipient_name"][i],
    )


def _deferred_sheet(wb: Workbook, columns: dict[str, list[Any]]) -> None:
    """The deferred candidates ("chưa xét khen thưởng") on a sheet of their own: why, and
    that they are reconsidered once cleared."""
    ws = wb.create_sheet("Chưa xét khen thưởng")
    headers = [
        labels.SHORTLIST[c] for c in ("award", "category", "subject_id", "subject_name", "reasons")
    ]
    ws.append(headers)
    for i, status in enumerate(columns["status"]):
        if status != "deferred":
            continue
        values = [columns["award"][i], columns["category"][i], columns["subject_id"][i],
                  named_with_recipient(columns, i), columns["reasons"][i]]  # fmt: skip
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", v or "") or None for v in values])
        for j, v in enumerate(values, start=1):
            if v:
                ws.cell(row=ws.max_row, column=j).data_type = "s"  # never a formula
    for i, w in enumerate((16, 16, 14, 50, 90), start=1):
        ws.cell(row=1, column=i).font = BOLD
        ws.cell(row=1, column=i).fill = HEADER_FILL
        ws.column_dimensions[get_column_letter(i)].width = w


def shortlist_xlsx_bytes(
    table: pa.Table, stamp: dict[str, str], *, title: str | None = None
) -> bytes:
    """The shortlist as a workbook: a stamp block, then the contract rows with Vietnamese headers.

    Values are the CSV's (codes, rank as integer, two-decimal average as a number);
    the status is also given in words. No cell is ever a formula.
    """
    rows = contract_rows(table)
    wb = Workbook()
    ws = first_sheet(wb)
    ws.title = "Danh sách"
    ws.append([title or "Danh sách đề nghị khen thưởng"])
    ws["A1"].font = Font(bold=True, size=14)
    stamp_labels = {
        "plan_id": "Kế hoạch",
        "review_id": "Đợt xét",
        "data_version": "Phiên bản dữ liệu",
        "exported_at": "Thời điểm xuất",
    }
    for key, value in stamp.items():
        ws.append([stamp_labels.get(key, key), value])
        ws.cell(row=ws.max_row, column=1).font = BOLD
    ws.append([])
    header_row = ws.max_row + 1
    headers = [labels.SHORTLIST[c] for c in CONTRACT_COLUMNS] + ["Kết quả (diễn giải)"]
    ws.append(headers)
    columns = {c: rows.column(c).to_pylist() for c in CONTRACT_COLUMNS}
    for i in range(rows.num_rows):
        values: list[Any] = []
        for c in CONTRACT_COLUMNS:
            v = columns[c][i]
            if c == "rank":
                v = int(v) if v else None
            elif c == "window_avg":
                v = float(v) if v else None
            elif c == "subject_name":
                v = ILLEGAL_CHARACTERS_RE.sub("", named_with_recipient(columns, i)) or None
            else:
                v = ILLEGAL_CHARACTERS_RE.sub("", v) or None  # stores imported before the check
            values.append(v)
        values.append(labels.STATUSES.get(columns["status"][i], columns["status"][i]))
        ws.append(values)
        r = ws.max_row
        for j, v in enumerate(values, start=1):
            cell = ws.cell(row=r, column=j)
            if isinstance(v, str):
                cell.data_type = "s"
            elif CONTRACT_COLUMNS[j - 1 : j] == ("window_avg",):
                cell.number_format = "0.00"
    for i, h in enumerate(headers, start=1):
        head = ws.cell(row=header_row, column=i)
        head.font = BOLD
        head.fill = HEADER_FILL
        width = {"reasons": 80, "subject_name": 40}.get(
            CONTRACT_COLUMNS[i - 1] if i <= len(CONTRACT_COLUMNS) else "", max(12, len(h) + 2)
        )
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = f"A{header_row + 1}"
    _deferred_sheet(wb, columns)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
