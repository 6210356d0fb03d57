"""The workspace on screen (AppTest): the demo mode and its banner, the sign-in screen with
its messages, what a viewer cannot see or do, the council page saving judgments with a note
(the shortlist and the audit following), an expired session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.access import Actor
from analytics.ingest.importer import run_import
from analytics.plans.loading import load_plan
from analytics.rules.shortlist import evaluate_review
from analytics.sessions import SESSIONS, SessionTable
from analytics.store import accounts as acc
from analytics.store.audit_trail import audit_rows
from analytics.store.connection import open_store
from analytics.views import council, privacy
from pages import _auth
from tests._datasets import RE_ID, ROOT, TEST_ADMIN

pytestmark = pytest.mark.real_sign_in
PASSWORD = "mat-khau-dai-1"
PAGES = sorted(p.name for p in (ROOT / "pages").glob("[0-9]_*.py"))


@pytest.fixture(scope="module")
def accounts_store(tmp_path_factory) -> Path:
    """The demo data imported as real data (no demo mode), with one account per role."""
    path = tmp_path_factory.mktemp("ws") / "store.duckdb"
    run_import(ROOT / "data" / "demo" / RE_ID, path, plan_ref=RE_ID, actor=TEST_ADMIN)
    with open_store(path) as con:
        for login, role in (("lanhdao", "viewer"), ("thuky", "editor"), ("quantri", "admin")):
            acc.add_account(con, TEST_ADMIN, login, role, PASSWORD)
    return path


@pytest.fixture
def store(accounts_store, tmp_path, monkeypatch, fresh_caches) -> Path:
    path = Path(shutil.copy(accounts_store, tmp_path / "store.duckdb"))
    monkeypatch.setenv("THIDUA_DB", str(path))
    monkeypatch.setenv("THIDUA_NO_DEMO", "1")
    monkeypatch.delenv(_auth.ROUTES_FLAG, raising=False)
    return path


def page(name: str, actor: Actor | None = None, state: dict | None = None) -> AppTest:
    """A page's first run through app.py (its navigation), as ``actor`` (None: nobody)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["plan_id"] = RE_ID
    if actor is not None:
        at.session_state[_auth.TAB_SESSION] = SESSIONS.open(actor)
    for k, v in (state or {}).items():
        at.session_state[k] = v
    at.switch_page(f"pages/{name}")
    at.run()
    assert not at.exception, at.exception
    return at


def direct(name: str, actor: Actor | None = None, state: dict | None = None) -> AppTest:
    """A page script run on its own (AppTest keys reruns to it: widgets keep their values)."""
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=60)
    at.session_state["plan_id"] = RE_ID
    if actor is not None:
        at.session_state[_auth.TAB_SESSION] = SESSIONS.open(actor)
    for k, v in (state or {}).items():
        at.session_state[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def text(at: AppTest) -> str:
    kinds = ("title", "error", "warning", "info", "markdown", "caption", "success")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


@pytest.mark.parametrize("name", PAGES)
def test_demo_mode_shows_the_banner_on_every_page(demo_copy, monkeypatch, fresh_caches, name):
    monkeypatch.setenv("THIDUA_DB", str(demo_copy(RE_ID)))
    at = page(name)
    assert "Chế độ trình diễn" in text(at) and "demo" in text(at)
    assert "Đăng nhập" not in [t.value for t in at.title]


@pytest.mark.parametrize("name", PAGES)
def test_a_store_with_accounts_needs_a_sign_in_on_every_page(store, name):
    at = page(name)
    assert [t.value for t in at.title] == ["🔐 Đăng nhập"]
    assert "Chế độ trình diễn" not in text(at)


def test_sign_in_messages_and_success(store, monkeypatch):
    monkeypatch.setattr(acc, "MAX_FAILURES", 2)
    at = direct("9_nhat_ky.py")

    def attempt(login: str, password: str) -> None:
        at.text_input(key="sign_in_login").set_value(login)
        at.text_input(key="sign_in_password").set_value(password)
        at.button[0].click()
        at.run()

    attempt("thuky", "sai-mat-khau")
    assert any("còn 1 lần" in e.value for e in at.error), text(at)
    attempt("khong-co", PASSWORD)
    assert any(e.value == acc.WRONG for e in at.error), text(at)
    attempt("thuky", "sai-mat-khau")
    assert any("tạm khoá" in e.value for e in at.error), text(at)
    attempt("thuky", PASSWORD)
    assert any("tạm khoá đến" in e.value for e in at.error)  # locked, even the right one
    attempt("quantri", PASSWORD)
    assert "🔐 Đăng nhập" not in [t.value for t in at.title]
    assert any("quantri" in c.value for c in at.sidebar.caption)


def test_disabled_account_is_signed_out_at_once(store):
    sid = SESSIONS.open(Actor("thuky", "editor"))
    at = AppTest.from_file(str(ROOT / "pages" / "9_nhat_ky.py"), default_timeout=60)
    at.session_state["plan_id"] = RE_ID
    at.session_state[_auth.TAB_SESSION] = sid
    at.run()
    assert "🔐 Đăng nhập" not in [t.value for t in at.title]
    with open_store(store) as con:
        acc.set_disabled(con, TEST_ADMIN, "thuky")
    at.run()
    assert [t.value for t in at.title] == ["🔐 Đăng nhập"]


def test_expired_session_says_so(store, monkeypatch):
    clock = [0.0]
    table = SessionTable(idle_minutes=30, clock=lambda: clock[0])
    monkeypatch.setattr(_auth, "SESSIONS", table)
    sid = table.open(Actor("thuky", "editor"))
    assert table.look_up(sid).actor is not None
    clock[0] += 31 * 60
    at = AppTest.from_file(str(ROOT / "pages" / "9_nhat_ky.py"), default_timeout=60)
    at.session_state["plan_id"] = RE_ID
    at.session_state[_auth.TAB_SESSION] = sid
    at.run()
    assert [t.value for t in at.title] == ["🔐 Đăng nhập"]
    assert any("hết hạn sau 30 phút" in w.value for w in at.warning), text(at)


def test_a_viewer_cannot_import_nor_record(store):
    viewer = Actor("lanhdao", "viewer")
    data = page("7_du_lieu.py", viewer)
    assert not data.get("file_uploader") and "Chỉ quản trị viên được nhập" in text(data)
    assert "Sao lưu kho dữ liệu dành cho quản trị viên" in text(data)
    assert not [b for b in data.get("download_button") if "sao lưu" in b.proto.label]
    admin = page("7_du_lieu.py", Actor("quantri", "admin"))
    assert [b for b in admin.get("download_button") if "sao lưu" in b.proto.label]
    council = page("8_hoi_dong.py", viewer)
    assert "dành cho thư ký" in text(council) and not council.get("arrow_data_editor")
    log = page("9_nhat_ky.py", viewer)
    assert "dành cho Hội đồng" in text(log)


def test_a_viewer_sees_that_a_person_is_excluded_not_why(store):
    plan = load_plan(RE_ID)
    with open_store(store, read_only=True) as con:
        table = evaluate_review(con, plan, "2023")
    people = [r for r in table.to_pylist() if r["subject_kind"] == "person"]
    hidden = [r for r in people if r["status"] in ("excluded", "deferred")]
    assert hidden, "the demo has a person excluded or deferred for discipline"
    redacted = privacy.redact_discipline(table).to_pylist()
    for before, after in zip(table.to_pylist(), redacted, strict=True):
        if before in hidden:
            assert "kỷ luật" not in after["reasons"] and "chỉ Hội đồng" in after["reasons"]
        else:
            assert after == before
    at = page("5_khen_thuong.py", Actor("lanhdao", "viewer"), {f"review_{RE_ID}": "2023"})
    shown = text(at) + "".join(str(df.value.to_dict()) for df in at.dataframe)
    assert not any(r["reasons"] in shown for r in hidden)


def test_an_editor_records_three_judgments_with_a_note(store):
    editor = Actor("thuky", "editor")
    review = "so-ket-2025"
    at = direct("8_hoi_dong.py", editor, {f"review_{RE_ID}": review})
    assert "Hội đồng xét" in text(at)
    at.multiselect(key="bulk_subjects_unit").set_value(["snv", "sct", "stc"])
    outstanding = next(
        c for c in council.columns(load_plan(RE_ID), "unit") if c.field == "outstanding"
    )
    at.selectbox(key="bulk_field_unit").set_value(outstanding)
    at.run()
    at.selectbox(key="bulk_v_unit").set_value("Không đạt")
    at.button(key="bulk_save").click()
    at.run()
    assert any("ghi căn cứ" in e.value for e in at.error), text(at)  # the note is required
    with open_store(store, read_only=True) as con:
        assert audit_rows(con, review=review) == []
    at.text_input(key="council_note").set_value("Biên bản họp ngày 12/03/2026")
    at.button(key="bulk_save").click()
    at.run()
    assert any("Đã lưu 3 giá trị" in s.value for s in at.success), text(at)
    with open_store(store, read_only=True) as con:
        rows = audit_rows(con, review=review)
        after = evaluate_review(con, load_plan(RE_ID), review).to_pylist()
    assert sorted(r[8] for r in rows) == ["sct", "snv", "stc"]
    assert {(r[2], r[9], r[10], r[11], r[5]) for r in rows} == {
        ("thuky", "outstanding", "có", "không", "Biên bản họp ngày 12/03/2026")
    }
    snv = next(
        r
        for r in after
        if (r["award"], r["category"], r["subject_id"]) == ("certificate", "so_nganh", "snv")
    )
    assert snv["status"] != "proposed"
    log = page("9_nhat_ky.py", editor, {"audit_review": review})
    assert "3 giá trị" in text(log)
    shown = log.dataframe[0].value
    assert sorted(shown["Đối tượng"]) == ["sct", "snv", "stc"]
    assert set(shown["Người thực hiện"]) == {"thuky"} and set(shown["Giá trị mới"]) == {"không"}
    # the unit's own history, on its profile
    profile = page("4_ho_so_don_vi.py", editor, {"profile_unit": "snv"})
    assert any(
        "Lịch sử ghi của Hội đồng về đơn vị này (1 giá trị)" in e.label for e in profile.expander
    )
    viewer = page("4_ho_so_don_vi.py", Actor("lanhdao", "viewer"), {"profile_unit": "snv"})
    assert not any("Lịch sử ghi" in e.label for e in viewer.expander)
    # an undo from the page puts the three values back and the unit is proposed again
    save_id = rows[0][0]
    at.selectbox(key="undo_pick").set_value(save_id)
    at.button(key="undo_save").click()
    at.run()
    assert any(f"Đã hoàn tác lần lưu số {save_id}" in s.value for s in at.success), text(at)
    with open_store(store, read_only=True) as con:
        again = evaluate_review(con, load_plan(RE_ID), review).to_pylist()
        assert len(audit_rows(con, review=review)) == 6
    assert (
        next(
            r
            for r in again
            if (r["award"], r["category"], r["subject_id"]) == ("certificate", "so_nganh", "snv")
        )["status"]
        == "proposed"
    )


def test_an_editor_records_an_award_granted(store):
    editor = Actor("thuky", "editor")
    at = direct("8_hoi_dong.py", editor, {f"review_{RE_ID}": "so-ket-2025"})
    assert any("Sổ khen thưởng" in h.value for h in at.subheader)
    at.text_input(key="council_note").set_value("Quyết định số 1234/QĐ-UBND")
    at.text_input(key="granted_no").set_value("1234/QĐ-UBND")
    at.text_input(key="granted_by").set_value("Chủ tịch UBND tỉnh")
    subject = at.selectbox(key="granted_subject").value
    next(b for b in at.button if "sổ khen thưởng" in b.label).click()
    at.run()
    assert any("Đã lưu" in s.value for s in at.success), text(at)
    with open_store(store, read_only=True) as con:
        rows = con.execute(
            "SELECT review, subject_id, decision_no, authority FROM awards_granted"
        ).fetchall()
    assert rows == [("so-ket-2025", subject, "1234/QĐ-UBND", "Chủ tịch UBND tỉnh")]
