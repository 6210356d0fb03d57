"""Signed-in sessions of the dashboard: a random id per sign-in, kept in this process, that
expires after a configured idle time.

The browser holds only the id, in an HttpOnly cookie set by the server's sign-in route
(page scripts cannot read it); the actor it stands for stays on the server. A session
unused for ``IDLE_MINUTES`` (``THIDUA_IDLE_MINUTES``, default 30) is expired at its next
use; a restart of the server signs everybody out. Pure Python: no streamlit, no store.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from analytics.access import Actor

IDLE_MINUTES = float(os.environ.get("THIDUA_IDLE_MINUTES", "30"))
COOKIE = "thidua_phien"
EXPIRED = "phiên làm việc đã hết hạn sau {m} phút không hoạt động; hãy đăng nhập lại"


@dataclass
class _Session:
    actor: Actor
    last_seen: float


@dataclass(frozen=True)
class Lookup:
    """What a session id stands for now: an actor, or why not (``expired`` is shown)."""

    actor: Actor | None
    expired: bool = False


class SessionTable:
    """Sessions by id, and short-lived notices (a sign-in's failure) for the page to show."""

    def __init__(
        self, idle_minutes: float = IDLE_MINUTES, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.idle_s = idle_minutes * 60
        self._clock = clock
        self._lock = threading.Lock()
        self._sessions: dict[str, _Session] = {}
        self._notices: dict[str, tuple[str, float]] = {}
        self._seen: dict[str, float] = {}

    def open(self, actor: Actor) -> str:
        """A new session for ``actor``; its id (to put in the cookie)."""
        sid = secrets.token_urlsafe(32)
        with self._lock:
            self._sessions[sid] = _Session(actor, self._clock())
        return sid

    def look_up(self, sid: str | None) -> Lookup:
        """The session's actor, and the session touched; an idle one is closed (expired)."""
        if not sid:
            return Lookup(None)
        with self._lock:
            s = self._sessions.get(sid)
            if s is None:
                return Lookup(None)
            now = self._clock()
            if now - s.last_seen > self.idle_s:
                del self._sessions[sid]
                return Lookup(None, expired=True)
            s.last_seen = now
            return Lookup(s.actor)

    def close(self, sid: str | None) -> None:
        with self._lock:
            self._sessions.pop(sid or "", None)

    def notice(self, text: str) -> str:
        """Keep a message for the next page (a failed sign-in); its id, valid one minute."""
        nid = secrets.token_urlsafe(12)
        with self._lock:
            now = self._clock()
            self._notices = {k: v for k, v in self._notices.items() if now - v[1] < 60}
            self._notices[nid] = (text, now)
        return nid

    def take_notice(self, nid: str | None) -> str | None:
        with self._lock:
            item = self._notices.pop(nid or "", None)
        return item[0] if item and self._clock() - item[1] < 60 else None

    def idle_since(self, identity: str) -> bool:
        """Touch an identity signed in elsewhere (OpenID Connect: st.login's own cookie);
        True when it had been idle longer than the limit (then forgotten)."""
        with self._lock:
            now = self._clock()
            last = self._seen.get(identity)
            if last is not None and now - last > self.idle_s:
                del self._seen[identity]
                return True
            self._seen[identity] = now
            return False

    def expired_text(self) -> str:
        return EXPIRED.format(m=f"{self.idle_s / 60:g}")


# The process's sessions: the sign-in routes and the page scripts run in one process.
SESSIONS = SessionTable()
