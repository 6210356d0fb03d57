"""Roles and what each may write: the one table every write function checks.

viewer (leadership) reads every page and downloads; editor (the committee secretary) also
records the committee's work (judgments, votes, nominations, registrations, awards
granted); admin also imports data, restores backups and manages accounts. A write
function takes the acting user and calls ``require``, whatever the page shows.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from typing import Literal, get_args

from analytics.errors import PermissionDenied

Role = Literal["viewer", "editor", "admin"]
ROLES: tuple[Role, ...] = get_args(Role)
Action = Literal["read", "record_judgments", "import_data", "restore_backup", "manage_users"]

ALLOWED: dict[Role, frozenset[Action]] = {
    "viewer": frozenset({"read"}),
    "editor": frozenset({"read", "record_judgments"}),
    "admin": frozenset(
        {"read", "record_judgments", "import_data", "restore_backup", "manage_users"}
    ),
}
ROLE_LABELS: dict[Role, str] = {
    "viewer": "Xem (lãnh đạo)",
    "editor": "Biên tập (thư ký Hội đồng)",
    "admin": "Quản trị",
}
ACTION_LABELS: dict[Action, str] = {
    "read": "xem dữ liệu",
    "record_judgments": "ghi đánh giá, phiếu bầu, đề cử của Hội đồng",
    "import_data": "nhập dữ liệu",
    "restore_backup": "khôi phục bản sao lưu",
    "manage_users": "quản lý tài khoản",
}


@dataclass(frozen=True)
class Actor:
    """Who is acting: a login name (``cli:<name>`` on the command line) and a role."""

    login: str
    role: Role


# The visitor of a store in demo mode (the built-in demo data, no accounts): a named demo
# admin, announced by a banner on every page.
DEMO_ACTOR = Actor("demo", "admin")


def command_line_actor() -> Actor:
    """The command line acts as ``cli:<the machine's login name>`` with the admin role:
    whoever can run it can already write the store file."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without one)
        name = str(os.getuid()) if hasattr(os, "getuid") else "unknown"
    return Actor(f"cli:{name}", "admin")


def may(role: Role, action: Action) -> bool:
    return action in ALLOWED[role]


def require(actor: Actor, action: Action) -> None:
    """Refuse (PermissionDenied, nothing written) unless the actor's role allows ``action``."""
    if not may(actor.role, action):
        raise PermissionDenied(
            f"tài khoản {actor.login} ({ROLE_LABELS[actor.role]}) không được "
            f"{ACTION_LABELS[action]}"
        )
