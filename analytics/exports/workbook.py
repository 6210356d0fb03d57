"""The shortlist as a workbook people file: a stamp block, then one row per candidate in
words — the award, category, block, status, discipline and criteria by their labels,
names (a ceased unit with the unit that receives its award), no internal code, no
formula. The deferred candidates are listed on a sheet of their own. The codes stay in
the CSV of the data contract (``csv_files``)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import duckdb
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from analytics import labels
from analytics.exports.achievements import Facts, subject_facts
from analytics.plans.models import Plan, Review

if TYPE_CHECKING:
    import pyarrow as pa

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
BOLD = Font(bold=True)
LIST_SHEET = "Danh sách"
DEFERRED_SHEET = "Chưa xét khen thưởng"
# The people's columns of the list sheet: (header, width).
COLUMNS: tuple[tuple[str, int], ...] = (
    ("STT", 6),
    (labels.SHORTLIST["award"], 30),
    (labels.SHORTLIST["category"], 30),
    ("Khối", 28),
    (labels.SHORTLIST["subject_name"], 40),
    ("Chức vụ, đơn vị công tác", 30),
    (labels.SHORTLIST["status"], 22),
    (labels.SHORTLIST["rank"], 10),
    (labels.SHORTLIST["window_avg"], 14),
    ("Hình thức đề nghị", 30),
    ("Kỷ luật", 24),
    ("Tiêu chuẩn", 70),
    (labels.SHORTLIST["reasons"], 70),
)
WINDOW_AVG_COLUMN = 9  # 1-based: a number shown with two decimals
DEFERRED_COLUMNS = (
    ("STT", 6),
    (labels.SHORTLIST["award"], 30),
    (labels.SHORTLIST["category"], 30),
    (labels.SHORTLIST["subject_name"], 50),
    (labels.SHORTLIST["reasons"], 90),
)
_READ = [
    "award",
    "category",
    "subject_id",
    "subject_name",
    "subject_kind",
    "status",
    "rank",
    "window_avg",
    "reasons",
    "recipient_id",
    "recipient_name",
    "form",
    "criteria",
]


def first_sheet(wb: Workbook) -> Worksheet:
    """The sheet a new workbook starts with."""
    ws = wb.active
    assert isinstance(ws, Worksheet)
    return ws


def text(value: Any) -> str | None:
    """A cell's text with the control characters a spreadsheet cannot hold dropped."""
    if value is None:
        return None
    return ILLEGAL_CHARACTERS_RE.sub("", str(value)) or None


def _append_texts(ws: Worksheet, values: Iterable[Any]) -> None:
    """One row; every text cell typed as text (never a formula, whatever it starts with)."""
    ws.append([text(v) if isinstance(v, str) else v for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def _header(ws: Worksheet, columns: tuple[tuple[str, int], ...]) -> int:
    ws.append([h for h, _ in columns])
    row = ws.max_row
    for i, (_, width) in enumerate(columns, start=1):
        head = ws.cell(row=row, column=i)
        head.font, head.fill = BOLD, HEADER_FILL
        head.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(i)].width = width
    return row


def criteria_text(criteria: list[dict[str, Any]] | None) -> str:
    """'Tiêu chuẩn A: Đạt; Tiêu chuẩn B: Chưa đủ dữ liệu' (the states in words)."""
    return "; ".join(
        f"{c['label']}: {labels.STATES.get(c['state'], c['state'])}" for c in criteria or []
    )


class _Labels:
    """The plan's labels of the codes a shortlist row carries."""

    def __init__(self, plan: Plan):
        self.awards = {a.id: a.label for a in plan.awards}
        self.categories = {(a.id, c.id): c for a in plan.awards for c in a.categories}
        self.blocks = {b.code: b.label for b in plan.blocks}
        self.forms = {f.code: f.label for f in plan.forms}

    def block(self, row: dict[str, Any], f: Facts | None) -> str | None:
        code = f.block if f is not None and f.block else None
        if code is None and row.get("subject_kind") == "unit":
            cat = self.categories.get((row["award"], row["category"]))
            code = cat.block if cat is not None else None
        return self.blocks.get(code, code) if code else None

    def category(self, row: dict[str, Any]) -> str:
        cat = self.categories.get((row["award"], row["category"]))
        return cat.label if cat is not None else row["category"] or ""


def _where(row: dict[str, Any], f: Facts | None) -> str | None:
    if row.get("subject_kind") == "unit" or f is None:
        return None
    return ", ".join(x for x in (f.position, f.unit_name) if x) or None


def shortlist_workbook(
    con: duckdb.DuckDBPyConnection,
    table: pa.Table,
    plan: Plan,
    review: Review,
    stamp: dict[str, str],
    *,
    title: str | None = None,
) -> bytes:
    """The workbook with every candidate's block and discipline read from the store."""
    facts = subject_facts(con, plan, review, None) if table.num_rows else {}
    return shortlist_xlsx_bytes(table, plan, review, stamp, facts, title=title)


def shortlist_xlsx_bytes(
    table: pa.Table,
    plan: Plan,
    review: Review,
    stamp: dict[str, str],
    facts: dict[str, Facts] | None = None,
    *,
    title: str | None = None,
) -> bytes:
    """The shortlist as a workbook (bytes): the stamp block (plan title, review label, data
    version, time made), then one row per candidate in words, then the deferred sheet.

    ``facts`` (``subject_facts``) give the block of units outside a block category and of
    people, the discipline and people's positions; without them those cells stay blank.
    The criteria are listed when the table carries them (``evaluate_review(detail=True)``).
    """
    facts = facts or {}
    names = _Labels(plan)
    wb = Workbook()
    ws = first_sheet(wb)
    ws.title = LIST_SHEET
    _append_texts(ws, [title or f"Danh sách đề nghị khen thưởng — {review.label}"])
    ws["A1"].font = Font(bold=True, size=14)
    block = {
        "Kế hoạch": plan.title,
        "Đợt xét": review.label,
        "Phiên bản dữ liệu": stamp.get("data_version"),
        "Thời điểm xuất": stamp.get("exported_at"),
    }
    for key, value in block.items():
        if value:
            _append_texts(ws, [key, value])
            ws.cell(row=ws.max_row, column=1).font = BOLD
    ws.append([])
    header_row = _header(ws, COLUMNS)
    columns = [c for c in _READ if c in table.column_names]
    rows = table.select(columns).to_pylist() if table.num_rows else []
    deferred: list[dict[str, Any]] = []
    for n, row in enumerate(rows, start=1):
        f = facts.get(row["subject_id"])
        discipline = f.discipline if f is not None else None
        form = row.get("form")
        avg = row["window_avg"]
        _append_texts(
            ws,
            [
                n,
                names.awards.get(row["award"], row["award"]),
                names.category(row),
                names.block(row, f),
                labels.named_with_recipient(
                    row["subject_id"],
                    row["subject_name"],
                    row["recipient_id"],
                    row["recipient_name"],
                ),
                _where(row, f),
                labels.STATUSES.get(row["status"], row["status"]),
                row["rank"],
                float(avg) if avg is not None else None,
                names.forms.get(form, form) if form and row["status"] == "proposed" else None,
                labels.DISCIPLINE.get(discipline, discipline) if discipline else None,
                criteria_text(row.get("criteria")) or None,
                row["reasons"],
            ],
        )
        ws.cell(row=ws.max_row, column=WINDOW_AVG_COLUMN).number_format = "0.00"
        if row["status"] == "deferred":
            deferred.append(row)
    ws.freeze_panes = f"A{header_row + 1}"
    _deferred_sheet(wb, deferred, names)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _deferred_sheet(wb: Workbook, rows: list[dict[str, Any]], names: _Labels) -> None:
    """The deferred candidates ("chưa xét khen thưởng") on a sheet of their own: why, and
    that they are reconsidered once cleared."""
    ws = wb.create_sheet(DEFERRED_SHEET)
    _header(ws, DEFERRED_COLUMNS)
    for n, row in enumerate(rows, start=1):
        _append_texts(
            ws,
            [
                n,
                names.awards.get(row["award"], row["award"]),
                names.category(row),
                labels.named_with_recipient(
                    row["subject_id"],
                    row["subject_name"],
                    row["recipient_id"],
                    row["recipient_name"],
                ),
                row["reasons"],
            ],
        )
