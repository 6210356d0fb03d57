"""The committee's workspace: speed of a save, of the council page and of the audit page.

Usage:
    python bench/bench_workspace.py

On a copy of the province demo store ("as it happened" plan):
- a save of 100 changed values (judgments of every unit and person of so-ket-2025 / 2023,
  through the import's validation, one audited transaction) — target <= 1 s;
- the Hội đồng xét page's warm rerun (AppTest, median of 5; the demo store's demo admin)
  — target <= 300 ms;
- the audit page with 100 000 entries (written by 1 000 saves of 100 values): the query of
  one page and the page's warm rerun — target <= 1 s.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analytics.access import Actor, command_line_actor  # noqa: E402
from analytics.demo import build_demo_store  # noqa: E402
from analytics.ingest.edits import Change, save_changes  # noqa: E402
from analytics.store.connection import open_store  # noqa: E402
from analytics.views import audit_log  # noqa: E402

PLAN = "soc-trang-2025-reorg"
EDITOR = Actor("bench-editor", "editor")


def hundred_changes(db: Path, value: str) -> list[Change]:
    """100 values: outstanding / has_initiative / head_directs of units of so-ket-2025 and
    outstanding / good_conduct of people of 2023, as many as it takes."""
    with open_store(db, read_only=True) as con:
        units = [
            r[0]
            for r in con.execute(
                "SELECT unit_id FROM units WHERE block IS NOT NULL ORDER BY 1"
            ).fetchall()
        ]
        people = [r[0] for r in con.execute("SELECT person_id FROM people ORDER BY 1").fetchall()]
    out = [
        Change("unit_judgments", "so-ket-2025", u, f, value)
        for u in units
        for f in ("outstanding", "has_initiative", "head_directs")
    ]
    out += [
        Change("person_judgments", "2023", p, f, value)
        for p in people
        for f in ("outstanding", "good_conduct")
    ]
    return out[:100]


def time_saves(db: Path) -> list[float]:
    times = []
    for i in range(6):
        changes = hundred_changes(db, "không" if i % 2 == 0 else "có")
        t = time.perf_counter()
        result = save_changes(db, EDITOR, changes, f"Biên bản số {i}")
        times.append(time.perf_counter() - t)
        assert result.save_id is not None and len(result.entries) >= 100 - 5, len(result.entries)
    return times


def page_reruns(db: Path, page: str, state: dict, repeats: int = 5) -> tuple[float, float]:
    from streamlit.testing.v1 import AppTest

    os.environ["THIDUA_DB"] = str(db)
    os.environ["THIDUA_NO_DEMO"] = "1"
    at = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=300)
    at.session_state["plan_id"] = PLAN
    for k, v in state.items():
        at.session_state[k] = v
    t = time.perf_counter()
    at.run()
    first = time.perf_counter() - t
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    warm = []
    for _ in range(repeats):
        t = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - t)
    return first, statistics.median(warm)


def fill_audit(db: Path, saves: int = 1000, per_save: int = 100) -> int:
    """Add ``saves`` × ``per_save`` audit entries directly (the page's query is measured,
    not the saves)."""
    with open_store(db) as con:
        con.execute(
            """
            INSERT INTO audit_saves
            SELECT 100000 + s, TIMESTAMP '2026-03-12 09:00:00' + INTERVAL (s) MINUTE,
                'bench-editor', 'record', 'so-ket-2025', 'Biên bản số ' || s, NULL
            FROM range($n) t(s)
            """,
            {"n": saves},
        )
        con.execute(
            """
            INSERT INTO audit_entries
            SELECT 100000 + s, 'unit_judgments', 'so-ket-2025', 'u' || (v % 40), 'outstanding',
                'có', 'không'
            FROM range($n) a(s), range($k) b(v)
            """,
            {"n": saves, "k": per_save},
        )
        return int(con.execute("SELECT count(*) FROM audit_entries").fetchall()[0][0])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.duckdb"
        build_demo_store(PLAN, db, command_line_actor())
        saves = time_saves(db)
        council = page_reruns(db, "8_hoi_dong.py", {f"review_{PLAN}": "so-ket-2025"})
        total = fill_audit(db)
        with open_store(db, read_only=True) as con:
            t = time.perf_counter()
            frame, n = audit_log.entries_frame(con, review="so-ket-2025", limit=50)
            query = time.perf_counter() - t
        audit_page = page_reruns(db, "9_nhat_ky.py", {"audit_review": "so-ket-2025"})
    print("| measure | target | measured | |")
    print("|---|---|---|---|")
    med = statistics.median(saves)
    print(
        f"| a save of 100 changed values (median of 6; min–max) | ≤ 1 s | {med:.2f} s ({min(saves):.2f}–{max(saves):.2f}) | {'PASS' if med <= 1 else 'FAIL'} |"
    )
    print(
        f"| Hội đồng xét page, warm rerun (median of 5; first run) | ≤ 300 ms | {council[1] * 1000:.0f} ms ({council[0]:.2f} s) | {'PASS' if council[1] <= 0.3 else 'FAIL'} |"
    )
    print(
        f"| audit query, one page of 50 of {n:,} entries of a review ({total:,} in all) | ≤ 1 s | {query * 1000:.0f} ms | {'PASS' if query <= 1 else 'FAIL'} |"
    )
    print(
        f"| Nhật ký page with {total:,} entries, warm rerun (first run) | ≤ 1 s | {audit_page[1] * 1000:.0f} ms ({audit_page[0]:.2f} s) | {'PASS' if audit_page[1] <= 1 else 'FAIL'} |"
    )
    assert len(frame) == 50


if __name__ == "__main__":
    main()
