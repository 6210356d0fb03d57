"""A seeded mutation fuzzer of the import (issue "Hostile input"): 1 000 bad CSV files and
300 bad workbooks per run, made from the tiny valid dataset, each imported through the
CLI's own entry point (``cli.main``, in this process) into a copy of a small store.

Each case must end in one of two ways, within 30 s:
- exit 0, with exactly the rows a reference parser counts (Python's csv module on the
  mutated bytes; openpyxl on the mutated workbook), or
- exit 2, every problem naming the file; a case that spoiled one data cell must name its
  row and column; the store file byte for byte unchanged (a refusal never opens it
  writable).
Never exit 1, never a traceback. ``THIDUA_FUZZ_SEED`` changes the run's seed; a failing
case prints its seed, batch and case number and what was mutated, so it can be replayed.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import random
import re
import shutil
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from analytics import cli
from analytics.ingest.raw import FORBIDDEN_CHARS as FORBIDDEN
from analytics.store.contract import TABLES
from tests._datasets import TINY, build_store, csv_text, write_dataset

SEED = int(os.environ.get("THIDUA_FUZZ_SEED", "1202"))
CSV_BATCHES, CSV_PER_BATCH = 20, 50  # 1 000 CSV files
XLSX_BATCHES, XLSX_PER_BATCH = 6, 50  # 300 workbooks
CASE_LIMIT_S = 30.0
COUNTS = re.compile(r"^(\w+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$", re.M)


@dataclass
class Case:
    what: str  # the mutation, for the failure message
    name: str  # the file's name
    data: bytes
    cell: tuple[int, str] | None = None  # (line, column) of the one data cell it spoiled


@dataclass
class Outcome:
    rc: int
    output: str
    seconds: float


# --- the mutations ------------------------------------------------------------------------------

HOSTILE_CELLS = [
    "\x00",
    "a\x00b",
    "\x01x",
    "x\x1by",
    "\x0b",
    "\ufffe",
    "x\uffff",
    "x" * 140_000,
    "y" * 10_001,
    "99999999999999.99999",
    "1e400",
    "NaN",
    "inf",
    "-inf",
    "-0",
    "66,5",
    "1.000,5",
    "85,5%",
    "-1",
    "100.0001",
    "123456789012345678901234567890",
    "9999-12-31",
    "0000-01-01",
    "31/02/2024",
    "2023-02-30",
    "05/06/2025",
    "snv\u034f",
    "ｓｎｖ",
    "sn\u0301v",
    "=cmd|' /C calc'!A0",
    "[ok](https://example.invalid)",
    " ",
    "",
    '"',
    "x,y",
    "có",
    "Không",
    "2019",
    "2031",
    "\u200b",
    "\ud7ff",
]


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _table_csv(table: str) -> tuple[list[str], list[list[str]], str]:
    header, rows = TINY[table]
    return header, [list(r) for r in rows], csv_text(header, rows)


def _cell_case(rng: random.Random, table: str) -> Case:
    header, rows, _ = _table_csv(table)
    r = rng.randrange(len(rows))
    c = rng.randrange(len(header))
    value = rng.choice(HOSTILE_CELLS)
    rows[r][c] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([header, *rows])
    line = 2 + sum(1 + row_text.count("\n") for row_text in _row_texts(rows[:r]))
    return Case(
        f"cell {table}[{r}].{header[c]} = {value[:30]!r}",
        f"{table}.csv",
        _encode(buf.getvalue()),
        cell=(line, header[c]),
    )


def _row_texts(rows: list[list[str]]) -> list[str]:
    out = []
    for row in rows:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="").writerow(row)
        out.append(buf.getvalue())
    return out


def _structural(rng: random.Random, table: str) -> Case:
    _, _, text = _table_csv(table)
    data = text.encode()
    lines = text.split("\n")
    kind = rng.choice(
        [
            "flip",
            "insert",
            "truncate",
            "utf16",
            "bad-utf8",
            "quote",
            "extra-field",
            "missing-field",
            "trailing-field",
            "dup-header",
            "blank-lines",
            "crlf",
            "cr",
            "dup-row",
            "empty",
            "header-only",
            "no-header",
            "bom",
            "long-header",
            "nul-anywhere",
        ]
    )
    if kind == "flip":
        b = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        data = bytes(b)
    elif kind == "insert":
        at = rng.randrange(len(data) + 1)
        data = data[:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 6))) + data[at:]
    elif kind == "truncate":
        data = data[: rng.randrange(len(data))]
    elif kind == "utf16":
        data = text.encode("utf-16")
    elif kind == "bad-utf8":
        at = rng.randrange(len(data) + 1)
        data = data[:at] + rng.choice([b"\xff", b"\xc3", b"\xe1\x80", b"\xa9"]) + data[at:]
    elif kind == "quote":
        i = rng.randrange(1, len(lines) - 1) if len(lines) > 2 else 0
        lines[i] = '"' + lines[i]
        data = "\n".join(lines).encode()
    elif kind in ("extra-field", "missing-field", "trailing-field"):
        i = rng.randrange(1, len(lines) - 1) if len(lines) > 2 else 0
        if kind == "extra-field":
            lines[i] += ",x"
        elif kind == "trailing-field":
            lines[i] += ","
        else:
            lines[i] = lines[i].rsplit(",", 1)[0]
        data = "\n".join(lines).encode()
    elif kind == "dup-header":
        first = lines[0].split(",")
        lines[0] = ",".join([*first, rng.choice(first)])
        data = "\n".join(lines).encode()
    elif kind == "blank-lines":
        i = rng.randrange(1, len(lines))
        lines.insert(i, "")
        data = "\n".join(lines).encode()
    elif kind == "crlf":
        data = text.replace("\n", "\r\n").encode()
    elif kind == "cr":
        data = text.replace("\n", "\r").encode()
    elif kind == "dup-row":
        body = [x for x in lines[1:] if x]
        lines.append(rng.choice(body))
        data = "\n".join(lines).encode()
    elif kind == "empty":
        data = b""
    elif kind == "header-only":
        data = (lines[0] + "\n").encode()
    elif kind == "no-header":
        data = "\n".join(lines[1:]).encode()
    elif kind == "bom":
        data = b"\xef\xbb\xbf" + data
    elif kind == "long-header":
        lines[0] += "," + "h" * rng.choice([200, 140_000])
        data = "\n".join(lines).encode()
    else:  # nul-anywhere
        at = rng.randrange(len(data) + 1)
        data = data[:at] + b"\x00" + data[at:]
    return Case(f"{kind} of {table}.csv", f"{table}.csv", data)


def csv_case(rng: random.Random) -> Case:
    table = rng.choice(list(TINY))
    return _cell_case(rng, table) if rng.random() < 0.5 else _structural(rng, table)


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


# A fixed time for the workbook's properties and its zip entries: the same bytes on every
# run, so that a seed replays the very case that failed (openpyxl stamps "now" in both).
_STAMP = datetime(2026, 1, 1, 8, 0, 0)


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name, _STAMP.timetuple()[:6]), data, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def _good_workbook() -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for table, (header, rows) in TINY.items():
        ws = wb.create_sheet(table)
        ws.append(header)
        for row in rows:
            ws.append(row)
    wb.properties.created = _STAMP
    buf = io.BytesIO()
    wb.save(buf)
    members = _members(buf.getvalue())
    members["docProps/core.xml"] = re.sub(  # the save writes its own time as "modified"
        rb"(<dcterms:modified[^>]*>)[^<]*",
        rb"\g<1>" + _STAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode(),
        members["docProps/core.xml"],
    )
    return _zip(members)


GOOD_XLSX = _good_workbook()


def _sheet_names(members: dict[str, bytes]) -> list[str]:
    return sorted(n for n in members if n.startswith("xl/worksheets/sheet"))


def xlsx_case(rng: random.Random) -> Case:
    members = _members(GOOD_XLSX)
    sheets = _sheet_names(members)
    sheet = rng.choice(sheets)
    xml = members[sheet]
    kind = rng.choice(
        [
            "zip-flip",
            "zip-truncate",
            "sheet-truncate",
            "sheet-flip",
            "shared-index",
            "bad-date",
            "nan",
            "missing-sheet",
            "no-shared-strings",
            "no-workbook",
            "bomb",
            "huge-row-number",
            "bad-content-types",
            "member-garbage",
            "inline-control",
        ]
    )
    what = f"{kind} ({sheet})"
    if kind == "zip-flip":
        b = bytearray(GOOD_XLSX)
        for _ in range(rng.randint(1, 8)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        return Case(what, "du-lieu.xlsx", bytes(b))
    if kind == "zip-truncate":
        return Case(what, "du-lieu.xlsx", GOOD_XLSX[: rng.randrange(len(GOOD_XLSX))])
    if kind == "sheet-truncate":
        members[sheet] = xml[: rng.randrange(len(xml))]
    elif kind == "sheet-flip":
        b = bytearray(xml)
        for _ in range(rng.randint(1, 6)):
            b[rng.randrange(len(b))] = rng.randrange(32, 127)
        members[sheet] = bytes(b)
    elif kind == "shared-index":
        members[sheet] = re.sub(rb'(t="s"[^>]*><v>)\d+', rb"\g<1>99999", xml, count=1)
        if members[sheet] == xml:  # inline strings: turn one into a bad shared string
            members[sheet] = re.sub(
                rb't="inlineStr"><is><t>[^<]*</t></is>', b't="s"><v>99999</v>', xml, count=1
            )
    elif kind == "bad-date":
        members[sheet] = re.sub(
            rb'<c r="([A-Z]+2)"[^>]*>.*?</c>',
            rb'<c r="\1" t="d"><v>2023-02-30</v></c>',
            xml,
            count=1,
        )
    elif kind == "nan":
        members[sheet] = re.sub(
            rb'<c r="([A-Z]+2)"[^>]*>.*?</c>', rb'<c r="\1"><v>NaN</v></c>', xml, count=1
        )
    elif kind == "missing-sheet":
        del members[sheet]
    elif kind == "no-shared-strings":
        members.pop("xl/sharedStrings.xml", None)
    elif kind == "no-workbook":
        del members["xl/workbook.xml"]
    elif kind == "bomb":
        members[sheet] = xml.replace(
            b"</sheetData>",
            b'<row r="999"><c r="B999" t="inlineStr"><is><t>'
            + b"x" * (20 << 20)
            + b"</t></is></c></row></sheetData>",
        )
    elif kind == "huge-row-number":
        members[sheet] = xml.replace(
            b"</sheetData>",
            b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>z</t></is></c></row></sheetData>',
        )
    elif kind == "bad-content-types":
        members["[Content_Types].xml"] = b"<Types>"
    elif kind == "member-garbage":
        members[sheet] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 300)))
    else:  # inline-control: a control character escaped into the XML
        members[sheet] = re.sub(
            rb'(<c r="[A-Z]+2"[^>]*t="inlineStr"><is><t>)', rb"\g<1>&#1;", xml, count=1
        )
    return Case(what, "du-lieu.xlsx", _zip(members))


# --- the reference counts ----------------------------------------------------------------------


def csv_reference(data: bytes) -> int:
    """Data records of a CSV file as Python's csv module reads it (blank records skipped)."""
    text = data.decode("utf-8-sig")
    rows = [r for r in csv.reader(io.StringIO(text, newline="")) if r]
    return max(0, len(rows) - 1)


def xlsx_reference(data: bytes) -> dict[str, int]:
    """Non-empty data rows of each sheet named like a table, as openpyxl reads them."""
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        out = {}
        for ws in wb.worksheets:
            if ws.title in TABLES:
                rows = list(ws.iter_rows(values_only=True))[1:]
                out[ws.title] = sum(
                    1 for r in rows if any(v is not None and str(v).strip() for v in r)
                )
        return out
    finally:
        wb.close()


# --- running a case ----------------------------------------------------------------------------


class Runner:
    """Imports cases into one working store, restored from the pristine copy when changed."""

    def __init__(self, pristine: Path, work: Path):
        self.pristine = pristine
        self.work = work
        self.db = work / "store.duckdb"
        shutil.copy(pristine, self.db)
        self.digest = _sha(self.db)

    def run(self, case: Case) -> Outcome:
        folder = self.work / "in"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        path = folder / case.name
        path.write_bytes(case.data)
        target = path if case.name.endswith(".xlsx") else folder
        out = io.StringIO()
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            try:
                rc = cli.main(["import", str(target), "--db", str(self.db)])
            except BaseException as exc:  # noqa: BLE001 (an escaping exception is a failure)
                rc = -1
                out.write(f"Traceback: {type(exc).__name__}: {exc}")
        return Outcome(rc, out.getvalue(), time.perf_counter() - t0)

    def store_unchanged(self) -> bool:
        return _sha(self.db) == self.digest and not Path(f"{self.db}.wal").exists()

    def restore(self) -> None:
        shutil.copy(self.pristine, self.db)
        Path(f"{self.db}.wal").unlink(missing_ok=True)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def imported_counts(output: str) -> dict[str, int]:
    return {m[1]: int(m[2]) + int(m[3]) + int(m[4]) for m in COUNTS.finditer(output)}


def problem_lines(output: str) -> list[str]:
    return [line[4:] for line in output.splitlines() if line.startswith("  - ")]


def judge(case: Case, got: Outcome, runner: Runner, reference: Callable[[], dict[str, int]]) -> str:
    """'' when the case ended as it must, else what went wrong."""
    if got.seconds > CASE_LIMIT_S:
        return f"took {got.seconds:.1f} s"
    if "Traceback" in got.output or got.rc not in (0, 2):
        return f"exit {got.rc}"
    if got.rc == 0:
        runner.restore()  # whatever the verdict: the next case starts from the pristine store
        if not case.name.endswith(".xlsx") and FORBIDDEN.search(
            case.data.decode("utf-8", "replace")
        ):
            return "accepted a control character (it would be cut or break the exports)"
        try:
            wanted = reference()
        except Exception as exc:  # noqa: BLE001 (the reference cannot read what was accepted)
            return f"accepted a file the reference parser cannot read ({exc})"
        counts = imported_counts(got.output)
        if any(counts.get(t, -1) != n for t, n in wanted.items()):
            return f"rows {counts} but the reference counts {wanted}"
        return ""
    if not runner.store_unchanged():
        runner.restore()
        return "a refusal changed the store file"
    problems = problem_lines(got.output) or [got.output.strip().removeprefix("Lỗi: ")]
    if not all(p.startswith(case.name) for p in problems):
        return "a problem does not name the file"
    if case.cell is not None:
        line, column = case.cell
        named = any(  # the template's header with the contract's name, or the header as read
            f"dòng {line}" in p and (f"cột {column}" in p or f"({column})" in p) for p in problems
        )
        # a cell can also spoil its record (a lone quote) or another row (a duplicate key)
        if not named and not any(", dòng " in p for p in problems):
            return f"no problem names row {line}, column {column}"
    return ""


@pytest.fixture(scope="module")
def runner(tmp_path_factory) -> Runner:
    root = tmp_path_factory.mktemp("fuzz")
    pristine = root / "pristine.duckdb"
    build_store(pristine, write_dataset(root / "tiny", TINY))
    return Runner(pristine, root)


def _report(failures: list[str]) -> str:
    return f"{len(failures)} case(s) failed:\n" + "\n".join(failures[:20])


def _batch(runner: Runner, kind: str, batch: int, per_batch: int, make_case, reference) -> None:
    """Run one seeded batch of ``kind`` cases; every failure reported with its seed."""
    rng = random.Random(f"{SEED}-{kind}-{batch}")
    failures = []
    for i in range(per_batch):
        case = make_case(rng)
        got = runner.run(case)
        why = judge(case, got, runner, lambda c=case: reference(c))
        if why:
            first = " | ".join(got.output.splitlines()[:3])[:300]
            failures.append(
                f"seed {SEED} {kind} batch {batch} case {i}: {case.what}: {why}: {first}"
            )
    assert not failures, _report(failures)


@pytest.mark.parametrize("batch", range(CSV_BATCHES))
def test_bad_csv_files_are_refused_or_imported_exactly(runner, batch):
    _batch(
        runner,
        "csv",
        batch,
        CSV_PER_BATCH,
        csv_case,
        lambda c: {Path(c.name).stem: csv_reference(c.data)},
    )


@pytest.mark.parametrize("batch", range(XLSX_BATCHES))
def test_bad_workbooks_are_refused_or_imported_exactly(runner, batch):
    _batch(runner, "xlsx", batch, XLSX_PER_BATCH, xlsx_case, lambda c: xlsx_reference(c.data))


def test_the_judge_fails_a_traceback_and_a_silent_truncation(runner):
    """The fuzzer's own check: an exit 1, and an import of fewer rows than the file holds,
    are failures (so a green run means something)."""
    case = Case("planted", "units.csv", b"unit_id,name,block\nsnv,A,so_nganh\nstp,B,so_nganh\n")
    assert judge(case, Outcome(1, "Lỗi nội bộ", 0.1), runner, dict) == "exit 1"
    short = Outcome(0, "units  0  1  0\n", 0.1)
    assert "reference" in judge(case, short, runner, lambda: {"units": csv_reference(case.data)})
