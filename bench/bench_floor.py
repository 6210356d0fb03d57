"""How fast could the 12 shortlists be? Lower bounds measured on a national store.

    python bench/bench_floor.py STORE          # a store imported from bench/make_national.py

The engine's target is "all 12 reviews' shortlists, reasons included, ≤ 2 s". This
script times, in one process and for every review in ``person_judgments``, queries that
do strictly less than the engine (people only: 97 % of the rows), each read to Arrow:

- ``join+sort``: the person rows of the review, joined to their names and sorted by
  votes (no status, no reasons, no rank);
- ``minimal``: a hand-written person shortlist for the Sóc Trăng plan: the three
  variants' criteria with their reasons, deferrals, the rank window, quota status
  (the annual quota, 10, for every review), ORDER BY. No unit categories, no plan compilation, no component evidence;
- ``engine``: ``evaluate_review`` itself (units and people, everything).

Each is run with DuckDB's default threads (2 here) and with one thread, to show how much
of the work the second core absorbs. Prints a Markdown table; always exits 0.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

warnings.filterwarnings("ignore", message="Arrow output on a DB-API result")

# Sóc Trăng v2 (rules.md §6): nobody excluded, these five deferred
DEFERRING = (
    "['disciplined', 'under_review', 'under_inspection', 'complaint_pending', 'press_unverified']"
)


def _yes_no(col: str) -> str:
    return f"CASE WHEN {col} IS NULL THEN 'chưa đánh giá' WHEN {col} THEN 'có' ELSE 'không' END"


def _failed(label: str, state: str, evidence: str) -> str:
    return (
        f"CASE WHEN {state} IS NOT TRUE THEN '{label}: ' || {evidence} || "
        f"CASE WHEN {state} IS NULL THEN ' (chưa đủ dữ liệu)' ELSE ' (không đạt)' END END"
    )


def _two(first: tuple[str, str, str]) -> str:
    conduct = _failed("Phẩm chất đạo đức tốt", "good_conduct", _yes_no("good_conduct"))
    return f"concat_ws('; ', {_failed(*first)}, {conduct})"


JOIN_SORT = """
SELECT pj.person_id, p.full_name, pj.votes_pct
FROM person_judgments pj JOIN people p USING (person_id)
WHERE pj.review = $review
ORDER BY pj.votes_pct DESC NULLS LAST, pj.person_id
"""

MINIMAL = f"""
WITH pm AS (
    SELECT pj.person_id AS subject_id, p.full_name AS subject_name,
        CASE WHEN p.advised_components IS NOT NULL THEN 'advisor'
             WHEN p.unit_id IS NOT NULL THEN 'staff' ELSE 'citizen' END AS variant,
        coalesce(pj.discipline, 'none') AS discipline, pj.outstanding, pj.has_initiative,
        pj.initiative_recognized, pj.good_conduct, CAST(pj.votes_pct * 100 AS BIGINT) AS k0
    FROM person_judgments pj JOIN people p USING (person_id)
    WHERE pj.review = $review
),
v AS (
    SELECT *, CASE variant
            WHEN 'staff' THEN (outstanding OR has_initiative) AND good_conduct
            WHEN 'citizen' THEN (has_initiative AND initiative_recognized) AND good_conduct
            ELSE outstanding AND good_conduct END AS all_ok,
        CASE variant
            WHEN 'staff' THEN {
    _two(
        (
            "Thành tích xuất sắc hoặc sáng kiến",
            "(outstanding OR has_initiative)",
            _yes_no("outstanding") + " || '; ' || " + _yes_no("has_initiative"),
        )
    )
}
            WHEN 'citizen' THEN {
    _two(
        (
            "Sáng kiến được công nhận",
            "(has_initiative AND initiative_recognized)",
            _yes_no("has_initiative") + " || '; ' || " + _yes_no("initiative_recognized"),
        )
    )
}
            ELSE {_two(("Thành tích xuất sắc", "outstanding", _yes_no("outstanding")))}
        END AS failed_reasons
    FROM pm
),
st AS (
    SELECT *, CASE WHEN list_contains({DEFERRING}, discipline) THEN 'deferred'
        WHEN all_ok IS FALSE THEN 'ineligible' WHEN all_ok IS NULL THEN 'pending'
        ELSE 'eligible' END AS st
    FROM v
),
rk AS (
    SELECT subject_id, row_number() OVER (ORDER BY k0 DESC NULLS LAST, subject_id) AS rank
    FROM st WHERE st = 'eligible'
),
r AS (SELECT * FROM st LEFT JOIN rk USING (subject_id))
SELECT $review AS review, 'certificate_individual' AS award, 'individual' AS category,
    subject_id, subject_name, variant,
    CASE WHEN st <> 'eligible' THEN st WHEN rank <= 10 THEN 'proposed' ELSE 'reserve' END AS status,
    rank, NULL::DECIMAL(5, 2) AS window_avg,
    CASE WHEN st = 'deferred' THEN 'Chưa xét khen thưởng: ' || discipline
        WHEN st = 'eligible' AND rank <= 10 THEN 'Đạt tất cả tiêu chuẩn (trong chỉ tiêu 10)'
        WHEN st = 'eligible' THEN 'Đạt tất cả tiêu chuẩn; ngoài chỉ tiêu 10 (xếp thứ ' || rank || ')'
        ELSE failed_reasons END AS reasons
FROM r
ORDER BY rank NULLS LAST, subject_id
"""


def timed(con, reviews: list[str], run) -> tuple[float, int]:
    """Seconds and rows for ``run(review)`` over every review (best of two passes)."""
    best, rows = float("inf"), 0
    for _ in range(2):
        t0 = time.perf_counter()
        rows = sum(run(r).num_rows for r in reviews)
        best = min(best, time.perf_counter() - t0)
    return best, rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("store", help="a store imported from bench/make_national.py")
    args = ap.parse_args(argv)

    from analytics.plans.loading import load_plan
    from analytics.rules.shortlist import evaluate_review
    from analytics.store.binding import bound_plan_id
    from analytics.store.connection import open_store

    with open_store(args.store, read_only=True) as con:
        if bound_plan_id(con) != "soc-trang-2021-2030":  # MINIMAL is that plan's rules
            print("a store of the Sóc Trăng plan is needed (bench/make_national.py)")
            return 0
        plan = load_plan(bound_plan_id(con))
        reviews = [
            r for (r,) in con.execute("SELECT DISTINCT review FROM person_judgments").fetchall()
        ]
        ids = [r.id for r in plan.reviews if r.id in reviews]
        threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
        queries = {
            "join+sort": lambda r: (
                con.execute(JOIN_SORT, {"review": r}).to_arrow_reader().read_all()
            ),
            "minimal": lambda r: con.execute(MINIMAL, {"review": r}).to_arrow_reader().read_all(),
            "engine": lambda r: evaluate_review(con, plan, r),
        }
        print(f"{len(ids)} reviews; DuckDB threads: {threads} and 1\n")
        print("| query | rows | seconds, all reviews | seconds, 1 thread |")
        print("|---|---:|---:|---:|")
        results = {}
        for n in (threads, 1):
            con.execute(f"SET threads = {n}")
            for name, run in queries.items():
                results[name, n] = timed(con, ids, run)
        for name in queries:
            (secs, rows), (one, _) = results[name, threads], results[name, 1]
            print(f"| {name} | {rows:,} | {secs:.2f} | {one:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
