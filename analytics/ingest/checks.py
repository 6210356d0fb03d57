"""The checks of an import: each a SQL condition on a staging table naming its bad rows.

A table's checks share one scan that only counts; rows are fetched only for failing checks.
"""

from __future__ import annotations

from typing import Any

import duckdb

from analytics.errors import Problem
from analytics.ingest.parse import parse_sql, plan_params, used_params
from analytics.ingest.raw import RawTable
from analytics.plans.models import Plan
from analytics.store import contract

MAX_PROBLEMS = 1000


class Checker:
    """Collects the problems of one import: queued checks run one table at a time."""

    def __init__(self, con: duckdb.DuckDBPyConnection, plan: Plan):
        self.con = con
        self.plan = plan
        self.problems: list[Problem] = []
        self.pending: list[tuple[RawTable, str, str, str | None, str]] = []
        self.total = 0
        self.params = plan_params(plan)

    def add(
        self, raw: RawTable, sql: str, message: str, column: str | None, value_sql: str = "NULL"
    ) -> None:
        """Queue a check: every row of ``stg_<table> r`` matching ``sql`` is a problem."""
        self.pending.append((raw, sql, message, column, value_sql))

    def flush(self) -> None:
        """Run the queued checks of one table in a single scan; fetch only failing rows."""
        if not self.pending:
            return
        raw = self.pending[0][0]
        counts_sql = ", ".join(f"count(*) FILTER (WHERE {c[1]})" for c in self.pending)
        query = f"SELECT {counts_sql} FROM stg_{raw.name} r"
        counts = self.con.execute(query, self._p(query)).fetchall()[0]
        for n, (raw, sql, message, column, value_sql) in zip(counts, self.pending, strict=True):
            if not n:
                continue
            self.total += n
            room = MAX_PROBLEMS - len(self.problems)
            if room <= 0:
                continue
            rows_sql = f"SELECT _row, {value_sql} FROM stg_{raw.name} r WHERE {sql} ORDER BY _row LIMIT {room}"
            for row, value in self.con.execute(rows_sql, self._p(rows_sql)).fetchall():
                self.problems.append(
                    Problem(raw.file, row, column, None if value is None else str(value), message)
                )
        self.pending = []

    def _p(self, sql: str) -> dict[str, Any]:
        return used_params(sql, self.params)


def check_values(raw: RawTable, plan: Plan, chk: Checker, universe: dict[str, str]) -> None:
    """Queue and run every check of one staged table."""
    spec = contract.TABLES[raw.name]
    cols = set(raw.columns)
    for name in raw.columns:
        col = spec.column(name)
        _, message = parse_sql(col, plan)
        if message:
            chk.add(raw, f"r_{name} IS NOT NULL AND {name} IS NULL", message, name, f"r_{name}")
        if col.required:
            chk.add(raw, f"r_{name} IS NULL", "ô bắt buộc đang trống", name)
        if col.kind in ("id", "text"):  # XML 1.0 forbids them: the Word/Excel exports would fail
            chk.add(
                raw,
                f"regexp_matches(r_{name}, '[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F]')",
                "chứa ký tự điều khiển không in được (thường do sao chép từ phần mềm khác)",
                name,
                f"r_{name}",
            )
        if col.kind == "year":
            chk.add(
                raw,
                f"{name} IS NOT NULL AND ({name} < $y0 OR {name} > $y1)",
                f"năm ngoài phạm vi kế hoạch {plan.first_year}–{plan.last_year}",
                name,
                f"r_{name}",
            )
        if col.kind == "pct":
            chk.add(
                raw,
                f"{name} IS NOT NULL AND ({name} < 0 OR {name} > 100)",
                "tỷ lệ phải từ 0 đến 100",
                name,
                f"r_{name}",
            )
        if col.kind == "number":
            chk.add(
                raw,
                f"{name} IS NOT NULL AND ({name} < 0 OR {name} >= 100000000000000)",
                "số phải không âm (và nhỏ hơn 10^14)",
                name,
                f"r_{name}",
            )
        if col.kind == "int" and name == "national_rank":
            chk.add(
                raw,
                f"{name} IS NOT NULL AND ({name} < 1 OR {name} > 63)",
                "xếp hạng toàn quốc phải từ 1 đến 63",
                name,
                f"r_{name}",
            )
        if col.ref and name in cols:
            _check_refs(raw, chk, col, universe)
    if raw.name == "units" and {"active_from", "active_to"} <= cols:
        chk.add(
            raw,
            "active_from > active_to",
            "năm bắt đầu sau năm kết thúc hoạt động",
            "active_to",
            "r_active_to",
        )
    if raw.name in ("unit_scores", "province_components"):
        _check_scores(raw, chk, cols)
    if raw.name == "unit_scores" and "ratio" in cols:
        chk.add(
            raw, "ratio IS NOT NULL AND ratio > 100", "tỷ lệ phải từ 0 đến 100", "ratio", "r_ratio"
        )
    chk.flush()
    _check_duplicates(raw, chk, spec)
    chk.flush()


def _check_scores(raw: RawTable, chk: Checker, cols: set[str]) -> None:
    rs = "r_score" if "score" in cols else "NULL"
    rm = "r_max_score" if "max_score" in cols else "NULL"
    if "max_score" in cols:
        chk.add(raw, "max_score = 0", "điểm tối đa phải lớn hơn 0", "max_score", "r_max_score")
    if cols >= {"score", "max_score"}:
        chk.add(raw, "score > max_score", "điểm đạt được lớn hơn điểm tối đa", "score", "r_score")
    chk.add(
        raw,
        f"({rs} IS NULL) <> ({rm} IS NULL)",
        "cần ghi cả điểm đạt được và điểm tối đa",
        "max_score" if "score" in cols else "score",
    )
    if raw.name != "unit_scores":
        return
    rr = "r_ratio" if "ratio" in cols else "NULL"
    chk.add(
        raw,
        f"{rs} IS NULL AND {rm} IS NULL AND {rr} IS NULL",
        "dòng không có điểm (điểm đạt được + điểm tối đa) và cũng không có tỷ lệ; "
        "bỏ dòng nếu năm đó chưa có kết quả",
        "score",
    )
    if cols >= {"score", "max_score", "ratio"}:
        computed = "ratio_centi(score, max_score)"
        chk.add(
            raw,
            f"CASE WHEN score IS NOT NULL AND max_score > 0 AND max_score < 100000000000000 "
            f"AND score <= max_score AND ratio >= 0 AND ratio <= 100 "
            f"THEN abs({computed} - CAST(ratio AS DECIMAL(5,2)) * 100) > 1 ELSE false END",
            "tỷ lệ không khớp với điểm/điểm tối đa (lệch quá 0,01)",
            "ratio",
            f"r_ratio || ' ≠ ' || CAST(CAST({computed} AS DECIMAL(18,0)) / 100 AS DECIMAL(6,2))",
        )


def _check_refs(
    raw: RawTable, chk: Checker, col: contract.Column, universe: dict[str, str]
) -> None:
    name, ref = col.name, col.ref or ""
    target = universe[ref]
    what = {"units": "mã đơn vị", "people": "mã cá nhân", "components": "mã chỉ số thành phần"}[ref]
    message = f"{what} chưa được khai báo (không có trong kho dữ liệu và trong dữ liệu nhập)"
    if col.kind in ("units", "components"):
        # A ';'-separated list: name the members that resolve to nothing.
        missing = (
            f"(SELECT string_agg(x, ';') FROM unnest(string_split(r.{name}, ';')) t(x) "
            f"WHERE x NOT IN (SELECT id FROM {target}))"
        )
        chk.add(raw, f"{name} IS NOT NULL AND {missing} IS NOT NULL", message, name, missing)
        return
    chk.add(
        raw, f"{name} IS NOT NULL AND {name} NOT IN (SELECT id FROM {target})", message, name, name
    )


def _check_duplicates(raw: RawTable, chk: Checker, spec: contract.Table) -> None:
    key = ", ".join(spec.key)
    dup = chk.con.execute(
        f"SELECT count(*) FROM (SELECT {key} FROM stg_{raw.name} WHERE "
        + " AND ".join(f"{k} IS NOT NULL" for k in spec.key)
        + f" GROUP BY {key} HAVING count(*) > 1)"
    ).fetchall()[0][0]
    if dup:
        chk.add(
            raw,
            f"_row > (SELECT min(_row) FROM stg_{raw.name} d WHERE "
            + " AND ".join(f"d.{k} = r.{k}" for k in spec.key)
            + ")",
            f"trùng khóa ({key}) với một dòng phía trên",
            spec.key[-1],
            " || ' / ' || ".join(f"CAST(r.{k} AS VARCHAR)" for k in spec.key),
        )


def reference_universe(con: duckdb.DuckDBPyConnection, raws: dict[str, RawTable]) -> dict[str, str]:
    """Temp views of the ids references may point to: store plus import."""

    def view(name: str, store_sql: str, table: str, col: str) -> str:
        extra = (
            f" UNION SELECT {col} FROM stg_{table} WHERE {col} IS NOT NULL" if table in raws else ""
        )
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT id FROM ({store_sql}{extra}) t(id)"
        )
        return name

    return {
        "units": view("u_units", "SELECT unit_id FROM units", "units", "unit_id"),
        "people": view("u_people", "SELECT person_id FROM people", "people", "person_id"),
        "components": view(
            "u_components",
            "SELECT component FROM province_components",
            "province_components",
            "component",
        ),
    }
