"""Building tiny stores from Python rows, for rule tests that read like the rules.

v2 (rules.md §3, §6, §7, §8, §11): links between units (``link`` rows of the
``unit_links`` table), dissolved units (``Unit(ceased_on=...)``), a unit's discipline per
review (``Unit(review_discipline=...)``, ``unit_judgments.discipline``), baseline-year rows
(``Unit(ratios={2020: ...})``, ``baseline_sat``), people with a gender and nominations
with votes_for / council_members / is_nominated (``person``, ``nomination``),
publication dates (``dataset(publications=...)``) and plan variations (``plan_variant``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from analytics.ingest.importer import import_dataset
from analytics.plans.loading import load_plan
from analytics.plans.models import Plan
from analytics.rules.deadlines import decision_date
from analytics.rules.shortlist import evaluate_review, shortlist_sql
from analytics.store.binding import bind_plan
from analytics.store.connection import open_store
from analytics.store.contract import TABLES
from tests._datasets import TEST_ADMIN

YEARS_TO_2025 = range(2021, 2026)
YEARS_TO_2024 = range(2021, 2025)  # the assessed years of the amended plan (rules.md §12)
ST = "soc-trang-2021-2030"
REORG = "soc-trang-2025-reorg"
NQ = "nhu-quynh-2023"


def write_dataset(folder: Path, tables: dict[str, list[dict]]) -> Path:
    """Write contract CSV files (all columns of each table, blanks for missing keys)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        cols = TABLES[name].column_names
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(cols)
            for r in rows:
                unknown = set(r) - set(cols)
                assert not unknown, f"{name}: unknown columns {unknown}"
                w.writerow(["" if r.get(c) is None else r.get(c) for c in cols])
    return folder


def _plan(plan: str | Plan | None) -> Plan:
    plan = plan or ST
    return load_plan(plan) if isinstance(plan, str) else plan


def make_store(tmp_path: Path, tables: dict[str, list[dict]], plan: str | Plan = ST) -> Path:
    """A store bound to ``plan`` (a plan id, or a Plan: a what-if is bound by its id and
    its data checked against the what-if itself) holding ``tables``."""
    path = tmp_path / "store.duckdb"
    folder = write_dataset(tmp_path / "ds", tables)
    model = _plan(plan)
    with open_store(path) as con:
        bind_plan(con, plan if isinstance(plan, str) else model.id)
        if tables:
            import_dataset(con, folder, model, actor=TEST_ADMIN)
    return path


def shortlist(
    path: Path, review: str, plan: str | Plan | None = None, *, detail: bool = False
) -> list[dict]:
    plan = _plan(plan)
    with open_store(path, read_only=True) as con:
        return evaluate_review(con, plan, review, detail=detail).to_pylist()


def decided_on(path: Path, review: str, plan: str | Plan | None = None):
    """The review's decision date as the engine reads it (rules.md §8)."""
    plan = _plan(plan)
    with open_store(path, read_only=True) as con:
        return decision_date(con, plan, review)


def shortlist_csv(path: Path, review: str, plan: str | Plan | None = None) -> bytes:
    """The shortlist as the CLI writes it (the contract's CSV, BOM first)."""
    from analytics.exports.csv_files import copy_shortlist_csv

    plan = _plan(plan)
    out = io.BytesIO()
    with open_store(path, read_only=True) as con:
        review_ = plan.review(review)
        sql, params = shortlist_sql(plan, review_, decided_on=decision_date(con, plan, review_))
        copy_shortlist_csv(con, sql, params, out)
    return out.getvalue()


def csv_rows(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """(header, rows) of a CSV written with a BOM."""
    text = data.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def row(rows: list[dict], award: str, category: str, subject: str) -> dict:
    found = [
        r
        for r in rows
        if (r["award"], r["category"], r["subject_id"]) == (award, category, subject)
    ]
    assert len(found) == 1, f"{award}/{category}/{subject}: {len(found)} rows"
    return found[0]


def statuses(rows: list[dict], award: str, category: str) -> dict[str, str]:
    return {
        r["subject_id"]: r["status"]
        for r in rows
        if (r["award"], r["category"]) == (award, category)
    }


def ranked(rows: list[dict], award: str, category: str) -> list[tuple[str, str, int | None]]:
    """(subject, status, rank) of a category, in the shortlist's order."""
    return [
        (r["subject_id"], r["status"], r["rank"])
        for r in rows
        if (r["award"], r["category"]) == (award, category)
    ]


def crit(r: dict, key: str) -> dict:
    """One criterion of a detail row (``shortlist(..., detail=True)``)."""
    found = [c for c in r["criteria"] if c["key"] == key]
    assert len(found) == 1, f"no criterion {key} in {[c['key'] for c in r['criteria']]}"
    return found[0]


def plan_variant(plan_id: str, change: Callable[[dict[str, Any]], None]) -> Plan:
    """A what-if: the shipped plan's data, changed in place by ``change``, validated again."""
    plan = load_plan(plan_id)
    data = plan.model_dump()
    change(data)
    return type(plan).model_validate(data)


def review_of(data: dict[str, Any], review_id: str) -> dict[str, Any]:
    """The review ``review_id`` in a plan's dumped data (for ``plan_variant``)."""
    return next(r for r in data["reviews"] if r["id"] == review_id)


def category_of(data: dict[str, Any], award_id: str, category_id: str) -> dict[str, Any]:
    award = next(a for a in data["awards"] if a["id"] == award_id)
    return next(c for c in award["categories"] if c["id"] == category_id)


def link(
    from_id: str,
    to_id: str,
    kind: str,
    effective_on: str,
    primary: bool | None = None,
    note: str | None = None,
) -> dict:
    """A ``unit_links`` row (rules.md §11): ``from_id`` became, or went into, ``to_id``."""
    return {
        "from_unit_id": from_id,
        "to_unit_id": to_id,
        "kind": kind,
        "effective_on": effective_on,
        "is_primary": None if primary is None else ("true" if primary else "false"),
        "note": note,
    }


def person(
    person_id: str,
    unit_id: str | None = None,
    *,
    advised: str | None = None,
    gender: str | None = None,
    name: str | None = None,
) -> dict:
    """A ``people`` row."""
    return {
        "person_id": person_id,
        "full_name": name or f"Người {person_id}",
        "unit_id": unit_id,
        "advised_components": advised,
        "gender": gender,
    }


GOOD_PERSON = {
    "outstanding": "x",
    "has_initiative": "x",
    "initiative_recognized": "x",
    "good_conduct": "x",
}


def nomination(person_id: str, review: str = "so-ket-2025", **judgments: Any) -> dict:
    """A ``person_judgments`` row meeting every individual criterion unless told
    otherwise (``outstanding=None`` for unknown, ``votes_for=2, council_members=3``,
    ``is_nominated="false"``, ``discipline=...``)."""
    return {"review": review, "person_id": person_id, **GOOD_PERSON, **judgments}


class Unit:
    """A unit that meets every criterion of every collective award unless told otherwise.

    ``ratios`` may hold a baseline-year key (2020): it is imported as any other year (the
    importer accepts the baseline year for scores and satisfaction only); ``baseline_sat``
    adds a baseline satisfaction row. ``review_discipline`` maps a review to the unit's
    discipline status there (``unit_judgments.discipline``, rules.md §6 v2).
    """

    def __init__(
        self,
        unit_id: str,
        block: str | None = "so_nganh",
        *,
        ratios=None,
        sat=95,
        tasks=100,
        advised=None,
        active_from=None,
        active_to=None,
        discipline=None,
        judgments=None,
        years=YEARS_TO_2025,
        name: str | None = None,
        ceased_on: str | None = None,
        predecessors: str | None = None,
        review_discipline: dict[str, str] | None = None,
        proposed_form: dict[str, str] | None = None,
        baseline_sat: float | None = None,
    ):
        self.unit_id = unit_id
        self.block = block
        self.name = name or f"Đơn vị {unit_id}"
        self.years = [
            y
            for y in years
            if (active_from is None or y >= active_from) and (active_to is None or y <= active_to)
        ]
        self.ratios = ratios if ratios is not None else {y: 92 for y in self.years}
        self.sat = sat if isinstance(sat, dict) else {y: sat for y in self.years}
        if baseline_sat is not None:
            self.sat = {2020: baseline_sat} | self.sat
        self.tasks = tasks if isinstance(tasks, dict) else {y: tasks for y in self.years}
        self.advised = advised
        self.active_from = active_from
        self.active_to = active_to
        self.discipline = discipline or {}
        self.judgments = judgments  # dict review -> dict; default: all true for every review
        self.ceased_on = ceased_on
        self.predecessors = predecessors
        self.review_discipline = review_discipline or {}
        self.proposed_form = proposed_form or {}

    def rows(self, reviews) -> dict[str, list[dict]]:
        out = {
            "units": [
                {
                    "unit_id": self.unit_id,
                    "name": self.name,
                    "block": self.block,
                    "advised_components": self.advised,
                    "active_from": self.active_from,
                    "active_to": self.active_to,
                    "predecessors": self.predecessors,
                    "ceased_on": self.ceased_on,
                }
            ],
            "unit_scores": [],
            "satisfaction": [],
            "unit_facts": [],
            "unit_judgments": [],
        }
        for y, r in self.ratios.items():
            if r is None:
                continue
            if isinstance(r, tuple):
                out["unit_scores"].append(
                    {"year": y, "unit_id": self.unit_id, "score": r[0], "max_score": r[1]}
                )
            else:
                out["unit_scores"].append({"year": y, "unit_id": self.unit_id, "ratio": r})
        for y, s in self.sat.items():
            if s is not None:
                out["satisfaction"].append(
                    {"year": y, "unit_id": self.unit_id, "satisfaction_pct": s}
                )
        for y in sorted(set(self.tasks) | set(self.discipline)):
            out["unit_facts"].append(
                {
                    "year": y,
                    "unit_id": self.unit_id,
                    "tasks_completed_pct": self.tasks.get(y),
                    "discipline": self.discipline.get(y),
                }
            )
        for review in reviews:
            j = {"head_directs": "x", "outstanding": "x", "has_initiative": "x"}
            if self.judgments is not None:
                j = {k: None for k in j} | self.judgments.get(review, j)
            extra = {
                "discipline": self.review_discipline.get(review),
                "proposed_form": self.proposed_form.get(review),
            }
            out["unit_judgments"].append({"review": review, "unit_id": self.unit_id, **extra, **j})
        return out


def dataset(
    units: list[Unit],
    reviews=("2021", "2022", "2023", "2024", "2025", "so-ket-2025"),
    components=None,
    people=None,
    person_judgments=None,
    extra=None,
    *,
    links=None,
    publications=None,
) -> dict[str, list[dict]]:
    """Contract tables from units (and components, people, nominations, ``links`` rows
    and ``publications`` = {year: "YYYY-MM-DD"})."""
    tables: dict[str, list[dict]] = {}
    for u in units:
        for name, rows in u.rows(reviews).items():
            tables.setdefault(name, []).extend(rows)
    if components:
        tables["province_components"] = [
            {
                "year": y,
                "component": c,
                "component_name": f"Thành phần {c}",
                "score": s,
                "max_score": m,
            }
            for (y, c), (s, m) in components.items()
        ]
    if people:
        tables["people"] = people
    if person_judgments:
        tables["person_judgments"] = person_judgments
    if links:
        tables["unit_links"] = list(links)
    if publications:
        tables["publications"] = [
            {"year": y, "published_on": d} for y, d in sorted(publications.items())
        ]
    for name, rows in (extra or {}).items():
        tables.setdefault(name, []).extend(rows)
    return tables
