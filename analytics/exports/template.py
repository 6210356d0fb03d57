"""The import template (.xlsx) people fill in.

The template has one sheet per contract table (sheet name = table name, header row =
the Vietnamese labels of ``labels.COLUMNS``, which the importer accepts), example rows
taken from the plan's demo dataset, and a ``Hướng dẫn`` sheet the importer ignores.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from analytics import labels
from analytics.exports.workbook import BOLD, HEADER_FILL, first_sheet
from analytics.ingest.demo_data import demo_rows
from analytics.ingest.raw import INSTRUCTIONS_SHEET
from analytics.plans.models import Plan
from analytics.plans.vocabulary import DISCIPLINE_VALUES
from analytics.store import contract

EXAMPLE_ROWS = 6  # example rows per sheet: enough to show the shape, few enough to delete


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


def _typed(kind: str, text: str) -> Any:
    """A CSV cell as the value a person would type in Excel."""
    text = (text or "").strip()
    if not text:
        return None
    if kind in ("year", "int"):
        return int(text)
    if kind in ("number", "pct"):
        return float(text)
    if kind == "bool":
        return {"true": "x", "1": "x", "false": "không", "0": "không"}.get(text.lower(), text)
    if kind == "date":
        return dt.date.fromisoformat(text)
    return text


def _style_header(ws: Worksheet, widths: list[int]) -> None:
    for i, w in enumerate(widths, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"


def _instructions(ws: Worksheet, plan: Plan) -> None:
    bands = "; ".join(f"{b.label} ≥ {b.min_ratio_pct:g} %" for b in plan.classification.bands)
    general = [
        ("Mẫu nhập dữ liệu — " + plan.title, ""),
        ("Kế hoạch", f"{plan.id} ({plan.first_year}–{plan.last_year})"),
        ("", ""),
        ("Quy tắc chung", ""),
        (
            "Trang tính",
            "Mỗi trang tính là một bảng; giữ nguyên tên trang tính (units, unit_scores, …). "
            "Có thể bỏ trang tính không dùng: bảng không có nghĩa là không có gì mới.",
        ),
        (
            "Dòng tiêu đề",
            "Dòng 1 là tên cột: dùng tiêu đề tiếng Việt như mẫu hoặc tên cột gốc "
            "(unit_id, year, …). Cột lạ (không có trong mẫu) là lỗi, để không mất dữ liệu vì gõ nhầm.",
        ),
        (
            "Dòng ví dụ",
            "Các dòng có sẵn lấy từ bộ dữ liệu mẫu minh họa của kế hoạch: "
            "hãy xóa và thay bằng số liệu thật.",
        ),
        (
            "Ô trống",
            "Ô trống = chưa có số liệu / chưa đánh giá (không phải 0). "
            "Năm chưa có kết quả thì bỏ cả dòng.",
        ),
        (
            "Đúng / sai",
            "x, có, true, 1 = có (đạt); không, false, 0 = không; để trống = chưa đánh giá.",
        ),
        ("Tỷ lệ (%)", "Ghi 85,5 hoặc 85.5 hoặc ô định dạng phần trăm (85,5%); từ 0 đến 100."),
        (
            "Dấu thập phân",
            "Dấu phẩy được hiểu là dấu thập phân khi ô không có dấu chấm; "
            "không dùng dấu phân cách hàng nghìn.",
        ),
        ("Năm", f"Số nguyên từ {plan.first_year} đến {plan.last_year}."),
        ("Ngày", "Ô ngày của Excel hoặc chữ dạng YYYY-MM-DD (ví dụ 2024-04-17)."),
        ("Khối", ", ".join(f"{b.code} = {b.label}" for b in plan.blocks)),
        ("Đợt xét", ", ".join(f"{r.id} = {r.label}" for r in plan.reviews)),
        ("Kỷ luật", ", ".join(f"{v} = {labels.DISCIPLINE[v]}" for v in DISCIPLINE_VALUES)),
        ("Xếp loại", bands + " (tính tự động từ điểm, không cần nhập)."),
        ("Điểm", "Ghi điểm đạt được và điểm tối đa (tỷ lệ được tính), hoặc chỉ tỷ lệ đã công bố."),
        (
            "Nhập dữ liệu",
            "Tất cả hoặc không: một dòng lỗi thì không ghi gì. Nhập lại cùng dữ liệu "
            "không thay đổi gì; không bao giờ xóa dữ liệu đã có. Trang 'Hướng dẫn' được bỏ qua.",
        ),
        ("", ""),
        ("Các trang tính và cột", ""),
    ]
    for r, (a, b) in enumerate(general, start=1):
        ws.cell(row=r, column=1, value=a).font = BOLD
        ws.cell(row=r, column=2, value=b).alignment = Alignment(wrap_text=True, vertical="top")
    ws["A1"].font = Font(bold=True, size=14)
    r = len(general) + 1
    for i, h in enumerate(("Trang tính / cột", "Ý nghĩa", "Tên cột gốc", "Bắt buộc"), start=1):
        ws.cell(row=r, column=i, value=h).font = BOLD
        ws.cell(row=r, column=i).fill = HEADER_FILL
    for name, spec in contract.TABLES.items():
        r += 1
        ws.cell(row=r, column=1, value=name).font = BOLD
        key = ", ".join(header_label(name, k) for k in spec.key)
        ws.cell(row=r, column=2, value=f"{labels.TABLES[name]} (khóa: {key})").font = BOLD
        for col in spec.columns:
            r += 1
            label, help_text = labels.COLUMNS[name][col.name]
            ws.cell(row=r, column=1, value=f"   {label}")
            ws.cell(row=r, column=2, value=help_text).alignment = Alignment(wrap_text=True)
            ws.cell(row=r, column=3, value=col.name)
            ws.cell(row=r, column=4, value="x" if col.required else "")
    for letter, w in zip("ABCD", (34, 90, 22, 10), strict=True):
        ws.column_dimensions[letter].width = w


def template_xlsx_bytes(plan: Plan) -> bytes:
    """The import template of ``plan`` as an .xlsx workbook (bytes)."""
    wb = Workbook()
    ws = first_sheet(wb)
    ws.title = INSTRUCTIONS_SHEET
    _instructions(ws, plan)
    examples = example_rows(plan)
    for name, spec in contract.TABLES.items():
        ws = wb.create_sheet(name)
        headers = [header_label(name, c) for c in spec.column_names]
        ws.append(headers)
        for i, col in enumerate(spec.columns, start=1):
            help_text = labels.COLUMNS[name][col.name][1]
            if help_text:
                ws.cell(row=1, column=i).comment = Comment(help_text, "Thi đua CCHC")
        for row in examples.get(name, []):
            ws.append([_typed(c.kind, row.get(c.name, "")) for c in spec.columns])
        for r in range(2, ws.max_row + 1):
            for i, col in enumerate(spec.columns, start=1):
                cell = ws.cell(row=r, column=i)
                if col.kind == "date" and cell.value is not None:
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula
        _style_header(ws, [max(12, min(40, len(h) + 4)) for h in headers])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
