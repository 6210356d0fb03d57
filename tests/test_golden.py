"""The demo's demo_shortlists for every review equal the golden files (tools/regen_golden.py),
and the demo's intended statuses (tools/make_demo.py NOTABLE_CASES) hold."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from analytics.exports.csv_files import write_shortlist_csv
from analytics.labels import STATUS_ORDER
from analytics.plans.loading import load_plan
from tools.make_demo import NOTABLE_CASES

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
PLAN_REVIEWS = [
    (p, r.id)
    for p in ("soc-trang-2021-2030", "nhu-quynh-2023", "soc-trang-2025-reorg")
    for r in load_plan(p).reviews
    if r.held
]


@pytest.mark.parametrize(
    ("plan_id", "review"), PLAN_REVIEWS, ids=[f"{p}-{r}" for p, r in PLAN_REVIEWS]
)
def test_demo_shortlist_matches_golden(demo_shortlists, plan_id, review):
    buf = io.StringIO()
    write_shortlist_csv(demo_shortlists[plan_id, review], buf)
    expected = (GOLDEN / plan_id / f"{review}.csv").read_text(encoding="utf-8")
    assert buf.getvalue() == expected


def test_cli_shortlist_bytes_equal_golden(demo_stores, tmp_path):
    out = tmp_path / "sk.csv"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "analytics",
            "shortlist",
            "--review",
            "so-ket-2025",
            "--db",
            str(demo_stores["soc-trang-2021-2030"]),
            "--out",
            str(out),
        ],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    golden = GOLDEN / "soc-trang-2021-2030" / "so-ket-2025.csv"
    assert out.read_bytes() == golden.read_bytes()
    assert out.read_bytes().startswith(
        b"\xef\xbb\xbfreview,award,category,subject_id,subject_name,status,rank,window_avg,reasons,"
        b"recipient_id,recipient_name\n"
    )


@pytest.mark.parametrize(
    "case", NOTABLE_CASES, ids=[f"{c[1]}-{c[2]}-{c[3]}-{c[4]}-{c[5]}" for c in NOTABLE_CASES]
)
def test_demo_notable_case(demo_shortlists, case):
    plan_id, review, award, category, subject, status, rank, why = case
    rows = [
        r
        for r in demo_shortlists[plan_id, review].to_pylist()
        if (r["award"], r["category"], r["subject_id"]) == (award, category, subject)
    ]
    if status == "no row":  # not a candidate at all (e.g. inactive in the end year)
        assert rows == [], why
        return
    assert len(rows) == 1, f"{subject} should be a candidate ({why})"
    assert (rows[0]["status"], rows[0]["rank"]) == (status, rank), why


def test_golden_files_cover_every_status():
    text = "".join(p.read_text(encoding="utf-8") for p in GOLDEN.rglob("*.csv"))
    assert len(STATUS_ORDER) == 7  # the contract's statuses, deferred (v2) included
    for status in STATUS_ORDER:
        assert f",{status}," in text
