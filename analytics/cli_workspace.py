"""The committee's workspace on the command line: ``users``, ``audit``, ``backup``,
``restore``. The command line acts as ``cli:<login name>`` with the admin role.

Passwords are read from standard input — twice, as a prompt asks (a terminal gets a hidden
prompt) — never from an argument, which other users of the machine could see.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from analytics import fmt
from analytics.access import ROLE_LABELS, ROLES, command_line_actor
from analytics.errors import EXIT_OK, UsageError
from analytics.exports.csv_files import neutralise
from analytics.store import accounts as acc
from analytics.store.audit_trail import AUDIT_COLUMNS, audit_rows
from analytics.store.backup import backup, restore
from analytics.store.connection import open_store


def read_password(prompt: str = "Mật khẩu: ") -> str:
    """A new password, typed twice: a hidden prompt on a terminal, else two lines of stdin."""
    if sys.stdin.isatty():
        first, second = getpass.getpass(prompt), getpass.getpass("Nhập lại mật khẩu: ")
    else:
        first, second = sys.stdin.readline().rstrip("\r\n"), sys.stdin.readline().rstrip("\r\n")
    if not first:
        raise UsageError("chưa nhập mật khẩu (đọc từ đầu vào chuẩn: hai dòng giống nhau)")
    if first != second:
        raise UsageError("hai lần nhập mật khẩu không giống nhau; không thay đổi gì")
    return first


def _store(args: argparse.Namespace) -> Path:
    path = Path(args.db)
    if not path.exists():
        raise UsageError(f"không có kho dữ liệu {path}; hãy nhập dữ liệu trước")
    return path


def cmd_users(args: argparse.Namespace) -> int:
    # the first account of a new deployment may come before any data: `add` creates the store
    path = Path(args.db) if args.action == "add" else _store(args)
    actor = command_line_actor()
    action: str = args.action
    if action == "list":
        with open_store(path, read_only=True) as con:
            rows = acc.accounts(con)
            emails = acc.email_roles(con)
        if not rows and not emails:
            print("Chưa có tài khoản nào.")
        for a in rows:
            state = "vô hiệu hoá" if a.disabled else ("tạm khoá" if a.locked_until else "hoạt động")
            print(f"{a.login:<24}{a.role:<8}{ROLE_LABELS[a.role]:<28}{state}")
        for email, role in emails:
            print(f"{email:<24}{role:<8}{ROLE_LABELS[role]:<28}đăng nhập OpenID Connect")
        return EXIT_OK
    if action in ("add", "set-role", "email-role") and not args.role:
        raise UsageError(f"users {action} cần --role ({', '.join(ROLES)})")
    if action in ("add", "set-role"):
        acc.check_role(args.role)
    password = read_password() if action in ("add", "set-password") else ""
    work: dict[str, Callable[..., None]] = {
        "add": lambda con: acc.add_account(con, actor, args.name, args.role, password),
        "set-role": lambda con: acc.set_role(con, actor, args.name, args.role),
        "set-password": lambda con: acc.set_password(con, actor, args.name, password),
        "disable": lambda con: acc.set_disabled(con, actor, args.name, True),
        "enable": lambda con: acc.set_disabled(con, actor, args.name, False),
        "unlock": lambda con: acc.unlock(con, actor, args.name),
        "email-role": lambda con: acc.set_email_role(
            con, actor, args.name, None if args.role == "none" else args.role
        ),
    }
    with open_store(path) as con:
        work[action](con)
    print(f"Đã thực hiện: users {action} {args.name}")
    return EXIT_OK


AUDIT_HEADERS = (
    "Lần lưu",
    "Thời điểm",
    "Người thực hiện",
    "Việc",
    "Đợt xét",
    "Ghi chú",
    "Hoàn tác lần lưu",
    "Bảng",
    "Đối tượng",
    "Trường",
    "Giá trị cũ",
    "Giá trị mới",
)


def cmd_audit(args: argparse.Namespace) -> int:
    path = _store(args)
    with open_store(path, read_only=True) as con:
        rows = audit_rows(con, review=args.review)
    if args.csv:
        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(AUDIT_COLUMNS)
        for r in rows:
            out.writerow(["" if v is None else neutralise(fmt_cell(v)) for v in r])
        return EXIT_OK
    if not rows:
        print("Nhật ký chưa có lần lưu nào" + (f" của đợt {args.review}" if args.review else "."))
    for r in rows:
        (save_id, at, who, action, review, note, undoes, table, subject, field, old, new) = r
        what = f"{table}/{subject}.{field}: {old or '—'} → {new or '—'}" if field else ""
        undo = f" (hoàn tác lần {undoes})" if undoes else ""
        print(f"#{save_id} {fmt_cell(at)} {who} {action}{undo} [{review or '—'}] {what} — {note}")
    return EXIT_OK


def fmt_cell(value: object) -> str:
    """A value of the audit as text; a time as dd/mm/yyyy HH:MM:SS (Vietnam time)."""
    if isinstance(value, dt.datetime):
        return f"{fmt.date(value)} {value:%H:%M:%S}"
    return str(value)


def cmd_backup(args: argparse.Namespace) -> int:
    counts = backup(_store(args), args.out)
    print(f"Đã sao lưu {args.db} vào {args.out}: {len(counts)} bảng, {sum(counts.values())} dòng")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    counts = restore(command_line_actor(), args.file, args.db)
    print(f"Đã khôi phục {args.db} từ {args.file}: {len(counts)} bảng, {sum(counts.values())} dòng")
    return EXIT_OK


USER_ACTIONS = (
    "add",
    "list",
    "set-role",
    "set-password",
    "disable",
    "enable",
    "unlock",
    "email-role",
)


def add_parsers(sub: Any) -> None:
    """The workspace's subcommands on the CLI's subparsers."""
    p = sub.add_parser(
        "users",
        help="quản lý tài khoản đăng nhập (mật khẩu đọc từ đầu vào chuẩn, hai lần)",
        description="add TÊN --role viewer|editor|admin; list; set-role TÊN --role R; "
        "set-password TÊN; disable TÊN; enable TÊN; unlock TÊN; email-role THƯ --role R|none "
        "(vai trò của một địa chỉ thư khi đăng nhập OpenID Connect).",
    )
    p.add_argument("action", choices=USER_ACTIONS)
    p.add_argument("name", nargs="?", default="", help="tên đăng nhập (email-role: địa chỉ thư)")
    p.add_argument("--role", help="viewer (xem), editor (biên tập), admin (quản trị); none")
    p.add_argument("--db", required=True, help="tệp kho dữ liệu")
    p.set_defaults(func=_needs_name(cmd_users))

    p = sub.add_parser("audit", help="nhật ký các lần ghi trên màn hình và quản lý tài khoản")
    p.add_argument("--db", required=True)
    p.add_argument("--review", help="chỉ một đợt xét")
    p.add_argument("--csv", action="store_true", help="in ra CSV (mã cột theo dữ liệu)")
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("backup", help="sao lưu kho dữ liệu (được khi ứng dụng đang chạy)")
    p.add_argument("--db", required=True)
    p.add_argument("--out", required=True, help="tệp sao lưu")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="khôi phục kho dữ liệu từ bản sao lưu (thay cả kho)")
    p.add_argument("file", help="tệp sao lưu")
    p.add_argument("--db", required=True)
    p.set_defaults(func=cmd_restore)


def _needs_name(fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        if args.action != "list" and not args.name:
            raise UsageError(f"users {args.action} cần tên đăng nhập")
        return fn(args)

    return run
