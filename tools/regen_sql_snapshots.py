"""Regenerate the snapshots of generated shortlist SQL in tests/snapshots/sql/ — on purpose.

Usage: python tools/regen_sql_snapshots.py   (then review `git diff tests/snapshots`)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.sql_snapshots import SNAPSHOTS, render, snapshot_cases  # noqa: E402


def main() -> None:
    for plan, review, path in snapshot_cases():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(plan, review), encoding="utf-8")
        print(path.relative_to(SNAPSHOTS))


if __name__ == "__main__":
    main()
