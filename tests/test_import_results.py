"""Importing the PAR Index results table as the province publishes it (issue 12, item 9):
annex workbooks of several layouts built here with openpyxl, read, matched by unit name
to a demo store, and imported through the standard all-or-nothing import."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from analytics.cli import main
from analytics.errors import InputRejected
from analytics.ingest.annex_headers import column_meaning, meaning_of
from analytics.ingest.annex_reader import parse_number, read_annex
from analytics.ingest.results_annex import import_results, prepare_results
from analytics.ingest.unit_names import Unit, match_name, name_key
from analytics.plans.loading import file_sha256
from analytics.store.connection import open_store
from tests._datasets import RE_ID, ROOT, ST_ID, TEST_ADMIN

Rows = list[list[object]]


# --- building annex workbooks ------------------------------------------------------------------
def book(path: Path, sheets: dict[str, Rows], merges: dict[str, list[str]] | None = None) -> Path:
    """A workbook with one sheet per entry (rows as given; None = empty cell)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        for rng in (merges or {}).get(title, []):
            ws.merge_cells(rng)
    wb.save(path)
    return path


TITLE = [["UBND TỈNH SÓC TRĂNG"], ["KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2023"], []]


def merged_header_book(path: Path) -> Path:
    """Title rows, a two-row merged header ("Kết quả" over three columns), a column-number
    row, a group row, decimal commas as text, an average row."""
    rows: Rows = [
        *TITLE,
        ["STT", "Tên đơn vị", "Kết quả", None, None, "Xếp loại", "Xếp hạng"],
        [None, None, "Điểm tối đa", "Điểm đạt được", "Tỷ lệ (%)", None, None],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
        ["I", "KHỐI SỞ, BAN, NGÀNH"],
        [1, "Sở Nội Vụ", 100, "85,5", "85,5", "Tốt", 1],
        [2, "SỞ VĂN HOÁ, THỂ THAO VÀ DU LỊCH", 100, "80,25", "80,25", "Tốt", 2],
        [3, "Ủy ban nhân dân huyện Châu Thành", 90, 72, "80", "Khá", 3],
        [None, "Trung bình", None, "79,25", "81,92"],
    ]
    merges = ["A2:G2", "A4:A5", "B4:B5", "C4:E4", "F4:F5", "G4:G5"]
    return book(path, {"Kết quả": rows}, {"Kết quả": merges})


def per_block_book(path: Path, extra: Rows | None = None) -> Path:
    """One sheet per block, other header spellings, a total row, an instructions sheet."""
    so: Rows = [
        ["KẾT QUẢ CHỈ SỐ CCHC KHỐI SỞ, BAN, NGÀNH"],
        ["Số TT", "Cơ quan, đơn vị", "Điểm tối đa", "Tổng điểm đạt được", "Ghi chú"],
        [1, "Tư pháp", "100", "91,5", ""],
        [2, "Sở  Tài chính.", "100", "88", "tăng 2 bậc"],
        *(extra or []),
        ["", "Tổng cộng", "200", "179,5"],
    ]
    huyen: Rows = [
        ["KẾT QUẢ CHỈ SỐ CCHC KHỐI HUYỆN"],
        [],
        ["TT", "Đơn vị, địa phương", "Điểm chuẩn", "Điểm thẩm định", "Tỉ lệ %"],
        [1, "UBND TP. Sóc Trăng", 90, "70,2", "78"],
        [2, "Huyện Kế Sách", 90, "81", "90"],
    ]
    guide: Rows = [["Hướng dẫn: bảng này do Sở Nội vụ lập"], ["Tên đơn vị", "Điểm"]]
    return book(path, {"Khối sở": so, "Khối huyện": huyen, "Hướng dẫn": guide})


def ratio_only_book(path: Path) -> Path:
    """Only the ratio, as a % cell (0,855) or as text with a decimal comma and a %."""
    rows: Rows = [
        ["Đơn vị", "Chỉ số CCHC (%)", "Xếp hạng"],
        ["Bảo hiểm xã hội tỉnh Sóc Trăng", 0.855, 1],
        ["Cục Thuế tỉnh Sóc Trăng", "79,5%", 2],
    ]
    path = book(path, {"Khối TW": rows})
    wb = openpyxl.load_workbook(path)
    wb["Khối TW"]["B2"].number_format = "0.0%"
    wb.save(path)
    return path


def score_and_ratio_book(path: Path) -> Path:
    """A header on the first row, a score and a ratio but no maximum: the ratio is taken."""
    rows: Rows = [
        ["Tên cơ quan", "Tổng điểm", "Tỷ lệ (%)", "Xếp loại"],
        ["Sở Y tế", "76,5", "85,00", "Tốt"],
        ["Thanh tra tỉnh", "70", "77,78", "Khá"],
    ]
    return book(path, {"Sheet1": rows})


def parent_child_book(path: Path, name: str) -> Path:
    """A two-row header whose children only make sense with their parent ("Điểm" over
    "Tối đa" / "Đạt được"), component areas beside it (ignored), no title."""
    rows: Rows = [
        ["STT", "Tên đơn vị", "Điểm", None, "Chỉ số thành phần", None],
        [None, None, "Tối đa", "Đạt được", "Chỉ đạo điều hành", "Thể chế"],
        [1, name, 90, "77,4", "8,5", "7"],
        [2, "UBND thị xã Vĩnh Châu", 90, "80", "9", "8"],
    ]
    merges = ["A1:A2", "B1:B2", "C1:D1", "E1:F1"]
    return book(path, {"KQ": rows}, {"KQ": merges})


def scores(store: Path, year: int, unit_ids: list[str]) -> dict[str, tuple]:
    with open_store(store, read_only=True) as con:
        rows = con.execute(
            "SELECT unit_id, score, max_score, ratio FROM unit_scores "
            "WHERE year = ? AND list_contains(?, unit_id)",
            [year, unit_ids],
        ).fetchall()
    return {r[0]: tuple(None if v is None else Decimal(str(v)) for v in r[1:]) for r in rows}


def log_count(store: Path) -> int:
    with open_store(store, read_only=True) as con:
        return con.execute("SELECT count(*) FROM import_log").fetchone()[0]


def D(text: str) -> Decimal:
    return Decimal(text)


# --- name matching ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("Hoà Bình", "Hòa Bình", id="hoa-tone-place"),
        pytest.param("Thuỷ lợi", "Thủy lợi", id="uy-tone-place"),
        pytest.param("Khoẻ", "Khỏe", id="oe-tone-place"),
        pytest.param("UBND huyện Châu Thành", "Huyện Châu Thành", id="prefix-ubnd"),
        pytest.param("Uỷ ban nhân dân huyện Châu Thành", "huyện châu thành", id="prefix-ubnd-full"),
        pytest.param("Sở Tư pháp", "TƯ PHÁP", id="prefix-so-case"),
        pytest.param("Sở Văn hóa, Thể thao và Du lịch", "Văn hoá - Thể thao & Du lịch", id="punct"),
        pytest.param("UBND thành phố Sóc Trăng", "UBND TP. Sóc Trăng", id="abbreviation"),
    ],
)
def test_spellings_share_a_key(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("Hòa", "Hóa", id="other-vowel"),
        pytest.param("Hòa", "Hoa", id="tone-kept"),
        pytest.param("Hòa", "Hỏa", id="other-tone"),
        pytest.param("Sở Nội vụ", "Nội vụ thành phố", id="longer"),
    ],
)
def test_different_names_differ(a, b):
    assert name_key(a) != name_key(b)


UNITS = [
    Unit("a", "Sở Nội vụ", None, 2024),
    Unit("b", "Sở Nội vụ thành phố Cần Thơ"),
    Unit("c", "Trường Cao đẳng Cộng đồng Sóc Trăng"),
    Unit("d", "Trường Cao đẳng Y tế Sóc Trăng"),
    Unit("e", "Bảo hiểm xã hội tỉnh Sóc Trăng"),
]


@pytest.mark.parametrize(
    ("name", "year", "status", "ids"),
    [
        pytest.param("Sở Nội vụ", 2024, "exact", ["a"], id="exact-wins-over-contained"),
        pytest.param("Sở Nội vụ", 2025, "inactive", ["a"], id="inactive-not-a-looser-match"),
        pytest.param("Trường Cao đẳng", 2024, "ambiguous", ["c", "d"], id="ambiguous"),
        pytest.param("Bảo hiểm xã hội tỉnh", 2024, "close", ["e"], id="province-suffix"),
        pytest.param("Bảo hiểm xã hội", 2024, "close", ["e"], id="contained"),
        pytest.param("Sở Ngoại vụ", 2024, "unmatched", [], id="unmatched"),
    ],
)
def test_match_name(name, year, status, ids):
    m = match_name(name, UNITS, year)
    assert (m.status, [u.unit_id for u in m.units]) == (status, ids)


def test_unmatched_suggests_the_three_closest_active_units():
    m = match_name("Sở Nội vu", UNITS, 2024)
    assert m.status == "unmatched"
    assert len(m.suggestions) == 3 and m.suggestions[0].unit_id == "a"
    assert all(u.is_active_in(2024) for u in m.suggestions)


# --- headers and numbers ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("parent", "child", "meaning"),
    [
        ("Tên đơn vị", "", "name"),
        ("Cơ quan, đơn vị", "", "name"),
        ("Tổng điểm đạt được", "", "score"),
        ("Điểm thẩm định", "", "score"),
        ("Điểm tối đa", "", "max_score"),
        ("Tỷ lệ (%)", "", "ratio"),
        ("Chỉ số CCHC", "", "ratio"),
        ("STT", "", None),
        ("Xếp loại", "", None),
        ("Xếp hạng", "", None),
        ("Ghi chú", "", None),
        ("Điểm tự đánh giá", "", None),
        ("Kết quả", "Điểm tối đa", "max_score"),
        ("Chỉ số CCHC", "Điểm đạt được", "score"),
        ("Điểm", "Đạt được", "score"),
        ("Điểm", "Tối đa", "max_score"),
        ("Chỉ số thành phần", "Chỉ đạo điều hành", None),
        ("Kết quả", "Xếp hạng", None),
        ("Tên đơn vị", "Tên đơn vị", "name"),
    ],
)
def test_column_meaning(parent, child, meaning):
    assert column_meaning(parent, child) == meaning


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("85,5", D("85.5")),
        ("85.5", D("85.5")),
        (" 85,50 % ", D("85.50")),
        ("1.234,5", None),
        ("1,234.5", None),
        ("100", D("100")),
        ("85,5a", None),
        ("-3", None),
        ("Tốt", None),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


def test_header_meanings_are_known_or_none():
    assert meaning_of("Tổng cộng") is None  # a total row's label says nothing of a column


# --- five layouts, imported ------------------------------------------------------------------------
def test_title_rows_and_two_row_merged_header(demo_copy, tmp_path):
    store = demo_copy(ST_ID)
    annex = read_annex(merged_header_book(tmp_path / "phu-luc.xlsx"))
    assert not annex.problems
    assert annex.header_rows == {"Kết quả": (4, 5)}
    meanings = {c.header: c.meaning for c in annex.columns}
    assert meanings["Kết quả — Điểm tối đa"] == "max_score"
    assert meanings["Kết quả — Tỷ lệ (%)"] == "ratio"
    assert meanings["Xếp loại"] is None
    reasons = {s.text: s.reason for s in annex.skipped}
    assert "KHỐI SỞ, BAN, NGÀNH" in reasons and "Trung bình" in reasons
    done = import_results(tmp_path / "phu-luc.xlsx", store, 2023, actor=TEST_ADMIN)
    assert [m.match.unit.unit_id for m in done.lines] == ["snv", "svhttdl", "h-chauthanh"]
    assert scores(store, 2023, ["snv", "svhttdl", "h-chauthanh"]) == {
        "snv": (D("85.5"), D("100"), D("85.5")),
        "svhttdl": (D("80.25"), D("100"), D("80.25")),
        "h-chauthanh": (D("72"), D("90"), D("80")),
    }


def test_one_sheet_per_block_with_total_row(demo_copy, tmp_path):
    store = demo_copy(ST_ID)
    path = per_block_book(tmp_path / "ket-qua.xlsx")
    before = scores(store, 2022, ["sxd"])
    done = import_results(path, store, 2022, actor=TEST_ADMIN)
    assert {m.line.sheet for m in done.lines} == {"Khối sở", "Khối huyện"}  # not the guide
    got = {m.line.name: m.match.unit.unit_id for m in done.lines}
    assert got == {
        "Tư pháp": "stp",
        "Sở Tài chính.": "stc",
        "UBND TP. Sóc Trăng": "tp-soctrang",
        "Huyện Kế Sách": "h-kesach",
    }
    assert scores(store, 2022, list(got.values())) == {
        "stp": (D("91.5"), D("100"), None),
        "stc": (D("88"), D("100"), None),
        "tp-soctrang": (D("70.2"), D("90"), D("78")),
        "h-kesach": (D("81"), D("90"), D("90")),
    }
    assert scores(store, 2022, ["sxd"]) == before  # a unit not in the file is untouched
    assert any(s.reason.startswith("dòng tổng") for s in done.annex.skipped)


def test_ratio_only(demo_copy, tmp_path):
    store = demo_copy(ST_ID)
    import_results(ratio_only_book(tmp_path / "tw.xlsx"), store, 2021, actor=TEST_ADMIN)
    assert scores(store, 2021, ["bhxh", "cuc-thue"]) == {
        "bhxh": (None, None, D("85.5")),
        "cuc-thue": (None, None, D("79.5")),
    }


def test_score_without_maximum_takes_the_ratio(demo_copy, tmp_path):
    store = demo_copy(ST_ID)
    import_results(score_and_ratio_book(tmp_path / "s.xlsx"), store, 2024, actor=TEST_ADMIN)
    assert scores(store, 2024, ["syt", "ttt"]) == {
        "syt": (None, None, D("85")),
        "ttt": (None, None, D("77.78")),
    }


@pytest.mark.parametrize(
    ("year", "name", "unit_id"),
    [
        pytest.param(
            2021, "Ban quản lý dự án đầu tư xây dựng công trình giao thông", "bqlda-gt", id="2021"
        ),
        pytest.param(2023, "Ban Quản lý dự án đầu tư xây dựng tỉnh", "bqlda", id="2023"),
    ],
)
def test_parent_child_header_and_units_active_in_the_year(demo_copy, tmp_path, year, name, unit_id):
    store = demo_copy(ST_ID)
    path = parent_child_book(tmp_path / "kq.xlsx", name)
    done = import_results(path, store, year, actor=TEST_ADMIN)
    assert {c.header: c.meaning for c in done.annex.columns}["Chỉ số thành phần — Thể chế"] is None
    assert [m.match.unit.unit_id for m in done.lines] == [unit_id, "tx-vinhchau"]
    assert scores(store, year, [unit_id, "tx-vinhchau"]) == {
        unit_id: (D("77.4"), D("90"), None),
        "tx-vinhchau": (D("80"), D("90"), None),
    }


def test_import_is_logged_with_its_actor_and_a_reimport_changes_nothing(demo_copy, tmp_path):
    store = demo_copy(ST_ID)
    path = merged_header_book(tmp_path / "phu-luc.xlsx")
    first = import_results(path, store, 2023, actor=TEST_ADMIN).result
    again = import_results(path, store, 2023, actor=TEST_ADMIN).result
    assert first.is_change and not again.is_change
    with open_store(store, read_only=True) as con:
        source, actor = con.execute(
            "SELECT source, actor FROM import_log ORDER BY import_id DESC LIMIT 1"
        ).fetchone()
    assert actor == TEST_ADMIN.login and "phu-luc.xlsx" in source and "2023" in source


# --- nothing written when anything is wrong --------------------------------------------------------
def test_unmatched_name_cli_exit_2_lists_closest_and_writes_nothing(demo_copy, tmp_path, capsys):
    store = demo_copy(ST_ID)
    path = per_block_book(tmp_path / "kq.xlsx", extra=[[3, "Sở Nội vu", "100", "70"]])
    before = file_sha256(store)
    code = main(["import-results", str(path), "--year", "2022", "--db", str(store)])
    err = capsys.readouterr().err
    assert code == 2
    assert "kq.xlsx [Khối sở], dòng 5, cột Cơ quan, đơn vị" in err
    assert "'Sở Nội vu'" in err and "gần nhất: “Sở Nội vụ”" in err
    line = next(x for x in err.splitlines() if "Sở Nội vu'" in x)
    assert line.count("“") == 3  # three suggestions
    assert file_sha256(store) == before


def test_ambiguous_name_writes_nothing(demo_copy, tmp_path):
    store = demo_copy(ST_ID)
    path = per_block_book(tmp_path / "kq.xlsx", extra=[[3, "Trường Cao đẳng", "100", "70"]])
    before = file_sha256(store)
    with pytest.raises(InputRejected) as exc:
        import_results(path, store, 2022, actor=TEST_ADMIN)
    (problem,) = exc.value.problems
    assert problem.value == "Trường Cao đẳng" and problem.row == 5
    assert "Trường Cao đẳng Cộng đồng Sóc Trăng" in problem.message
    assert "Trường Cao đẳng Y tế Sóc Trăng" in problem.message
    assert file_sha256(store) == before


def test_unit_not_active_in_the_year_is_named(demo_copy, tmp_path):
    store = demo_copy(RE_ID)
    path = book(tmp_path / "2025.xlsx", {"KQ": [["Tên đơn vị", "Tỷ lệ (%)"], ["Sở Nội vụ", "88"]]})
    prepared = prepare_results(path, store, 2025)
    (problem,) = prepared.problems
    assert "không hoạt động năm 2025" in problem.message
    assert prepared.lines[0].match.status == "inactive"


def test_same_unit_twice_writes_nothing(demo_copy, tmp_path):
    store = demo_copy(ST_ID)
    path = per_block_book(tmp_path / "kq.xlsx", extra=[[3, "Sở Tư pháp", "100", "70"]])
    with pytest.raises(InputRejected) as exc:
        import_results(path, store, 2022, actor=TEST_ADMIN)
    assert [(p.row, "dòng 3" in p.message) for p in exc.value.problems] == [(5, True)]


def test_contract_problem_is_named_by_the_annex_row(demo_copy, tmp_path):
    store = demo_copy(ST_ID)
    path = per_block_book(tmp_path / "kq.xlsx", extra=[[3, "Sở Y tế", "90", "95"]])
    before = file_sha256(store)
    with pytest.raises(InputRejected) as exc:
        import_results(path, store, 2022, actor=TEST_ADMIN)
    problems = {(p.file, p.row, p.shown_column) for p in exc.value.problems}
    assert ("kq.xlsx [Khối sở]", 5, "Tổng điểm đạt được") in problems
    assert file_sha256(store) == before


def test_bad_number_and_year_outside_the_plan(demo_copy, tmp_path):
    store = demo_copy(ST_ID)
    path = per_block_book(tmp_path / "kq.xlsx", extra=[[3, "Sở Y tế", "100", "8O,5"]])
    (bad,) = prepare_results(path, store, 2022).problems
    assert (bad.row, bad.shown_column, bad.value) == (5, "Tổng điểm đạt được", "8O,5")
    with pytest.raises(InputRejected) as exc:
        import_results(merged_header_book(tmp_path / "p.xlsx"), store, 2099, actor=TEST_ADMIN)
    assert all(p.file == "p.xlsx" and p.value == "2099" for p in exc.value.problems)


def test_not_a_workbook_or_no_header(demo_copy, tmp_path):
    store = demo_copy(ST_ID)
    junk = tmp_path / "hong.xlsx"
    junk.write_bytes(b"PK\x03\x04 not a workbook")
    (problem,) = prepare_results(junk, store, 2022).problems
    assert problem.file == "hong.xlsx"
    plain = book(tmp_path / "plain.xlsx", {"S": [["Danh sách"], ["a", "b"], ["c", "d"]]})
    (problem,) = prepare_results(plain, store, 2022).problems
    assert "dòng tiêu đề" in problem.message


def test_dry_run_prints_mapping_and_matches_and_writes_nothing(demo_copy, tmp_path, capsys):
    store = demo_copy(ST_ID)
    path = merged_header_book(tmp_path / "phu-luc.xlsx")
    before = (file_sha256(store), log_count(store))
    args = ["import-results", str(path), "--year", "2023", "--db", str(store), "--dry-run"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "cột C “Kết quả — Điểm tối đa” → Điểm tối đa" in out
    assert "cột F “Xếp loại” → không nhập (bỏ qua)" in out
    assert "“SỞ VĂN HOÁ, THỂ THAO VÀ DU LỊCH” → “Sở Văn hóa, Thể thao và Du lịch”" in out
    assert "chưa ghi gì" in out
    assert (file_sha256(store), log_count(store)) == before


def test_cli_subprocess_imports_then_rejects(demo_copy, tmp_path):
    store = demo_copy(ST_ID)
    good = merged_header_book(tmp_path / "phu-luc.xlsx")
    bad = per_block_book(tmp_path / "kq.xlsx", extra=[[3, "Sở Ngoại vụ", "100", "70"]])

    def run(path: Path) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "analytics", "import-results", str(path), "--year", "2023"]
            + ["--db", str(store)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
            timeout=180,
        )

    ok = run(good)
    assert ok.returncode == 0, ok.stderr
    assert scores(store, 2023, ["snv"])["snv"] == (D("85.5"), D("100"), D("85.5"))
    before = file_sha256(store)
    rejected = run(bad)
    assert rejected.returncode == 2
    assert "Sở Ngoại vụ" in rejected.stderr and "không khớp" in rejected.stderr
    assert file_sha256(store) == before


# --- the page ------------------------------------------------------------------------------------
def test_page_shows_mapping_and_matches_then_imports(
    demo_copy, tmp_path, monkeypatch, fresh_caches
):
    store = demo_copy(ST_ID)
    monkeypatch.setenv("THIDUA_DB", str(store))
    monkeypatch.setenv("THIDUA_NO_DEMO", "1")
    folder = tmp_path / "thidua-upload-results"
    folder.mkdir()
    path = merged_header_book(folder / "phu-luc.xlsx")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["plan_id"] = ST_ID
    at.session_state["results_path"] = str(path)
    at.session_state["results_name"] = "phu-luc.xlsx"
    at.session_state[f"results_year_{ST_ID}"] = 2023
    at.switch_page("pages/7_du_lieu.py")
    at.run()
    assert not at.exception, at.exception
    tables = [df.value for df in at.dataframe]
    mapping = next(t for t in tables if "Tiêu đề trong tệp" in t.columns)
    assert (
        dict(zip(mapping["Tiêu đề trong tệp"], mapping["Đọc là"], strict=True))[
            "Kết quả — Tỷ lệ (%)"
        ]
        == "Tỷ lệ (%)"
    )
    matches = next(t for t in tables if "Tên trong tệp" in t.columns)
    assert list(matches["Đơn vị trong kho"]) == [
        "Sở Nội vụ",
        "Sở Văn hóa, Thể thao và Du lịch",
        "UBND huyện Châu Thành",
    ]
    before = log_count(store)
    at.button(key="do_import_results").click().run()
    assert not at.exception, at.exception
    assert log_count(store) == before + 1
    assert scores(store, 2023, ["snv"])["snv"] == (D("85.5"), D("100"), D("85.5"))
    assert any("Đã nhập kết quả năm 2023" in s.value for s in at.success)
