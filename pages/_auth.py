"""Who is using the dashboard, decided before any page draws.

- A store in **demo mode** (the built-in demo, flagged in the store; the first import of
  other data clears it): the visitor is the named demo admin, with a banner on every page.
- **Local accounts**: the sign-in form posts to the server's /dang-nhap route (server.py),
  which sets an HttpOnly session cookie; a reload keeps the session, which expires after
  the configured idle time. Without those routes (``streamlit run app.py``, the tests),
  the form signs in for this browser tab only (the session id kept in session state).
- **OpenID Connect** (``st.login``, when ``[auth]`` is configured in secrets.toml): the role
  comes from the admin's e-mail → role table; an unknown address gets no access.
The account is re-read at every store version (a disabled account or a changed role takes
effect at once); the checks of what a role may write are in ``analytics``.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

import streamlit as st
from streamlit import config

from analytics.access import DEMO_ACTOR, ROLE_LABELS, Actor
from analytics.errors import SignInFailed
from analytics.plans.loading import DEFAULT_PLAN_ID
from analytics.sessions import COOKIE, SESSIONS
from analytics.store import accounts
from analytics.store.connection import default_db_path, open_store, store_ref
from analytics.store.meta import StoreRef, get_meta

ROUTES_FLAG = "THIDUA_SIGN_IN_ROUTES"
TAB_SESSION = "thidua_session"  # the session id when there is no cookie route
DEMO_BANNER = (
    "🧪 **Chế độ trình diễn** — bạn đang dùng tài khoản quản trị mẫu **demo** trên dữ liệu "
    "mẫu; mọi thao tác đều được phép. Khi nhập dữ liệu thật, chế độ này tắt và cần đăng nhập."
)


def base_path() -> str:
    bp = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{bp}" if bp else ""


def mark_routes_mounted() -> None:
    """Called by server.py: the cookie routes exist in this process."""
    os.environ[ROUTES_FLAG] = "1"


def auth_store_path() -> Path:
    """The store whose accounts sign people in: ``THIDUA_DB``, else the default plan's."""
    return default_db_path(DEFAULT_PLAN_ID)


@st.cache_data(show_spinner=False)
def _store_state(ref: StoreRef) -> tuple[bool, dict[str, tuple[str, bool]], dict[str, str]]:
    """(demo mode, login -> (role, disabled), e-mail -> role) of a store version."""
    if not ref.exists:
        return False, {}, {}
    with open_store(ref.path, read_only=True) as con:
        demo = get_meta(con, "demo_mode") == "1"
        people = {a.login: (a.role, a.disabled) for a in accounts.accounts(con)}
        emails = dict(accounts.email_roles(con))
    return demo, people, emails


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 (no secrets.toml at all)
        return False


def _cookie() -> str | None:
    """The session cookie the browser sent with this session's connection, if any."""
    value = st.context.cookies.get(COOKIE)
    return value if isinstance(value, str) and value else None  # (AppTest: a mock)


def current_actor() -> Actor | None:
    """The signed-in actor, or None (draws nothing)."""
    ref = store_ref(auth_store_path())
    demo, people, emails = _store_state(ref)
    if demo:
        return DEMO_ACTOR
    if _oidc_configured() and st.user.is_logged_in:
        email = str(st.user.get("email") or "").lower()
        if SESSIONS.idle_since(f"oidc:{email}"):  # st.login's cookie itself lives 30 days
            st.session_state["auth_notice"] = SESSIONS.expired_text()
            st.logout()
            return None
        role = emails.get(email)
        return Actor(email, role) if role else None  # type: ignore[arg-type]
    sid = _cookie() or st.session_state.get(TAB_SESSION)
    found = SESSIONS.look_up(sid)
    if found.expired:
        st.session_state["auth_notice"] = SESSIONS.expired_text()
        st.session_state.pop(TAB_SESSION, None)
    actor = found.actor
    if actor is None:
        return None
    state = people.get(actor.login)
    if state is None or state[1]:  # removed or disabled since: signed out at once
        SESSIONS.close(sid)
        st.session_state.pop(TAB_SESSION, None)
        return None
    return Actor(actor.login, state[0])  # type: ignore[arg-type]


def gate() -> Actor:
    """The actor of this run; without one, the sign-in screen is drawn and the run stops."""
    actor = current_actor()
    if actor is not None:
        return actor
    _sign_in_screen()
    st.stop()
    raise AssertionError  # st.stop() does not return


def _sign_in_screen() -> None:
    st.title("🔐 Đăng nhập")
    st.caption("Thi đua CCHC — Ban Chỉ đạo CCHC / Sở Nội vụ")
    notice = SESSIONS.take_notice(st.query_params.get("thong_bao")) or st.session_state.pop(
        "auth_notice", None
    )
    if notice:
        st.warning(notice)
    ref = store_ref(auth_store_path())
    if not _store_state(ref)[1] and not (_oidc_configured() and _store_state(ref)[2]):
        st.info(
            "Kho dữ liệu chưa có tài khoản nào (chế độ trình diễn đã tắt khi nhập dữ liệu "
            "thật, hoặc kho mới tạo). Quản trị viên tạo tài khoản đầu tiên trên máy chủ:  \n"
            f"`python -m analytics users add TÊN --role admin --db {ref.path}`"
        )
    if _oidc_configured():
        if st.user.is_logged_in:
            st.error(
                f"Địa chỉ thư {st.user.get('email')} chưa được quản trị cấp quyền; hãy liên hệ "
                "quản trị (lệnh users email-role)."
            )
            if st.button("Đăng xuất"):
                st.logout()
        elif st.button("Đăng nhập bằng tài khoản của cơ quan (OpenID Connect)"):
            st.login()
        st.divider()
    if os.environ.get(ROUTES_FLAG):
        # a plain HTML form posting to the server's route: the session cookie is HttpOnly
        st.html(
            f"""<form method="post" action="{html.escape(base_path())}/dang-nhap"
            style="display:flex;flex-direction:column;gap:.6rem;max-width:22rem">
            <label>Tên đăng nhập<br><input name="ten_dang_nhap" autocomplete="username"
              required style="width:100%;padding:.4rem"></label>
            <label>Mật khẩu<br><input name="mat_khau" type="password"
              autocomplete="current-password" required style="width:100%;padding:.4rem"></label>
            <button type="submit" style="padding:.5rem;max-width:10rem">Đăng nhập</button>
            </form>"""
        )
        return
    with st.form("dang_nhap"):
        login = st.text_input("Tên đăng nhập", autocomplete="username", key="sign_in_login")
        password = st.text_input(
            "Mật khẩu", type="password", autocomplete="current-password", key="sign_in_password"
        )
        if st.form_submit_button("Đăng nhập"):
            try:
                actor = accounts.sign_in(auth_store_path(), login, password)
            except SignInFailed as exc:
                st.error(str(exc))
                return
            st.session_state[TAB_SESSION] = SESSIONS.open(actor)
            st.rerun()


def identity_box(actor: Actor) -> None:
    """In the sidebar: who is signed in, with which role, and the way out."""
    if actor == DEMO_ACTOR:
        return
    st.caption(f"👤 **{actor.login}** — {ROLE_LABELS[actor.role]}")
    if os.environ.get(ROUTES_FLAG) and _cookie():
        st.html(
            f'<form method="post" action="{html.escape(base_path())}/dang-xuat">'
            '<button type="submit">Đăng xuất</button></form>'
        )
    elif _oidc_configured() and st.user.is_logged_in:
        if st.button("Đăng xuất", key="dang_xuat"):
            st.logout()
    elif st.button("Đăng xuất", key="dang_xuat"):
        SESSIONS.close(st.session_state.pop(TAB_SESSION, None))
        st.rerun()


def demo_banner(actor: Actor) -> None:
    if actor == DEMO_ACTOR:
        st.info(DEMO_BANNER)
