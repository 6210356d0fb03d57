"""Malformed inputs: each is rejected, names file/row/column, and leaves the store unchanged.

Every case starts from the tiny valid dataset (already in the store) and applies one
mutation to one file; the folder imported holds that file (plus, for the cross-file
cases, the rest of the dataset). Row numbers are physical lines, the header being line 1.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from analytics.errors import InputRejected
from analytics.ingest import raw
from analytics.ingest.importer import import_dataset
from analytics.store.connection import open_store
from analytics.store.contract import DATA_TABLES, TABLES
from tests._datasets import (
    ROOT,
    ST_PLAN,
    TEST_ADMIN,
    TINY,
    build_store,
    csv_text,
    snapshot,
    snapshot_file,
    tiny,
    write_dataset,
)


class _Anything:
    """Equal to every value: a Problem field a case does not constrain."""

    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return "ANY"


ANY: Any = _Anything()
FOLDER = "<folder>"  # stands for the imported folder's own path in an expected Problem.file


@dataclass(frozen=True)
class Case:
    """One malformed dataset and the problem it must produce. Every expected field is given
    explicitly: ``ANY`` says, at the case, that the field does not apply (e.g. no row for a
    problem with the whole file)."""

    files: dict[str, bytes]
    file: str
    row: Any
    column: Any
    value: Any
    target: str | None = None  # import this file of the folder instead of the folder
    max_bytes: int | None = None


def _csv(name: str, header: list[str], rows: list[list[str]]) -> dict[str, bytes]:
    return {f"{name}.csv": csv_text(header, rows).encode("utf-8")}


def cell(
    table: str, row: int, column: str, value: str, slug: str, /, *, name: str = "", **expect
) -> Any:
    """Set one cell; expect a problem at that line and column naming the (trimmed) value."""
    header, rows = tiny()[table]
    rows[row][header.index(column)] = value
    expected = {"row": row + 2, "column": column, "value": value.strip()} | expect
    case = Case(_csv(table, header, rows), f"{table}.csv", **expected)
    return pytest.param(case, id=name or f"{table}-{column}-{slug}")


def rows_case(table: str, rows: list[list[str]], slug: str, **expect) -> Any:
    header, _ = TINY[table]
    return pytest.param(Case(_csv(table, header, rows), f"{table}.csv", **expect), id=slug)


def raw_case(name: str, data: bytes, slug: str, **expect) -> Any:
    return pytest.param(Case({name: data}, expect.pop("file", name), **expect), id=slug)


# --- values that do not parse or are out of range --------------------------------------

BAD_NUMBERS = {
    "abc": "text",
    "1.000,5": "dot-thousands-comma-decimal",
    "85,5,1": "two-commas",
    "--1": "double-minus",
    "1e": "bare-exponent",
    "%": "percent-sign-only",
    "1 000": "space-thousands",
}
NUMBER_CELLS = [
    ("unit_scores", 0, "score"),
    ("unit_scores", 1, "max_score"),
    ("unit_scores", 3, "ratio"),
    ("province_components", 2, "score"),
    ("province_components", 3, "max_score"),
]
PCT_CELLS = [
    ("satisfaction", 1, "satisfaction_pct"),
    ("unit_facts", 1, "tasks_completed_pct"),
    ("person_judgments", 1, "votes_pct"),
    ("province_results", 0, "ratio"),
    ("province_results", 1, "sipas_pct"),
]
BAD_PCTS = {
    "100.01": "above-100",
    "-0.01": "negative",
    "150%": "150-percent-text",
    "101,5": "above-100-comma-decimal",
    "abc": "text",
    "85,5,1": "two-commas",
}
YEAR_CELLS = [
    ("unit_scores", 2, "year"),
    ("province_components", 1, "year"),
    ("satisfaction", 2, "year"),
    ("unit_facts", 0, "year"),
    ("publications", 1, "year"),
    ("province_results", 1, "year"),
]
BAD_YEARS = {
    "2021.5": "fraction",
    "năm 2021": "with-word",
    "2020": "before-plan",
    "2031": "after-plan",
    "2021-2022": "range",
}
BOOL_CELLS = [
    ("unit_judgments", 0, "head_directs"),
    ("unit_judgments", 1, "outstanding"),
    ("unit_judgments", 2, "has_initiative"),
    ("person_judgments", 0, "outstanding"),
    ("person_judgments", 1, "has_initiative"),
    ("person_judgments", 1, "initiative_recognized"),
    ("person_judgments", 2, "good_conduct"),
]
BAD_BOOLS = {"yes": "english-yes", "2": "digit-2", "đúng": "vietnamese-dung"}


def value_cases() -> list[Any]:
    out = []
    for table, row, col in NUMBER_CELLS:
        for value, slug in BAD_NUMBERS.items():
            out.append(cell(table, row, col, value, slug))
        out.append(cell(table, row, col, "-1", "negative"))
    out.append(cell("unit_scores", 0, "max_score", "100000000000000", "above-1e14"))
    out.append(cell("province_components", 0, "score", "-0.5", "negative-fraction"))
    # digit grouping with underscores must not parse as a number (DuckDB's cast accepts it)
    out.append(cell("unit_scores", 1, "score", "6_4", "underscore-grouping"))
    for table, row, col in PCT_CELLS:
        for value, slug in BAD_PCTS.items():
            out.append(cell(table, row, col, value, slug))
    for table, row, col in YEAR_CELLS:
        for value, slug in BAD_YEARS.items():
            if value == "2020" and TABLES[table].allows_baseline:
                # the plan's baseline year 2020 is accepted here (rules.md §3 v2): 2019 is not
                out.append(cell(table, row, col, "2019", "before-baseline"))
                continue
            out.append(cell(table, row, col, value, slug))
    for value, slug in {"2020": "before-plan", "2031": "after-plan", "2021.5": "fraction"}.items():
        out.append(cell("units", 1, "active_from", value, slug))
    for value, slug in {"2031": "after-plan", "abc": "text", "cuối kỳ": "words"}.items():
        out.append(cell("units", 4, "active_to", value, slug))
    # active_from after active_to (the unit's own years), reported on active_to
    out.append(
        cell("units", 4, "active_from", "2025", "after-active-to", column="active_to", value="2024")
    )
    out.append(cell("units", 5, "active_to", "2024", "before-active-from"))
    for table, row, col, value, slug in (
        ("units", 1, "name", "Sở Tư\x0bpháp", "vertical-tab"),
        ("people", 0, "full_name", "Trần\x01 Minh Khoa", "control-char"),
        ("people", 1, "position", "Chuyên\x1fviên", "unit-separator"),
        ("units", 2, "unit_id", "stp\x07", "bell"),
    ):
        out.append(cell(table, row, col, value, slug))
    for value, slug in {
        "0": "zero",
        "64": "64",
        "-1": "negative",
        "1.5": "fraction",
        "abc": "text",
        "100": "100",
    }.items():
        out.append(cell("province_results", 1, "national_rank", value, slug))
    for table, row, col in BOOL_CELLS:
        for value, slug in BAD_BOOLS.items():
            out.append(cell(table, row, col, value, slug))
    for value, slug in {"-": "dash", "v": "checkmark-v", "true false": "two-words"}.items():
        out.append(cell("unit_judgments", 1, "head_directs", value, slug))
    for table, row in (("unit_facts", 0), ("person_judgments", 0)):
        for value, slug in {
            "kỷ luật": "vietnamese",
            "under review": "space-not-underscore",
            "excluded": "status-not-discipline",
            "1": "digit",
            "có": "boolean",
        }.items():
            out.append(cell(table, row, "discipline", value, slug))
    for row, value, slug in (
        (0, "so-nganh", "dash-not-underscore"),
        (2, "xa", "other-plans-block"),
        (3, "khoi_so", "unknown"),
        (4, "so_nganh;dvsn", "two-blocks"),
        (5, "1", "digit"),
    ):
        out.append(cell("units", row, "block", value, slug))
    for table, row in (("unit_judgments", 2), ("person_judgments", 1)):
        for value, slug in {
            "2020": "before-plan",
            "2031": "after-plan",
            "so-ket-2024": "no-such-midterm",
            "tong-ket": "no-year",
            "2023.5": "fraction",
        }.items():
            out.append(cell(table, row, "review", value, slug))
    for row, value, slug in (
        (0, "2023-02-30", "feb-30"),
        (1, "31/02/2023", "dd-mm-yyyy-feb-31"),
        (0, "2023-2-15", "one-digit-month"),
        (1, "2023-13-01", "month-13"),
        (0, "20230215", "no-dashes"),
        (1, "2022/05/24", "slashes-year-first"),
        (0, "15-02-2023", "dashes-day-first"),
        (1, "01/01/2010", "before-span-minus-5"),
        (0, "01/01/2036", "after-span-plus-5"),
        (0, "2023-02-15T08:00", "with-time"),
        (1, "hôm nay", "words"),
    ):
        out.append(cell("publications", row, "published_on", value, slug))
    return out


# --- references -------------------------------------------------------------------------


def reference_cases() -> list[Any]:
    out = []
    for table, row in (
        ("unit_scores", 1),
        ("satisfaction", 0),
        ("unit_facts", 2),
        ("unit_judgments", 1),
        ("people", 0),
    ):
        out.append(cell(table, row, "unit_id", "zzz", "unknown-unit"))
        out.append(cell(table, row, "unit_id", "SNV", "unit-id-wrong-case"))
    out.append(cell("person_judgments", 0, "person_id", "p99", "unknown-person"))
    out.append(cell("person_judgments", 2, "person_id", "P01", "person-id-wrong-case"))
    out.append(cell("units", 0, "advised_components", "C1;C99", "one-unknown-in-list", value="C99"))
    out.append(cell("units", 1, "advised_components", "C9", "unknown-component"))
    out.append(cell("units", 3, "advised_components", "A;B", "all-unknown-in-list"))
    out.append(
        cell("people", 0, "advised_components", "C1; X ;C2", "unknown-spaced-in-list", value="X")
    )
    out.append(cell("people", 1, "advised_components", "C3", "unknown-component"))
    out.append(cell("units", 5, "predecessors", "hct;nope", "one-unknown-in-list", value="nope"))
    out.append(cell("units", 2, "predecessors", "xyz", "unknown-unit"))
    return out


# --- keys, headers, required cells -------------------------------------------------------

TYPOS = {
    "units": ("name", "ten"),
    "unit_scores": ("score", "scor"),
    "province_components": ("component_name", "component name"),
    "satisfaction": ("satisfaction_pct", "satisfaction"),
    "unit_facts": ("tasks_completed_pct", "tasks_completed"),
    "unit_judgments": ("head_directs", "head_direct"),
    "people": ("full_name", "fullname"),
    "person_judgments": ("votes_pct", "vote_pct"),
    "publications": ("published_on", "published"),
    "province_results": ("national_rank", "rank"),
}


def key_and_header_cases() -> list[Any]:
    out = []
    for table, (_, rows) in TINY.items():
        key = TABLES[table].key
        dup = [*rows, list(rows[0])]
        out.append(
            rows_case(
                table,
                dup,
                f"{table}-duplicate-key-repeated-row",
                row=len(dup) + 1,
                column=key[-1],
                value=ANY,
            )
        )
    header, rows = tiny()["unit_scores"]
    out.append(
        rows_case(
            "unit_scores",
            [*rows, ["2021", "snv", "81", "100", ""]],
            "unit_scores-duplicate-key-other-score",
            row=8,
            column="unit_id",
            value=ANY,
        )
    )
    out.append(
        rows_case(
            "unit_scores",
            [*rows, [" 2021 ", " snv ", "80", "100", ""]],
            "unit_scores-duplicate-key-after-trimming",
            row=8,
            column="unit_id",
            value=ANY,
        )
    )
    out.append(
        rows_case(
            "unit_scores",
            [rows[0], rows[0], *rows[1:]],
            "unit_scores-duplicate-key-adjacent",
            row=3,
            column="unit_id",
            value=ANY,
        )
    )
    pub = tiny()["publications"][1]
    out.append(
        rows_case(
            "publications",
            [*pub, ["2021.0", "2022-05-25"]],
            "publications-duplicate-year-written-2021.0",
            row=4,
            column="year",
            value=ANY,
        )
    )
    ppl = tiny()["people"][1]
    out.append(
        rows_case(
            "people",
            [*ppl, ["Hoa\u0300", "A", "", "", "", ""]],
            "people-id-with-diacritics",
            row=5,
            column="person_id",
            value="Hoà",
        )
    )
    for table, (old, typo) in TYPOS.items():
        header, rows = tiny()[table]
        header[header.index(old)] = typo
        out.append(
            pytest.param(
                Case(_csv(table, header, rows), f"{table}.csv", row=1, column=typo, value=ANY),
                id=f"{table}-unknown-column-{typo.replace(' ', '-')}",
            )
        )
    for table, (header, rows) in TINY.items():
        first = header[0]
        dup_header = [*header, first]
        dup_rows = [[*r, r[0]] for r in rows]
        out.append(
            pytest.param(
                Case(
                    _csv(table, dup_header, dup_rows),
                    f"{table}.csv",
                    row=1,
                    column=first,
                    value=ANY,
                ),
                id=f"{table}-duplicated-column-{first}",
            )
        )
    header, rows = tiny()["publications"]
    out.append(
        pytest.param(
            Case(
                _csv("publications", [*header, "Năm"], [[*r, r[0]] for r in rows]),
                "publications.csv",
                row=1,
                column="Năm",
                value=ANY,
            ),
            id="publications-duplicated-column-name-and-label",
        )
    )
    header, rows = tiny()["units"]
    out.append(
        pytest.param(
            Case(
                _csv("units", [*header, "UNIT_ID"], [[*r, r[0]] for r in rows]),
                "units.csv",
                row=1,
                column="UNIT_ID",
                value=ANY,
            ),
            id="units-duplicated-column-other-case",
        )
    )
    for table, spec in TABLES.items():
        for col in (c.name for c in spec.columns if c.required):
            header, rows = tiny()[table]
            i = header.index(col)
            out.append(
                pytest.param(
                    Case(
                        _csv(
                            table, header[:i] + header[i + 1 :], [r[:i] + r[i + 1 :] for r in rows]
                        ),
                        f"{table}.csv",
                        row=1,
                        column=col,
                        value=ANY,
                    ),
                    id=f"{table}-missing-required-column-{col}",
                )
            )
    for table, spec in TABLES.items():
        for n, col in enumerate(c.name for c in spec.columns if c.required):
            row = n % len(TINY[table][1])
            out.append(cell(table, row, col, "", "blank-required", value=None))
    out.append(cell("units", 2, "name", "   ", "spaces-only-required", value=None))
    out.append(cell("people", 1, "full_name", "\u00a0", "nbsp-only-required", value=None))
    out.append(cell("unit_scores", 3, "unit_id", "\t", "tab-only-required", value=None))
    return out


# --- scores and ratios --------------------------------------------------------------------


def score_cases() -> list[Any]:
    def us(row: int, column: str, value: str, slug: str, /, **expect) -> Any:
        return cell("unit_scores", row, column, value, "", name=f"unit_scores-{slug}", **expect)

    def pc(row: int, column: str, value: str, slug: str, /, **expect) -> Any:
        return cell(
            "province_components",
            row,
            column,
            value,
            "",
            name=f"province_components-{slug}",
            **expect,
        )

    return [
        us(0, "max_score", "", "score-without-max", value=None),
        us(5, "score", "", "max-without-score", column="max_score", value=None),
        us(2, "ratio", "", "row-with-neither-score-nor-ratio", column="score", value=None),
        us(4, "ratio", "86", "ratio-not-score-over-max", value=ANY),
        us(3, "ratio", "87.52", "ratio-off-by-0.02", value=ANY),
        us(0, "score", "100.01", "score-above-max"),
        us(1, "score", "80.5", "score-above-max-fraction"),
        us(5, "max_score", "0", "max-zero"),
        us(2, "ratio", "100.5", "ratio-only-above-100"),
        us(2, "ratio", "-5", "ratio-only-negative"),
        us(2, "ratio", "101%", "ratio-only-101-percent-text"),
        rows_case(
            "unit_scores",
            [["2021", "snv", "", "", ""]],
            "unit_scores-all-blank-row",
            row=2,
            column="score",
            value=ANY,
        ),
        pc(1, "score", "9", "score-above-max"),
        pc(2, "max_score", "0", "max-zero"),
        pc(3, "max_score", "6.99", "max-below-score", column="score", value="7"),
    ]


# --- file shapes, encodings, names, sizes ------------------------------------------------

PUB = "year,published_on\n2021,2022-05-24\n"
UNITS_HEAD = "unit_id,name,block\n"


def _xlsx(sheets: dict[str, list[list[Any]]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _zip_not_workbook() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "xin chào")
    return buf.getvalue()


UNITS_SHEET = [["unit_id", "name", "block"], ["snv", "Sở Nội vụ", "so_nganh"]]


def file_cases() -> list[Any]:
    u8 = "utf-8"
    out = [
        # wrong number of fields in a record
        raw_case(
            "publications.csv",
            (PUB + "2022,2023-05-30,x\n").encode(),
            "publications-extra-field",
            row=3,
            column=ANY,
            value=ANY,
        ),
        raw_case(
            "units.csv",
            (UNITS_HEAD + "snv,Sở Nội vụ,so_nganh\nstp,Sở Tư pháp\n").encode(),
            "units-missing-field",
            row=3,
            column=ANY,
            value=ANY,
        ),
        raw_case(
            "satisfaction.csv",
            b"year,unit_id,satisfaction_pct\n2021,snv,93,5\n",
            "satisfaction-unquoted-decimal-comma-extra-field",
            row=2,
            column=ANY,
            value=ANY,
        ),
        raw_case(
            "publications.csv",
            (PUB + "  \n2022,2023-05-30\n").encode(),
            "publications-spaces-only-line",
            row=3,
            column=ANY,
            value=ANY,
        ),
        raw_case(
            "units.csv",
            (UNITS_HEAD + 'snv,"Sở Nội vụ,so_nganh\n').encode(),
            "units-unterminated-quote",
            row=2,
            column=ANY,
            value=ANY,
        ),
        # a bad row after a blank line: the row number is the physical line
        raw_case(
            "publications.csv",
            (PUB + "\n2022,2023-02-30\n").encode(),
            "publications-bad-date-after-blank-line",
            row=4,
            column="published_on",
            value=ANY,
        ),
        raw_case(
            "publications.csv",
            b"year,published_on,\n2021,2022-05-24,\n2022,2023-05-30,\n2023,2024-04-17,x\n",
            "publications-value-in-unnamed-column",
            row=4,
            value="x",
            column=ANY,
        ),
        # encodings
        raw_case(
            "units.csv",
            (UNITS_HEAD + "snv,Café,so_nganh\n").encode("latin-1"),
            "units-latin1-bytes",
            row=2,
            column=None,
            value=ANY,
        ),
        raw_case(
            "units.csv",
            (UNITS_HEAD + "snv,Sở Nội vụ,so_nganh\n").encode(u8)
            + "stp,Tư pháp,so_nganh\n".encode("cp1258"),
            "units-cp1258-bytes-on-line-3",
            row=3,
            column=None,
            value=ANY,
        ),
        raw_case(
            "people.csv",
            ("person_id,full_name\np1,An\np2,Bình\n").encode(u8)
            + "p3,Trương Văn Ánh\n".encode("cp1258"),
            "people-cp1258-bytes-on-line-4",
            row=4,
            column=None,
            value=ANY,
        ),
        raw_case(
            "units.csv",
            (UNITS_HEAD + "snv,Sở Nội vụ,so_nganh\n").encode("utf-16"),
            "units-utf16-with-bom",
            row=ANY,
            column=ANY,
            value=ANY,
        ),
        raw_case(
            "satisfaction.csv",
            codecs.BOM_UTF16_BE
            + "year,unit_id,satisfaction_pct\n2021,snv,90\n".encode("utf-16-be"),
            "satisfaction-utf16-big-endian-bom",
            row=ANY,
            column=ANY,
            value=ANY,
        ),
        raw_case(
            "units.csv",
            (UNITS_HEAD + "snv,Sở Nội vụ,so_nganh\nstp,S").encode(u8) + "ở".encode(u8)[:2],
            "units-truncated-utf8-at-end",
            row=3,
            column=None,
            value=ANY,
        ),
        raw_case(
            "units.csv",
            (UNITS_HEAD + "snv,Sở Nội vụ,so_nganh\n").encode(u8) + "ở".encode(u8)[:1],
            "units-truncated-utf8-after-newline",
            row=3,
            column=None,
            value=ANY,
        ),
        raw_case(
            "publications.csv",
            b"year,published_on\n2021,2022-05-24\x80\n",
            "publications-lone-continuation-byte",
            row=2,
            column=None,
            value=ANY,
        ),
        raw_case(
            "units.csv",
            b"unit_id,name\xff,block\nsnv,A,so_nganh\n",
            "units-invalid-byte-in-header",
            row=1,
            column=None,
            value=ANY,
        ),
        # empty files and headers
        raw_case("units.csv", b"", "units-empty-file", row=ANY, column=ANY, value=ANY),
        raw_case("unit_scores.csv", b"", "unit_scores-empty-file", row=ANY, column=ANY, value=ANY),
        raw_case(
            "publications.csv", b"", "publications-empty-file", row=ANY, column=ANY, value=ANY
        ),
        raw_case(
            "units.csv",
            ("\n" + "snv,Sở Nội vụ,so_nganh\n").encode(),
            "units-blank-header-line",
            row=1,
            column=ANY,
            value=ANY,
        ),
        raw_case(
            "province_results.csv",
            b"   \n2021,78.4,,89.5\n",
            "province_results-spaces-only-header-line",
            row=1,
            column=ANY,
            value=ANY,
        ),
        raw_case(
            "publications.csv",
            b"year;published_on\n2021;2022-05-24\n",
            "publications-semicolon-separated",
            row=1,
            column=ANY,
            value=ANY,
        ),
        raw_case(
            "publications.csv",
            b"year\tpublished_on\n2021\t2022-05-24\n",
            "publications-tab-separated",
            row=1,
            column=ANY,
            value=ANY,
        ),
        # sizes
        pytest.param(
            Case(
                {"units.csv": (UNITS_HEAD + "snv,Sở Nội vụ,so_nganh\n").encode()},
                "units.csv",
                max_bytes=20,
                row=ANY,
                column=ANY,
                value=ANY,
            ),
            id="units-over-size-limit",
        ),
        pytest.param(
            Case(
                {
                    "publications.csv": PUB.encode(),
                    "people.csv": b"person_id,full_name\np9,Nguyen Van A\n",
                },
                "people.csv",
                max_bytes=len(PUB),
                row=ANY,
                column=ANY,
                value=ANY,
            ),
            id="people-over-size-limit-next-to-small-file",
        ),
        pytest.param(
            Case(
                {"book.xlsx": _xlsx({"units": UNITS_SHEET})},
                "book.xlsx",
                target="book.xlsx",
                max_bytes=100,
                row=ANY,
                column=ANY,
                value=ANY,
            ),
            id="xlsx-over-size-limit",
        ),
        # names
        raw_case(
            "unit_score.csv",
            b"year,unit_id,score,max_score\n",
            "unknown-file-unit_score",
            row=ANY,
            column=ANY,
            value=ANY,
        ),
        raw_case(
            "don_vi.csv", UNITS_HEAD.encode(), "unknown-file-don_vi", row=ANY, column=ANY, value=ANY
        ),
        raw_case(
            "units (1).csv",
            UNITS_HEAD.encode(),
            "unknown-file-browser-copy-suffix",
            row=ANY,
            column=ANY,
            value=ANY,
        ),
        pytest.param(
            Case(
                {"units.csv": UNITS_HEAD.encode(), "Đơn vị.csv": UNITS_HEAD.encode()},
                "Đơn vị.csv",
                row=ANY,
                column=ANY,
                value=ANY,
            ),
            id="two-files-for-units-name-and-label",
        ),
        pytest.param(
            Case({"notes.txt": b"ghi chu"}, FOLDER, row=ANY, column=ANY, value=ANY),
            id="folder-without-csv-files",
        ),
        pytest.param(Case({}, FOLDER, row=ANY, column=ANY, value=ANY), id="empty-folder"),
        pytest.param(
            Case(
                {"bang.csv": PUB.encode()},
                "bang.csv",
                target="bang.csv",
                row=ANY,
                column=ANY,
                value=ANY,
            ),
            id="single-csv-file-with-unknown-name",
        ),
        # workbooks
        pytest.param(
            Case(
                {"book.xlsx": _xlsx({"Sheet1": [["a"]], "units": UNITS_SHEET})},
                "book.xlsx [Sheet1]",
                target="book.xlsx",
                row=ANY,
                column=ANY,
                value=ANY,
            ),
            id="xlsx-unknown-sheet",
        ),
        pytest.param(
            Case(
                {"book.xlsx": _xlsx({"Trang tính 1": [["x"]]})},
                "book.xlsx [Trang tính 1]",
                target="book.xlsx",
                row=ANY,
                column=ANY,
                value=ANY,
            ),
            id="xlsx-unknown-vietnamese-sheet",
        ),
        pytest.param(
            Case(
                {"book.xlsx": b"unit_id,name,block\nsnv,A,so_nganh\n"},
                "book.xlsx",
                target="book.xlsx",
                row=ANY,
                column=ANY,
                value=ANY,
            ),
            id="xlsx-that-is-a-csv-not-a-zip",
        ),
        pytest.param(
            Case(
                {"book.xlsx": _zip_not_workbook()},
                "book.xlsx",
                target="book.xlsx",
                row=ANY,
                column=ANY,
                value=ANY,
            ),
            id="xlsx-zip-without-workbook",
        ),
        pytest.param(
            Case(
                {
                    "book.xlsx": _xlsx(
                        {
                            "units": [
                                ["unit_id", "name", "block"],
                                ["snv", "Sở Nội vụ", "so_nganh"],
                                [None, None, None],
                                ["stp", "Sở Tư pháp", "xa"],
                            ]
                        }
                    )
                },
                "book.xlsx [units]",
                row=4,
                column="block",
                value="xa",
                target="book.xlsx",
            ),
            id="xlsx-bad-block-after-empty-row",
        ),
        pytest.param(
            Case(
                {"book.xlsx": _xlsx({"units": [["unit_id", "block"], ["snv", "so_nganh"]]})},
                "book.xlsx [units]",
                row=1,
                column="name",
                target="book.xlsx",
                value=ANY,
            ),
            id="xlsx-missing-required-column",
        ),
        pytest.param(
            Case(
                {"book.xlsx": _xlsx({"units": []})},
                "book.xlsx [units]",
                target="book.xlsx",
                row=ANY,
                column=ANY,
                value=ANY,
            ),
            id="xlsx-empty-sheet",
        ),
        pytest.param(
            Case(
                {
                    "book.xlsx": _xlsx(
                        {
                            "units": [
                                ["unit_id", "name", "block", "ghi chú"],
                                ["snv", "A", "so_nganh", ""],
                            ]
                        }
                    )
                },
                "book.xlsx [units]",
                row=1,
                column="ghi chú",
                target="book.xlsx",
                value=ANY,
            ),
            id="xlsx-unknown-column",
        ),
        pytest.param(
            Case(
                {
                    "book.xlsx": _xlsx(
                        {
                            "Tỷ lệ hài lòng": [
                                ["Năm", "Mã đơn vị", "Tỷ lệ hài lòng (%)"],
                                [2021, "snv", 93],
                                [2021, "zzz", 90],
                            ]
                        }
                    )
                },
                "book.xlsx [Tỷ lệ hài lòng]",
                row=3,
                column="unit_id",
                value="zzz",
                target="book.xlsx",
            ),
            id="xlsx-vietnamese-sheet-unknown-unit",
        ),
        pytest.param(
            Case(
                {"book.xlsx": _xlsx({"units": UNITS_SHEET, "Đơn vị": UNITS_SHEET})},
                "book.xlsx [Đơn vị]",
                target="book.xlsx",
                row=ANY,
                column=ANY,
                value=ANY,
            ),
            id="xlsx-two-sheets-for-units-name-and-label",
        ),
    ]
    return out


# --- several files: all or nothing -------------------------------------------------------


def _full(**changes: list[list[str]]) -> dict[str, bytes]:
    files = {}
    for name, (header, rows) in tiny().items():
        files |= _csv(name, header, changes.get(name, rows))
    return files


def cross_file_cases() -> list[Any]:
    t = tiny()
    new_unit = ["sxd", "Sở Xây dựng", "so_nganh", "", "", "", "", ""]
    units = [*t["units"][1], new_unit]
    pr = [list(r) for r in t["province_results"][1]]
    pr[1][2] = "64"
    scores = [*t["unit_scores"][1], ["2023", "sxdd", "70", "100", ""]]
    people = [*t["people"][1], ["p04", "Võ Văn Tám", "sxd", "", "C7", ""]]
    pj = [*t["person_judgments"][1], ["2023", "p05", "x", "", "", "", "", "", "", "", "", ""]]
    return [
        pytest.param(
            Case(
                _full(units=units, unit_scores=scores),
                "unit_scores.csv",
                row=8,
                column="unit_id",
                value="sxdd",
            ),
            id="full-new-unit-and-score-for-misspelt-unit",
        ),
        pytest.param(
            Case(
                _full(units=units, province_results=pr),
                "province_results.csv",
                row=3,
                column="national_rank",
                value="64",
            ),
            id="full-new-unit-and-bad-rank-in-last-table",
        ),
        pytest.param(
            Case(
                _full(units=units, people=people),
                "people.csv",
                row=5,
                column="advised_components",
                value="C7",
            ),
            id="full-new-person-advising-unknown-component",
        ),
        pytest.param(
            Case(
                _full(
                    people=people[:-1] + [["p04", "Võ Văn Tám", "", "", "", ""]],
                    person_judgments=pj,
                ),
                "person_judgments.csv",
                row=5,
                column="person_id",
                value="p05",
            ),
            id="full-new-person-and-judgment-for-another",
        ),
        pytest.param(
            Case(
                _full(units=units) | {"notes.csv": b"a\n"},
                "notes.csv",
                row=ANY,
                column=ANY,
                value=ANY,
            ),
            id="full-new-unit-next-to-unknown-file",
        ),
        pytest.param(
            Case(
                _full(units=units)
                | {
                    "satisfaction.csv": "year,unit_id,satisfaction_pct\n2021,snv,Trên 90\n".encode(
                        "cp1258", "replace"
                    )
                },
                "satisfaction.csv",
                row=2,
                column=None,
                value=ANY,
            ),
            id="full-new-unit-next-to-cp1258-file",
        ),
    ]


# --- contract v2: links, ceasing dates, genders, dates, ids, the new tables (issue 9) ---------


def _with_rows(table: str, extra: list[list[str]], slug: str, **expect) -> Any:
    """The tiny table plus ``extra`` rows; the problem expected as given."""
    return rows_case(table, [*TINY[table][1], *extra], slug, **expect)


def v2_cases() -> list[Any]:
    long_id = "u" * 65
    return [
        # unit_links, cell by cell
        cell("unit_links", 0, "from_unit_id", "khong-co", "unknown-from"),
        cell("unit_links", 0, "to_unit_id", "khong-co", "unknown-to"),
        cell("unit_links", 0, "from_unit_id", "", "blank-from", value=ANY),
        cell("unit_links", 0, "to_unit_id", "skhdt", "link-to-itself", value=ANY),
        cell("unit_links", 0, "kind", "đổi chủ", "unknown-kind"),
        cell("unit_links", 0, "kind", "", "blank-kind", value=ANY),
        cell("unit_links", 0, "effective_on", "31/02/2025", "impossible-date"),
        cell("unit_links", 0, "effective_on", "2025-13-01", "month-13"),
        cell("unit_links", 0, "effective_on", "sớm", "date-as-text"),
        cell("unit_links", 0, "effective_on", "01/01/2040", "date-after-the-plan", value=ANY),
        cell("unit_links", 0, "effective_on", "01/06/2024", "old-unit-still-assessed", value=ANY),
        cell("unit_links", 0, "is_primary", "có lẽ", "bad-boolean"),
        cell("unit_links", 0, "from_unit_id", "sở-x", "id-with-diacritics"),
        _with_rows(
            "unit_links",
            [["snv", "skhdt", "renamed", "01/01/2026", "", ""]],
            "unit_links-cycle",
            row=ANY,
            column=ANY,
            value=ANY,
        ),
        _with_rows(
            "unit_links",
            [["h-lp", "ct-sxd", "merged", "2025-07-01", "x", ""]],
            "unit_links-two-primaries-into-one-unit",
            row=ANY,
            column="is_primary",
            value=ANY,
        ),
        _with_rows(
            "unit_links",
            [["skhdt", "ct-sxd", "absorbed", "01/03/2025", "", ""]],
            "unit_links-several-out-without-primary",
            row=ANY,
            column="is_primary",
            value=ANY,
        ),
        _with_rows(
            "unit_links",
            [["skhdt", "snv", "merged", "01/03/2025", "", ""]],
            "unit_links-duplicate-key",
            row=ANY,
            column=ANY,
            value=ANY,
        ),
        # units: ceasing dates and ids
        cell("units", 9, "ceased_on", "30/02/2025", "ceased-impossible-date"),
        cell("units", 9, "ceased_on", "đã giải thể", "ceased-as-text"),
        cell("units", 9, "ceased_on", "01/01/1999", "ceased-before-the-plan", value=ANY),
        cell("units", 0, "unit_id", "sở-nv", "unit-id-diacritics", value=ANY),
        cell("units", 0, "unit_id", "s nv", "unit-id-space", value=ANY),
        cell("units", 0, "unit_id", long_id, "unit-id-65-chars", value=ANY),
        # people: genders and ids
        cell("people", 0, "gender", "khác", "gender-unknown"),
        cell("people", 0, "gender", "x", "gender-x"),
        cell("people", 0, "gender", "1", "gender-digit"),
        cell("people", 2, "person_id", "nguyễn", "person-id-diacritics", value=ANY),
        # dates elsewhere
        cell("registrations", 0, "registered_on", "31/02/2023", "registered-impossible-date"),
        cell("awards_granted", 0, "decided_on", "2023-02-30", "decided-impossible-date"),
        cell("awards_granted", 0, "decided_on", "15.07.2022", "decided-dotted-date"),
        cell("publications", 1, "published_on", "24/13/2022", "published-month-13"),
        # nominations and judgments
        cell("person_judgments", 0, "votes_for", "101", "votes-for-above-members", value=ANY),
        cell("person_judgments", 0, "votes_for", "-1", "votes-for-negative", value=ANY),
        cell("person_judgments", 1, "is_nominated", "có lẽ", "nominated-bad-boolean"),
        cell("person_judgments", 0, "proposed_form", "huan_chuong", "person-unknown-form"),
        cell("unit_judgments", 0, "discipline", "bị phê bình", "review-discipline-unknown"),
        cell("unit_judgments", 0, "proposed_form", "huan_chuong", "unit-unknown-form"),
        # the new tables
        cell("unit_component_scores", 0, "component", "zz", "component-unknown"),
        cell("unit_component_scores", 0, "score", "31", "components-do-not-add-up", value=ANY),
        cell("unit_component_scores", 0, "score", "41", "component-above-its-max", value=ANY),
        cell("registrations", 0, "subject_kind", "hộ gia đình", "registration-unknown-kind"),
        cell("registrations", 0, "forms", "huan_chuong", "registration-unknown-form", value=ANY),
        cell("awards_granted", 0, "award", "huan_chuong", "granted-unknown-award"),
        cell("awards_granted", 0, "subject_id", "khong-co", "granted-unknown-subject"),
    ]


CASES = (
    value_cases()
    + reference_cases()
    + key_and_header_cases()
    + score_cases()
    + file_cases()
    + cross_file_cases()
    + v2_cases()
)


# --- fixtures and tests --------------------------------------------------------------------


class SharedStore:
    """One open store holding the tiny dataset; restored from a pristine copy if ever changed."""

    def __init__(self, pristine: Path, work: Path):
        self.pristine, self.work = pristine, work
        self._stack = contextlib.ExitStack()
        self.reset()
        self.snap = snapshot(self.con)

    def reset(self) -> None:
        self._stack.close()
        shutil.copy(self.pristine, self.work)
        self.con = self._stack.enter_context(open_store(self.work))

    def close(self) -> None:
        self._stack.close()


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("malformed")
    path = base / "pristine.duckdb"
    build_store(path, write_dataset(base / "tiny", TINY))
    return path


@pytest.fixture(scope="module")
def shared(pristine: Path):
    store = SharedStore(pristine, pristine.with_name("shared.duckdb"))
    yield store
    store.close()


def _write(case: Case, folder: Path) -> Path:
    folder.mkdir()
    for name, data in case.files.items():
        (folder / name).write_bytes(data)
    return folder / case.target if case.target else folder


def _describe(problems) -> str:
    return "\n".join(
        f"  {p.file!r} row={p.row!r} column={p.column!r} value={p.value!r}: {p.message}"
        for p in problems
    )


def test_there_are_enough_distinct_cases():
    ids = [p.id for p in CASES]
    assert len(ids) >= 240  # v2: at least 40 more (v2_cases)
    assert len(v2_cases()) >= 40
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("case", CASES)
def test_malformed_input_is_rejected_and_store_unchanged(
    case: Case, shared: SharedStore, tmp_path: Path, monkeypatch
):
    target = _write(case, tmp_path / "dataset")
    if case.max_bytes is not None:
        monkeypatch.setattr(raw, "MAX_IMPORT_BYTES", case.max_bytes)
    try:
        with pytest.raises(InputRejected) as info:
            import_dataset(shared.con, target, ST_PLAN, actor=TEST_ADMIN)
    finally:
        after = snapshot(shared.con)
        if after != shared.snap:
            shared.reset()
    assert after == shared.snap, "a rejected import changed the store"
    problems = info.value.problems
    assert problems and info.value.total >= len(problems)
    file = str(tmp_path / "dataset") if case.file == FOLDER else case.file
    wanted = (file, case.row, case.column, case.value)
    assert any(wanted == (p.file, p.row, p.column, p.value) for p in problems), (
        f"expected a problem {wanted}, got:\n{_describe(problems)}"
    )
    assert file in str(info.value)


@pytest.mark.parametrize("table", list(TINY))
def test_header_only_file_is_valid_with_zero_rows(table: str, shared: SharedStore, tmp_path: Path):
    folder = tmp_path / "dataset"
    folder.mkdir()
    header, _ = TINY[table]
    (folder / f"{table}.csv").write_text(",".join(header) + "\n", encoding="utf-8")
    try:
        result = import_dataset(shared.con, folder, ST_PLAN, actor=TEST_ADMIN)
        after = snapshot(shared.con)
    finally:
        shared.reset()
    assert {k: vars(v) for k, v in result.counts.items()} == {
        table: {"inserted": 0, "updated": 0, "unchanged": 0}
    }
    assert not result.is_change
    assert {t: after[t] for t in DATA_TABLES} == {t: shared.snap[t] for t in DATA_TABLES}


CLI_CASES = [
    "unit_scores-score-above-max",
    "units-latin1-bytes",
    "xlsx-unknown-sheet",
]


@pytest.mark.parametrize("case", [p for p in CASES if p.id in CLI_CASES])
def test_cli_import_of_malformed_input_exits_2(case: Case, pristine: Path, tmp_path: Path):
    store = tmp_path / "store.duckdb"
    shutil.copy(pristine, store)
    before = snapshot_file(store)
    target = _write(case, tmp_path / "dataset")
    proc = subprocess.run(
        [sys.executable, "-m", "analytics", "import", str(target), "--db", str(store)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert case.file in proc.stderr
    if isinstance(case.row, int):
        assert f"dòng {case.row}" in proc.stderr
    assert proc.stdout == ""
    assert snapshot_file(store) == before


def test_cli_size_limit_comes_from_the_environment(pristine: Path, tmp_path: Path):
    store = Path(shutil.copy(pristine, tmp_path / "store.duckdb"))
    before = snapshot_file(store)
    folder = tmp_path / "dataset"
    folder.mkdir()
    (folder / "publications.csv").write_bytes(PUB.encode())
    proc = subprocess.run(
        [sys.executable, "-m", "analytics", "import", str(folder), "--db", str(store)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "THIDUA_MAX_IMPORT_BYTES": "16"},
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert "publications.csv" in proc.stderr and "16" in proc.stderr
    assert snapshot_file(store) == before
