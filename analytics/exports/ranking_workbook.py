"""The ranking of one block in one year as a workbook people file: a title block (plan,
year, block, data version, date made), then one row per unit with Vietnamese headers and
labels, never an internal code or id (the page passes the ``analytics.views.ranking`` table
in: exports do not read views). No cell is ever a formula."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from analytics.clock import now
from analytics.plans.models import Plan

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
BOLD = Font(bold=True)
SHEET = "Xếp hạng"


def _value(v: Any) -> Any:
    """A cell value: None for a missing number, text without characters Excel refuses."""
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    if isinstance(v, str):
        return ILLEGAL_CHARACTERS_RE.sub("", v) or None
    return v


def _columns(plan: Plan, block_label: str, shows_source: bool) -> list[tuple[str, str, int]]:
    """(header, number format or '' for text, width) of each column, in order."""
    cols = [
        ("Hạng", "0", 8),
        ("Số đơn vị được xếp hạng", "0", 12),
        ("Đơn vị", "", 48),
        ("Khối", "", max(18, min(len(block_label) + 2, 40))),
    ]
    if shows_source:
        cols.append(("Số liệu của đơn vị", "", 40))
    return cols + [
        ("Điểm", "0.00", 10),
        ("Điểm tối đa", "0.00", 10),
        ("Tỷ lệ (%)", "0.00", 10),
        (plan.classification.name, "", 14),
        ("Tỷ lệ năm trước (%)", "0.00", 14),
        ("So với năm trước (điểm %)", "+0.00;-0.00;0.00", 14),
        ("Hạng năm trước", "0", 10),
        ("Tỷ lệ hài lòng (%)", "0.00", 12),
    ]


def ranking_xlsx_bytes(
    plan: Plan,
    year: int,
    block_label: str,
    table: pd.DataFrame,
    data_version: str,
    *,
    mode_label: str | None = None,
) -> bytes:
    """The workbook of ``table`` (``analytics.views.ranking.ranking`` columns: name, rank,
    n_ranked, score, max_score, ratio_pct, band_label, prev_ratio_pct, ratio_change_pct,
    prev_rank, satisfaction_pct, source_id, unit_id, source_name), rows in its order."""
    shows_source = bool((table["source_id"] != table["unit_id"]).any()) if len(table) else False
    columns = _columns(plan, block_label, shows_source)
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = SHEET
    title = f"Bảng xếp hạng Chỉ số cải cách hành chính năm {year} — {block_label}"
    ws.append([_value(title)])
    ws["A1"].font = Font(bold=True, size=14)
    info = [("Kế hoạch", plan.title)]
    if mode_label:
        info.append(("So sánh qua các năm", mode_label))
    info += [("Số liệu", data_version), ("Ngày lập", f"{now():%d/%m/%Y %H:%M}")]
    for key, text in info:
        ws.append([key, _value(text)])
        ws.cell(row=ws.max_row, column=1).font = BOLD
    for r in range(1, ws.max_row + 1):
        for c in (1, 2):
            if isinstance(ws.cell(row=r, column=c).value, str):
                ws.cell(row=r, column=c).data_type = "s"
    ws.append([])
    header_row = ws.max_row + 1
    ws.append([h for h, _, _ in columns])
    for row in table.itertuples(index=False):
        values = [row.rank, row.n_ranked if pd.notna(row.rank) else None, row.name, block_label]
        if shows_source:
            values.append(row.source_name if row.source_id != row.unit_id else None)
        values += [
            row.score, row.max_score, row.ratio_pct, row.band_label, row.prev_ratio_pct,
            row.ratio_change_pct, row.prev_rank, row.satisfaction_pct,
        ]  # fmt: skip
        cells = [_value(v) for v in values]
        cells = [int(v) if fmt_ == "0" and v is not None else v
                 for v, (_, fmt_, _) in zip(cells, columns, strict=True)]  # fmt: skip
        ws.append(cells)
        r = ws.max_row
        for j, (v, (_, number_format, _)) in enumerate(zip(cells, columns, strict=True), 1):
            cell = ws.cell(row=r, column=j)
            if isinstance(v, str):
                cell.data_type = "s"  # a name beginning with "=" stays text
            elif v is not None and number_format:
                cell.value = float(v) if number_format != "0" else v
                cell.number_format = number_format
    for j, (_, _, width) in enumerate(columns, start=1):
        head = ws.cell(row=header_row, column=j)
        head.font, head.fill = BOLD, HEADER_FILL
        head.data_type = "s"
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = f"A{header_row + 1}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
