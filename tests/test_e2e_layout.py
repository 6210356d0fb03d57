"""Every page in a real browser at a desktop width (1440 px) and a phone width (390 px), on
the default demo ("as it happened"): a screenshot of each in tests/artifacts/layout/ (the
emoji font comes from Debian's fonts-noto-color-emoji, installed by scripts/test.sh, so
the screenshots show what users see), no error, and no horizontal scroll of the page at
390 px (the ranking's ratio and group stay next to the unit's name)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.demo import build_demo_store
from tests._datasets import RE_ID, TEST_ADMIN
from tests.e2e_support import ARTIFACTS, chromium_browser, running_app, wait_for_app

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parent.parent
SHOTS = ARTIFACTS / "layout"
WIDTHS = (1440, 390)
PAGES = [  # (url path, file) of every page, in the menu's order
    (p.stem.split("_", 1)[1], p.name)
    for p in sorted(
        (ROOT / "pages").glob("[0-9]*_*.py"), key=lambda p: int(p.name.split("_", 1)[0])
    )
]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    path = tmp_path_factory.mktemp("layout") / "demo.duckdb"
    build_demo_store(RE_ID, path, actor=TEST_ADMIN)
    with running_app(path) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium_browser() as b:
        yield b


def _page_at(browser, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    return context, context.new_page()


def _settled(page) -> None:
    """Wait until the page's script has finished and every element is drawn (no running
    status, no skeleton placeholder left)."""
    wait_for_app(page, timeout_ms=90_000)
    page.locator("h1").first.wait_for(timeout=60_000)
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"]')
              && !document.querySelector('[data-testid="stSkeleton"]')""",
        timeout=90_000,
    )
    page.wait_for_timeout(800)


def _overflow(page) -> int:
    """How many pixels the page is wider than the window (0 = no horizontal scroll): the
    document, and Streamlit's main container, which scrolls the page's content (a table's
    own grid may scroll inside itself: that is not the page scrolling)."""
    return page.evaluate(
        """() => Math.max(
            ...[document.documentElement, document.querySelector('[data-testid=stMain]')]
                .filter(e => e).map(e => e.scrollWidth - e.clientWidth))"""
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_at_each_width(browser, app_url, width):
    context, page = _page_at(browser, width)
    try:
        for slug, _file in PAGES:
            page.goto(f"{app_url}/{slug}" if slug != "tong_quan" else app_url)
            _settled(page)
            assert page.locator('[data-testid="stException"]').count() == 0, slug
            body = page.inner_text("body")
            assert "Traceback" not in body, slug
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"{width}-{slug}.png"), full_page=True)
            if width == 390:
                assert _overflow(page) <= 1, f"{slug}: the page scrolls sideways at 390 px"
    finally:
        context.close()


def _visible_headers(page, container: str) -> list[str]:
    """The column headers a table draws in the window (its accessible grid holds only the
    columns in view)."""
    frame = page.locator(f".st-key-{container} [data-testid=stDataFrame]").first
    frame.scroll_into_view_if_needed(timeout=30_000)
    cells = frame.locator("th[role=columnheader]")
    # the grid fills its accessible table after it has drawn (later on a slow machine)
    cells.first.wait_for(state="attached", timeout=30_000)
    page.wait_for_timeout(300)
    return [t.strip() for t in cells.all_inner_texts()]


def test_ranking_at_390_shows_ratio_and_group_beside_the_name(browser, app_url):
    context, page = _page_at(browser, 390)
    try:
        page.goto(f"{app_url}/xep_hang")
        _settled(page)
        assert _overflow(page) <= 1
        assert page.locator(".st-key-xh_wide").is_hidden()
        assert _visible_headers(page, "xh_narrow") == ["Đơn vị", "Tỷ lệ (%)", "Nhóm"]
        # the check sees a page that scrolls sideways: a planted 1 000 px wide block
        page.evaluate(
            """() => { const d = document.createElement('div'); d.style.width = '1000px';
                d.style.height = '10px';
                document.querySelector('[data-testid=stMainBlockContainer]').appendChild(d); }"""
        )
        assert _overflow(page) > 1
    finally:
        context.close()
    context, page = _page_at(browser, 1440)
    try:  # a desktop gets the whole table
        page.goto(f"{app_url}/xep_hang")
        _settled(page)
        assert page.locator(".st-key-xh_narrow").is_hidden()
        assert {"Hạng", "Đơn vị", "Điểm", "Tỷ lệ (%)", "Nhóm"} <= set(
            _visible_headers(page, "xh_wide")
        )
    finally:
        context.close()


def test_a_printed_profile_is_the_page_alone(browser, app_url):
    """Ctrl+P on Hồ sơ đơn vị: the print media hides the sidebar, menus and buttons."""
    context, page = _page_at(browser, 1440)
    try:
        page.goto(f"{app_url}/ho_so_don_vi")
        _settled(page)
        assert page.locator('[data-testid="stSidebar"]').is_visible()
        page.emulate_media(media="print")
        assert page.locator('[data-testid="stSidebar"]').is_hidden()
        assert page.locator(".stDownloadButton").first.is_hidden()
        assert page.locator("h1").first.is_visible()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "print-ho_so_don_vi.png"), full_page=True)
    finally:
        context.close()
