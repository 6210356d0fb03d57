"""Stores written before rules v2 (schema version 2: tests/data/store-schema2-*.duckdb.gz,
built from the demo CSVs by the commit before the refactor) open, migrate to the current
schema without losing a row, and give the same shortlists as a store imported today."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import duckdb
import pytest

from analytics.plans.loading import load_plan
from analytics.rules.shortlist import evaluate_review
from analytics.store.connection import open_store
from analytics.store.contract import DATA_TABLES
from analytics.store.schema import MIGRATIONS, schema_version

DATA = Path(__file__).resolve().parent / "data"
PLANS = ("soc-trang-2021-2030", "nhu-quynh-2023")


def _unpacked(plan_id: str, tmp_path: Path) -> Path:
    out = tmp_path / f"{plan_id}.duckdb"
    with gzip.open(DATA / f"store-schema2-{plan_id}.duckdb.gz", "rb") as src, out.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    return out


@pytest.mark.parametrize("plan_id", PLANS)
def test_a_schema_2_store_migrates_and_keeps_every_row(plan_id, tmp_path, demo_stores):
    old = _unpacked(plan_id, tmp_path)
    raw = duckdb.connect(str(old), read_only=True)  # as written, not migrated
    try:
        assert schema_version(raw) == 2
        before = {t: raw.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
                  for t in ("units", "unit_scores", "satisfaction", "person_judgments")}  # fmt: skip
        # the tables a schema-2 store has (the demo has since gained rows of newer tables,
        # e.g. the registrations of the Như Quỳnh annex)
        old_tables = {
            r[0] for r in raw.execute("SELECT table_name FROM duckdb_tables()").fetchall()
        }
    finally:
        raw.close()
    with open_store(old) as con:  # migrates
        assert schema_version(con) == len(MIGRATIONS)
        after = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in before}
        assert after == before
    plan = load_plan(plan_id)
    with (
        open_store(old, read_only=True) as a,
        open_store(demo_stores[plan_id], read_only=True) as b,
    ):
        for t in (t for t in DATA_TABLES if t in old_tables):
            assert (
                a.execute(f"SELECT count(*) FROM {t}").fetchall()
                == b.execute(f"SELECT count(*) FROM {t}").fetchall()
            ), t
        for review in plan.reviews:
            assert evaluate_review(a, plan, review.id) == evaluate_review(b, plan, review.id), (
                review.id
            )
