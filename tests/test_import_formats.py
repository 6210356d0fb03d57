"""Real-world input formats the import accepts, and how an upsert treats the store."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from analytics import labels
from analytics.errors import InputRejected
from analytics.ingest.importer import import_dataset
from analytics.store.binding import bind_plan
from analytics.store.connection import open_store
from analytics.store.contract import DATA_TABLES, TABLES
from tests._datasets import (
    ST_ID,
    ST_PLAN,
    TEST_ADMIN,
    TINY,
    build_store,
    counts,
    csv_text,
    snapshot,
    tiny,
    write_dataset,
)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("formats")
    path = base / "pristine.duckdb"
    build_store(path, write_dataset(base / "tiny", TINY))
    return path


@pytest.fixture(scope="module")
def pristine_snap(pristine: Path) -> dict:
    with open_store(pristine, read_only=True) as con:
        return snapshot(con)


@pytest.fixture
def con(pristine: Path, tmp_path: Path):
    """A private copy of the store holding the tiny dataset."""
    path = tmp_path / "store.duckdb"
    shutil.copy(pristine, path)
    with open_store(path) as c:
        yield c


@pytest.fixture
def empty(tmp_path: Path):
    """A new store bound to the Sóc Trăng plan, without data."""
    with open_store(tmp_path / "empty.duckdb") as c:
        bind_plan(c, ST_ID)
        yield c


def data(snap: dict) -> dict:
    return {t: snap[t] for t in DATA_TABLES}


def write(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        raw = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(raw)
    return folder


def one(con, sql: str, params: dict | None = None):
    rows = con.execute(sql, params or {}).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


def imp(con, path: Path) -> dict[str, tuple[int, int, int]]:
    return counts(import_dataset(con, path, ST_PLAN, actor=TEST_ADMIN))


# --- the tiny dataset's own values -------------------------------------------------------


def test_score_of_max_gives_ratio_rounded_half_up(con):
    assert one(con, "SELECT ratio_pct FROM unit_scores WHERE year = 2021 AND unit_id = 'stp'") == (
        Decimal("80.13"),
    )  # 64.1 / 80 = 80.125 %


def test_ratio_only_row_with_three_decimals_is_rounded_half_up(con):
    row = one(
        con,
        "SELECT score, max_score, ratio, ratio_pct FROM unit_scores "
        "WHERE year = 2021 AND unit_id = 'bvdk'",
    )
    assert row == (None, None, Decimal("85.125"), Decimal("85.13"))


def test_blank_discipline_is_stored_as_none(con):
    assert one(con, "SELECT discipline FROM unit_facts WHERE year = 2021 AND unit_id = 'stp'") == (
        "none",
    )


def test_blank_boolean_is_unknown(con):
    row = one(con, "SELECT * FROM unit_judgments WHERE review = '2021' AND unit_id = 'stp'")
    assert row == ("2021", "stp", True, None, False, None, None)


# --- encodings, order, numbers, booleans, spaces --------------------------------------------


def test_utf8_bom_is_accepted(con, tmp_path):
    header, rows = TINY["units"]
    folder = write(tmp_path / "d", {"units.csv": b"\xef\xbb\xbf" + csv_text(header, rows).encode()})
    assert imp(con, folder) == {"units": (0, 0, len(rows))}


def test_bom_before_a_vietnamese_label_header(con, tmp_path):
    text = "\ufeffNăm,Ngày công bố\n2021,2022-05-24\n2022,2023-05-30\n"
    assert imp(con, write(tmp_path / "d", {"publications.csv": text})) == {
        "publications": (0, 0, 2)
    }


@pytest.mark.parametrize("table", list(TINY))
def test_columns_in_any_order(con, tmp_path, table):
    header, rows = TINY[table]
    order = list(reversed(range(len(header))))
    text = csv_text([header[i] for i in order], [[r[i] for i in order] for r in rows])
    assert imp(con, write(tmp_path / "d", {f"{table}.csv": text})) == {table: (0, 0, len(rows))}


def test_crlf_line_endings(con, tmp_path):
    header, rows = TINY["satisfaction"]
    text = csv_text(header, rows).replace("\n", "\r\n")
    assert imp(con, write(tmp_path / "d", {"satisfaction.csv": text})) == {
        "satisfaction": (0, 0, 3)
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("85,5%", "85.50", id="comma-decimal-percent-text"),
        pytest.param("85,5", "85.50", id="comma-decimal"),
        pytest.param("85.5%", "85.50", id="dot-decimal-percent-text"),
        pytest.param("85,5 %", "85.50", id="comma-decimal-space-percent"),
        pytest.param(" 85.5 ", "85.50", id="spaces-around"),
        pytest.param("\u00a085.5\u00a0", "85.50", id="nbsp-around"),
        pytest.param("85.125", "85.13", id="three-decimals-round-half-up"),
        pytest.param("85.124", "85.12", id="three-decimals-round-down"),
        pytest.param("100", "100.00", id="exactly-100"),
        pytest.param("0", "0.00", id="zero"),
        pytest.param("", None, id="blank-is-no-value"),
    ],
)
def test_percentage_texts(con, tmp_path, text, expected):
    csv = csv_text(["year", "unit_id", "satisfaction_pct"], [["2021", "snv", text]])
    imp(con, write(tmp_path / "d", {"satisfaction.csv": csv}))
    value = one(con, "SELECT satisfaction_pct FROM satisfaction WHERE year=2021 AND unit_id='snv'")
    assert value == (None if expected is None else Decimal(expected),)


def test_comma_decimal_scores(con, tmp_path):
    csv = csv_text(["year", "unit_id", "score", "max_score"], [["2023", "snv", "64,1", "80"]])
    assert imp(con, write(tmp_path / "d", {"unit_scores.csv": csv})) == {"unit_scores": (1, 0, 0)}
    row = one(con, "SELECT score, max_score, ratio_pct FROM unit_scores WHERE year = 2023")
    assert row == (Decimal("64.1"), Decimal("80"), Decimal("80.13"))


def test_ratio_agreeing_within_a_hundredth_is_accepted(con, tmp_path):
    csv = csv_text(
        ["year", "unit_id", "score", "max_score", "ratio"],
        [["2023", "snv", "64.1", "80", "80.12"], ["2023", "stp", "80", "80", "100"]],
    )
    assert imp(con, write(tmp_path / "d", {"unit_scores.csv": csv})) == {"unit_scores": (2, 0, 0)}
    rows = con.execute(
        "SELECT unit_id, ratio_pct FROM unit_scores WHERE year = 2023 ORDER BY ALL"
    ).fetchall()
    assert rows == [("snv", Decimal("80.13")), ("stp", Decimal("100.00"))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("x", True, id="x"),
        pytest.param("X", True, id="X"),
        pytest.param("có", True, id="co-lower"),
        pytest.param("Có", True, id="Co-capital"),
        pytest.param("CÓ", True, id="CO-upper"),
        pytest.param("TRUE", True, id="TRUE"),
        pytest.param("True", True, id="True"),
        pytest.param("1", True, id="one"),
        pytest.param(" x\u00a0", True, id="x-with-spaces"),
        pytest.param("Co\u0301", True, id="co-decomposed"),
        pytest.param("không", False, id="khong"),
        pytest.param("Không", False, id="Khong-capital"),
        pytest.param("FALSE", False, id="FALSE"),
        pytest.param("0", False, id="zero"),
        pytest.param("", None, id="blank-unknown"),
        pytest.param("  ", None, id="spaces-unknown"),
    ],
)
def test_booleans(con, tmp_path, text, expected):
    csv = csv_text(["review", "unit_id", "outstanding"], [["2021", "snv", text]])
    imp(con, write(tmp_path / "d", {"unit_judgments.csv": csv}))
    row = one(con, "SELECT outstanding FROM unit_judgments WHERE review = '2021' AND unit_id='snv'")
    assert row == (expected,)


def test_spaces_and_nbsp_are_trimmed_from_ids_and_text(con, tmp_path):
    csv = csv_text(
        ["unit_id", "name", "block", "advised_components"],
        [[" sxd\u00a0", "\u00a0 Sở Xây dựng \t", " so_nganh ", " C1 ; C2 "]],
    )
    scores = csv_text(["year", "unit_id", "score", "max_score"], [[" 2023 ", "sxd", " 70 ", "100"]])
    folder = write(tmp_path / "d", {"units.csv": csv, "unit_scores.csv": scores})
    assert imp(con, folder) == {"units": (1, 0, 0), "unit_scores": (1, 0, 0)}
    assert one(
        con, "SELECT unit_id, name, block, advised_components FROM units WHERE unit_id = 'sxd'"
    ) == ("sxd", "Sở Xây dựng", "so_nganh", "C1;C2")


def test_quoted_numbers_and_integral_float_years(con, tmp_path):
    text = 'year,unit_id,score,max_score\n"2023.0","snv","85.5","100"\n2024.00,snv,"70",80\n'
    assert imp(con, write(tmp_path / "d", {"unit_scores.csv": text})) == {"unit_scores": (2, 0, 0)}
    rows = con.execute("SELECT year, ratio_pct FROM unit_scores WHERE year >= 2023 ORDER BY 1")
    assert rows.fetchall() == [(2023, Decimal("85.50")), (2024, Decimal("87.50"))]


def test_decomposed_text_is_stored_nfc(con, tmp_path):
    csv = csv_text(["person_id", "full_name"], [["nguyen", "Hoa\u0300 Nguye\u0302\u0303n"]])
    imp(con, write(tmp_path / "d", {"people.csv": csv}))
    assert one(con, "SELECT person_id, full_name FROM people WHERE full_name LIKE 'Ho%'") == (
        "nguyen",
        "Ho\u00e0 Nguy\u1ec5n",
    )


@pytest.mark.parametrize("pid", ["nguyễn", "nguye\u0302\u0303n", "hòa", "a b", "x" * 65])
def test_ids_are_ascii_codes(con, tmp_path, pid):
    """v2 (data-contract §checks): an id that could look like another is refused, naming
    the file, row, column and value; nothing is written."""
    before = one(con, "SELECT count(*) FROM people")
    csv = csv_text(["person_id", "full_name"], [[pid, "Hoà Nguyễn"]])
    with pytest.raises(InputRejected) as err:
        imp(con, write(tmp_path / "d", {"people.csv": csv}))
    message = str(err.value)
    assert (
        "people.csv, dòng 2, cột Mã cá nhân (person_id)" in message
        and "chữ cái không dấu" in message
    )
    assert one(con, "SELECT count(*) FROM people") == before


def test_reference_to_a_unit_of_the_same_import(empty, tmp_path):
    units = csv_text(
        ["unit_id", "name", "block", "predecessors"],
        [["b", "B", "huyen", "a"], ["a", "A", "huyen", ""]],
    )
    scores = csv_text(["year", "unit_id", "ratio"], [["2021", "a", "70"], ["2022", "b", "71"]])
    folder = write(tmp_path / "d", {"units.csv": units, "unit_scores.csv": scores})
    assert imp(empty, folder) == {"units": (2, 0, 0), "unit_scores": (2, 0, 0)}


def test_a_single_csv_file_can_be_imported(con, tmp_path):
    header, rows = TINY["province_results"]
    path = write(tmp_path / "d", {"Kết quả của tỉnh.csv": csv_text(header, rows)})
    assert imp(con, path / "Kết quả của tỉnh.csv") == {"province_results": (0, 0, 2)}


def test_file_named_by_vietnamese_table_label(con, tmp_path):
    files = {f"{labels.TABLES[t]}.csv": csv_text(*TINY[t]) for t in ("units", "satisfaction")}
    assert imp(con, write(tmp_path / "d", files)) == {
        "units": (0, 0, len(TINY["units"][1])),
        "satisfaction": (0, 0, len(TINY["satisfaction"][1])),
    }


# --- Vietnamese headers -------------------------------------------------------------------


@pytest.mark.parametrize("table", list(TINY))
def test_vietnamese_label_headers(con, tmp_path, table, pristine_snap):
    header, rows = TINY[table]
    vn = [labels.COLUMNS[table][c][0] for c in header]
    assert imp(con, write(tmp_path / "d", {f"{table}.csv": csv_text(vn, rows)})) == {
        table: (0, 0, len(rows))
    }
    assert data(snapshot(con)) == data(pristine_snap)


def test_vietnamese_headers_any_case_spacing_and_normalisation(con, tmp_path):
    import unicodedata

    header = ["  NĂM ", unicodedata.normalize("NFD", "Mã đơn vị"), "tỷ lệ hài lòng (%)"]
    csv = csv_text(header, TINY["satisfaction"][1])
    assert imp(con, write(tmp_path / "d", {"satisfaction.csv": csv})) == {"satisfaction": (0, 0, 3)}


def test_every_label_maps_back_to_its_column():
    # a label shared by two columns of one table would make the header ambiguous
    for table, cols in labels.COLUMNS.items():
        assert set(cols) == set(TABLES[table].column_names), table
        names = [label.casefold() for label, _ in cols.values()]
        assert len(set(names)) == len(names), table


# --- workbooks ------------------------------------------------------------------------------


def _book(path: Path, sheets: dict[str, list[list]]) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    return wb


def test_xlsx_workbook_with_excel_types_and_instructions_sheet(empty, tmp_path):
    """Vietnamese sheet names, headers and block label; `Hướng dẫn` and `Danh mục` ignored."""
    path = tmp_path / "nhap-lieu.xlsx"
    wb = _book(
        path,
        {
            "Hướng dẫn": [["Cách điền mẫu"], ["Không phải dữ liệu", 1, 2, 3]],
            "Danh mục": [["Khối"], ["Khối sở, ban, ngành tỉnh"]],  # v2: drop-down lists
            "Đơn vị": [
                ["Mã đơn vị", "Tên đơn vị", "Khối"],
                ["snv", "Sở Nội vụ", "Khối sở, ban, ngành tỉnh"],
            ],
            "Điểm Chỉ số CCHC của đơn vị": [
                ["Năm", "Mã đơn vị", "Điểm đạt được", "Điểm tối đa"],
                [2023.0, "snv", 64.1, 80],
            ],
            "Tỷ lệ hài lòng": [
                ["Năm", "Mã đơn vị", "Tỷ lệ hài lòng (%)"],
                [2023, "snv", 0.855],
                [2024, "snv", "91,5"],
            ],
            "Ngày công bố Chỉ số": [
                ["Năm", "Ngày công bố"],
                [2023, dt.date(2024, 4, 17)],
                [2022, dt.datetime(2023, 5, 30, 0, 0)],
            ],
            "unit_judgments": [
                ["review", "unit_id", "outstanding", "head_directs", "has_initiative"],
                ["2023", "snv", True, "x", None],
            ],
        },
    )
    wb["Tỷ lệ hài lòng"]["C2"].number_format = "0.0%"
    wb.save(path)
    result = imp(empty, path)
    assert result == {
        "units": (1, 0, 0),
        "unit_scores": (1, 0, 0),
        "satisfaction": (2, 0, 0),
        "unit_judgments": (1, 0, 0),
        "publications": (2, 0, 0),
    }
    assert one(empty, "SELECT block FROM units WHERE unit_id = 'snv'") == ("so_nganh",)
    assert empty.execute("SELECT * FROM satisfaction ORDER BY year").fetchall() == [
        (2023, "snv", Decimal("85.50")),
        (2024, "snv", Decimal("91.50")),
    ]
    assert one(empty, "SELECT year, ratio_pct FROM unit_scores") == (2023, Decimal("80.13"))
    assert empty.execute("SELECT * FROM publications ORDER BY year").fetchall() == [
        (2022, dt.date(2023, 5, 30)),
        (2023, dt.date(2024, 4, 17)),
    ]
    assert one(empty, "SELECT outstanding, head_directs, has_initiative FROM unit_judgments") == (
        True,
        True,
        None,
    )


def test_xlsx_numbers_stored_as_text_and_blank_rows(empty, tmp_path):
    path = tmp_path / "book.xlsx"
    wb = _book(
        path,
        {
            "units": [["unit_id", "name", "block"], ["hct", "Huyện Châu Thành", "huyen"]],
            "unit_scores": [
                ["year", "unit_id", "ratio"],
                ["2022", "hct", "85.5"],
                [None, None, None],
                ["2023", "hct", "85,5%"],
            ],
        },
    )
    wb.save(path)
    assert imp(empty, path) == {"units": (1, 0, 0), "unit_scores": (2, 0, 0)}
    rows = empty.execute("SELECT year, ratio_pct FROM unit_scores ORDER BY 1").fetchall()
    assert rows == [(2022, Decimal("85.50")), (2023, Decimal("85.50"))]


def test_xlsx_and_csv_of_the_same_data_store_the_same(con, tmp_path, pristine_snap):
    path = tmp_path / "tiny.xlsx"
    _book(path, {name: [header, *rows] for name, (header, rows) in TINY.items()}).save(path)
    result = import_dataset(con, path, ST_PLAN, actor=TEST_ADMIN)
    assert not result.is_change
    assert data(snapshot(con)) == data(pristine_snap)


# --- upsert semantics -------------------------------------------------------------------------


def test_reimport_changes_nothing(con, tmp_path, pristine_snap):
    folder = write_dataset(tmp_path / "d", TINY)
    result = import_dataset(con, folder, ST_PLAN, actor=TEST_ADMIN)
    assert all(c.inserted == 0 and c.updated == 0 for c in result.counts.values())
    assert {k: v[2] for k, v in counts(result).items()} == {k: len(r) for k, (_, r) in TINY.items()}
    assert not result.is_change
    after = snapshot(con)
    assert data(after) == data(pristine_snap)
    log = con.execute("SELECT is_change FROM import_log ORDER BY import_id").fetchall()
    assert log == [(True,), (False,)]


def test_changing_one_value_updates_one_row(con, tmp_path, pristine_snap):
    t = tiny()
    t["satisfaction"][1][1][2] = "88.5"
    result = imp(con, write_dataset(tmp_path / "d", t))
    assert result["satisfaction"] == (0, 1, 2)
    assert all(v == (0, 0, len(TINY[k][1])) for k, v in result.items() if k != "satisfaction")
    assert one(con, "SELECT satisfaction_pct FROM satisfaction WHERE year=2021 AND unit_id='hct'")[
        0
    ] == Decimal("88.50")
    after = data(snapshot(con))
    changed = {name for name in after if after[name] != pristine_snap[name]}
    assert changed == {"satisfaction"}


def test_file_lacking_optional_columns_keeps_stored_values(con, tmp_path, pristine_snap):
    units = csv_text(["unit_id", "name", "block"], [["snv", "Sở Nội vụ tỉnh", "so_nganh"]])
    facts = csv_text(["year", "unit_id", "tasks_completed_pct"], [["2022", "hct", "90"]])
    pj = csv_text(["review", "person_id", "votes_pct"], [["2021", "p01", "95"]])
    folder = write(
        tmp_path / "d", {"units.csv": units, "unit_facts.csv": facts, "person_judgments.csv": pj}
    )
    assert imp(con, folder) == {
        "units": (0, 1, 0),
        "unit_facts": (0, 1, 0),
        "person_judgments": (0, 1, 0),
    }
    assert one(con, "SELECT * FROM units WHERE unit_id = 'snv'") == (
        "snv",
        "Sở Nội vụ tỉnh",
        "so_nganh",
        "C1;C2",
        None,
        None,
        None,
        None,
    )
    assert one(con, "SELECT * FROM unit_facts WHERE year = 2022 AND unit_id = 'hct'") == (
        2022,
        "hct",
        Decimal("90.00"),
        "under_review",
    )
    assert one(con, "SELECT * FROM person_judgments WHERE person_id = 'p01'") == (
        "2021",
        "p01",
        True,
        True,
        None,
        True,
        "none",
        Decimal("95.00"),
        None,  # v2: votes_for, council_members, is_nominated, proposed_form
        None,
        None,
        None,
    )


def test_blank_cell_stores_no_value(con, tmp_path):
    csv = csv_text(
        ["year", "unit_id", "tasks_completed_pct", "discipline"], [["2021", "snv", "", ""]]
    )
    assert imp(con, write(tmp_path / "d", {"unit_facts.csv": csv})) == {"unit_facts": (0, 1, 0)}
    assert one(
        con,
        "SELECT tasks_completed_pct, discipline FROM unit_facts "
        "WHERE year = 2021 AND unit_id = 'snv'",
    ) == (None, "none")


def test_score_columns_are_replaced_together(con, tmp_path):
    # a published ratio replaces an earlier score/max for that year, and the reverse
    csv = csv_text(["year", "unit_id", "ratio"], [["2021", "snv", "81"]])
    assert imp(con, write(tmp_path / "a", {"unit_scores.csv": csv})) == {"unit_scores": (0, 1, 0)}
    assert one(
        con,
        "SELECT score, max_score, ratio, ratio_pct FROM unit_scores "
        "WHERE year = 2021 AND unit_id = 'snv'",
    ) == (None, None, Decimal("81"), Decimal("81.00"))
    csv = csv_text(["year", "unit_id", "score", "max_score"], [["2021", "bvdk", "43", "50"]])
    assert imp(con, write(tmp_path / "b", {"unit_scores.csv": csv})) == {"unit_scores": (0, 1, 0)}
    assert one(
        con,
        "SELECT score, max_score, ratio, ratio_pct FROM unit_scores "
        "WHERE year = 2021 AND unit_id = 'bvdk'",
    ) == (Decimal("43"), Decimal("50"), None, Decimal("86.00"))


def test_nothing_is_ever_deleted(con, tmp_path, pristine_snap):
    t = tiny()
    subset = {name: (header, rows[:1]) for name, (header, rows) in t.items()}
    result = imp(con, write_dataset(tmp_path / "d", subset))
    assert result == {name: (0, 0, 1) for name in TINY}
    assert data(snapshot(con)) == data(pristine_snap)


def test_header_only_files_delete_nothing(con, tmp_path, pristine_snap):
    files = {f"{name}.csv": ",".join(header) + "\n" for name, (header, _) in TINY.items()}
    assert imp(con, write(tmp_path / "d", files)) == {name: (0, 0, 0) for name in TINY}
    assert data(snapshot(con)) == data(pristine_snap)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"year,published_on", id="no-final-newline"),
        pytest.param(b"\xef\xbb\xbfyear,published_on\r\n", id="bom-and-crlf"),
        pytest.param("Năm,Ngày công bố\n".encode(), id="vietnamese-labels"),
    ],
)
def test_header_only_file_is_valid(con, tmp_path, content, pristine_snap):
    assert imp(con, write(tmp_path / "d", {"publications.csv": content})) == {
        "publications": (0, 0, 0)
    }
    assert data(snapshot(con)) == data(pristine_snap)
