"""The dashboard's server: Streamlit's ASGI app (``st.App``) running ``app.py``, plus the
local accounts' sign-in and sign-out routes, so that a sign-in survives a page reload
without any token readable by page scripts.

POST /dang-nhap checks the name and password (``analytics.store.accounts.sign_in``:
argon2, lock-out) and sets the session cookie — HttpOnly, SameSite=Strict, Secure over
https — holding only a random session id (``analytics.sessions``); POST /dang-xuat ends
the session. Both refuse a request from another origin (Streamlit applies no XSRF check
to routes of its own ASGI app). Start: ``streamlit run server.py`` (scripts/start.sh).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from analytics.errors import SignInFailed, ThiduaError
from analytics.sessions import COOKIE, SESSIONS
from analytics.store.accounts import sign_in
from analytics.store.connection import failure_message
from pages import _auth

BASE = _auth.base_path()
log = logging.getLogger("thidua.server")


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    return (
        bool(origin) and origin != "null" and urlsplit(origin).netloc == request.headers.get("host")
    )


def _back(notice: str | None = None) -> RedirectResponse:
    target = f"{BASE}/" + (f"?thong_bao={SESSIONS.notice(notice)}" if notice else "")
    return RedirectResponse(target, status_code=303)


async def sign_in_route(request: Request) -> Response:
    if not _same_origin(request):
        return PlainTextResponse("Yêu cầu đăng nhập từ trang khác bị từ chối", status_code=403)
    form = await request.form()
    login = str(form.get("ten_dang_nhap", ""))[:128]
    password = str(form.get("mat_khau", ""))[:1024]
    try:
        actor = await run_in_threadpool(sign_in, _auth.auth_store_path(), login, password)
    except SignInFailed as exc:
        return _back(str(exc))
    except ThiduaError as exc:  # the store busy or unusable: its message, nothing changed
        return _back(str(exc))
    except Exception:  # noqa: BLE001 (a visitor gets a message, the log the traceback)
        log.exception("sign-in failed")
        return _back(failure_message(RuntimeError())[1])
    response = _back()
    response.set_cookie(
        COOKIE,
        SESSIONS.open(actor),
        path=BASE or "/",
        httponly=True,
        samesite="strict",
        # behind a TLS proxy the scheme seen here may be http: THIDUA_SECURE_COOKIE=1 forces it
        secure=request.url.scheme == "https" or os.environ.get("THIDUA_SECURE_COOKIE") == "1",
    )
    return response


async def sign_out_route(request: Request) -> Response:
    if not _same_origin(request):
        return PlainTextResponse("Yêu cầu đăng xuất từ trang khác bị từ chối", status_code=403)
    SESSIONS.close(request.cookies.get(COOKIE))
    response = _back("Đã đăng xuất.")
    response.delete_cookie(COOKIE, path=BASE or "/", httponly=True, samesite="strict")
    return response


_auth.mark_routes_mounted()
app = st.App(
    str(Path(__file__).resolve().parent / "app.py"),
    routes=[
        Route(f"{BASE}/dang-nhap", sign_in_route, methods=["POST"]),
        Route(f"{BASE}/dang-xuat", sign_out_route, methods=["POST"]),
    ],
)
