"""Dashboard speed: each page's script run (AppTest) on a warm cache, the first render of
each page in a real browser from a cold server start, and every page at national scale.

Usage:
    python bench/bench_pages.py                       # province scale (the demo store)
    python bench/bench_pages.py --national DB         # also the engine benchmark's store
                                                      #   (make it: python bench/bench_engine.py)
Targets (issue 3): warm page run <= 150 ms at province scale; first browser render <= 5 s
from a cold start; <= 1 s per rerun at national scale.
"""

from __future__ import annotations

import argparse
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
from analytics.sessions import SESSIONS  # noqa: E402
from pages._auth import TAB_SESSION  # noqa: E402

PAGES = [
    ("pages/1_tong_quan.py", "Tổng quan"),
    ("pages/2_xep_hang.py", "Xếp hạng"),
    ("pages/3_chi_so_thanh_phan.py", "Chỉ số thành phần"),
    ("pages/4_ho_so_don_vi.py", "Hồ sơ đơn vị"),
    ("pages/5_khen_thuong.py", "Khen thưởng"),
    ("pages/6_mo_phong.py", "Mô phỏng"),
    ("pages/7_du_lieu.py", "Dữ liệu"),
    ("pages/8_hoi_dong.py", "Hội đồng xét"),
    ("pages/9_nhat_ky.py", "Nhật ký"),
]


def signed_in(db_path: Path) -> str:
    """A session of an admin account of the store (created if missing), so that a store
    that is not in demo mode shows its pages, not the sign-in screen."""
    from analytics.store import accounts
    from analytics.store.connection import open_store

    with open_store(db_path) as con:
        if accounts.find_account(con, "bench") is None:
            accounts.add_account(con, command_line_actor(), "bench", "admin", "bench-mat-khau")
    return SESSIONS.open(Actor("bench", "admin"))


def apptest_runs(db_path: Path, repeats: int = 5) -> dict[str, tuple[float, float]]:
    """(first run, median warm rerun) in seconds per page, in one AppTest session."""
    from streamlit.testing.v1 import AppTest

    os.environ["THIDUA_DB"] = str(db_path)
    os.environ["THIDUA_NO_DEMO"] = "1"
    out = {}
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.session_state[TAB_SESSION] = signed_in(db_path)
    at.run()
    for page, title in PAGES:
        at.switch_page(page)
        t = time.perf_counter()
        at.run()
        first = time.perf_counter() - t
        if at.exception:
            raise RuntimeError(f"{title}: {at.exception[0].value}")
        warm = []
        for _ in range(repeats):
            t = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - t)
        out[title] = (first, statistics.median(warm))
    return out


def browser_first_render(db_path: Path) -> dict[str, float]:
    """Seconds from navigation to an idle app, each page on a freshly started server."""
    from playwright.sync_api import sync_playwright

    from tests.e2e_support import CHROMIUM, CHROMIUM_ARGS, running_app, wait_for_app

    out = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for page_file, title in PAGES:
            with running_app(db_path) as url:  # a cold server for every page
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                slug = Path(page_file).stem.split("_", 1)[1]
                t = time.perf_counter()
                page.goto(f"{url}/{slug}" if slug != "tong_quan" else url)
                wait_for_app(page, timeout_ms=60_000)
                page.get_by_text(title).first.wait_for(timeout=60_000)
                out[title] = time.perf_counter() - t
                page.close()
        browser.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--national", help="a national-scale store (from bench/bench_engine.py)")
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "demo.duckdb"
        build_demo_store("soc-trang-2021-2030", store, command_line_actor())
        runs = apptest_runs(store)
        print("\n## Province scale (demo store), AppTest script runs\n")
        print("| page | first run | warm rerun (median of 5) | target ≤ 150 ms |")
        print("|---|---:|---:|:---:|")
        for title, (first, warm) in runs.items():
            ok = "PASS" if warm <= 0.150 else "FAIL"
            print(f"| {title} | {first * 1000:.0f} ms | {warm * 1000:.0f} ms | {ok} |")
        if not args.no_browser:
            renders = browser_first_render(store)
            print("\n## First render in Chromium from a cold server start\n")
            print("| page | seconds | target ≤ 5 s |")
            print("|---|---:|:---:|")
            for title, sec in renders.items():
                print(f"| {title} | {sec:.2f} | {'PASS' if sec <= 5 else 'FAIL'} |")
    if args.national:
        runs = apptest_runs(Path(args.national), repeats=3)
        print("\n## National scale, AppTest script runs\n")
        print("| page | first run | warm rerun (median of 3) | target ≤ 1 s per rerun |")
        print("|---|---:|---:|:---:|")
        for title, (first, warm) in runs.items():
            ok = "PASS" if warm <= 1.0 else "FAIL"
            print(f"| {title} | {first:.2f} s | {warm:.2f} s | {ok} |")


if __name__ == "__main__":
    main()
