"""The command line, run as a user runs it: ``python -m analytics …`` in a subprocess."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import openpyxl
import pytest

from analytics import labels
from analytics.plans.loading import PLANS_DIR, load_plan
from analytics.rules.shortlist import evaluate_review
from analytics.store.binding import bound_plan_id
from analytics.store.connection import open_store
from analytics.store.contract import DATA_TABLES
from tests._datasets import (
    DEMO_ST,
    ROOT,
    ST_ID,
    TINY,
    snapshot_file,
    tiny,
    write_dataset,
)

BOM = "\ufeff".encode()


def cli(*args: str, binary: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analytics", *args],
        cwd=ROOT,
        capture_output=True,
        text=not binary,
        encoding=None if binary else "utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=180,
    )


@pytest.fixture(scope="module")
def demo_store(demo_stores: dict[str, Path]) -> Path:
    return demo_stores[ST_ID]


@pytest.fixture
def store(demo_store: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(demo_store, tmp_path / "store.duckdb"))


@pytest.fixture(scope="module")
def shortlist_2023(demo_store: Path) -> bytes:
    """The 2023 shortlist of the demo store as written to stdout (read-only use of the store)."""
    proc = cli("shortlist", "--review", "2023", "--db", str(demo_store), binary=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture(scope="module")
def tiny_folder(tmp_path_factory) -> Path:
    return write_dataset(tmp_path_factory.mktemp("tiny") / "tiny", TINY)


# --- usage ----------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["", "import", "validate", "shortlist", "demo"])
def test_help_exits_0(command):
    proc = cli(*([command] if command else []), "--help")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: python -m analytics")
    if command:
        assert f"python -m analytics {command}" in proc.stdout


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["bogus"], id="unknown-command"),
        pytest.param([], id="no-command"),
        pytest.param(["shortlist", "--db", "x.duckdb"], id="shortlist-without-review"),
    ],
)
def test_usage_errors_exit_2(args):
    proc = cli(*args)
    assert proc.returncode == 2
    assert "usage:" in proc.stderr
    assert proc.stdout == ""


# --- import ---------------------------------------------------------------------------------

COUNT_LINE = re.compile(r"^(\w+)\s+(\d+)\s+(\d+)\s+(\d+)$")


def _counts(stdout: str) -> dict[str, tuple[int, int, int]]:
    out = {}
    for line in stdout.splitlines():
        m = COUNT_LINE.match(line.strip())
        if m:
            out[m[1]] = (int(m[2]), int(m[3]), int(m[4]))
    return out


def test_import_prints_inserted_updated_unchanged_per_table(tiny_folder, tmp_path):
    path = tmp_path / "new.duckdb"
    first = cli("import", str(tiny_folder), "--db", str(path))
    assert first.returncode == 0, first.stderr
    assert _counts(first.stdout) == {name: (len(rows), 0, 0) for name, (_, rows) in TINY.items()}
    assert "thêm mới" in first.stdout and "cập nhật" in first.stdout

    t = tiny()
    t["satisfaction"][1][0][2] = "50"
    changed = write_dataset(tmp_path / "changed", t)
    second = cli("import", str(changed), "--db", str(path))
    assert second.returncode == 0, second.stderr
    counts = _counts(second.stdout)
    assert counts["satisfaction"] == (0, 1, 2)
    assert counts["units"] == (0, 0, 10)
    assert "Không có thay đổi" not in second.stdout


def test_import_of_bad_data_exits_2_naming_file_row_and_column(store, tmp_path):
    before = snapshot_file(store)
    t = tiny()
    t["unit_scores"][1][3][2] = "90"  # 90 of 80
    folder = write_dataset(tmp_path / "bad", t)
    proc = cli("import", str(folder), "--db", str(store))
    assert proc.returncode == 2
    assert "unit_scores.csv, dòng 5, cột Điểm đạt được (score)" in proc.stderr
    assert proc.stdout == ""
    assert snapshot_file(store) == before


def test_import_of_a_missing_path_exits_2(store, tmp_path):
    proc = cli("import", str(tmp_path / "khong-co"), "--db", str(store))
    assert proc.returncode == 2
    assert "khong-co" in proc.stderr


# --- validate -------------------------------------------------------------------------------


def test_validate_writes_nothing(store, tiny_folder, tmp_path):
    # against a store that does not exist yet: checked, and no store is created
    missing = tmp_path / "none.duckdb"
    proc = cli("validate", str(tiny_folder), "--db", str(missing), "--plan", ST_ID)
    assert proc.returncode == 0, proc.stderr
    assert ST_ID in proc.stdout
    assert "units 10" in proc.stdout
    assert not missing.exists()
    # against the demo store: the tiny totals differ from the demo's component scores (the
    # sum check of unit_component_scores), refused, and the store is unchanged
    before_bytes = store.read_bytes()
    proc = cli("validate", str(tiny_folder), "--db", str(store))
    assert proc.returncode == 2
    assert "tổng điểm các lĩnh vực không khớp" in proc.stderr
    assert store.read_bytes() == before_bytes


def test_validate_of_bad_data_exits_2_and_writes_nothing(store, tmp_path):
    before_bytes = store.read_bytes()
    t = tiny()
    t["units"][1][0][2] = "xa"
    folder = write_dataset(tmp_path / "bad", t, only=("units",))
    proc = cli("validate", str(folder), "--db", str(store))
    assert proc.returncode == 2
    assert "units.csv, dòng 2, cột Khối (block)" in proc.stderr
    assert store.read_bytes() == before_bytes


def test_validate_checks_references_against_the_store(store, tmp_path):
    # demo units exist in the store, so a file of scores alone is valid against it
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "unit_scores.csv").write_text(
        "year,unit_id,score,max_score\n2026,snv,80,100\n", encoding="utf-8"
    )
    assert cli("validate", str(folder), "--db", str(store)).returncode == 0
    empty = tmp_path / "none.duckdb"
    proc = cli("validate", str(folder), "--db", str(empty))
    assert proc.returncode == 2  # without the store 'snv' is unknown
    assert "unit_id" in proc.stderr


def test_validate_without_a_store_creates_none(tiny_folder, tmp_path):
    path = tmp_path / "none.duckdb"
    proc = cli("validate", str(tiny_folder), "--db", str(path))
    assert proc.returncode == 0, proc.stderr
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


# --- shortlist ------------------------------------------------------------------------------


def test_shortlist_to_file_and_to_stdout_are_the_same_bytes(store, tmp_path, shortlist_2023):
    out = tmp_path / "ds.csv"
    to_file = cli(
        "shortlist", "--review", "2023", "--db", str(store), "--out", str(out), binary=True
    )
    assert to_file.returncode == 0, to_file.stderr
    assert to_file.stdout == b""
    data = out.read_bytes()
    assert data == shortlist_2023
    assert data.startswith(
        BOM + b"review,award,category,subject_id,subject_name,status,rank,window_avg,reasons"
    )
    assert b"\r\n" not in data
    assert len(data.splitlines()) > 1


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_shortlist_as_a_workbook_or_the_word_list(store, tmp_path, fmt):
    out = tmp_path / f"ds.{fmt}"
    proc = cli(
        "shortlist", "--review", "2023", "--db", str(store), "--format", fmt, "--out", str(out)
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and str(out) in proc.stderr
    with open_store(store, read_only=True) as con:
        table = evaluate_review(con, load_plan("soc-trang-2021-2030"), "2023")
    proposed = sorted(  # by name: the files for people carry no ids
        labels.named_with_recipient(
            r["subject_id"], r["subject_name"], r["recipient_id"], r["recipient_name"]
        )
        for r in table.to_pylist()
        if r["status"] == "proposed"
    )
    if fmt == "xlsx":
        ws = openpyxl.load_workbook(out).active
        said = labels.STATUSES["proposed"]
        names = [row[4] for row in ws.iter_rows(values_only=True) if row[6] == said]
    else:
        doc = docx.Document(str(out))
        names = [  # the proposal tables (the deferred cases, with their "Lý do", are apart)
            row.cells[1].text.split("\n")[0]
            for t in doc.tables[1:]
            if t.rows[0].cells[-1].text != "Lý do"
            for row in t.rows[1:]
        ]
    assert sorted(names) == proposed and names


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_a_binary_format_without_out_exits_2(store, fmt):
    proc = cli("shortlist", "--review", "2023", "--db", str(store), "--format", fmt)
    assert proc.returncode == 2
    assert "--out" in proc.stderr and proc.stdout == ""


@pytest.mark.parametrize("fmt", ["csv", "docx"])
def test_an_out_that_cannot_be_written_exits_2(store, tmp_path, fmt):
    for out, says in (
        (tmp_path / "missing" / f"ds.{fmt}", "không có thư mục"),
        (tmp_path, "là một thư mục"),
        (Path("/proc/version"), "không ghi được"),  # exists, never writable, even for root
    ):
        if out == Path("/proc/version") and not out.exists():
            continue
        proc = cli(
            "shortlist", "--review", "2023", "--db", str(store), "--format", fmt, "--out", str(out)
        )
        assert proc.returncode == 2, (out, proc.stderr)
        assert says in proc.stderr and "Traceback" not in proc.stderr


def test_shortlist_of_an_unknown_review_exits_2(store):
    proc = cli("shortlist", "--review", "2019", "--db", str(store))
    assert proc.returncode == 2
    assert "2019" in proc.stderr
    assert proc.stdout == ""


def test_shortlist_without_a_store_exits_2(tmp_path):
    proc = cli("shortlist", "--review", "2023", "--db", str(tmp_path / "none.duckdb"))
    assert proc.returncode == 2
    assert not (tmp_path / "none.duckdb").exists()


def _proposed(csv_text: str, award: str, category: str) -> list[str]:
    import csv
    import io

    rows = csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff")))
    return [
        r["subject_id"]
        for r in rows
        if (r["award"], r["category"], r["status"]) == (award, category, "proposed")
    ]


def test_shortlist_with_a_what_if_copy_of_the_plan(store, tmp_path, shortlist_2023):
    text = (PLANS_DIR / f"{ST_ID}.toml").read_text(encoding="utf-8")
    old = "quota = { annual = 3, midterm = 7, final = 7 }"
    assert text.count(old) == 1
    what_if = tmp_path / "what-if.toml"
    what_if.write_text(
        text.replace(old, "quota = { annual = 1, midterm = 7, final = 7 }"), encoding="utf-8"
    )
    base = shortlist_2023.decode("utf-8")
    alt = cli("shortlist", "--review", "2023", "--db", str(store), "--plan", str(what_if))
    assert alt.returncode == 0, alt.stderr
    assert len(_proposed(base, "certificate", "advisory")) == 3
    assert (
        _proposed(alt.stdout, "certificate", "advisory")
        == _proposed(base, "certificate", "advisory")[:1]
    )
    # the what-if plan is not bound: the store still follows its own plan
    with open_store(store, read_only=True) as con:
        assert bound_plan_id(con) == ST_ID


def test_shortlist_with_a_plan_whose_blocks_do_not_fit_exits_2(store, tmp_path):
    other = tmp_path / "other.toml"
    other.write_bytes((PLANS_DIR / "nhu-quynh-2023.toml").read_bytes())
    proc = cli("shortlist", "--review", "2023", "--db", str(store), "--plan", str(other))
    assert proc.returncode == 2
    assert "so_nganh" in proc.stderr
    assert proc.stdout == ""


def test_shortlist_with_a_broken_plan_file_exits_2(store, tmp_path):
    broken = tmp_path / "broken.toml"
    text = (PLANS_DIR / f"{ST_ID}.toml").read_text(encoding="utf-8")
    broken.write_text(text.replace("first_year = 2021", "first_yaer = 2021"), encoding="utf-8")
    proc = cli("shortlist", "--review", "2023", "--db", str(store), "--plan", str(broken))
    assert proc.returncode == 2
    assert "first_yaer" in proc.stderr


# --- demo -----------------------------------------------------------------------------------


@pytest.mark.parametrize("plan", [ST_ID, "nhu-quynh-2023"])
def test_demo_builds_a_store_for_each_plan(plan, tmp_path):
    path = tmp_path / f"{plan}.duckdb"
    proc = cli("demo", "--plan", plan, "--db", str(path))
    assert proc.returncode == 0, proc.stderr
    assert plan in proc.stdout
    with open_store(path, read_only=True) as con:
        assert bound_plan_id(con) == plan
        n_units = con.execute("SELECT count(*) FROM units").fetchall()[0][0]
    folder = ROOT / "data" / "demo" / plan
    assert n_units == len((folder / "units.csv").read_text(encoding="utf-8").splitlines()) - 1
    assert _counts(proc.stdout)["units"] == (n_units, 0, 0)


def test_demo_of_an_unknown_plan_exits_2(tmp_path):
    proc = cli("demo", "--plan", "khong-co", "--db", str(tmp_path / "x.duckdb"))
    assert proc.returncode == 2
    assert "khong-co" in proc.stderr


def test_demo_store_matches_the_demo_folder(store):
    # the module's demo store holds exactly the demo CSV rows
    with open_store(store, read_only=True) as con:
        for table in DATA_TABLES:
            n = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
            csv = DEMO_ST / f"{table}.csv"
            lines = csv.read_text(encoding="utf-8").splitlines() if csv.exists() else ["header"]
            assert n == len(lines) - 1, table


def test_shortlist_of_a_review_not_held_exits_2_with_its_reason(demo_stores, tmp_path):
    """rules.md §12: the plan "as it happened" holds no review after the merger."""
    out = tmp_path / "x.csv"
    store = str(demo_stores["soc-trang-2025-reorg"])
    proc = cli("shortlist", "--review", "2026", "--db", store, "--out", str(out))
    assert proc.returncode == 2
    assert "NQ 202/2025/QH15" in proc.stderr and not out.exists()
    held = cli("shortlist", "--review", "so-ket-2025", "--db", store)
    assert held.returncode == 0 and "recipient_id,recipient_name" in held.stdout.splitlines()[0]


def test_rebind_to_the_amendment_and_back(demo_copy, tmp_path):
    store = demo_copy("soc-trang-2021-2030")
    proc = cli("rebind", "--plan", "soc-trang-2025-reorg", "--db", str(store))
    assert proc.returncode == 0, proc.stderr
    with open_store(store, read_only=True) as con:
        assert bound_plan_id(con) == "soc-trang-2025-reorg"
    assert cli("rebind", "--plan", "nhu-quynh-2023", "--db", str(store)).returncode == 2
    assert cli("rebind", "--plan", "soc-trang-2021-2030", "--db", str(store)).returncode == 0
    with open_store(store, read_only=True) as con:
        assert bound_plan_id(con) == "soc-trang-2021-2030"
