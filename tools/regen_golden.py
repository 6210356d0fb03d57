"""Regenerate the golden shortlists in tests/golden/ — only on purpose, after checking the diff.

Usage: python tools/regen_golden.py   (then review `git diff tests/golden`)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analytics.access import command_line_actor  # noqa: E402
from analytics.demo import build_demo_store  # noqa: E402
from analytics.exports.csv_files import write_shortlist_csv  # noqa: E402
from analytics.plans.loading import load_plan  # noqa: E402
from analytics.rules.shortlist import evaluate_review  # noqa: E402
from analytics.store.connection import open_store  # noqa: E402

GOLDEN = ROOT / "tests" / "golden"
PLANS = ("soc-trang-2021-2030", "nhu-quynh-2023", "soc-trang-2025-reorg")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for plan_id in PLANS:
            plan = load_plan(plan_id)
            store = Path(tmp) / f"{plan_id}.duckdb"
            build_demo_store(plan_id, store, command_line_actor())
            out_dir = GOLDEN / plan_id
            out_dir.mkdir(parents=True, exist_ok=True)
            with open_store(store, read_only=True) as con:
                for review in plan.reviews:
                    if not review.held:  # no list: the CLI exits 2 with the reason
                        continue
                    table = evaluate_review(con, plan, review.id)
                    with (out_dir / f"{review.id}.csv").open(
                        "w", encoding="utf-8", newline=""
                    ) as fh:
                        write_shortlist_csv(table, fh)
                    print(f"{plan_id}/{review.id}: {table.num_rows} rows")


if __name__ == "__main__":
    main()
