"""Signing in for real (browser): the app as deployed (`streamlit run server.py`) on a store
with accounts. A wrong password is refused with its message; the right one signs in; a
reload and a new tab keep the session (an HttpOnly cookie that page scripts cannot read);
a viewer sees no write; signing out ends the session; a form posted from another origin is
refused."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import pytest

from analytics.ingest.importer import run_import
from analytics.sessions import COOKIE
from analytics.store import accounts as acc
from analytics.store.connection import open_store
from tests._datasets import RE_ID, ROOT, TEST_ADMIN
from tests.e2e_support import chromium_browser, running_app, wait_for_app

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.e2e
PASSWORD = "mat-khau-dai-1"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    path = tmp_path_factory.mktemp("signin") / "store.duckdb"
    run_import(ROOT / "data" / "demo" / RE_ID, path, plan_ref=RE_ID, actor=TEST_ADMIN)
    with open_store(path) as con:
        acc.add_account(con, TEST_ADMIN, "quantri", "admin", PASSWORD)
        acc.add_account(con, TEST_ADMIN, "lanhdao", "viewer", PASSWORD)
    with running_app(path) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium_browser() as b:
        yield b


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield ctx
    ctx.close()


def _open(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page, timeout_ms=60_000)


def _sign_in(page, url: str, login: str, password: str) -> None:
    _open(page, url)
    frame = page.locator("form").first
    frame.wait_for(timeout=30_000)
    page.fill('input[name="ten_dang_nhap"]', login)
    page.fill('input[name="mat_khau"]', password)
    page.click('form button[type="submit"]')
    wait_for_app(page, timeout_ms=60_000)


def test_wrong_password_then_sign_in_survives_a_reload_and_a_new_tab(context, app_url):
    page = context.new_page()
    _sign_in(page, app_url, "quantri", "sai-mat-khau")
    page.get_by_text("tên đăng nhập hoặc mật khẩu không đúng").first.wait_for(timeout=30_000)
    _sign_in(page, app_url, "quantri", PASSWORD)
    page.locator("h1", has_text="Tổng quan").first.wait_for(timeout=60_000)
    cookie = next(c for c in context.cookies() if c["name"] == COOKIE)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert COOKIE not in page.evaluate("document.cookie")  # page scripts cannot read it
    page.reload()
    wait_for_app(page, timeout_ms=60_000)
    page.locator("h1", has_text="Tổng quan").first.wait_for(timeout=60_000)
    assert "quantri" in page.locator('[data-testid="stSidebar"]').inner_text()
    other = context.new_page()
    _open(other, f"{app_url}/hoi_dong")
    other.locator("h1", has_text="Hội đồng xét").first.wait_for(timeout=60_000)
    assert "dành cho thư ký" not in other.inner_text("body")
    # signing out ends the session: the sign-in screen, also after a reload
    page.locator('[data-testid="stSidebar"] button', has_text="Đăng xuất").first.click()
    wait_for_app(page, timeout_ms=60_000)
    page.locator("h1", has_text="Đăng nhập").first.wait_for(timeout=60_000)
    page.reload()
    wait_for_app(page, timeout_ms=60_000)
    page.locator("h1", has_text="Đăng nhập").first.wait_for(timeout=60_000)
    assert not [c for c in context.cookies() if c["name"] == COOKIE]


def test_a_viewer_sees_no_write(context, app_url):
    page = context.new_page()
    _sign_in(page, app_url, "lanhdao", PASSWORD)
    page.locator("h1", has_text="Tổng quan").first.wait_for(timeout=60_000)
    for slug, locked in (
        ("du_lieu", "Chỉ quản trị viên được nhập"),
        ("hoi_dong", "dành cho thư ký"),
    ):
        _open(page, f"{app_url}/{slug}")
        page.get_by_text(locked).first.wait_for(timeout=60_000)
        assert page.locator('input[type="file"]').count() == 0


def test_a_sign_in_posted_from_another_origin_is_refused(app_url):
    data = urllib.parse.urlencode({"ten_dang_nhap": "quantri", "mat_khau": PASSWORD}).encode()
    request = urllib.request.Request(
        f"{app_url}/dang-nhap", data=data, headers={"Origin": "http://evil.example"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403


# --- OpenID Connect through st.login, against a real provider on 127.0.0.1 ---------------------


@pytest.fixture(scope="module")
def oidc_app(tmp_path_factory):
    from oidc_provider_mock import run_server_in_thread

    from tests.e2e_support import free_port

    folder = tmp_path_factory.mktemp("oidc")
    path = folder / "store.duckdb"
    run_import(ROOT / "data" / "demo" / RE_ID, path, plan_ref=RE_ID, actor=TEST_ADMIN)
    with open_store(path) as con:
        acc.set_email_role(con, TEST_ADMIN, "an@snv.gov.vn", "editor")
    port = free_port()
    with run_server_in_thread() as provider:
        secrets = folder / "secrets.toml"
        secrets.write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            'cookie_secret = "bí-mật-chỉ-để-thử-nghiệm-0123456789"\n'
            'client_id = "thidua-cchc"\n'
            'client_secret = "thu-nghiem"\n'
            "server_metadata_url = "
            f'"http://localhost:{provider.server_port}/.well-known/openid-configuration"\n',
            encoding="utf-8",
        )
        with running_app(path, port=port, extra_args=("--secrets.files", str(secrets))) as url:
            yield url


def _oidc_sign_in(page, url: str, email: str) -> None:
    _open(page, url)
    page.get_by_role("button", name="OpenID Connect").first.click()
    page.wait_for_selector('input[name="sub"]', timeout=60_000)
    page.fill('input[name="sub"]', email)
    page.get_by_role("button", name="Authorize").click()
    wait_for_app(page, timeout_ms=60_000)


def test_oidc_sign_in_takes_the_role_of_the_address(context, oidc_app):
    page = context.new_page()
    _oidc_sign_in(page, oidc_app, "an@snv.gov.vn")
    page.locator("h1", has_text="Tổng quan").first.wait_for(timeout=60_000)
    assert "an@snv.gov.vn" in page.locator('[data-testid="stSidebar"]').inner_text()
    _open(page, f"{oidc_app}/hoi_dong")
    page.locator("h1", has_text="Hội đồng xét").first.wait_for(timeout=60_000)
    assert "dành cho thư ký" not in page.inner_text("body")  # an editor


def test_oidc_address_without_a_role_gets_no_access(context, oidc_app):
    page = context.new_page()
    _oidc_sign_in(page, oidc_app, "la@example.vn")
    page.get_by_text("chưa được quản trị cấp quyền").first.wait_for(timeout=60_000)
    assert page.locator("h1", has_text="Tổng quan").count() == 0
