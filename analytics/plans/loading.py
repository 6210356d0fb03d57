"""Loading a plan by id (``data/plans/<id>.toml``) or path, validated on load.

A plan file that cannot be used raises ``PlanError`` naming the file and every bad key.
"""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

from pydantic import ValidationError

from analytics.errors import PlanError
from analytics.plans.models import Plan

PLANS_DIR = Path(__file__).resolve().parent.parent.parent / "data" / "plans"
DEFAULT_PLAN_ID = "soc-trang-2021-2030"


def plan_path(plan_ref: str | Path) -> Path:
    """Resolve a plan id (``soc-trang-2021-2030``) or a file path to the TOML file."""
    p = Path(plan_ref)
    if p.suffix == ".toml" or p.exists():
        return p
    return PLANS_DIR / f"{plan_ref}.toml"


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def describe_validation(err: ValidationError) -> list[str]:
    """pydantic's errors as 'location: message' lines (an unknown key says 'typo?')."""
    lines = []
    for e in err.errors():
        loc = ".".join(str(x) for x in e["loc"]) or "(top level)"
        msg = e["msg"].removeprefix("Value error, ")
        if e["type"] == "extra_forbidden":
            msg = "unknown key (typo?)"
        lines.append(f"{loc}: {msg}")
    return lines


def load_plan(plan_ref: str | Path) -> Plan:
    """Load and validate a plan by id or path; raises PlanError with a clear message."""
    path = plan_path(plan_ref)
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in PLANS_DIR.glob("*.toml")))
        raise PlanError(f"plan {str(plan_ref)!r} not found (no file {path}); known plans: {known}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PlanError(f"plan file {path}: not valid TOML: {exc}") from exc
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        lines = "\n".join(f"  {line}" for line in describe_validation(exc))
        raise PlanError(f"plan file {path}: invalid\n{lines}") from exc


def list_plans() -> list[Plan]:
    """The plans shipped in data/plans, in file-name order."""
    return [load_plan(p) for p in sorted(PLANS_DIR.glob("*.toml"))]
