"""Writing staged tables by key: insert new keys, update changed rows, count the rest.

Nothing is ever deleted; a column absent from a file keeps the stored values; columns of
a ``together`` group are replaced together. ``count_changes`` computes the same counts
without writing (the preview of an import).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from analytics.ingest.raw import RawTable
from analytics.store import contract

Connection = duckdb.DuckDBPyConnection


@dataclass
class TableCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


def final_select(raw: RawTable) -> tuple[list[str], str]:
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
    if raw.name == "person_judgments" and "votes_pct" in cols:
        v = "votes_for" if "votes_for" in raw.columns else "NULL"
        m = "council_members" if "council_members" in raw.columns else "NULL"
        given = "votes_pct" if "votes_pct" in raw.columns else "NULL"
        at = cols.index("votes_pct")
        exprs[at] = (
            f"CASE WHEN {v} IS NOT NULL AND {m} IS NOT NULL AND {m} > 0 "
            f"THEN centi_dec(ratio_centi({v}, {m})) "
            f"ELSE CAST({given} AS DECIMAL(5,2)) END AS votes_pct"
        )
    if raw.name == "unit_scores" and "ratio" in cols:
        s = "score" if "score" in raw.columns else "NULL"
        m = "max_score" if "max_score" in raw.columns else "NULL"
        r = "ratio" if "ratio" in raw.columns else "NULL"
        cols.append("ratio_pct")
        exprs.append(
            f"CASE WHEN {s} IS NOT NULL AND {m} IS NOT NULL "
            f"THEN centi_dec(ratio_centi({s}, {m})) "
            f"ELSE CAST({r} AS DECIMAL(5,2)) END AS ratio_pct"
        )
    return cols, f"SELECT {', '.join(exprs)} FROM stg_{raw.name}"


def _key_match(spec: contract.Table, cols: list[str]) -> tuple[str, str]:
    on = " AND ".join(f"t.{k} = f.{k}" for k in spec.key)
    values = [c for c in cols if c not in spec.key]
    differs = " OR ".join(f"t.{c} IS DISTINCT FROM f.{c}" for c in values) or "false"
    return on, differs


def _is_empty(con: Connection, table: str) -> bool:
    return not con.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT 1)").fetchall()[0][0]


def count_changes(con: Connection, raw: RawTable) -> TableCounts:
    """What ``upsert`` would do with a staged table, computed exactly, writing nothing."""
    if _is_empty(con, raw.name):
        return TableCounts(inserted=raw.rows)
    spec = contract.TABLES[raw.name]
    cols, select = final_select(raw)
    on, differs = _key_match(spec, cols)
    existing, changed = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE {differs}) FROM ({select}) f "
        f"JOIN {raw.name} t ON {on}"
    ).fetchall()[0]
    return TableCounts(inserted=raw.rows - existing, updated=changed, unchanged=existing - changed)


def upsert(con: Connection, raw: RawTable) -> TableCounts:
    """Insert and update one staged table by key (inside the caller's transaction)."""
    spec = contract.TABLES[raw.name]
    cols, select = final_select(raw)
    if _is_empty(con, raw.name):
        # Empty table (a first import): insert straight from staging, no diff needed.
        con.execute(f"INSERT INTO {raw.name} ({', '.join(cols)}) {select}")
        return TableCounts(inserted=raw.rows)
    con.execute(f"CREATE OR REPLACE TEMP TABLE fin_{raw.name} AS {select}")
    on, differs = _key_match(spec, cols)
    values = [c for c in cols if c not in spec.key]
    existing, changed = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE {differs}) FROM fin_{raw.name} f "
        f"JOIN {raw.name} t ON {on}"
    ).fetchall()[0]
    if changed:
        sets = ", ".join(f"{c} = f.{c}" for c in values)
        con.execute(
            f"UPDATE {raw.name} t SET {sets} FROM fin_{raw.name} f WHERE {on} AND ({differs})"
        )
    if raw.rows - existing:
        con.execute(
            f"INSERT INTO {raw.name} ({', '.join(cols)}) SELECT {', '.join(cols)} FROM fin_{raw.name} f "
            f"WHERE NOT EXISTS (SELECT 1 FROM {raw.name} t WHERE {on})"
        )
    con.execute(f"DROP TABLE fin_{raw.name}")
    return TableCounts(inserted=raw.rows - existing, updated=changed, unchanged=existing - changed)
