"""The import template v2 (issue 12): Vietnamese sheet names, the `Hướng dẫn` and `Danh mục`
sheets, drop-down lists, no example rows unless asked, a store's units pre-filled, and a
template filled in the Vietnamese way (labels from the drop-downs, dd/mm/yyyy dates, decimal
commas) importing exactly like the contract's CSV files; wrong headers named as the
template shows them."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries

from analytics import labels
from analytics.errors import InputRejected
from analytics.exports.template import VALIDATED_ROWS, list_of, template_xlsx_bytes
from analytics.ingest.importer import import_dataset
from analytics.ingest.raw import INSTRUCTIONS_SHEET, LISTS_SHEET, table_for_name
from analytics.plans.models import Plan
from analytics.plans.vocabulary import DISCIPLINE_VALUES
from analytics.store.binding import bind_plan
from analytics.store.connection import open_store
from analytics.store.contract import DATA_TABLES, TABLES
from analytics.views.unit_list import unit_rows
from tests._datasets import NQ_PLAN, ST_PLAN, TEST_ADMIN, csv_text, tiny, write_dataset

PLANS = [pytest.param(ST_PLAN, id="soc-trang"), pytest.param(NQ_PLAN, id="nhu-quynh")]
BAD_SHEET_CHARS = re.compile(r"[\\/?*\[\]:]")


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _validations(ws) -> dict[int, str]:
    """Column index -> the list formula of the validation covering rows 2..VALIDATED_ROWS+1."""
    out: dict[int, str] = {}
    for dv in ws.data_validations.dataValidation:
        assert dv.type == "list"
        for rng in dv.sqref.ranges:
            c0, r0, c1, r1 = range_boundaries(rng.coord)
            assert (r0, r1) == (2, VALIDATED_ROWS + 1)
            for c in range(c0, c1 + 1):
                out[c] = dv.formula1
    return out


def _list_values(wb: openpyxl.Workbook, formula: str) -> list[str]:
    """The values of a range ``'Danh mục'!$B$2:$B$5`` of the lists sheet (or, for the person
    ids, of the people sheet's id column: the ids filled in so far)."""
    m = re.fullmatch(r"'(.+)'!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", formula)
    assert m, formula
    assert m[1] in (LISTS_SHEET, labels.SHEETS["people"]) and m[2] == m[4]
    ws = wb[m[1]]
    col = column_index_from_string(m[2])
    values = [ws.cell(row=r, column=col).value for r in range(int(m[3]), int(m[5]) + 1)]
    if m[1] != LISTS_SHEET:
        return [v for v in values if v is not None]
    assert ws.cell(row=int(m[5]) + 1, column=col).value is None  # the range holds the whole list
    return values


def _column_index(table: str, column: str) -> int:
    return TABLES[table].column_names.index(column) + 1


# --- sheets ----------------------------------------------------------------------------------------
def test_sheet_names_are_valid_excel_names_the_importer_maps_back():
    names = [*labels.SHEETS.values(), INSTRUCTIONS_SHEET, LISTS_SHEET]
    assert set(labels.SHEETS) == set(TABLES)
    assert len({n.casefold() for n in names}) == len(names)
    for table, sheet in labels.SHEETS.items():
        assert 0 < len(sheet) <= 31 and not BAD_SHEET_CHARS.search(sheet), sheet
        assert sheet.strip() == sheet and not sheet.startswith("'")
        assert table_for_name(sheet) == table
        assert table_for_name(sheet.upper()) == table
        assert table_for_name(labels.TABLES[table]) == table  # the long label (CSV files)
        assert table_for_name(table) == table  # the contract name is still accepted


@pytest.mark.parametrize("plan", PLANS)
def test_template_has_vietnamese_sheets_instructions_and_lists(plan):
    wb = _book(template_xlsx_bytes(plan))
    assert wb.sheetnames == [INSTRUCTIONS_SHEET, *(labels.SHEETS[t] for t in TABLES), LISTS_SHEET]
    assert not set(TABLES) & set(wb.sheetnames)
    text = "\n".join(
        str(c.value) for row in wb[INSTRUCTIONS_SHEET].iter_rows() for c in row if c.value
    )
    assert "dd/mm/yyyy" in text
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text)  # no ISO date for people
    assert "YYYY-MM-DD" not in text
    assert not any(f"{b.code} =" in text for b in plan.blocks)  # labels, not codes


@pytest.mark.parametrize("plan", PLANS)
def test_empty_template_has_no_data_rows(plan):
    wb = _book(template_xlsx_bytes(plan))
    for table in TABLES:
        ws = wb[labels.SHEETS[table]]
        assert ws.max_row == 1, table
        assert [c.value for c in ws[1]] == [
            labels.COLUMNS[table][c][0] for c in TABLES[table].column_names
        ]


@pytest.mark.parametrize("plan", PLANS)
def test_drop_downs_reference_the_lists(plan):
    units = [{"unit_id": "snv", "name": "Sở Nội vụ"}, {"unit_id": "stp", "name": "Sở Tư pháp"}]
    wb = _book(template_xlsx_bytes(plan, units=units))
    expected = {
        "bool": ["Có", "Không"],
        "block": [b.label for b in plan.blocks],
        "discipline": [labels.DISCIPLINE[v] for v in DISCIPLINE_VALUES],
        "review": [r.label for r in plan.reviews],
        "form": [f.label for f in plan.forms],
        "award": [a.label for a in plan.awards],
        "link_kind": list(labels.LINK_KINDS.values()),
        "gender": list(labels.GENDERS.values()),
        "subject_kind": list(labels.SUBJECT_KINDS.values()),
        "unit_component": [c.label for c in plan.unit_components],
        "units": ["snv", "stp"],
    }
    people = labels.SHEETS["people"]
    letter = get_column_letter(_column_index("people", "person_id"))
    people_ids = f"'{people}'!${letter}$2:${letter}${VALIDATED_ROWS + 1}"  # as the user fills it
    seen: set[str] = set()
    for table, spec in TABLES.items():
        ws = wb[labels.SHEETS[table]]
        validations = _validations(ws)
        for col in spec.columns:
            key = list_of(col)
            i = _column_index(table, col.name)
            if key is None or (key != "people" and not expected[key]):
                assert i not in validations, (table, col.name)
                continue
            assert i in validations, (table, col.name)
            if key == "people":
                assert validations[i] == people_ids, (table, col.name)
            else:
                assert _list_values(wb, validations[i]) == expected[key], (table, col.name)
            seen.add(key)
    # every kind of drop-down the issue asks for is there (unit_component: a plan's option)
    assert {
        "bool",
        "block",
        "discipline",
        "review",
        "units",
        "people",
        "link_kind",
        "gender",
    } <= seen
    assert ("unit_component" in seen) == bool(plan.unit_components)
    # the columns asked for by name
    for table, column in (
        ("units", "block"),
        ("unit_facts", "discipline"),
        ("unit_judgments", "head_directs"),
        ("unit_judgments", "review"),
        ("unit_scores", "unit_id"),
        ("people", "gender"),
        ("unit_links", "kind"),
        ("person_judgments", "proposed_form"),
        ("person_judgments", "person_id"),
    ):
        assert _column_index(table, column) in _validations(wb[labels.SHEETS[table]])


def test_drop_down_messages_fit_excel_limits():
    wb = _book(template_xlsx_bytes(ST_PLAN, examples=True))
    for table in TABLES:
        for dv in wb[labels.SHEETS[table]].data_validations.dataValidation:
            assert dv.showErrorMessage and dv.allow_blank
            assert len(dv.errorTitle or "") <= 32 and len(dv.error or "") <= 255
            assert any(
                s in dv.error
                for s in (LISTS_SHEET, labels.SHEETS["units"], labels.SHEETS["people"])
            )


def test_unit_columns_have_no_drop_down_without_units():
    wb = _book(template_xlsx_bytes(ST_PLAN))
    ws = wb[labels.SHEETS["unit_scores"]]
    assert _column_index("unit_scores", "unit_id") not in _validations(ws)
    assert labels.LISTS["units"] not in [c.value for c in wb[LISTS_SHEET][1]]


def test_examples_only_when_asked():
    wb = _book(template_xlsx_bytes(ST_PLAN, examples=True))
    assert wb[labels.SHEETS["units"]].max_row == 4  # three example units
    assert wb[labels.SHEETS["unit_scores"]].max_row > 1


# --- a store's units ---------------------------------------------------------------------------------
def test_prefilled_template_has_the_store_units(demo_stores, tmp_path):
    store = shutil.copy(demo_stores[ST_PLAN.id], tmp_path / "copy.duckdb")
    with open_store(store, read_only=True) as con:
        units = unit_rows(con, ST_PLAN)
        stored = {r[0]: r for r in con.execute("SELECT unit_id, name, block FROM units").fetchall()}
    assert {u["unit_id"] for u in units} == set(stored) and len(units) == len(stored)
    assert list(units[0]) == list(TABLES["units"].column_names)
    order = [b.code for b in ST_PLAN.blocks]
    assert [order.index(u["block"]) for u in units] == sorted(
        order.index(u["block"]) for u in units
    )
    book = tmp_path / "mau.xlsx"
    book.write_bytes(template_xlsx_bytes(ST_PLAN, units=units))
    wb = _book(book.read_bytes())
    rows = list(wb[labels.SHEETS["units"]].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [u["unit_id"] for u in units]
    block_label = {b.code: b.label for b in ST_PLAN.blocks}
    for r in rows:
        assert r[1] == stored[r[0]][1] and r[2] == block_label[stored[r[0]][2]]
    assert all(wb[labels.SHEETS[t]].max_row == 1 for t in TABLES if t != "units")
    formula = _validations(wb[labels.SHEETS["unit_scores"]])[
        _column_index("unit_scores", "unit_id")
    ]
    assert _list_values(wb, formula) == [u["unit_id"] for u in units]
    text = "\n".join(
        str(c.value) for row in wb[INSTRUCTIONS_SHEET].iter_rows() for c in row if c.value
    )
    assert "Đơn vị có sẵn" in text
    with open_store(store) as con:  # imported back as it is, it changes nothing
        result = import_dataset(con, book, ST_PLAN, dry_run=True, actor=TEST_ADMIN)
    assert result.rows["units"] == len(units) and not result.is_change
    assert not any(n for t, n in result.rows.items() if t != "units")


def test_unit_names_are_never_formulas(tmp_path):
    units = [{"unit_id": "x", "name": '=HYPERLINK("http://x")', "block": "so_nganh"}]
    wb = _book(template_xlsx_bytes(ST_PLAN, units=units))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert '=HYPERLINK("http://x")' in [c.value for c in cells]


# --- filled in the Vietnamese way ----------------------------------------------------------------------
def _vocabulary(plan: Plan) -> dict[str, dict[str, str]]:
    """Code -> the Vietnamese label a drop-down offers, by list (from the plan and labels)."""
    return {
        "block": {b.code: b.label for b in plan.blocks},
        "review": {r.id: r.label for r in plan.reviews},
        "discipline": {v: labels.DISCIPLINE[v] for v in DISCIPLINE_VALUES},
        "form": {f.code: f.label for f in plan.forms},
        "award": {a.id: a.label for a in plan.awards},
        "title": {t.code: t.label for t in plan.titles},
        "link_kind": dict(labels.LINK_KINDS),
        "gender": dict(labels.GENDERS),
        "subject_kind": dict(labels.SUBJECT_KINDS),
        "unit_component": {c.code: c.label for c in plan.unit_components},
    }


def _label(names: dict[str, str], text: str) -> str:
    """The label of a cell holding a code or a label (any case) already."""
    if text in names:
        return names[text]
    found = [label for label in names.values() if label.casefold() == text.casefold()]
    extra = {"sáp nhập vào", "nữ"}  # words TINY writes as a person would
    assert found or text.casefold() in extra, f"no label for {text!r}"
    return found[0] if found else text


class Filler:
    """TINY's cells as a person fills the template: labels, Có / Không, dd/mm/yyyy dates
    (text or Excel date cells), decimal commas; records which columns it rewrote."""

    def __init__(self, plan: Plan, excel_dates: bool):
        self.names = _vocabulary(plan)
        self.excel_dates = excel_dates
        self.dates: set[tuple[str, str]] = set()
        self.numbers: set[tuple[str, str]] = set()

    def cell(self, table: str, column: str, text: str, *, xlsx: bool):
        kind = TABLES[table].column(column).kind
        if not text:
            return None if xlsx else ""
        if kind == "bool":
            return "Có" if text.casefold() in ("true", "1", "x", "có") else "Không"
        if kind == "date":
            self.dates.add((table, column))
            day = (
                dt.date.fromisoformat(text)
                if "-" in text
                else dt.datetime.strptime(text, "%d/%m/%Y").date()
            )
            return day if xlsx and self.excel_dates else day.strftime("%d/%m/%Y")
        if kind in ("number", "pct"):
            self.numbers.add((table, column))
            whole, _, frac = text.partition(".")
            return f"{whole},{frac or '0'}"  # text, as "85,5" typed in a cell formatted as text
        if kind in ("year", "int"):
            return int(text) if xlsx else text
        if kind in ("discipline", "discipline_or_blank"):
            return _label(self.names["discipline"], text)
        if kind in self.names:
            return _label(self.names[kind], text)
        if kind in ("titles", "forms"):
            names = self.names["title" if kind == "titles" else "form"]
            return ";".join(_label(names, c) for c in text.split(";"))
        return text

    def assert_covered(self) -> None:
        """Every date and every number column of every contract table was rewritten."""
        kinds = {(t, c.name): c.kind for t, spec in TABLES.items() for c in spec.columns}
        dates = {k for k, v in kinds.items() if v == "date"}
        numbers = {k for k, v in kinds.items() if v in ("number", "pct")}
        assert dates and numbers
        assert dates - self.dates == set(), "give these columns a date in TINY"
        assert numbers - self.numbers == set(), "give these columns a number in TINY"


def _fill_workbook(path: Path, filler: Filler) -> None:
    wb = _book(template_xlsx_bytes(ST_PLAN))
    for table, (header, rows) in tiny().items():
        ws = wb[labels.SHEETS[table]]
        heads = [c.value for c in ws[1]]
        for r, row in enumerate(rows, start=2):
            for column, text in zip(header, row, strict=True):
                i = heads.index(labels.COLUMNS[table][column][0]) + 1
                value = filler.cell(table, column, text, xlsx=True)
                cell = ws.cell(row=r, column=i, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
                if isinstance(value, dt.date):
                    cell.number_format = "dd/mm/yyyy"
                else:  # a value from the drop-down, where there is one
                    formula = _validations(ws).get(i)
                    if formula and value is not None:
                        assert value in _list_values(wb, formula), (table, column, value)
    wb.save(path)


def _fill_csv(folder: Path, filler: Filler) -> None:
    folder.mkdir()
    for table, (header, rows) in tiny().items():
        heads = [labels.COLUMNS[table][c][0] for c in header]
        cells = [
            [filler.cell(table, c, t, xlsx=False) for c, t in zip(header, row, strict=True)]
            for row in rows
        ]
        (folder / f"{labels.SHEETS[table]}.csv").write_text(
            csv_text(heads, cells), encoding="utf-8-sig"
        )


def _store(path: Path, dataset: Path) -> dict[str, list[tuple]]:
    with open_store(path) as con:
        bind_plan(con, ST_PLAN.id)
        import_dataset(con, dataset, ST_PLAN, actor=TEST_ADMIN)
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in DATA_TABLES}


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, list[tuple]]:
    """TINY imported from the contract's CSV files (codes, ISO dates, decimal points)."""
    base = tmp_path_factory.mktemp("reference")
    return _store(base / "ref.duckdb", write_dataset(base / "ds", tiny()))


@pytest.mark.parametrize(
    "how",
    [
        pytest.param("xlsx-text-dates", id="xlsx-dd/mm/yyyy-text"),
        pytest.param("xlsx-excel-dates", id="xlsx-excel-dates"),
        pytest.param("csv", id="csv"),
    ],
)
def test_filled_template_imports_like_the_contract_files(tmp_path, reference, how):
    filler = Filler(ST_PLAN, excel_dates=how == "xlsx-excel-dates")
    if how == "csv":
        dataset = tmp_path / "du-lieu"
        _fill_csv(dataset, filler)
    else:
        dataset = tmp_path / "mau-da-dien.xlsx"
        _fill_workbook(dataset, filler)
    filler.assert_covered()
    got = _store(tmp_path / "filled.duckdb", dataset)
    assert sum(len(v) for v in got.values()) > 30
    for table in DATA_TABLES:
        assert got[table] == reference[table], table


# --- messages name what people see -----------------------------------------------------------------------
def _refused(tmp_path: Path, dataset: Path) -> str:
    with open_store(tmp_path / "s.duckdb") as con:
        bind_plan(con, ST_PLAN.id)
        with pytest.raises(InputRejected) as exc:
            import_dataset(con, dataset, ST_PLAN, dry_run=True, actor=TEST_ADMIN)
    return str(exc.value)


def test_wrong_header_names_the_vietnamese_headers(tmp_path):
    wb = _book(template_xlsx_bytes(ST_PLAN))
    ws = wb[labels.SHEETS["units"]]
    ws.cell(row=1, column=2, value="Tên đơn vi")  # a typo
    ws.append(["snv", "Sở Nội vụ"])
    wb.save(tmp_path / "mau.xlsx")
    message = _refused(tmp_path, tmp_path / "mau.xlsx")
    assert "mau.xlsx [Đơn vị], dòng 1, cột Tên đơn vi" in message
    valid = message.split("các cột hợp lệ: ", 1)[1]
    for column in TABLES["units"].column_names:
        assert f"{labels.COLUMNS['units'][column][0]} ({column})" in valid
    # the required column it replaced is named by its header
    assert "cột Tên đơn vị (name): thiếu cột bắt buộc" in message


def test_bad_cells_name_the_sheet_and_the_vietnamese_header(tmp_path):
    wb = _book(template_xlsx_bytes(ST_PLAN))
    wb[labels.SHEETS["units"]].append(["snv", "Sở Nội vụ", "Khối không có"])
    wb[labels.SHEETS["unit_scores"]].append([2021, "snv", "8o", 100])
    wb[labels.SHEETS["unit_scores"]].append([2021, "snv", 80, 100])
    wb.save(tmp_path / "mau.xlsx")
    message = _refused(tmp_path, tmp_path / "mau.xlsx")
    assert "mau.xlsx [Đơn vị], dòng 2, cột Khối (block) (giá trị 'Khối không có')" in message
    assert "Khối sở, ban, ngành tỉnh (so_nganh)" in message  # the choices by their labels
    sheet = labels.SHEETS["unit_scores"]
    assert f"mau.xlsx [{sheet}], dòng 2, cột Điểm đạt được (score) (giá trị '8o')" in message
    assert "trùng khóa (Năm, Mã đơn vị)" in message


def test_unknown_sheet_and_file_names_list_the_vietnamese_names(tmp_path):
    wb = _book(template_xlsx_bytes(ST_PLAN))
    wb.create_sheet("Trang lạ")
    wb.save(tmp_path / "mau.xlsx")
    message = _refused(tmp_path, tmp_path / "mau.xlsx")
    assert "mau.xlsx [Trang lạ]: trang tính không thuộc mẫu dữ liệu" in message
    assert all(f"{labels.SHEETS[t]} ({t})" in message for t in TABLES)
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "don-vi.csv").write_text("unit_id,name\nsnv,Sở Nội vụ\n", encoding="utf-8")
    message = _refused(tmp_path, folder)
    assert all(f"{labels.SHEETS[t]}.csv ({t}.csv)" in message for t in TABLES)


def test_lists_sheet_columns_are_lettered_in_order():
    wb = _book(template_xlsx_bytes(ST_PLAN, units=[{"unit_id": "snv", "name": "Sở Nội vụ"}]))
    titles = [c.value for c in wb[LISTS_SHEET][1]]
    assert titles[0] == labels.LISTS["bool"]
    assert titles[-2:] == [labels.LISTS["units"], labels.LISTS["unit_names"]]
    ws = wb[LISTS_SHEET]
    letter = get_column_letter(len(titles))
    assert ws[f"{letter}2"].value == "Sở Nội vụ"
