"""End to end in a real browser: `streamlit run` on the demo store, Debian's Chromium driven
by Playwright. Visits every page (through the menu and by direct link), changes a what-if
quota, downloads the shortlist CSV and checks its bytes, uploads a bad file and sees the
error, switches the plan in the sidebar, imports a good one (which ends the demo mode). Screenshots go to tests/artifacts/e2e/."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from analytics.demo import build_demo_store
from analytics.labels import named_with_recipient
from analytics.store.connection import open_store
from tests._datasets import TEST_ADMIN
from tests.e2e_support import ARTIFACTS, chromium_browser, running_app, wait_for_app

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.e2e
GOLDEN = Path(__file__).parent / "golden" / "soc-trang-2021-2030" / "so-ket-2025.csv"
SHOTS = ARTIFACTS / "e2e"
PAGES = [
    ("tong_quan", "Tổng quan"),
    ("xep_hang", "Xếp hạng"),
    ("chi_so_thanh_phan", "Chỉ số thành phần"),
    ("ho_so_don_vi", "Hồ sơ đơn vị"),
    ("khen_thuong", "Khen thưởng"),
    ("mo_phong", "Mô phỏng"),
    ("du_lieu", "Dữ liệu"),
    ("hoi_dong", "Hội đồng xét"),
    ("nhat_ky", "Nhật ký"),
    ("dang_ky", "Đăng ký thi đua"),
    ("so_sanh", "So sánh đơn vị"),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("e2e") / "demo.duckdb"
    build_demo_store("soc-trang-2021-2030", path, actor=TEST_ADMIN)
    return path


@pytest.fixture(scope="module")
def app_url(store):
    with running_app(store) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium_browser() as b:
        yield b


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    p = context.new_page()
    yield p
    context.close()


def _open(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page, timeout_ms=60_000)


def _no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Traceback" not in page.inner_text("body")


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_every_page_through_the_menu(page, app_url):
    _open(page, app_url)
    for slug, title in PAGES:
        page.locator('[data-testid="stSidebarNav"] a', has_text=title).click()
        wait_for_app(page, timeout_ms=60_000)
        page.locator("h1", has_text=title).first.wait_for(timeout=30_000)
        _no_exception(page)
        _shot(page, f"menu-{slug}")


@pytest.mark.parametrize(("slug", "title"), PAGES, ids=[s for s, _ in PAGES])
def test_direct_link_keeps_the_app_navigation(page, app_url, slug, title):
    _open(page, f"{app_url}/{slug}" if slug != "tong_quan" else app_url)
    page.locator("h1", has_text=title).first.wait_for(timeout=30_000)
    nav = page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
    assert [t.split("\n")[-1] for t in nav] == [t for _, t in PAGES]
    _no_exception(page)


def test_download_shortlist_csv_matches_the_engine(page, app_url):
    _open(page, f"{app_url}/khen_thuong")
    page.locator("h1", has_text="Sơ kết").first.wait_for(timeout=30_000)
    with page.expect_download() as info:
        page.get_by_role("button", name="Tải danh sách (CSV)").click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(
        b"\xef\xbb\xbfreview,award,category,subject_id,subject_name,status,rank,"
    )
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    golden = list(csv.reader(io.StringIO(GOLDEN.read_text(encoding="utf-8-sig"))))
    assert [r[:11] for r in rows] == golden  # the contract's eleven columns (v2), row for row
    assert rows[0][11:] == ["plan_id", "review_id", "data_version", "exported_at"]
    assert {r[11] for r in rows[1:]} == {"soc-trang-2021-2030"}
    _shot(page, "download")


def test_download_word_proposal_list(page, app_url):
    docx = pytest.importorskip("docx")
    _open(page, f"{app_url}/khen_thuong")
    page.locator("h1", has_text="Sơ kết").first.wait_for(timeout=30_000)
    with page.expect_download() as info:
        page.get_by_role("button", name="Danh sách đề nghị (Word)").click()
    assert info.value.suggested_filename == "danh-sach-de-nghi-so-ket-giai-doan-2021-2025.docx"
    doc = docx.Document(info.value.path())
    names = [  # the proposal tables, not the deferred cases' table ("Lý do"), by name
        row.cells[1].text.split("\n")[0]
        for t in doc.tables[1:]
        if t.rows[0].cells[-1].text != "Lý do"
        for row in t.rows[1:]
    ]
    golden = list(csv.DictReader(io.StringIO(GOLDEN.read_text(encoding="utf-8-sig"))))
    assert sorted(set(names)) == sorted(
        {
            named_with_recipient(
                r["subject_id"], r["subject_name"], r["recipient_id"], r["recipient_name"]
            )
            for r in golden
            if r["status"] == "proposed"
        }
    )


def test_what_if_quota_change_shows_who_enters(page, app_url):
    _open(page, f"{app_url}/mo_phong")
    page.locator("h1", has_text="Mô phỏng").first.wait_for(timeout=30_000)
    box = page.locator('input[aria-label="Khối sở, ban, ngành — tiêu chuẩn (2)"]').first
    assert box.input_value() == "5"
    box.fill("6")
    box.press("Enter")
    wait_for_app(page, timeout_ms=60_000)
    enters = page.locator('[data-testid="stMetric"]', has_text="Vào danh sách").first
    enters.locator('[data-testid="stMetricValue"]', has_text="1").wait_for(timeout=60_000)
    leaves = page.locator('[data-testid="stMetric"]', has_text="Ra khỏi danh sách").first
    assert leaves.locator('[data-testid="stMetricValue"]').inner_text().strip() == "0"
    # the changed quota reaches the diff table (a canvas grid: read its CSV download); the
    # button is clicked once the app is idle (a click during a rerun is dropped)
    wait_for_app(page, timeout_ms=60_000)
    button = page.get_by_role("button", name="bảng thay đổi").first
    button.wait_for(timeout=30_000)
    with page.expect_download(timeout=60_000) as info:
        button.click()
    diff = Path(info.value.path()).read_text(encoding="utf-8-sig")
    assert "svhttdl" in diff and "vào danh sách" in diff
    _no_exception(page)
    _shot(page, "what-if")


def _upload(page, app_url: str, file: Path, text: str) -> None:
    """Open Dữ liệu and upload one file written with ``text``."""
    file.write_text(text, encoding="utf-8")
    _open(page, f"{app_url}/du_lieu")
    page.locator("h1", has_text="Dữ liệu").first.wait_for(timeout=30_000)
    # the dataset uploader (the page has another one, for published results, in a later tab)
    uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text="các tệp CSV")
    for _attempt in range(3):  # a file given while the page still re-renders can be dropped
        wait_for_app(page, timeout_ms=60_000)
        uploader.locator('input[type="file"]').set_input_files(str(file))
        try:
            uploader.get_by_text(file.name).first.wait_for(timeout=20_000)
            return
        except playwright.TimeoutError:
            continue
    raise AssertionError(f"the upload of {file.name} was not taken")


def test_sidebar_plan_switch_reaches_the_page(page, app_url):
    _open(page, f"{app_url}/xep_hang")
    page.locator("h1", has_text="Xếp hạng").first.wait_for(timeout=30_000)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="Như Quỳnh").first.click()
    wait_for_app(page, timeout_ms=60_000)
    # the sidebar names the plan by its title (no id)
    sidebar.locator(
        '[data-testid="stCaptionContainer"]', has_text="thị trấn Như Quỳnh"
    ).first.wait_for(timeout=60_000)
    assert "nhu-quynh-2023" not in sidebar.inner_text()
    _no_exception(page)


def test_upload_bad_file_shows_the_error_and_changes_nothing(page, app_url, tmp_path, store):
    before = store.stat().st_mtime
    _upload(page, app_url, tmp_path / "units.csv", "unit_id,name,block\nx1,Đơn vị mới,khoi_la\n")
    page.get_by_text("chưa ghi gì vào kho").first.wait_for(timeout=60_000)
    # the problem table is a canvas grid; its accessible cells carry the text
    cells = page.locator('[data-testid="stDataFrame"] [role="gridcell"]')
    cells.filter(has_text="khối không có trong kế hoạch").first.wait_for(
        state="attached", timeout=30_000
    )
    texts = " | ".join(cells.all_text_contents())
    assert "units.csv" in texts and "khoi_la" in texts
    assert page.get_by_role("button", name="Nhập dữ liệu").count() == 0
    assert store.stat().st_mtime == before
    _no_exception(page)
    _shot(page, "upload-error")


def test_upload_good_file_then_import_writes_the_store(page, app_url, tmp_path, store):
    good = "year,unit_id,score,max_score,ratio\n2021,snv,80,90,\n"
    _upload(page, app_url, tmp_path / "unit_scores.csv", good)
    page.get_by_text("Dữ liệu hợp lệ").first.wait_for(timeout=60_000)
    page.get_by_role("button", name="Nhập dữ liệu").click()
    # the first import of other data ends the demo mode: the sign-in screen, which says how
    # to create the first account
    page.locator("h1", has_text="Đăng nhập").first.wait_for(timeout=60_000)
    page.get_by_text("chưa có tài khoản nào").first.wait_for(timeout=30_000)
    with open_store(store, read_only=True) as con:
        row = con.execute(
            "SELECT score FROM unit_scores WHERE year = 2021 AND unit_id = 'snv'"
        ).fetchall()
    assert float(row[0][0]) == 80.0
    _no_exception(page)
    _shot(page, "upload-imported")
    _open(page, app_url)  # and the next visit too
    page.locator("h1", has_text="Đăng nhập").first.wait_for(timeout=30_000)
    assert "Chế độ trình diễn" not in page.inner_text("body")
