"""Validated, all-or-nothing, idempotent import of a dataset into the store.

Every value is parsed and checked in DuckDB (set-based: no per-row Python), each
violation becomes a ``Problem`` naming file, row, column, value and what is expected.
Only when there are none does one transaction upsert every table by key.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from analytics import contract
from analytics.plans import DISCIPLINE_VALUES, Plan
from analytics.sources import InputRejected, Problem, RawTable, load_dataset

MAX_PROBLEMS = 1000
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


def _in(values) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _parse(col: contract.Column, plan: Plan) -> tuple[str, str]:
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


class _Checker:
    def __init__(self, con, plan: Plan):
        self.con = con
        self.plan = plan
        self.problems: list[Problem] = []
        self.pending: list[tuple] = []
        self.total = 0
        self.params = {
            "blocks": [b.code for b in plan.blocks],
            "reviews": [r.id for r in plan.reviews],
            "y0": plan.first_year,
            "y1": plan.last_year,
        }

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

    def _p(self, sql: str) -> dict:
        return {k: v for k, v in self.params.items() if f"${k}" in sql}


def _stage(con, raw: RawTable, plan: Plan, chk: _Checker) -> None:
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
    parsed = ["r.*"] + [f"{_parse(spec.column(n), plan)[0]} AS {n}" for n in raw.columns]
    sql = f"CREATE OR REPLACE TEMP TABLE stg_{raw.name} AS SELECT {', '.join(parsed)} FROM txt_{raw.name} r"
    con.execute(sql, chk._p(sql))
    con.execute(f"DROP TABLE txt_{raw.name}")


def _check_values(raw: RawTable, plan: Plan, chk: _Checker, universe: dict[str, str]) -> None:
    spec = contract.TABLES[raw.name]
    cols = set(raw.columns)
    for name in raw.columns:
        col = spec.column(name)
        _, message = _parse(col, plan)
        if message:
            chk.add(raw, f"r_{name} IS NOT NULL AND {name} IS NULL", message, name, f"r_{name}")
        if col.required:
            chk.add(raw, f"r_{name} IS NULL", "ô bắt buộc đang trống", name)
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


def _check_scores(raw: RawTable, chk: _Checker, cols: set[str]) -> None:
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
        computed = _ratio_centi_sql("score", "max_score")
        chk.add(
            raw,
            f"CASE WHEN score IS NOT NULL AND max_score > 0 AND max_score < 100000000000000 "
            f"AND score <= max_score AND ratio >= 0 AND ratio <= 100 "
            f"THEN abs({computed} - CAST(ratio AS DECIMAL(5,2)) * 100) > 1 ELSE false END",
            "tỷ lệ không khớp với điểm/điểm tối đa (lệch quá 0,01)",
            "ratio",
            f"r_ratio || ' ≠ ' || CAST(CAST({computed} AS DECIMAL(18,0)) / 100 AS DECIMAL(6,2))",
        )


def _ratio_centi_sql(score: str, max_score: str) -> str:
    """round_half_up(100 * score / max, 2) in hundredths, in exact integer arithmetic."""
    s = f"CAST(CAST({score} AS DECIMAL(18,4)) * 10000 AS HUGEINT)"
    m = f"CAST(CAST({max_score} AS DECIMAL(18,4)) * 10000 AS HUGEINT)"
    return f"((2 * 10000 * {s} + {m}) // (2 * {m}))"


def _check_refs(
    raw: RawTable, chk: _Checker, col: contract.Column, universe: dict[str, str]
) -> None:
    name = col.name
    target = universe[col.ref]
    what = {"units": "mã đơn vị", "people": "mã cá nhân", "components": "mã chỉ số thành phần"}[
        col.ref
    ]
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


def _check_duplicates(raw: RawTable, chk: _Checker, spec: contract.Table) -> None:
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


def _universe(con, raws: dict[str, RawTable]) -> dict[str, str]:
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
