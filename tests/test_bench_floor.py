"""bench/bench_floor.py: its hand-written person shortlist must do the work it claims
(same people, same verdicts where it applies the same criteria as the engine), else the
lower bound it reports would mean nothing."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from analytics.plans.loading import load_plan
from analytics.rules.shortlist import evaluate_review
from analytics.store.connection import open_store
from bench import bench_floor
from tests._datasets import ST_ID, national_store


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("floor")
    return national_store(root, units=120, people=1500, seed=11)


@pytest.mark.parametrize("review", ["2021", "2025", "so-ket-2025"])
def test_minimal_query_matches_the_engine_on_staff_and_citizens(store, review):
    plan = load_plan(ST_ID)
    with open_store(store, read_only=True) as con, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        engine = evaluate_review(con, plan, review).to_pandas()
        minimal = con.execute(bench_floor.MINIMAL, {"review": review}).fetch_df()
    people = engine[engine["subject_kind"] == "person"]
    assert sorted(minimal["subject_id"]) == sorted(people["subject_id"])
    # Staff and citizens: the same criteria, so the same non-eligible verdicts.
    # (v2: an advisor may fall back to staff, so advisors are told apart by the minimal
    # query's own variant, which reads advised_components)
    plain = minimal[minimal["variant"] != "advisor"]["subject_id"]
    same = people.set_index("subject_id")["status"].loc[plain]
    mine = minimal.set_index("subject_id")["status"].loc[same.index]
    not_ranked = ~same.isin(["proposed", "reserve"])
    assert (mine[not_ranked] == same[not_ranked]).all()
    assert mine[~not_ranked].isin(["proposed", "reserve"]).all()
    assert not_ranked.any() and (~not_ranked).any()
    # Its output is ordered like the engine's: ranked rows first, by rank.
    ranks = minimal["rank"].dropna().tolist()
    assert ranks == list(range(1, len(ranks) + 1))


def test_main_prints_the_table(store, capsys):
    assert bench_floor.main([str(store)]) == 0
    out = capsys.readouterr().out
    for name in ("join+sort", "minimal", "engine"):
        assert f"| {name} |" in out
