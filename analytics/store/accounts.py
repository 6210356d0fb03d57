"""Local accounts: login names, roles, argon2 password hashes, lock-out after failures.

Accounts live in the store (table ``accounts``), so a backup carries them. Passwords are
hashed with argon2id (``argon2-cffi``); a hash never leaves this module. After
``MAX_FAILURES`` wrong passwords in a row an account is locked for ``LOCKOUT_MINUTES``
(``THIDUA_MAX_FAILURES``, ``THIDUA_LOCKOUT_MINUTES``); an admin can unlock it sooner.
Every change of an account is audited (who, when, which field; never the password).
The e-mail → role table of OpenID Connect sign-in (``email_roles``) is kept here too.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from analytics.access import ROLES, Actor, Role, require
from analytics.clock import now
from analytics.errors import SignInFailed, UsageError
from analytics.store.audit_trail import Entry, record_save
from analytics.store.connection import open_store
from analytics.store.meta import bump_version

Connection = duckdb.DuckDBPyConnection
MAX_FAILURES = int(os.environ.get("THIDUA_MAX_FAILURES", "5"))
LOCKOUT_MINUTES = int(os.environ.get("THIDUA_LOCKOUT_MINUTES", "15"))
MIN_PASSWORD_CHARS = 8
LOGIN_RE = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_HASHER = PasswordHasher()
WRONG = "tên đăng nhập hoặc mật khẩu không đúng"


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the name is unknown, so that the answer takes as long as for
    a known name (the time must not tell which names exist). Made at the first sign-in,
    not when the module loads: every CLI call imports it (~0,2 s of argon2)."""
    return _HASHER.hash("không có tài khoản này")


@dataclass(frozen=True)
class Account:
    login: str
    role: Role
    disabled: bool
    failed_attempts: int
    locked_until: dt.datetime | None
    created_at: dt.datetime
    changed_at: dt.datetime


def check_role(role: str) -> Role:
    if role not in ROLES:
        raise UsageError(f"vai trò {role!r} không có; dùng: {', '.join(ROLES)}")
    return role


def check_login(login: str) -> str:
    if not LOGIN_RE.fullmatch(login):
        raise UsageError(
            f"tên đăng nhập {login!r} không hợp lệ: 2–64 ký tự, chữ thường không dấu, số, "
            "dấu chấm, gạch ngang hoặc gạch dưới, bắt đầu bằng chữ hoặc số"
        )
    return login


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_CHARS:
        raise UsageError(f"mật khẩu phải có ít nhất {MIN_PASSWORD_CHARS} ký tự")
    if len(password) > 1024:
        raise UsageError("mật khẩu quá dài (tối đa 1 024 ký tự)")
    if any(ord(c) < 32 for c in password):
        raise UsageError("mật khẩu chứa ký tự điều khiển không hợp lệ")
    return password


def accounts(con: Connection) -> list[Account]:
    """Every account, by login name (hashes left out)."""
    return [
        Account(*r)
        for r in con.execute(
            "SELECT login, role, disabled, failed_attempts, locked_until, created_at, "
            "changed_at FROM accounts ORDER BY login"
        ).fetchall()
    ]


def find_account(con: Connection, login: str) -> Account | None:
    return next((a for a in accounts(con) if a.login == login), None)


def _existing(con: Connection, login: str) -> Account:
    account = find_account(con, login)
    if account is None:
        raise UsageError(f"không có tài khoản {login!r}")
    return account


def _audited(
    con: Connection, actor: Actor, login: str, changes: dict[str, tuple[str, str]]
) -> None:
    record_save(
        con,
        actor=actor.login,
        action="accounts",
        review=None,
        note="quản lý tài khoản",
        entries=[
            Entry("accounts", None, login, field, old, new) for field, (old, new) in changes.items()
        ],
    )
    bump_version(con)  # a signed-in session re-reads its account at the new version


def _in_transaction(con: Connection, work: Callable[[], None]) -> None:
    con.execute("BEGIN TRANSACTION")
    try:
        work()
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def add_account(con: Connection, actor: Actor, login: str, role: str, password: str) -> None:
    """A new account (admin only); refused if the name exists."""
    require(actor, "manage_users")
    check_login(login)
    r = check_role(role)
    check_password(password)
    if find_account(con, login) is not None:
        raise UsageError(f"tài khoản {login!r} đã có")
    at = now()

    def work() -> None:
        con.execute(
            "INSERT INTO accounts VALUES ($l, $r, $h, false, 0, NULL, $at, $at)",
            {"l": login, "r": r, "h": _HASHER.hash(password), "at": at},
        )
        _audited(con, actor, login, {"role": ("", r), "password": ("", "(đặt mới)")})

    _in_transaction(con, work)


def set_role(con: Connection, actor: Actor, login: str, role: str) -> None:
    require(actor, "manage_users")
    r = check_role(role)
    old = _existing(con, login)

    def work() -> None:
        con.execute(
            "UPDATE accounts SET role = $r, changed_at = $at WHERE login = $l",
            {"r": r, "at": now(), "l": login},
        )
        _audited(con, actor, login, {"role": (old.role, r)})

    _in_transaction(con, work)


def set_password(con: Connection, actor: Actor, login: str, password: str) -> None:
    """A new password (admin only); also clears the lock-out."""
    require(actor, "manage_users")
    _existing(con, login)
    check_password(password)

    def work() -> None:
        con.execute(
            "UPDATE accounts SET password_hash = $h, failed_attempts = 0, locked_until = NULL, "
            "changed_at = $at WHERE login = $l",
            {"h": _HASHER.hash(password), "at": now(), "l": login},
        )
        _audited(con, actor, login, {"password": ("(cũ)", "(đặt mới)")})

    _in_transaction(con, work)


def set_disabled(con: Connection, actor: Actor, login: str, disabled: bool = True) -> None:
    require(actor, "manage_users")
    old = _existing(con, login)

    def work() -> None:
        con.execute(
            "UPDATE accounts SET disabled = $d, changed_at = $at WHERE login = $l",
            {"d": disabled, "at": now(), "l": login},
        )
        _audited(con, actor, login, {"disabled": (str(old.disabled), str(disabled))})

    _in_transaction(con, work)


def unlock(con: Connection, actor: Actor, login: str) -> None:
    """Clear a lock-out after failed passwords (admin only)."""
    require(actor, "manage_users")
    old = _existing(con, login)

    def work() -> None:
        con.execute(
            "UPDATE accounts SET failed_attempts = 0, locked_until = NULL, changed_at = $at "
            "WHERE login = $l",
            {"at": now(), "l": login},
        )
        _audited(con, actor, login, {"failed_attempts": (str(old.failed_attempts), "0")})

    _in_transaction(con, work)


def sign_in(store_path: Path | str, login: str, password: str) -> Actor:
    """The actor of a correct name and password; SignInFailed otherwise. Read on a
    read-only connection; the store is opened writable only to count a wrong password
    towards the lock-out (or to clear the count after a right one)."""
    name = login.strip().lower()
    if not Path(store_path).exists():
        _verify(_dummy_hash(), password)
        raise SignInFailed(f"{WRONG} (kho dữ liệu chưa có tài khoản nào)")
    with open_store(store_path, read_only=True) as con:
        row = next(
            iter(
                con.execute(
                    "SELECT role, password_hash, disabled, failed_attempts, locked_until "
                    "FROM accounts WHERE login = $l",
                    {"l": name},
                ).fetchall()
            ),
            None,
        )
    if row is None:
        _verify(_dummy_hash(), password)
        raise SignInFailed(WRONG)
    role, hashed, disabled, failures, locked_until = row
    at = now()
    if disabled:
        raise SignInFailed("tài khoản này đã bị vô hiệu hoá; hãy liên hệ quản trị")
    if locked_until is not None and locked_until > at:
        raise SignInFailed(
            f"tài khoản tạm khoá đến {locked_until:%H:%M} ngày {locked_until:%d/%m/%Y} do nhập "
            f"sai mật khẩu {MAX_FAILURES} lần; hãy thử lại sau hoặc liên hệ quản trị"
        )
    if not _verify(hashed, password):
        failures = (0 if locked_until is not None else failures) + 1
        lock = at + dt.timedelta(minutes=LOCKOUT_MINUTES) if failures >= MAX_FAILURES else None
        with open_store(store_path) as con:
            con.execute(
                "UPDATE accounts SET failed_attempts = $f, locked_until = $u WHERE login = $l",
                {"f": failures, "u": lock, "l": name},
            )
        if lock is not None:
            raise SignInFailed(
                f"{WRONG}; tài khoản tạm khoá {LOCKOUT_MINUTES} phút sau {MAX_FAILURES} lần sai"
            )
        raise SignInFailed(f"{WRONG} (còn {MAX_FAILURES - failures} lần thử trước khi bị khoá)")
    rehash = _HASHER.check_needs_rehash(hashed)
    if failures or locked_until is not None or rehash:
        with open_store(store_path) as con:
            con.execute(
                "UPDATE accounts SET failed_attempts = 0, locked_until = NULL, password_hash = $h "
                "WHERE login = $l",
                {"h": _HASHER.hash(password) if rehash else hashed, "l": name},
            )
    return Actor(name, check_role(role))


def _verify(hashed: str | None, password: str) -> bool:
    if not hashed:
        return False
    try:
        return bool(_HASHER.verify(hashed, password))
    except (VerificationError, InvalidHashError):
        return False


# --- OpenID Connect: the role of a signed-in e-mail ---------------------------------------


def email_roles(con: Connection) -> list[tuple[str, Role]]:
    return [
        (r[0], r[1])
        for r in con.execute("SELECT email, role FROM email_roles ORDER BY 1").fetchall()
    ]


def set_email_role(con: Connection, actor: Actor, email: str, role: str | None) -> None:
    """Give an e-mail address a role (None removes it); admin only, audited."""
    require(actor, "manage_users")
    address = email.strip().lower()
    if not EMAIL_RE.fullmatch(address):
        raise UsageError(f"địa chỉ thư {email!r} không hợp lệ")
    r = check_role(role) if role is not None else None
    old = dict(email_roles(con)).get(address)

    def work() -> None:
        con.execute("DELETE FROM email_roles WHERE email = $e", {"e": address})
        if r is not None:
            con.execute("INSERT INTO email_roles VALUES ($e, $r)", {"e": address, "r": r})
        _audited(con, actor, address, {"email_role": (old or "", r or "")})

    _in_transaction(con, work)


def role_of_email(con: Connection, email: str | None) -> Role | None:
    """The role the admin gave an e-mail address (None: no access)."""
    if not email:
        return None
    rows = con.execute(
        "SELECT role FROM email_roles WHERE email = $e", {"e": email.strip().lower()}
    ).fetchall()
    return rows[0][0] if rows else None
