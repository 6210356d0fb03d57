"""The store: migrations, newer schemas, a store held by another process, plan binding,
and all-or-nothing upserts when something fails half-way."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import duckdb
import pytest

from analytics.errors import StoreBusy, StoreTooNew
from analytics.ingest import importer
from analytics.ingest.importer import import_dataset
from analytics.plans.loading import PLANS_DIR
from analytics.store.binding import bind_plan, bound_plan_id, store_plan
from analytics.store.connection import open_store
from analytics.store.contract import DATA_TABLES, ORDER
from analytics.store.schema import MIGRATIONS, SCHEMA_VERSION, schema_version
from tests._datasets import (
    DEMO_NQ,
    RE_ID,
    ROOT,
    ST_ID,
    ST_PLAN,
    TEST_ADMIN,
    TINY,
    build_store,
    snapshot,
    snapshot_file,
    tiny,
    write_dataset,
)


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analytics", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
        timeout=120,
    )


@pytest.fixture(scope="module")
def tiny_folder(tmp_path_factory) -> Path:
    return write_dataset(tmp_path_factory.mktemp("tiny") / "tiny", TINY)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory, tiny_folder) -> Path:
    path = tmp_path_factory.mktemp("store") / "pristine.duckdb"
    build_store(path, tiny_folder)
    return path


@pytest.fixture
def store(pristine, tmp_path) -> Path:
    return Path(shutil.copy(pristine, tmp_path / "store.duckdb"))


def _tables(con) -> set[str]:
    rows = con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall()
    return {r[0] for r in rows}


def _temp_tables(con) -> list[str]:
    return [
        r[0]
        for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE temporary").fetchall()
    ]


# --- migrations -------------------------------------------------------------------------------


def _v1_store(path: Path) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute(MIGRATIONS[0])
        con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
        con.execute(
            "INSERT INTO units VALUES ('snv', 'Sở Nội vụ', 'so_nganh', 'C1', NULL, NULL, NULL)"
        )
    finally:
        con.close()


def test_new_store_is_created_at_the_latest_version(tmp_path):
    with open_store(tmp_path / "new.duckdb") as con:
        assert schema_version(con) == SCHEMA_VERSION
        assert set(DATA_TABLES) | {"meta", "import_log"} <= _tables(con)
        assert bound_plan_id(con) is None


def test_v1_store_is_migrated_keeping_its_data(tmp_path):
    path = tmp_path / "v1.duckdb"
    _v1_store(path)
    with open_store(path) as con:
        assert schema_version(con) == SCHEMA_VERSION
        assert "province_results" in _tables(con)
        assert con.execute("SELECT count(*) FROM province_results").fetchall() == [(0,)]
        assert con.execute(
            "SELECT unit_id, name, block, advised_components FROM units"
        ).fetchall() == [("snv", "Sở Nội vụ", "so_nganh", "C1")]
    with open_store(path) as con:  # a second open has nothing left to do
        assert schema_version(con) == SCHEMA_VERSION


def test_migrated_store_accepts_province_results(tmp_path):
    path = tmp_path / "v1.duckdb"
    _v1_store(path)
    folder = tmp_path / "d"
    write_dataset(folder, tiny(), only=("province_results",))
    with open_store(path) as con:
        import_dataset(con, folder, ST_PLAN, actor=TEST_ADMIN)
        assert con.execute("SELECT count(*) FROM province_results").fetchall() == [(2,)]


def test_read_only_open_of_an_old_store_migrates_it_first(tmp_path):
    path = tmp_path / "v1.duckdb"
    _v1_store(path)
    with open_store(path, read_only=True) as con:
        assert schema_version(con) == SCHEMA_VERSION
        assert con.execute("SELECT count(*) FROM units").fetchall() == [(1,)]


def _make_too_new(path: Path) -> None:
    with open_store(path) as con:
        con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")


@pytest.mark.parametrize("read_only", [False, True], ids=["writable", "read-only"])
def test_newer_schema_is_refused(store, read_only):
    _make_too_new(store)
    with pytest.raises(StoreTooNew), open_store(store, read_only=read_only):
        pass
    con = duckdb.connect(str(store), read_only=True)
    try:  # refused without touching it
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall() == [
            ("99",)
        ]
    finally:
        con.close()


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(["import", "{data}"], id="import"),
        pytest.param(["shortlist", "--review", "2021"], id="shortlist"),
    ],
)
def test_cli_exits_3_on_a_newer_schema(store, tiny_folder, command):
    _make_too_new(store)
    args = [a.replace("{data}", str(tiny_folder)) for a in command]
    proc = cli(*args, "--db", str(store))
    assert proc.returncode == 3, proc.stderr
    assert "99" in proc.stderr


# --- a store held by another process ------------------------------------------------------

HOLDER = (
    "import sys, duckdb\n"
    "con = duckdb.connect(sys.argv[1])\n"
    "print('ready', flush=True)\n"
    "sys.stdin.read()\n"
    "con.close()\n"
)


def test_busy_store_exits_3_and_changes_nothing(store, tiny_folder, tmp_path):
    before = snapshot_file(store)
    t = tiny()
    t["satisfaction"][1][0][2] = "50"
    changed = write_dataset(tmp_path / "changed", t, only=("satisfaction",))
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(store)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        proc = cli("import", str(changed), "--db", str(store), env={"THIDUA_LOCK_WAIT": "0.5"})
        assert proc.returncode == 3, proc.stderr
        assert "store in use" in proc.stderr
        assert proc.stdout == ""
        with pytest.raises(StoreBusy, match="store in use"), open_store(store, wait_s=0.2):
            pass
    finally:
        holder.stdin.close()
        try:
            holder.wait(timeout=20)
        except subprocess.TimeoutExpired:
            holder.kill()
            holder.wait()
    assert holder.returncode == 0
    assert snapshot_file(store) == before


# --- plan binding ---------------------------------------------------------------------------


def _meta(path: Path) -> dict[str, str]:
    with open_store(path, read_only=True) as con:
        return dict(con.execute("SELECT key, value FROM meta").fetchall())


def test_first_import_binds_the_default_plan(tiny_folder, tmp_path):
    path = tmp_path / "new.duckdb"
    proc = cli("import", str(tiny_folder), "--db", str(path))
    assert proc.returncode == 0, proc.stderr
    meta = _meta(path)
    plan_file = PLANS_DIR / f"{RE_ID}.toml"  # v2: the plan "as it happened", which extends ST
    base_file = PLANS_DIR / f"{ST_ID}.toml"
    assert meta["plan_id"] == RE_ID
    assert meta["plan_file"] == plan_file.name
    assert meta["plan_sha256"] == "+".join(
        hashlib.sha256(f.read_bytes()).hexdigest() for f in (plan_file, base_file)
    )
    assert meta["schema_version"] == str(SCHEMA_VERSION)


def test_first_import_binds_the_requested_plan(tmp_path):
    path = tmp_path / "nq.duckdb"
    proc = cli("import", str(DEMO_NQ), "--db", str(path), "--plan", "nhu-quynh-2023")
    assert proc.returncode == 0, proc.stderr
    assert _meta(path)["plan_id"] == "nhu-quynh-2023"
    again = cli("import", str(DEMO_NQ), "--db", str(path))  # later imports follow the store
    assert again.returncode == 0, again.stderr
    assert "nhu-quynh-2023" in again.stdout


def test_import_under_another_plan_exits_2(store, tmp_path):
    before = snapshot_file(store)
    proc = cli("import", str(DEMO_NQ), "--db", str(store), "--plan", "nhu-quynh-2023")
    assert proc.returncode == 2, proc.stderr
    assert ST_ID in proc.stderr
    assert snapshot_file(store) == before


def test_bind_plan_records_id_file_and_hash(tmp_path):
    with open_store(tmp_path / "s.duckdb") as con:
        bind_plan(con, "nhu-quynh-2023")
        assert bound_plan_id(con) == "nhu-quynh-2023"
        sp = store_plan(con)
        assert sp.plan.id == "nhu-quynh-2023"
        assert not sp.changed
        assert (
            sp.bound_sha256
            == hashlib.sha256((PLANS_DIR / "nhu-quynh-2023.toml").read_bytes()).hexdigest()
        )


def test_plan_file_edited_since_binding_warns(tmp_path):
    edited = tmp_path / f"{ST_ID}.toml"
    edited.write_text(
        (PLANS_DIR / f"{ST_ID}.toml").read_text(encoding="utf-8") + "\n# sửa\n", encoding="utf-8"
    )
    with open_store(tmp_path / "s.duckdb") as con:
        bind_plan(con, str(edited))  # bound to a file whose bytes differ from the shipped one
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            sp = store_plan(con)
        assert sp.changed
        assert "đã thay đổi" in (sp.change_warning or "")
        assert caught == [], "the change is reported to the caller, not as a Python warning"


# --- crash safety ---------------------------------------------------------------------------


def test_failure_in_the_middle_of_the_upsert_rolls_back_everything(store, tmp_path, monkeypatch):
    t = tiny()
    t["units"][1].append(["sxd", "Sở Xây dựng", "so_nganh", "", "", "", "", ""])
    t["unit_scores"][1][0][2] = "79"
    t["unit_component_scores"][1][0][3] = "29"  # the components still add up (v2 check)
    t["satisfaction"][1].append(["2023", "sxd", "90"])
    folder = write_dataset(tmp_path / "d", t)
    real = importer.upsert
    calls: list[str] = []

    def failing(con, raw):
        if calls:
            raise RuntimeError("injected failure after the first table")
        calls.append(raw.name)
        return real(con, raw)

    monkeypatch.setattr(importer, "upsert", failing)
    with open_store(store) as con:
        before = snapshot(con)
        with pytest.raises(RuntimeError, match="injected"):
            import_dataset(con, folder, ST_PLAN, actor=TEST_ADMIN)
        assert calls == ["units"]  # the first table was written, inside the transaction
        assert snapshot(con) == before
        assert _temp_tables(con) == []
        monkeypatch.setattr(importer, "upsert", real)
        result = import_dataset(
            con, folder, ST_PLAN, actor=TEST_ADMIN
        )  # the connection still works
        assert (result.counts["units"].inserted, result.counts["unit_scores"].updated) == (1, 1)
    with open_store(store, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM units WHERE unit_id = 'sxd'").fetchall() == [(1,)]


def test_failure_before_any_upsert_leaves_file_unchanged(store, tmp_path, monkeypatch):
    folder = write_dataset(tmp_path / "d", tiny(), only=("units",))
    before = snapshot_file(store)

    def boom(con, raw):
        raise RuntimeError("injected")

    monkeypatch.setattr(importer, "upsert", boom)
    with open_store(store) as con, pytest.raises(RuntimeError):
        import_dataset(con, folder, ST_PLAN, actor=TEST_ADMIN)
    assert snapshot_file(store) == before


def test_preview_is_exact_and_writes_nothing(store, tmp_path):
    t = tiny()
    t["satisfaction"][1][0][2] = "91"
    t["satisfaction"][1].append(["2023", "snv", "92"])
    folder = write_dataset(tmp_path / "d", t, only=("satisfaction",))
    with open_store(store) as con:
        before = snapshot(con)
        preview = import_dataset(con, folder, ST_PLAN, dry_run=True, actor=TEST_ADMIN)
        assert snapshot(con) == before
        real = import_dataset(con, folder, ST_PLAN, actor=TEST_ADMIN)
    assert (
        vars(preview.counts["satisfaction"])
        == vars(real.counts["satisfaction"])
        == {
            "inserted": 1,
            "updated": 1,
            "unchanged": 2,
        }
    )


def test_import_log_records_each_import(store, tiny_folder):
    with open_store(store) as con:
        result = import_dataset(con, tiny_folder, ST_PLAN, source="lần 2", actor=TEST_ADMIN)
        rows = con.execute(
            "SELECT import_id, source, files, content_sha256, row_counts, is_change "
            "FROM import_log ORDER BY import_id"
        ).fetchall()
    assert [r[0] for r in rows] == [1, 2]
    second = rows[1]
    assert second[0] == result.import_id == 2
    assert second[1] == "lần 2"
    assert second[2].split(";") == [f"{t}.csv" for t in ORDER]
    assert second[3] == result.content_sha256 == rows[0][3]  # same bytes, same hash
    assert json.loads(second[4])["units"] == {"inserted": 0, "updated": 0, "unchanged": 10}
    assert second[5] is False
