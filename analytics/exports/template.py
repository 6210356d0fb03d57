"""The import template (.xlsx) people fill in.

One sheet per contract table, named as ``labels.SHEETS`` (the importer maps the names
back), its header row the Vietnamese labels of ``labels.COLUMNS``; a ``Hướng dẫn`` sheet and
a ``Danh mục`` sheet holding the lists behind the drop-downs of the enumerated, yes/no and
unit cells (the importer ignores both). Empty by default; with ``examples`` a small extract
of the plan's demo rows, with ``units`` a store's units pre-filled. Cells are written as a
person would fill them in: Vietnamese labels in enumerated cells, Có / Không, Excel dates
shown dd/mm/yyyy.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from analytics import labels
from analytics.exports.workbook import BOLD, HEADER_FILL, first_sheet
from analytics.ingest.demo_data import demo_rows
from analytics.ingest.parse import ENUM_KINDS, enum_labels
from analytics.ingest.raw import INSTRUCTIONS_SHEET, LISTS_SHEET
from analytics.plans.models import Plan
from analytics.store import contract

EXAMPLE_ROWS = 6  # example rows per sheet: enough to show the shape, few enough to delete
VALIDATED_ROWS = 5000  # rows of each sheet that get the drop-downs (below the header)
DATE_FORMAT = "dd/mm/yyyy"
YES, NO = "Có", "Không"
_TRUE = {"true", "1", "x", "có", "co"}
_FALSE = {"false", "0", "không", "khong"}


def header_label(table: str, column: str) -> str:
    return labels.COLUMNS[table][column][0]


def _codes(row: dict[str, str]) -> set[str]:
    return {c.strip() for c in (row.get("advised_components") or "").split(";") if c.strip()}


def example_rows(plan: Plan) -> dict[str, list[dict[str, str]]]:
    """A small, self-consistent extract of the demo data: every reference resolves inside it.

    Three units (without predecessors), the rows that name them, their people, and the
    provincial components of the first year they advise (or the first few components).
    """
    demo = demo_rows(plan.id)
    first_year = min((r["year"] for r in demo["province_components"]), default=None)
    components = [r for r in demo["province_components"] if r["year"] == first_year]
    comp_ids = {r["component"] for r in components}
    units = [
        u
        for u in demo["units"]
        if not (u.get("predecessors") or "").strip() and _codes(u) <= comp_ids
    ][:3]
    unit_ids = {u["unit_id"] for u in units}
    people = [
        p
        for p in demo["people"]
        if (p.get("unit_id") or "") in unit_ids | {""} and _codes(p) <= comp_ids
    ][:3]
    person_ids = {p["person_id"] for p in people}
    needed = set().union(*(_codes(r) for r in units + people)) if units or people else set()
    out = {
        "units": units,
        "province_components": [r for r in components if r["component"] in needed]
        or components[:EXAMPLE_ROWS],
        "people": people,
        "person_judgments": [r for r in demo["person_judgments"] if r["person_id"] in person_ids],
        "publications": demo["publications"],
        "province_results": demo["province_results"],
    }
    for name in ("unit_scores", "satisfaction", "unit_facts", "unit_judgments"):
        out[name] = [r for r in demo[name] if r["unit_id"] in unit_ids]
    return {k: v if k == "province_components" else v[:EXAMPLE_ROWS] for k, v in out.items()}


Row = Mapping[str, Any]


def list_of(col: contract.Column) -> str | None:
    """The drop-down list (a key of ``labels.LISTS``) of a column, if it has one."""
    if col.kind == "bool":
        return "bool"
    if col.kind in ENUM_KINDS:
        return "discipline" if col.kind == "discipline_or_blank" else col.kind
    if col.kind == "id" and col.ref in ("units", "people"):
        return col.ref
    return None


def _enum_key(kind: str) -> str:
    return "discipline" if kind == "discipline_or_blank" else kind


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _date(value: Any) -> dt.date | str:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return text


class Cells:
    """A stored or demo value as a person would type it in the template's cell."""

    def __init__(self, plan: Plan):
        kinds = {_enum_key(k) for k in ENUM_KINDS} | {"title"}
        self.names = {k: dict(enum_labels(k, plan)) for k in kinds}

    def value(self, col: contract.Column, value: Any) -> Any:
        text = _text(value)
        if not text:
            return None
        kind = col.kind
        if kind in ("year", "int"):
            return int(float(text))
        if kind in ("number", "pct"):
            return float(text)
        if kind == "bool":
            low = text.lower()
            return YES if low in _TRUE else NO if low in _FALSE else text
        if kind == "date":
            return _date(value)
        if kind in ENUM_KINDS:
            return self.names[_enum_key(kind)].get(text, text)
        if kind in ("titles", "forms"):
            names = self.names["title" if kind == "titles" else "form"]
            return ";".join(names.get(c.strip(), c.strip()) for c in text.split(";") if c.strip())
        return text


def _put(ws: Worksheet, row: int, column: int, value: Any) -> Any:
    """Write one cell; text is always text (data type "s"): never a formula."""
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _style_header(ws: Worksheet, widths: list[int]) -> None:
    for i, w in enumerate(widths, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"


def drop_down_lists(plan: Plan, units: Sequence[Row]) -> dict[str, list[str]]:
    """The values of each drop-down list (``labels.LISTS`` keys) the template offers;
    ``unit_names`` holds the names beside the unit ids (not a list of its own)."""
    out: dict[str, list[str]] = {"bool": [YES, NO]}
    used = {list_of(c) for t in contract.TABLES.values() for c in t.columns} - {None, "bool"}
    for key in labels.LISTS:
        if key in used and key not in ("units", "people"):
            out[key] = [label for _code, label in enum_labels(key, plan)]
    out["units"] = [_text(u.get("unit_id")) for u in units]
    out["unit_names"] = [_text(u.get("name")) for u in units]
    return {k: v for k, v in out.items() if v}


def _lists_sheet(ws: Worksheet, lists: dict[str, list[str]]) -> dict[str, str]:
    """Write the lists side by side; the range of each (for a validation's formula)."""
    ranges: dict[str, str] = {}
    for i, (key, values) in enumerate(lists.items(), start=1):
        _put(ws, 1, i, labels.LISTS[key])
        for r, value in enumerate(values, start=2):
            _put(ws, r, i, value)
        letter = get_column_letter(i)
        ranges[key] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
    _style_header(ws, [max(14, min(48, max(len(v) for v in vs) + 2)) for vs in lists.values()])
    return ranges


def _people_range() -> str:
    """The person ids of the people sheet, as a list formula (the rows a user fills in)."""
    letter = get_column_letter(contract.TABLES["people"].column_names.index("person_id") + 1)
    return f"'{labels.SHEETS['people']}'!${letter}$2:${letter}${VALIDATED_ROWS + 1}"


def _validation(key: str, formula: str) -> DataValidation:
    what = labels.LISTS[key]
    if key in ("units", "people"):
        message = (
            f"{what} chưa có trong danh sách: cần được khai báo ở trang "
            f"{labels.SHEETS[key]} (cùng tệp hoặc đã có trong kho dữ liệu)."
        )
    else:
        message = f"Chọn một giá trị trong danh sách «{what}» (trang {LISTS_SHEET})."
    return DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",  # the importer also accepts the plan's codes: Excel only warns
        errorTitle="Không có trong danh sách",
        error=message,
    )


def _instructions(ws: Worksheet, plan: Plan, *, examples: bool, prefilled: bool) -> None:
    bands = "; ".join(f"{b.label} ≥ {b.min_ratio_pct:g} %" for b in plan.classification.bands)
    sheets = ", ".join(labels.SHEETS[t] for t in list(contract.TABLES)[:3])
    general = [
        ("Mẫu nhập dữ liệu — " + plan.title, ""),
        ("Kế hoạch", f"{plan.title} ({plan.first_year}–{plan.last_year})"),
        ("Mã kế hoạch", f"{plan.id} (kho dữ liệu nhập theo kế hoạch này)"),
        ("", ""),
        ("Quy tắc chung", ""),
        (
            "Trang tính",
            f"Mỗi trang tính là một bảng; giữ nguyên tên trang tính ({sheets}, …). "
            "Tên bảng gốc (ghi ở cột «Tên gốc» bên dưới) cũng được chấp nhận. "
            "Có thể bỏ trang tính không dùng: bảng không có nghĩa là không có gì mới. "
            f"Trang «{INSTRUCTIONS_SHEET}» và «{LISTS_SHEET}» không được nhập.",
        ),
        (
            "Dòng tiêu đề",
            "Dòng 1 là tên cột: dùng tiêu đề tiếng Việt như mẫu hoặc tên cột gốc. "
            "Cột lạ (không có trong mẫu) là lỗi, để không mất dữ liệu vì gõ nhầm.",
        ),
        *(
            [
                (
                    "Dòng ví dụ",
                    "Các dòng có sẵn lấy từ bộ dữ liệu minh họa của kế hoạch: "
                    "hãy xóa và thay bằng số liệu thật.",
                )
            ]
            if examples
            else []
        ),
        *(
            [
                (
                    "Đơn vị có sẵn",
                    f"Trang «{labels.SHEETS['units']}» đã có các đơn vị trong kho dữ liệu: "
                    "giữ nguyên thì nhập lại không thay đổi gì; có thể sửa hoặc thêm đơn vị.",
                )
            ]
            if prefilled
            else []
        ),
        (
            "Danh sách chọn",
            "Các ô khối, kỷ luật, đợt xét, hình thức, Có / Không, mã đơn vị… có danh sách "
            f"chọn (lấy từ trang «{LISTS_SHEET}»); mã cá nhân chọn từ trang "
            f"«{labels.SHEETS['people']}». Giá trị ngoài danh sách thì Excel cảnh báo; "
            "khi nhập, giá trị sai được báo lỗi.",
        ),
        (
            "Ô trống",
            "Ô trống = chưa có số liệu / chưa đánh giá (không phải 0). "
            "Năm chưa có kết quả thì bỏ cả dòng.",
        ),
        (
            "Có / Không",
            f"{YES} hoặc {NO} (chọn trong danh sách); cũng nhận x, có, true, 1 = có (đạt) và "
            "không, false, 0 = không; để trống = chưa đánh giá.",
        ),
        ("Tỷ lệ (%)", "Ghi 85,5 hoặc 85.5 hoặc ô định dạng phần trăm (85,5%); từ 0 đến 100."),
        (
            "Dấu thập phân",
            "Dấu phẩy được hiểu là dấu thập phân khi ô không có dấu chấm; "
            "không dùng dấu phân cách hàng nghìn.",
        ),
        ("Năm", f"Số nguyên từ {plan.first_year} đến {plan.last_year}."),
        (
            "Ngày",
            "Ô ngày của Excel (hiển thị dd/mm/yyyy) hoặc chữ dạng dd/mm/yyyy, ví dụ 17/04/2024.",
        ),
        ("Khối", "; ".join(b.label for b in plan.blocks)),
        ("Đợt xét", "; ".join(r.label for r in plan.reviews)),
        ("Kỷ luật", "; ".join(label for _code, label in enum_labels("discipline", plan))),
        ("Xếp loại", bands + " (tính tự động từ điểm, không cần nhập)."),
        ("Điểm", "Ghi điểm đạt được và điểm tối đa (tỷ lệ được tính), hoặc chỉ tỷ lệ đã công bố."),
        (
            "Nhập dữ liệu",
            "Tất cả hoặc không: một dòng lỗi thì không ghi gì; mỗi lỗi được báo với tên trang "
            "tính, dòng và tiêu đề cột. Nhập lại cùng dữ liệu không thay đổi gì; không bao giờ "
            "xóa dữ liệu đã có.",
        ),
        ("", ""),
        ("Các trang tính và cột", ""),
    ]
    for r, (a, b) in enumerate(general, start=1):
        _put(ws, r, 1, a).font = BOLD
        _put(ws, r, 2, b).alignment = Alignment(wrap_text=True, vertical="top")
    ws["A1"].font = Font(bold=True, size=14)
    r = len(general) + 1
    for i, h in enumerate(("Trang tính / cột", "Ý nghĩa", "Tên gốc", "Bắt buộc"), start=1):
        ws.cell(row=r, column=i, value=h).font = BOLD
        ws.cell(row=r, column=i).fill = HEADER_FILL
    for name, spec in contract.TABLES.items():
        r += 1
        _put(ws, r, 1, labels.SHEETS[name]).font = BOLD
        key = ", ".join(header_label(name, k) for k in spec.key)
        _put(ws, r, 2, f"{labels.TABLES[name]} (khóa: {key})").font = BOLD
        _put(ws, r, 3, name)
        for col in spec.columns:
            r += 1
            label, help_text = labels.COLUMNS[name][col.name]
            _put(ws, r, 1, f"   {label}")
            _put(ws, r, 2, help_text).alignment = Alignment(wrap_text=True)
            _put(ws, r, 3, col.name)
            _put(ws, r, 4, "x" if col.required else "")
    for letter, w in zip("ABCD", (34, 90, 22, 10), strict=True):
        ws.column_dimensions[letter].width = w


def _table_rows(plan: Plan, examples: bool, units: Sequence[Row] | None) -> dict[str, list[Row]]:
    """The rows each sheet starts with: the given units, then the examples (if asked)."""
    out: dict[str, list[Row]] = {name: [] for name in contract.TABLES}
    if examples:
        for name, rows in example_rows(plan).items():
            out[name] = list(rows)
    if units:
        given = {_text(u.get("unit_id")) for u in units}
        out["units"] = [*units, *(u for u in out["units"] if u["unit_id"] not in given)]
    return out


def template_xlsx_bytes(
    plan: Plan, *, examples: bool = False, units: Sequence[Row] | None = None
) -> bytes:
    """The import template of ``plan`` as an .xlsx workbook (bytes).

    Empty unless asked: ``examples`` adds a small, self-consistent extract of the demo rows
    (the "mẫu có ví dụ"); ``units`` (rows with the contract's column names, e.g. a store's
    units) are pre-filled in the units sheet and offered by the unit drop-downs.
    """
    wb = Workbook()
    ws = first_sheet(wb)
    ws.title = INSTRUCTIONS_SHEET
    _instructions(ws, plan, examples=examples, prefilled=bool(units))
    rows = _table_rows(plan, examples, units)
    cells = Cells(plan)
    sheets = {name: wb.create_sheet(labels.SHEETS[name]) for name in contract.TABLES}
    ranges = _lists_sheet(wb.create_sheet(LISTS_SHEET), drop_down_lists(plan, rows["units"]))
    ranges["people"] = _people_range()
    for name, spec in contract.TABLES.items():
        ws = sheets[name]
        headers = [header_label(name, c) for c in spec.column_names]
        validations: dict[str, DataValidation] = {}
        for i, col in enumerate(spec.columns, start=1):
            cell = _put(ws, 1, i, headers[i - 1])
            help_text = labels.COLUMNS[name][col.name][1]
            if help_text:
                cell.comment = Comment(help_text, "Thi đua CCHC")
            letter = get_column_letter(i)
            if col.kind == "date":
                ws.column_dimensions[letter].number_format = DATE_FORMAT
            key = list_of(col)
            if key in ranges:
                if key not in validations:
                    validations[key] = _validation(key, ranges[key])
                    ws.add_data_validation(validations[key])
                validations[key].add(f"{letter}2:{letter}{VALIDATED_ROWS + 1}")
        for r, row in enumerate(rows[name], start=2):
            for i, col in enumerate(spec.columns, start=1):
                cell = _put(ws, r, i, cells.value(col, row.get(col.name)))
                if col.kind == "date" and isinstance(cell.value, dt.date):
                    cell.number_format = DATE_FORMAT
        _style_header(ws, [max(12, min(40, len(h) + 4)) for h in headers])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
