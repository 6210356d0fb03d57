"""Validated, all-or-nothing, idempotent import of a dataset into the store.

Every value is parsed and checked in DuckDB (set-based: no per-row Python), each
violation becomes a ``Problem`` naming file, row, column, value and what is expected.
Only when there are none does one transaction upsert every table by key.

Parsing lives in ``importing_parse`` and the checks in ``importing_checks``; this module
stages and checks a dataset, upserts it and logs the import.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from analytics import contract
from analytics.importing_checks import _check_values, _Checker, _universe
from analytics.importing_parse import _ratio_centi_sql, _stage
from analytics.plans import Plan
from analytics.sources import InputRejected, RawTable, load_dataset


@dataclass
class TableCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportResult:
    counts: dict[str, TableCounts] = field(default_factory=dict)
    content_sha256: str = ""
    import_id: int | None = None

    @property
    def is_change(self) -> bool:
        return any(c.inserted or c.updated for c in self.counts.values())


def _final_select(raw: RawTable) -> tuple[list[str], str]:
    """Columns written to the store and the SELECT producing their final typed values."""
    spec = contract.TABLES[raw.name]
    cols = list(raw.columns)
    exprs = []
    if spec.together and set(spec.together) & set(cols):
        for c in spec.together:
            if c not in cols:
                cols.append(c)
    for c in cols:
        kind = spec.column(c).kind
        src = c if c in raw.columns else "NULL"
        if kind == "pct":
            exprs.append(f"CAST({src} AS DECIMAL(5,2)) AS {c}")
        elif kind == "number":
            exprs.append(f"CAST({src} AS DECIMAL(18,4)) AS {c}")
        elif kind == "discipline":
            exprs.append(f"coalesce({src}, 'none') AS {c}")
        else:
            exprs.append(f"{src} AS {c}")
    if raw.name == "unit_scores" and "ratio" in cols:
        s = "score" if "score" in raw.columns else "NULL"
        m = "max_score" if "max_score" in raw.columns else "NULL"
        r = "ratio" if "ratio" in raw.columns else "NULL"
        cols.append("ratio_pct")
        exprs.append(
            f"CASE WHEN {s} IS NOT NULL AND {m} IS NOT NULL THEN "
            f"CAST(CAST({_ratio_centi_sql(s, m)} AS DECIMAL(18,0)) / 100 AS DECIMAL(5,2)) "
            f"ELSE CAST({r} AS DECIMAL(5,2)) END AS ratio_pct"
        )
    return cols, f"SELECT {', '.join(exprs)} FROM stg_{raw.name}"


def _upsert(con, raw: RawTable) -> TableCounts:
    spec = contract.TABLES[raw.name]
    cols, select = _final_select(raw)
    if not con.execute(f"SELECT count(*) FROM (SELECT 1 FROM {raw.name} LIMIT 1)").fetchall()[0][0]:
        # Empty table (a first import): insert straight from staging, no diff needed.
        con.execute(f"INSERT INTO {raw.name} ({', '.join(cols)}) {select}")
        return TableCounts(inserted=raw.rows)
    con.execute(f"CREATE OR REPLACE TEMP TABLE fin_{raw.name} AS {select}")
    key = list(spec.key)
    values = [c for c in cols if c not in key]
    on = " AND ".join(f"t.{k} = f.{k}" for k in key)
    differs = " OR ".join(f"t.{c} IS DISTINCT FROM f.{c}" for c in values) or "false"
    total = raw.rows
    existing, changed = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE {differs}) FROM fin_{raw.name} f "
        f"JOIN {raw.name} t ON {on}"
    ).fetchall()[0]
    if changed:
        sets = ", ".join(f"{c} = f.{c}" for c in values)
        con.execute(
            f"UPDATE {raw.name} t SET {sets} FROM fin_{raw.name} f WHERE {on} AND ({differs})"
        )
    if total - existing:
        con.execute(
            f"INSERT INTO {raw.name} ({', '.join(cols)}) SELECT {', '.join(cols)} FROM fin_{raw.name} f "
            f"WHERE NOT EXISTS (SELECT 1 FROM {raw.name} t WHERE {on})"
        )
    con.execute(f"DROP TABLE fin_{raw.name}")
    return TableCounts(inserted=total - existing, updated=changed, unchanged=existing - changed)


def _cleanup(con, raws) -> None:
    for r in raws:
        for prefix in ("raw_", "txt_", "stg_", "fin_"):
            con.execute(f"DROP TABLE IF EXISTS {prefix}{r.name}")
    for v in ("u_units", "u_people", "u_components"):
        con.execute(f"DROP VIEW IF EXISTS {v}")


def check_dataset(con, path: Path, plan: Plan) -> tuple[list[RawTable], str]:
    """Read and validate a dataset into staging tables; raise InputRejected on any problem."""
    raws, problems, sha = load_dataset(con, Path(path))
    if problems:
        _cleanup(con, raws)
        raise InputRejected(problems)
    chk = _Checker(con, plan)
    by_name = {r.name: r for r in raws}
    try:
        for raw in raws:
            _stage(con, raw, plan, chk)
        universe = _universe(con, by_name)
        for raw in sorted(raws, key=lambda r: contract.ORDER.index(r.name)):
            _check_values(raw, plan, chk, universe)
    except Exception:
        _cleanup(con, raws)
        raise
    if chk.total:
        _cleanup(con, raws)
        problems = sorted(chk.problems, key=lambda p: (p.file, p.row or 0))
        raise InputRejected(problems, chk.total)
    return sorted(raws, key=lambda r: contract.ORDER.index(r.name)), sha


def validate_dataset(con, path: Path, plan: Plan) -> dict[str, int]:
    """Check a dataset against the store and plan without writing; rows per table."""
    raws, _ = check_dataset(con, path, plan)
    _cleanup(con, raws)
    return {r.name: r.rows for r in raws}


def preview_import(con, path: Path, plan: Plan) -> ImportResult:
    """What an import would insert/update/leave unchanged, computed exactly and rolled back."""
    return import_dataset(con, path, plan, dry_run=True)


def import_dataset(
    con, path: Path, plan: Plan, *, source: str | None = None, dry_run: bool = False
) -> ImportResult:
    """Validate then upsert a dataset in one transaction; all-or-nothing, idempotent."""
    raws, sha = check_dataset(con, path, plan)
    result = ImportResult(content_sha256=sha)
    con.execute("BEGIN TRANSACTION")
    try:
        for raw in raws:
            result.counts[raw.name] = _upsert(con, raw)
        if dry_run:
            con.execute("ROLLBACK")
            return result
        next_id = con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM import_log").fetchall()[
            0
        ][0]
        con.execute(
            "INSERT INTO import_log VALUES ($id, $at, $src, $files, $sha, $counts, $chg)",
            {
                "id": next_id,
                "at": dt.datetime.now().replace(microsecond=0),
                "src": source or str(path),
                "files": ";".join(r.file for r in raws),
                "sha": sha,
                "counts": json.dumps({k: vars(v) for k, v in result.counts.items()}),
                "chg": result.is_change,
            },
        )
        con.execute("COMMIT")
        result.import_id = next_id
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        _cleanup(con, raws)
    return result
