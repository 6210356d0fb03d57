"""The import template, the shortlist workbook, the data-quality warnings and the import log."""

from __future__ import annotations

import io
import shutil

import openpyxl
import pyarrow as pa
import pytest

from analytics import labels
from analytics.errors import InputRejected, Problem
from analytics.exports.template import template_xlsx_bytes
from analytics.exports.workbook import shortlist_xlsx_bytes
from analytics.ingest.importer import import_dataset
from analytics.ingest.raw import INSTRUCTIONS_SHEET, LISTS_SHEET, map_header, table_for_name
from analytics.rules.shortlist import evaluate_review
from analytics.store.connection import open_store
from analytics.store.contract import TABLES
from analytics.views.import_log import (
    counts_text,
    has_changes,
    import_log,
    more_problems_text,
    preview_frame,
)
from analytics.views.quality import quality_warnings, warning_counts, warnings_display
from tests._datasets import NQ_PLAN, ST_PLAN, TEST_ADMIN
from tests._rules_kit import make_store, write_dataset

PLANS = [pytest.param(ST_PLAN, id="soc-trang"), pytest.param(NQ_PLAN, id="nhu-quynh")]


def _warnings(path, plan):
    with open_store(path, read_only=True) as con:
        return quality_warnings(con, plan)


# --- template -----------------------------------------------------------------------------------
@pytest.mark.parametrize("plan", PLANS)
def test_template_sheets_and_headers_map_to_the_contract(plan):
    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx_bytes(plan)))
    assert wb.sheetnames == [INSTRUCTIONS_SHEET, *labels.SHEETS.values(), LISTS_SHEET]
    for name, spec in TABLES.items():
        sheet = labels.SHEETS[name]
        assert table_for_name(sheet) == name
        header = [c.value for c in wb[sheet][1]]
        assert header == [labels.COLUMNS[name][c][0] for c in spec.column_names]
        mapped, problems = map_header(name, sheet, header)
        assert problems == []
        assert mapped == list(spec.column_names)


@pytest.mark.parametrize("plan", PLANS)
def test_instructions_sheet_explains_the_rules(plan):
    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx_bytes(plan)))
    text = "\n".join(
        str(c.value) for row in wb[INSTRUCTIONS_SHEET].iter_rows() for c in row if c.value
    )
    for needed in ("x, có", "Có hoặc Không", "Dấu thập phân", "Ô trống", "Tỷ lệ (%)", plan.id):
        assert needed in text
    assert "dd/mm/yyyy" in text and LISTS_SHEET in text
    assert "Dòng ví dụ" not in text and "minh họa" not in text  # no example rows asked
    assert "Dòng ví dụ" in _instructions_text(template_xlsx_bytes(plan, examples=True))
    for name, spec in TABLES.items():
        assert labels.SHEETS[name] in text and name in text  # the contract name still accepted
        for col in spec.columns:
            assert labels.COLUMNS[name][col.name][0] in text
    for block in plan.blocks:
        assert block.label in text


def _instructions_text(book: bytes) -> str:
    wb = openpyxl.load_workbook(io.BytesIO(book))
    return "\n".join(
        str(c.value) for row in wb[INSTRUCTIONS_SHEET].iter_rows() for c in row if c.value
    )


@pytest.mark.parametrize("plan", PLANS)
def test_template_with_examples_reimports_into_an_empty_store(tmp_path, plan):
    book = tmp_path / "mau.xlsx"
    book.write_bytes(template_xlsx_bytes(plan, examples=True))
    path = make_store(tmp_path, {}, plan=plan.id)
    with open_store(path) as con:
        rows = import_dataset(con, book, plan, dry_run=True, actor=TEST_ADMIN).rows
        assert rows["units"] == 3 and rows["unit_scores"] > 0
        result = import_dataset(con, book, plan, actor=TEST_ADMIN)
        assert result.is_change
        again = import_dataset(con, book, plan, actor=TEST_ADMIN)
        assert not again.is_change


@pytest.mark.parametrize("plan", PLANS)
def test_template_examples_are_the_demo_rows(demo_stores, tmp_path, plan):
    # Imported into the demo store, the example rows change nothing: they are demo rows
    # (booleans written Có / Không, enumerated cells with their Vietnamese labels, numbers
    # as numbers, dates as dates).
    book = tmp_path / "mau.xlsx"
    book.write_bytes(template_xlsx_bytes(plan, examples=True))
    store = shutil.copy(demo_stores[plan.id], tmp_path / "copy.duckdb")
    with open_store(store) as con:
        result = import_dataset(con, book, plan, dry_run=True, actor=TEST_ADMIN)
    assert not result.is_change
    assert sum(c.unchanged for c in result.counts.values()) > 10


def test_template_booleans_and_blocks_are_written_the_vietnamese_way():
    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx_bytes(ST_PLAN, examples=True)))
    ws = wb[labels.SHEETS["unit_judgments"]]
    values = {c.value for row in ws.iter_rows(min_row=2) for c in row[2:5]}
    assert values <= {"Có", "Không", None}
    assert "Có" in values
    blocks = {r[2] for r in wb[labels.SHEETS["units"]].iter_rows(min_row=2, values_only=True)}
    assert blocks and blocks <= {b.label for b in ST_PLAN.blocks}
    dates = [
        c
        for row in wb[labels.SHEETS["publications"]].iter_rows(min_row=2)
        for c in row[1:]
        if c.value is not None
    ]
    assert dates and all(c.is_date and c.number_format == "dd/mm/yyyy" for c in dates)


# --- shortlist workbook -------------------------------------------------------------------------
def test_shortlist_xlsx_has_a_stamp_block_and_the_same_rows(demo_stores):
    review = ST_PLAN.review("so-ket-2025")
    with open_store(demo_stores[ST_PLAN.id], read_only=True) as con:
        table = evaluate_review(con, ST_PLAN, "so-ket-2025")
    stamp = {
        "plan_id": ST_PLAN.id,
        "review_id": "so-ket-2025",
        "data_version": "v1 (x)",
        "exported_at": "01/01/2026 10:00",
    }
    book = shortlist_xlsx_bytes(table, ST_PLAN, review, stamp)
    ws = openpyxl.load_workbook(io.BytesIO(book)).active
    rows = list(ws.iter_rows(values_only=True))
    block = {r[0]: r[1] for r in rows[1:5]}
    assert block == {  # for people: the plan's title and the review's label, not their ids
        "Kế hoạch": ST_PLAN.title,
        "Đợt xét": review.label,
        "Phiên bản dữ liệu": "v1 (x)",
        "Thời điểm xuất": "01/01/2026 10:00",
    }
    header_at = next(i for i, r in enumerate(rows) if r[0] == "STT")
    header = list(rows[header_at])
    assert labels.SHORTLIST["subject_id"] not in header  # the ids stay in the CSV
    name, status, rank = (
        header.index(labels.SHORTLIST[c]) for c in ("subject_name", "status", "rank")
    )
    data = rows[header_at + 1 :]
    assert len(data) == table.num_rows
    expected = table.select(["subject_name", "status", "rank"]).to_pylist()
    got = [{"subject_name": r[name], "status": r[status], "rank": r[rank]} for r in data]
    assert [g["rank"] for g in got] == [e["rank"] for e in expected]
    assert [g["status"] for g in got] == [labels.STATUSES[e["status"]] for e in expected]
    first = data[0]
    assert isinstance(first[rank], int)
    assert first[header.index(labels.SHORTLIST["window_avg"])] == pytest.approx(95.2)


def test_shortlist_xlsx_never_writes_a_formula():
    table = pa.table(
        {
            "review": ["2023"],
            "award": ["flag"],
            "category": ["so_nganh"],
            "subject_id": ["u1"],
            "subject_name": ['=HYPERLINK("http://x")'],
            "status": ["pending"],
            "rank": pa.array([None], pa.int64()),
            "window_avg": pa.array([None], pa.decimal128(5, 2)),
            "reasons": ["@SUM(1)"],
            "recipient_id": ["u2"],
            "recipient_name": ["+cmd|' /C calc'!A0"],
        }
    )
    stamp = {"plan_id": "p", "review_id": "2023", "data_version": "v0", "exported_at": "t"}
    data = shortlist_xlsx_bytes(table, ST_PLAN, ST_PLAN.review("2023"), stamp)
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [c for row in book.active.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    assert any(str(c.value).startswith('=HYPERLINK("http://x") — đơn vị nhận: +') for c in cells)
    assert any(c.value == "@SUM(1)" for c in cells)


# --- data quality ---------------------------------------------------------------------------------
def test_demo_warnings_sldtbxh_lacks_2022(demo_stores):
    w = _warnings(demo_stores[ST_PLAN.id], ST_PLAN)
    missing = w[w.kind == "missing_year"]
    assert missing[["unit_id", "year"]].values.tolist() == [["sldtbxh", 2022]]
    assert list(w.columns) == ["kind", "unit_id", "name", "year", "detail"]


def test_demo_active_ranges_are_respected(demo_stores):
    # bqlda-gt is active to 2022 and bqlda from 2023; h-longphu to 2024: their absent
    # years are not "missing", and none of their rows lies outside the active range.
    w = _warnings(demo_stores[ST_PLAN.id], ST_PLAN)
    assert not set(w.unit_id) & {"bqlda-gt", "bqlda", "h-longphu"}
    assert (w.kind == "outside_active").sum() == 0
    assert (w.kind == "no_scores").sum() == 0


def test_demo_outliers(demo_stores):
    w = _warnings(demo_stores[ST_PLAN.id], ST_PLAN)
    jumps = w[w.kind == "jump"][["unit_id", "year"]].values.tolist()
    # h-kesach 91,20 -> 47,50 -> 92,40; bhxh 81,30 -> 50,00 -> 83,40 (hand-checked)
    assert jumps == [["bhxh", 2024], ["bhxh", 2025], ["h-kesach", 2022], ["h-kesach", 2023]]
    outliers = w[w.kind == "block_outlier"]
    assert set(outliers.unit_id) == {"bdt"}
    assert "65,00 %" in outliers[outliers.year == 2021].detail.iloc[0]


def test_nhu_quynh_collectives_without_an_index_are_not_flagged(demo_stores):
    w = _warnings(demo_stores[NQ_PLAN.id], NQ_PLAN)
    assert w.empty


def test_rows_outside_the_active_range_are_listed(demo_stores, tmp_path):
    store = shutil.copy(demo_stores[ST_PLAN.id], tmp_path / "copy.duckdb")
    ds = write_dataset(
        tmp_path / "extra",
        {
            "unit_scores": [{"year": 2025, "unit_id": "h-longphu", "score": 88, "max_score": 100}],
            "satisfaction": [{"year": 2021, "unit_id": "bqlda", "satisfaction_pct": 91}],
        },
    )
    with open_store(store) as con:
        import_dataset(con, ds, ST_PLAN, actor=TEST_ADMIN)
    w = _warnings(store, ST_PLAN)
    out = w[w.kind == "outside_active"]
    assert out[["unit_id", "year"]].values.tolist() == [["bqlda", 2021], ["h-longphu", 2025]]
    assert "2021–2024" in out[out.unit_id == "h-longphu"].detail.iloc[0]
    assert "tỷ lệ hài lòng" in out[out.unit_id == "bqlda"].detail.iloc[0]
    # a kept-but-ignored row does not make 2025 a "missing year" for anyone
    assert w[w.kind == "missing_year"].unit_id.tolist() == ["sldtbxh"]


def test_units_without_scores_and_missing_components(tmp_path):
    path = make_store(
        tmp_path,
        {
            "units": [
                {"unit_id": "a", "name": "A", "block": "so_nganh", "advised_components": "C1;C2"},
                {"unit_id": "b", "name": "B", "block": "so_nganh"},
                {"unit_id": "c", "name": "C", "block": "so_nganh"},
            ],
            "province_components": [
                {"year": 2021, "component": "C1", "score": 8, "max_score": 10},
                {"year": 2021, "component": "C2", "score": 8, "max_score": 10},
                {"year": 2022, "component": "C1", "score": 9, "max_score": 10},
            ],
            "unit_scores": [
                {"year": y, "unit_id": u, "ratio": 80} for y in (2021, 2022) for u in ("a", "b")
            ],
        },
    )
    w = _warnings(path, ST_PLAN)
    assert w[w.kind == "no_scores"].unit_id.tolist() == ["c"]
    comp = w[w.kind == "component_missing"]
    assert comp[["unit_id", "year"]].values.tolist() == [["a", 2022]]
    assert "C2" in comp.detail.iloc[0] and "C1" not in comp.detail.iloc[0]
    shown = warnings_display(w)
    assert list(shown.columns) == ["Loại cảnh báo", "Tên đơn vị", "Năm", "Chi tiết"]  # no id
    assert warning_counts(w)["no_scores"] == 1


def test_empty_store_has_no_warnings_and_no_log(tmp_path):
    path = make_store(tmp_path, {})
    assert _warnings(path, ST_PLAN).empty
    with open_store(path, read_only=True) as con:
        assert import_log(con).empty


# --- import log and problem display ---------------------------------------------------------------
def test_import_log_is_formatted(demo_stores):
    with open_store(demo_stores[ST_PLAN.id], read_only=True) as con:
        log = import_log(con)
    assert list(log.columns) == ["Lần nhập", "Thời gian", "Có thay đổi", "Nguồn", "Số dòng", "Tệp"]
    first = log.iloc[-1]
    assert first["Nguồn"] == "Dữ liệu mẫu minh họa"  # not the internal "demo:<plan id>"
    assert first["Có thay đổi"] == "có"
    assert "Đơn vị: thêm 41" in first["Số dòng"]
    assert "units.csv, unit_scores.csv" in first["Tệp"]
    assert len(first["Thời gian"]) == 16 and first["Thời gian"][2] == "/"


def test_counts_text_leaves_out_empty_tables():
    text = counts_text(
        '{"units": {"inserted": 0, "updated": 2, "unchanged": 5},'
        ' "satisfaction": {"inserted": 0, "updated": 0, "unchanged": 0}}'
    )
    assert text == "Đơn vị: sửa 2, giữ nguyên 5"
    assert counts_text('{"units": {"inserted": 0, "updated": 0, "unchanged": 0}}') == (
        "không có dòng nào"
    )


def test_more_problems_text():
    assert more_problems_text(1200, 1000) == "… và 200 lỗi khác"
    assert more_problems_text(3, 3) == ""


def test_preview_frame(demo_stores, tmp_path):
    ds = write_dataset(
        tmp_path / "ds", {"unit_scores": [{"year": 2021, "unit_id": "snv", "ratio": 50}]}
    )
    store = shutil.copy(demo_stores[ST_PLAN.id], tmp_path / "copy.duckdb")
    with open_store(store) as con:
        result = import_dataset(con, ds, ST_PLAN, dry_run=True, actor=TEST_ADMIN)
    frame = preview_frame(result.counts)
    assert frame.values.tolist() == [["Điểm Chỉ số CCHC của đơn vị", "unit_scores", 0, 1, 0]]
    assert has_changes(result.counts)
    with pytest.raises(InputRejected) as exc, open_store(store) as con:
        import_dataset(
            con,
            write_dataset(
                tmp_path / "bad", {"unit_scores": [{"year": 2099, "unit_id": "snv", "ratio": 50}]}
            ),
            ST_PLAN,
            dry_run=True,
            actor=TEST_ADMIN,
        )
    assert isinstance(exc.value.problems[0], Problem)


def test_shortlist_workbook_drops_control_characters_of_older_stores():
    from analytics.rules.shortlist import empty_shortlist

    row = {c: None for c in empty_shortlist().column_names}
    row |= {
        "review": "2021",
        "subject_id": "snv",
        "subject_name": "Sở\x0b Nội vụ",
        "status": "proposed",
    }
    table = pa.Table.from_pylist([row], schema=empty_shortlist().schema)
    data = shortlist_xlsx_bytes(table, ST_PLAN, ST_PLAN.review("2021"), {})
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert "Sở Nội vụ" in [c.value for c in list(ws.iter_rows())[-1]]
