"""The SQL that normalises an import's raw text cells and parses them into typed values.

Staging keeps both per column: the text for messages, the value for checks and the upsert.
"""

from __future__ import annotations

from typing import Any

import duckdb

from analytics.ingest.raw import RawTable
from analytics.plans.models import Plan
from analytics.plans.vocabulary import DISCIPLINE_VALUES
from analytics.store import contract

_WS = " \t\r\n\u00a0\u200b\ufeff"


def _norm(col: str) -> str:
    """Trimmed NFC text of a raw column, NULL when blank.

    NFC and trimming allocate, so they run only on the cells that may need them: those
    with non-ASCII bytes (byte length <> character length; this also catches non-breaking
    and zero-width spaces) or ASCII white space at either end. Cheap tests come first.
    """
    x = f"r.{col}"
    needs = (
        f"strlen({x}) <> length({x}) OR ascii({x}) <= 32 OR suffix({x}, ' ') "
        f"OR suffix({x}, '\t') OR suffix({x}, '\r') OR suffix({x}, '\n')"
    )
    return f"nullif(CASE WHEN {needs} THEN trim(nfc_normalize({x}), '{_WS}') ELSE {x} END, '')"


def _num_text(t: str) -> str:
    """Normalise '85,5%' to '85.5'; plain numbers pass through untouched."""
    slow = f"trim(replace({t}, '%', ''), '{_WS}')"
    slow = f"CASE WHEN contains({slow}, '.') THEN {slow} ELSE replace({slow}, ',', '.') END"
    return f"(CASE WHEN contains({t}, ',') OR contains({t}, '%') THEN {slow} ELSE {t} END)"


_TRUE = ("true", "1", "x", "có", "co")
_FALSE = ("false", "0", "không", "khong")


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def parse_sql(col: contract.Column, plan: Plan) -> tuple[str, str]:
    """(SQL expression of the parsed value, message when a non-blank cell fails to parse).

    Reads the normalised text column ``r.r_<name>``; exact-match fast paths come first
    so that lower() and friends run only on the cells that need them.
    """
    t = f"r.r_{col.name}"
    k = col.kind
    if k in ("id", "text"):
        return t, ""
    if k in ("year", "int"):
        return (
            f"CASE WHEN regexp_full_match({t}, '[0-9]{{1,9}}') THEN CAST({t} AS INTEGER) "
            f"WHEN regexp_full_match({t}, '[0-9]{{1,9}}\\.0+') "
            f"THEN CAST(split_part({t}, '.', 1) AS INTEGER) END",
            "không phải số nguyên",
        )
    if k in ("number", "pct"):
        return (
            f"CASE WHEN contains({t}, ',') AND contains({t}, '.') THEN NULL "
            f"WHEN NOT regexp_full_match({_num_text(t)}, '-?([0-9]+([.][0-9]*)?|[.][0-9]+)') THEN NULL "
            f"ELSE TRY_CAST({_num_text(t)} AS DECIMAL(38,10)) END",
            "không phải số (dùng dấu . hoặc , làm dấu thập phân, không dùng dấu phân cách hàng nghìn)",
        )
    if k == "bool":
        return (
            f"CASE WHEN {t} IN ({_in(_TRUE)}) THEN true WHEN {t} IN ({_in(_FALSE)}) THEN false "
            f"WHEN lower({t}) IN ({_in(_TRUE)}) THEN true "
            f"WHEN lower({t}) IN ({_in(_FALSE)}) THEN false END",
            "không phải giá trị đúng/sai (dùng x, có, true, 1 hoặc không, false, 0; để trống nếu chưa đánh giá)",
        )
    if k == "date":
        return (
            f"CASE WHEN regexp_full_match({t}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') "
            f"THEN TRY_CAST({t} AS DATE) END",
            "không phải ngày hợp lệ dạng YYYY-MM-DD",
        )
    if k == "discipline":
        values = _in(DISCIPLINE_VALUES)
        return (
            f"CASE WHEN {t} IN ({values}) THEN {t} WHEN lower({t}) IN ({values}) THEN lower({t}) END",
            f"trạng thái kỷ luật không hợp lệ; dùng: {', '.join(DISCIPLINE_VALUES)}",
        )
    if k == "block":
        return (
            f"CASE WHEN list_contains($blocks, {t}) THEN {t} END",
            f"khối không có trong kế hoạch {plan.id}; dùng: {', '.join(b.code for b in plan.blocks)}",
        )
    if k == "review":
        return (
            f"CASE WHEN list_contains($reviews, {t}) THEN {t} END",
            f"đợt xét không có trong kế hoạch {plan.id}; dùng: {', '.join(r.id for r in plan.reviews)}",
        )
    if k in ("units", "components"):
        return (
            f"nullif(array_to_string(list_filter(list_transform(string_split({t}, ';'), "
            f"lambda x: trim(x, '{_WS}')), lambda x: x <> ''), ';'), '')",
            "",
        )
    raise ValueError(k)


def plan_params(plan: Plan) -> dict[str, Any]:
    """The plan values parsing and checks bind (``$blocks``, ``$reviews``, ``$y0``, ``$y1``)."""
    return {
        "blocks": [b.code for b in plan.blocks],
        "reviews": [r.id for r in plan.reviews],
        "y0": plan.first_year,
        "y1": plan.last_year,
    }


def used_params(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters a statement names (DuckDB rejects extra ones)."""
    return {k: v for k, v in params.items() if f"${k}" in sql}


def stage(con: duckdb.DuckDBPyConnection, raw: RawTable, plan: Plan) -> None:
    """Build ``stg_<table>``: normalised text ``r_<c>`` and parsed values ``<c>``.

    Two statements: each cell is normalised once (into a temp table), then parsed from
    that column; one expression tree would repeat the normalisation in every parse.
    """
    spec = contract.TABLES[raw.name]
    has_row = "_row" in {c[0] for c in con.execute(f"DESCRIBE raw_{raw.name}").fetchall()}
    texts = ["r._row AS _row" if has_row else "r.rowid + 2 AS _row"]
    texts += [f"{_norm(name)} AS r_{name}" for name in raw.columns]
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE txt_{raw.name} AS SELECT {', '.join(texts)} FROM raw_{raw.name} r"
    )
    con.execute(f"DROP TABLE raw_{raw.name}")
    parsed = ["r.*"] + [f"{parse_sql(spec.column(n), plan)[0]} AS {n}" for n in raw.columns]
    sql = f"CREATE OR REPLACE TEMP TABLE stg_{raw.name} AS SELECT {', '.join(parsed)} FROM txt_{raw.name} r"
    con.execute(sql, used_params(sql, plan_params(plan)))
    con.execute(f"DROP TABLE txt_{raw.name}")
