"""The generated shortlist SQL of every review of the shipped plans equals its snapshot
(regenerate on purpose with tools/regen_sql_snapshots.py and review the diff)."""

from __future__ import annotations

import re

import pytest

from tests.sql_snapshots import render, snapshot_cases

CASES = snapshot_cases()


@pytest.mark.parametrize(
    ("plan", "review", "path"), CASES, ids=[f"{p.id}-{r}" for p, r, _ in CASES]
)
def test_generated_sql_matches_snapshot(plan, review, path):
    assert path.exists(), f"no snapshot {path.name}: run tools/regen_sql_snapshots.py"
    assert render(plan, review) == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("plan", "review", "path"), CASES[:1] + CASES[-1:], ids=["soc-trang", "nhu-quynh"]
)
def test_plan_values_are_bound_never_spliced(plan, review, path):
    """No quota, band bound or label of the plan appears as a literal in the SQL text."""
    sql = render(plan, review).split("\n", 1)[1]
    body = "\n".join(line for line in sql.splitlines() if not line.startswith("-- $"))
    for award in plan.awards:
        assert f"'{award.label}'" not in body
        for cat in award.categories:
            assert f"'{cat.label}'" not in body
    assert not re.search(r"'Nhóm \d'", body)
