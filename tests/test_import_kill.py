"""A kill -9 at any moment of an import leaves the store as it was before or as it is after
the import, never anything else (issue "Hostile input": the crash test).

The import runs as the real CLI in a child process (``python -m analytics import``) and is
killed after a seeded random delay spread over the whole run, with a share of the delays in
its last quarter, where the upsert and the commit happen. Each delay is printed in the
failure message, with the seed (``THIDUA_KILL_SEED`` replays a run).
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analytics.store.connection import open_store
from analytics.store.contract import DATA_TABLES
from tests._datasets import RE_ID, ROOT

DEMO = ROOT / "data" / "demo" / RE_ID
SEED = int(os.environ.get("THIDUA_KILL_SEED", "20261202"))
KILLS = 30
FIRST_IMPORT_KILLS = 10


def fingerprint(path: Path) -> dict[str, object]:
    """Every row of every data table, and the number of imports logged."""
    with open_store(path) as con:
        out: dict[str, object] = {
            t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in DATA_TABLES
        }
        out["imports"] = con.execute("SELECT count(*) FROM import_log").fetchall()[0][0]
        plan = con.execute("SELECT value FROM meta WHERE key = 'plan_id'").fetchall()
        out["plan_id"] = plan[0][0] if plan else None
    return out


def renamed(folder: Path, column: str, suffix: str) -> None:
    """Append ``suffix`` to every value of ``column`` of a CSV file, in place."""
    with folder.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    i = rows[0].index(column)
    for row in rows[1:]:
        row[i] += suffix
    with folder.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


def start_import(data: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "analytics", "import", str(data), "--db", str(db)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def run_import(data: Path, db: Path) -> float:
    """A whole import, not killed: its wall time."""
    t0 = time.perf_counter()
    proc = start_import(data, db)
    assert proc.wait(timeout=300) == 0
    return time.perf_counter() - t0


def killed_at(data: Path, db: Path, delay: float) -> int | None:
    """Start an import, SIGKILL it after ``delay`` seconds; its exit code if it ended first."""
    proc = start_import(data, db)
    try:
        proc.wait(timeout=delay)
        return proc.returncode
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return None


def delays(rng: random.Random, duration: float, n: int) -> list[float]:
    """``n`` delays over the run: half uniform, half in its last quarter (upsert, commit)."""
    half = n // 2
    return sorted(
        [rng.uniform(0.05, duration) for _ in range(half)]
        + [rng.uniform(0.75 * duration, 1.02 * duration) for _ in range(n - half)]
    )


@pytest.fixture(scope="module")
def setting(tmp_path_factory, demo_stores):
    """(pristine store, changed dataset, fingerprints before and after, import duration)."""
    root = tmp_path_factory.mktemp("kill")
    pristine = Path(shutil.copy(demo_stores[RE_ID], root / "pristine.duckdb"))
    data = Path(shutil.copytree(DEMO, root / "changed"))
    renamed(data / "units.csv", "name", " (đổi tên)")
    renamed(data / "people.csv", "full_name", " (mới)")
    after_store = Path(shutil.copy(pristine, root / "after.duckdb"))
    duration = run_import(data, after_store)
    before, after = fingerprint(pristine), fingerprint(after_store)
    assert before != after
    return pristine, data, before, after, duration


def test_a_kill_at_any_moment_leaves_before_or_after(setting, tmp_path):
    pristine, data, before, after, duration = setting
    rng = random.Random(SEED)
    outcomes = {"before": 0, "after": 0}
    for i, delay in enumerate(delays(rng, duration, KILLS)):
        db = Path(shutil.copy(pristine, tmp_path / f"s{i}.duckdb"))
        rc = killed_at(data, db, delay)
        state = fingerprint(db)
        where = f"seed {SEED}, kill {i} after {delay:.3f} s of {duration:.3f} s (exit {rc})"
        assert state in (before, after), f"neither before nor after: {where}"
        outcomes["before" if state == before else "after"] += 1
        if state == before:  # the import can still be done, and gives the same result
            assert killed_at(data, db, 300) == 0, where
            assert fingerprint(db) == after, where
        db.unlink()
        Path(f"{db}.wal").unlink(missing_ok=True)
    print(f"kills: {outcomes}, import {duration:.2f} s")
    assert outcomes["before"] > 0, outcomes  # the kills did land inside imports


def test_a_kill_during_the_first_import_never_leaves_an_empty_bound_store(setting, tmp_path):
    _, data, _, after, duration = setting
    full = tmp_path / "full.duckdb"
    first = run_import(data, full)
    complete = fingerprint(full)
    assert {k: v for k, v in complete.items() if k != "imports"} == {
        k: v for k, v in after.items() if k != "imports"
    }
    rng = random.Random(SEED + 1)
    for i, delay in enumerate(delays(rng, first, FIRST_IMPORT_KILLS)):
        db = tmp_path / f"new{i}.duckdb"
        rc = killed_at(data, db, delay)
        where = f"seed {SEED + 1}, kill {i} after {delay:.3f} s of {first:.3f} s (exit {rc})"
        if not db.exists():
            continue
        state = fingerprint(db)
        if state["plan_id"] is None:
            assert all(state[t] == [] for t in DATA_TABLES), where
        else:
            assert state == complete, f"bound but not complete: {where}"
