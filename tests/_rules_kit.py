"""Building tiny stores from Python rows, for rule tests that read like the rules."""

from __future__ import annotations

import csv
from pathlib import Path

from analytics.ingest.importer import import_dataset
from analytics.plans.loading import load_plan
from analytics.rules.shortlist import evaluate_review
from analytics.store.binding import bind_plan
from analytics.store.connection import open_store
from analytics.store.contract import TABLES

YEARS_TO_2025 = range(2021, 2026)


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


def make_store(
    tmp_path: Path, tables: dict[str, list[dict]], plan: str = "soc-trang-2021-2030"
) -> Path:
    path = tmp_path / "store.duckdb"
    folder = write_dataset(tmp_path / "ds", tables)
    with open_store(path) as con:
        bind_plan(con, plan)
        if tables:
            import_dataset(con, folder, load_plan(plan))
    return path


def shortlist(path: Path, review: str, plan=None, *, detail: bool = False) -> list[dict]:
    plan = plan or "soc-trang-2021-2030"
    plan = load_plan(plan) if isinstance(plan, str) else plan
    with open_store(path, read_only=True) as con:
        return evaluate_review(con, plan, review, detail=detail).to_pylist()


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


class Unit:
    """A unit that meets every criterion of every collective award unless told otherwise."""

    def __init__(
        self,
        unit_id: str,
        block: str = "so_nganh",
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
    ):
        self.unit_id = unit_id
        self.block = block
        self.years = [
            y
            for y in years
            if (active_from is None or y >= active_from) and (active_to is None or y <= active_to)
        ]
        self.ratios = ratios if ratios is not None else {y: 92 for y in self.years}
        self.sat = sat if isinstance(sat, dict) else {y: sat for y in self.years}
        self.tasks = tasks if isinstance(tasks, dict) else {y: tasks for y in self.years}
        self.advised = advised
        self.active_from = active_from
        self.active_to = active_to
        self.discipline = discipline or {}
        self.judgments = judgments  # dict review -> dict; default: all true for every review

    def rows(self, reviews) -> dict[str, list[dict]]:
        out = {
            "units": [
                {
                    "unit_id": self.unit_id,
                    "name": f"Đơn vị {self.unit_id}",
                    "block": self.block,
                    "advised_components": self.advised,
                    "active_from": self.active_from,
                    "active_to": self.active_to,
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
            out["unit_judgments"].append({"review": review, "unit_id": self.unit_id, **j})
        return out


def dataset(
    units: list[Unit],
    reviews=("2021", "2022", "2023", "2024", "2025", "so-ket-2025"),
    components=None,
    people=None,
    person_judgments=None,
    extra=None,
) -> dict[str, list[dict]]:
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
    for name, rows in (extra or {}).items():
        tables.setdefault(name, []).extend(rows)
    return tables
