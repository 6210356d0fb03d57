"""Loading a plan by id (``data/plans/<id>.toml``) or path, validated on load.

A plan file that cannot be used raises ``PlanError`` naming the file and every bad key.
A plan may ``extends = "<plan id>"`` another (rules.md §12): the file holds only what it
changes; tables replace the base's table of the same name (``criteria_sets`` by set name),
arrays of tables merge by their key (a listed item replaces the base's item with that key,
a new key is appended; an award listed again keeps the base's fields it does not give and
merges its categories by id). Only one level: the base may not itself extend.
"""

from __future__ import annotations

import copy
import hashlib
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from analytics.errors import PlanError
from analytics.plans.models import Plan

PLANS_DIR = Path(__file__).resolve().parent.parent.parent / "data" / "plans"
DEFAULT_PLAN_ID = "soc-trang-2025-reorg"  # rules.md §12: the plan as it happened


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


# Arrays of tables merged by key when a plan extends another.
KEYED_ARRAYS: dict[str, str] = {
    "documents": "id",
    "blocks": "code",
    "reviews": "id",
    "awards": "id",
    "satisfaction_thresholds": "until_year",
    "forms": "code",
    "titles": "code",
    "unit_components": "code",
}


def _read(path: Path, plan_ref: str | Path) -> dict[str, Any]:
    """A plan file's TOML (a deep copy of the parse kept for the file's content)."""
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in PLANS_DIR.glob("*.toml")))
        raise PlanError(f"plan {str(plan_ref)!r} not found (no file {path}); known plans: {known}")
    raw = path.read_bytes()
    key = (str(path.resolve()), hashlib.sha256(raw).hexdigest())
    if key not in _PARSED:
        try:
            parsed = tomllib.loads(raw.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise PlanError(f"plan file {path}: not valid TOML: {exc}") from exc
        if len(_PARSED) >= 64:
            _PARSED.clear()
        _PARSED[key] = parsed
    return copy.deepcopy(_PARSED[key])  # callers merge into it


_PARSED: dict[tuple[str, str], dict[str, Any]] = {}


def _merge_keyed(base: list[Any], changes: list[Any], key: str, where: str) -> list[Any]:
    out = list(base)
    for item in changes:
        if not isinstance(item, dict) or key not in item:
            raise PlanError(f"{where}: every item needs its {key!r} to merge with the base plan")
        at = next(
            (i for i, b in enumerate(out) if isinstance(b, dict) and b.get(key) == item[key]), None
        )
        if at is None:
            out.append(item)
        elif where == "awards":  # an award listed again: its fields, categories by id
            merged = {**out[at], **{k: v for k, v in item.items() if k != "categories"}}
            merged["categories"] = _merge_keyed(
                out[at].get("categories", []), item.get("categories", []), "id", "categories"
            )
            out[at] = merged
        else:
            out[at] = item
    return out


def merge_plans(base: dict[str, Any], amendment: dict[str, Any]) -> dict[str, Any]:
    """The base plan's data with the amendment's changes applied (rules.md §12)."""
    out = dict(base)
    for name, value in amendment.items():
        if name in KEYED_ARRAYS and isinstance(value, list):
            out[name] = _merge_keyed(base.get(name, []), value, KEYED_ARRAYS[name], name)
        elif name == "criteria_sets" and isinstance(value, dict):
            out[name] = {**base.get(name, {}), **value}
        else:
            out[name] = value
    return out


def plan_data(plan_ref: str | Path) -> tuple[dict[str, Any], list[Path]]:
    """A plan file's data, merged with its base when it extends one, and the files read."""
    path = plan_path(plan_ref)
    data = _read(path, plan_ref)
    base_id = data.get("extends")
    if base_id is None:
        return data, [path]
    if not isinstance(base_id, str):
        raise PlanError(f"plan file {path}: extends must name a plan id")
    base_path = plan_path(base_id) if not Path(base_id).suffix else Path(base_id)
    if not base_path.exists():
        base_path = path.parent / f"{base_id}.toml"
    if not base_path.exists():
        raise PlanError(
            f"plan file {path}: extends unknown plan {base_id!r} (no file {base_path.name})"
        )
    base = _read(base_path, base_id)
    if "extends" in base:
        raise PlanError(
            f"plan file {path}: extends {base_id}, which itself extends {base['extends']}; "
            "an amendment must extend a plan that extends nothing"
        )
    if data.get("id") == base.get("id"):
        raise PlanError(f"plan file {path}: an amendment needs its own id (not {base_id})")
    return merge_plans(base, data), [path, base_path]


def load_plan(plan_ref: str | Path) -> Plan:
    """Load and validate a plan by id or path; raises PlanError with a clear message.

    The validated plan (frozen) is reused for the same content of its files: an import or
    a page asks for it several times."""
    data, files = plan_data(plan_ref)
    signature = tuple((str(f.resolve()), hashlib.sha256(f.read_bytes()).hexdigest()) for f in files)
    cached = _VALIDATED.get(signature)
    if cached is not None:
        return cached
    plan = _validated(data, files)
    if len(_VALIDATED) >= 64:
        _VALIDATED.clear()
    _VALIDATED[signature] = plan
    return plan


_VALIDATED: dict[tuple[tuple[str, str], ...], Plan] = {}


def _validated(data: dict[str, Any], files: list[Path]) -> Plan:
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        lines = "\n".join(f"  {line}" for line in describe_validation(exc))
        names = " (extending " + files[1].name + ")" if len(files) > 1 else ""
        raise PlanError(f"plan file {files[0]}{names}: invalid\n{lines}") from exc


def plan_files(plan_ref: str | Path) -> list[Path]:
    """The files a plan is read from: its own, then its base's (when it extends one)."""
    return plan_data(plan_ref)[1]


def plans_sha256(plan_ref: str | Path) -> str:
    """One hash of every file a plan is read from (its own and its base's)."""
    digest = hashlib.sha256()
    for f in plan_files(plan_ref):
        digest.update(f.read_bytes())
    return digest.hexdigest()


def list_plans() -> list[Plan]:
    """The plans shipped in data/plans, in file-name order."""
    return [load_plan(p) for p in sorted(PLANS_DIR.glob("*.toml"))]
