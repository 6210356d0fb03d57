"""Take the README's screenshots (docs/screenshots/) of the app on the default demo, in
Debian's Chromium at 1440 px, with the emoji font installed (fonts-noto-color-emoji).

Usage: python tools/screenshots.py   (then look at the images before committing them)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analytics.access import command_line_actor  # noqa: E402
from analytics.demo import build_demo_store  # noqa: E402
from tests.e2e_support import chromium_browser, running_app, wait_for_app  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SHOTS = {"tong-quan": "", "khen-thuong": "/khen_thuong"}
PLAN = "soc-trang-2025-reorg"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "demo.duckdb"
        build_demo_store(PLAN, store, command_line_actor())
        with running_app(store) as url, chromium_browser() as browser:
            context = browser.new_context(viewport={"width": 1440, "height": 1100})
            page = context.new_page()
            for name, path in SHOTS.items():
                page.goto(url + path)
                wait_for_app(page, timeout_ms=90_000)
                page.wait_for_function(
                    """() => !document.querySelector('[data-testid="stSkeleton"]')
                          && !document.querySelector('[data-testid="stStatusWidget"]')""",
                    timeout=90_000,
                )
                page.wait_for_timeout(1500)
                page.screenshot(path=str(OUT / f"{name}.png"), full_page=False)
                print(OUT / f"{name}.png")
            context.close()


if __name__ == "__main__":
    main()
