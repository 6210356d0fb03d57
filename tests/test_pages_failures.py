"""The dashboard never shows a traceback: each failure a visitor can meet — a damaged store,
a busy store, a full disk, a bad upload, an internal error — is injected and the page
must show one Vietnamese message instead (issue "Hostile input", item 3 and 5)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from analytics.store import connection
from tests._datasets import RE_ID

pytestmark = pytest.mark.real_sign_in
APP = str(Path(__file__).resolve().parent.parent / "app.py")
DATA_PAGE = "pages/7_du_lieu.py"


@pytest.fixture(autouse=True)
def _setup(monkeypatch, fresh_caches):
    monkeypatch.setenv("THIDUA_NO_DEMO", "1")


def run_app(page: str | None = None, state: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["plan_id"] = RE_ID
    for key, value in (state or {}).items():
        at.session_state[key] = value
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest) -> str:
    kinds = ("error", "warning", "info", "markdown", "caption", "success")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


def no_traceback(at: AppTest) -> None:
    text = shown(at)
    for leak in ("Traceback", 'File "', "Exception", "_duckdb", "Error:"):
        assert leak not in text, text


def test_corrupt_store_shows_a_message(demo_stores, tmp_path, monkeypatch):
    data = bytearray(demo_stores[RE_ID].read_bytes())
    for i in range(5000, len(data), 9973):
        data[i] ^= 0xFF
    path = tmp_path / "hong.duckdb"
    path.write_bytes(bytes(data))
    monkeypatch.setenv("THIDUA_DB", str(path))
    at = run_app()
    assert any("không dùng được" in e.value and "sao lưu" in e.value for e in at.error), shown(at)
    no_traceback(at)


def test_folder_as_store_shows_a_message(tmp_path, monkeypatch):
    folder = tmp_path / "kho"
    folder.mkdir()
    monkeypatch.setenv("THIDUA_DB", str(folder))
    at = run_app()
    assert any("thư mục" in e.value for e in at.error), shown(at)
    no_traceback(at)


def test_busy_store_shows_a_message(demo_copy, monkeypatch):
    path = demo_copy(RE_ID)
    monkeypatch.setenv("THIDUA_DB", str(path))
    monkeypatch.setattr(connection, "LOCK_WAIT_S", 0.3)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True);"
            " time.sleep(30)",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        at = run_app()
        text = shown(at)
        assert "đang được sử dụng" in text, text
        no_traceback(at)
    finally:
        holder.kill()
        holder.wait()


def test_full_disk_shows_a_message(demo_copy, monkeypatch):
    monkeypatch.setenv("THIDUA_DB", str(demo_copy(RE_ID)))

    def full(*args, **kwargs):
        raise duckdb.IOException('Could not write file "x": No space left on device')

    monkeypatch.setattr(connection.duckdb, "connect", full)
    at = run_app()
    assert any("ổ đĩa đầy" in e.value for e in at.error), shown(at)
    no_traceback(at)


def test_internal_error_shows_a_message_not_a_traceback(demo_copy, monkeypatch):
    monkeypatch.setenv("THIDUA_DB", str(demo_copy(RE_ID)))
    monkeypatch.delenv("THIDUA_RAISE_INTERNAL", raising=False)
    from analytics.views import overview

    def broken(*args, **kwargs):
        raise RuntimeError("/srv/secret/path: boom")

    for name in dir(overview):
        if not name.startswith("_") and callable(getattr(overview, name)):
            monkeypatch.setattr(overview, name, broken, raising=False)
    at = run_app()
    errors = [e.value for e in at.error]
    assert any("lỗi nội bộ" in e for e in errors), shown(at)
    assert "/srv/secret" not in shown(at)
    no_traceback(at)


def test_damaged_upload_shows_the_problem(demo_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("THIDUA_DB", str(demo_copy(RE_ID)))
    upload = tmp_path / "thidua-upload-x"
    upload.mkdir()
    book = upload / "du-lieu.xlsx"
    book.write_bytes(b"PK\x03\x04 not really a workbook")
    at = run_app(DATA_PAGE, state={"upload_path": str(book)})
    text = shown(at)
    assert "du-lieu.xlsx" in text or any("lỗi" in e.value for e in at.error), text
    no_traceback(at)
    shutil.rmtree(upload, ignore_errors=True)
    time.sleep(0)  # (nothing left behind by the page itself: it only read the file)
