"""The checks of an import: each a SQL condition on a staging table naming its bad rows.

A table's checks share one scan that only counts; rows are fetched only for failing checks.
"""

from __future__ import annotations

from typing import Any

import duckdb

from analytics import labels
from analytics.errors import Problem
from analytics.ingest.parse import bad_id_column, parse_sql, plan_params, used_params
from analytics.ingest.raw import MAX_CELL_CHARS, RawTable, column_label
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
            header = column_label(raw.name, column) if column else None
            for row, value in self.con.execute(rows_sql, self._p(rows_sql)).fetchall():
                shown = None if value is None else str(value)
                self.problems.append(Problem(raw.file, row, column, shown, message, header))
        self.pending = []

    def _p(self, sql: str) -> dict[str, Any]:
        return used_params(sql, self.params)


# XML 1.0 cannot store them (the Word and Excel files would fail): C0 controls but tab, LF,
# CR, and the non-characters U+FFFE, U+FFFF.
NOT_XML = "[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x{FFFE}\\x{FFFF}]"


def check_values(raw: RawTable, plan: Plan, chk: Checker, universe: dict[str, str]) -> None:
    """Queue and run every check of one staged table."""
    spec = contract.TABLES[raw.name]
    cols = set(raw.columns)
    for name in raw.columns:
        _check_column(raw, plan, chk, spec, spec.column(name), universe)
    if raw.name == "units" and {"active_from", "active_to"} <= cols:
        chk.add(
            raw,
            "active_from > active_to",
            "năm bắt đầu sau năm kết thúc hoạt động",
            "active_to",
            "r_active_to",
        )
    if raw.name in ("unit_scores", "province_components", "unit_component_scores"):
        _check_scores(raw, chk, cols)
    if raw.name == "unit_scores" and "ratio" in cols:
        chk.add(
            raw, "ratio IS NOT NULL AND ratio > 100", "tỷ lệ phải từ 0 đến 100", "ratio", "r_ratio"
        )
    if raw.name == "person_judgments":
        _check_votes(raw, chk, cols)
    if raw.name == "registrations":
        _check_registration_subjects(raw, chk, universe)
    chk.flush()
    _check_duplicates(raw, chk, spec)
    chk.flush()
    if raw.name == "unit_links":
        _check_links(raw, chk, universe)
    if raw.name == "units" and "active_to" in cols:
        _check_units_against_links(raw, chk, universe)
    if raw.name == "unit_component_scores":
        _check_component_sums(raw, chk, universe)
    chk.flush()


def _check_column(
    raw: RawTable,
    plan: Plan,
    chk: Checker,
    spec: contract.Table,
    col: contract.Column,
    universe: dict[str, str],
) -> None:
    name = col.name
    _, message = parse_sql(col, plan)
    if message:
        chk.add(raw, f"r_{name} IS NOT NULL AND {name} IS NULL", message, name, f"r_{name}")
    if col.required:
        chk.add(raw, f"r_{name} IS NULL", "ô bắt buộc đang trống", name)
    chk.add(
        raw,
        # bytes first (stored with the string, no decoding): a cell of at most that many
        # bytes has at most that many characters
        f"strlen(r_{name}) > {MAX_CELL_CHARS} AND length(r_{name}) > {MAX_CELL_CHARS}",
        f"ô dài quá giới hạn {MAX_CELL_CHARS:_} ký tự".replace("_", "."),
        name,
        f"left(r_{name}, 40) || '…'",
    )
    if col.kind in ("id", "text"):
        # an id of the id pattern holds none of them: the pattern's match (cheaper) first
        valid_id = f"{bad_id_column(name)} AND " if col.kind == "id" else ""
        chk.add(
            raw,
            f"{valid_id}regexp_matches(r_{name}, '{NOT_XML}')",
            "chứa ký tự điều khiển hoặc ký tự không in được (thường do sao chép từ phần mềm khác)",
            name,
            f"r_{name}",
        )
    if col.kind == "id":
        chk.add(
            raw,
            f"{bad_id_column(name)} AND NOT regexp_matches(r_{name}, '{NOT_XML}')",
            "mã chỉ gồm chữ cái không dấu, chữ số và dấu . _ - (1 đến 64 ký tự), "
            "để các mã không thể trông giống nhau",
            name,
            f"r_{name}",
        )
    if col.kind == "year":
        low = "$yb" if spec.allows_baseline else "$y0"
        first = plan.earliest_year if spec.allows_baseline else plan.first_year
        chk.add(
            raw,
            f"{name} IS NOT NULL AND ({name} < {low} OR {name} > $y1)",
            f"năm ngoài phạm vi kế hoạch {first}–{plan.last_year}",
            name,
            f"r_{name}",
        )
    if col.kind == "date":
        chk.add(
            raw,
            f"{name} IS NOT NULL AND ({name} < $d0 OR {name} > $d1)",
            f"ngày ngoài khoảng 01/01/{plan.first_year - 5}–31/12/{plan.last_year + 5} "
            "(các năm của kế hoạch ± 5 năm)",
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
        chk.add(  # rounded as stored (4 decimals): 99999999999999.99999 would overflow
            raw,
            f"{name} IS NOT NULL AND ({name} < 0 OR round({name}, 4) >= 100000000000000)",
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
    if col.ref:
        _check_refs(raw, chk, col, universe)


def _check_votes(raw: RawTable, chk: Checker, cols: set[str]) -> None:
    vf = "votes_for" if "votes_for" in cols else "NULL"
    cm = "council_members" if "council_members" in cols else "NULL"
    if "council_members" in cols:
        chk.add(
            raw,
            "council_members IS NOT NULL AND council_members <= 0",
            "số thành viên Hội đồng phải lớn hơn 0",
            "council_members",
            "r_council_members",
        )
    if {"votes_for", "council_members"} <= cols:
        chk.add(
            raw,
            "votes_for > council_members AND council_members > 0",
            "số phiếu đồng ý lớn hơn số thành viên Hội đồng",
            "votes_for",
            "r_votes_for || ' > ' || r_council_members",
        )
    if {"votes_for", "council_members"} & cols:
        chk.add(
            raw,
            f"({vf} IS NULL) <> ({cm} IS NULL)",
            "cần ghi cả số phiếu đồng ý và số thành viên Hội đồng",
            "council_members" if "votes_for" in cols else "votes_for",
        )
    if {"votes_for", "council_members", "votes_pct"} <= cols:
        computed = "ratio_centi(votes_for, council_members)"
        chk.add(
            raw,
            f"CASE WHEN votes_pct IS NOT NULL AND council_members > 0 AND votes_for <= council_members "
            f"AND votes_pct BETWEEN 0 AND 100 "
            f"THEN abs({computed} - CAST(votes_pct AS DECIMAL(5,2)) * 100) > 1 ELSE false END",
            "tỷ lệ phiếu bầu không khớp với số phiếu đồng ý / số thành viên (lệch quá 0,01)",
            "votes_pct",
            f"r_votes_pct || ' ≠ ' || centi_dec({computed})",
        )


def _check_registration_subjects(raw: RawTable, chk: Checker, universe: dict[str, str]) -> None:
    for kind, target, what in (("unit", "units", "mã đơn vị"), ("person", "people", "mã cá nhân")):
        chk.add(
            raw,
            f"subject_kind = '{kind}' AND subject IS NOT NULL "
            f"AND subject NOT IN (SELECT id FROM {universe[target]})",
            f"{what} chưa được khai báo (đăng ký của {kind == 'unit' and 'đơn vị' or 'cá nhân'} "
            "ghi mã; đăng ký của nhóm ghi tên nhóm)",
            "subject",
            "subject",
        )


def _check_links(raw: RawTable, chk: Checker, universe: dict[str, str]) -> None:
    """rules.md §11: both ends differ, dates in range, the old unit's last assessed year
    before the link's year, one primary link into a unit, exactly one primary among several
    links out of a unit, no cycle — over the store's links and the imported ones."""
    links, units = universe["all_links"], universe["all_units"]
    chk.add(
        raw,
        "from_unit_id = to_unit_id",
        "đơn vị cũ và đơn vị mới trùng nhau",
        "to_unit_id",
        "to_unit_id",
    )
    chk.add(
        raw,
        "effective_on IS NOT NULL AND (year(effective_on) < $y0 OR year(effective_on) > $y1 + 1)",
        f"ngày hiệu lực phải thuộc các năm {chk.plan.first_year}–{chk.plan.last_year + 1}",
        "effective_on",
        "r_effective_on",
    )
    chk.add(
        raw,
        f"effective_on IS NOT NULL AND coalesce((SELECT u.active_to FROM {units} u "
        f"WHERE u.unit_id = r.from_unit_id), $y1) >= year(effective_on)",
        "đơn vị cũ còn được đánh giá trong năm hiệu lực hoặc sau đó: "
        "«hoạt động đến năm» của đơn vị cũ phải trước năm của ngày hiệu lực",
        "effective_on",
        f"r_effective_on || ' (hoạt động đến năm ' || coalesce((SELECT u.active_to FROM {units} u "
        f"WHERE u.unit_id = r.from_unit_id)::VARCHAR, 'cuối kế hoạch') || ')'",
    )
    chk.add(
        raw,
        f"(coalesce(is_primary, false) OR kind = 'renamed') AND (SELECT count(*) FROM {links} l "
        f"WHERE l.to_unit_id = r.to_unit_id AND l.is_primary) > 1",
        "đơn vị mới có hơn một liên kết chính (chỉ một đơn vị tiền thân được kế thừa lịch sử; "
        "«đổi tên» luôn là liên kết chính)",
        "is_primary",
        "to_unit_id",
    )
    chk.add(
        raw,
        f"(SELECT count(*) FROM {links} l WHERE l.from_unit_id = r.from_unit_id) > 1 "
        f"AND (SELECT count(*) FILTER (WHERE l.is_primary) FROM {links} l "
        f"WHERE l.from_unit_id = r.from_unit_id) <> 1",
        "đơn vị cũ có nhiều liên kết đi: cần đúng một liên kết chính (đơn vị nhận khen thưởng)",
        "is_primary",
        "from_unit_id",
    )
    chk.add(
        raw,
        f"EXISTS (SELECT 1 FROM {universe['reach']} x WHERE x.src = r.to_unit_id "
        "AND x.dst = r.from_unit_id)",
        "liên kết tạo thành vòng (đơn vị mới lại là tiền thân của đơn vị cũ)",
        "to_unit_id",
        "from_unit_id || ' → ' || to_unit_id",
    )


def _check_units_against_links(raw: RawTable, chk: Checker, universe: dict[str, str]) -> None:
    """A unit's last assessed year against the store's links out of it (not re-imported)."""
    stored = universe["stored_links"]
    chk.add(
        raw,
        f"EXISTS (SELECT 1 FROM {stored} l WHERE l.from_unit_id = r.unit_id "
        "AND coalesce(r.active_to, $y1) >= year(l.effective_on))",
        "đơn vị có liên kết sắp xếp trong kho: «hoạt động đến năm» phải trước năm hiệu lực",
        "active_to",
        "r_active_to",
    )


def _check_component_sums(raw: RawTable, chk: Checker, universe: dict[str, str]) -> None:
    """A unit's component scores of a year add up to its unit_scores score and max (± 0,01)."""
    sums, scores = universe["component_sums"], universe["all_scores"]
    known = (
        f"(SELECT u.score, u.max_score FROM {scores} u WHERE u.year = r.year "
        "AND u.unit_id = r.unit_id AND u.score IS NOT NULL AND u.max_score IS NOT NULL)"
    )
    chk.add(
        raw,
        f"NOT EXISTS {known}",
        "chưa có điểm Chỉ số CCHC (điểm đạt được và điểm tối đa) của đơn vị năm này để đối chiếu",
        "unit_id",
        "unit_id || ' / ' || year",
    )
    chk.add(
        raw,
        f"EXISTS {known} AND EXISTS (SELECT 1 FROM {sums} g JOIN {scores} u USING (year, unit_id) "
        "WHERE g.year = r.year AND g.unit_id = r.unit_id AND u.score IS NOT NULL "
        "AND (abs(g.s - u.score) > 0.01 OR abs(g.m - u.max_score) > 0.01))",
        "tổng điểm các lĩnh vực không khớp điểm Chỉ số CCHC của đơn vị năm này (lệch quá 0,01)",
        "score",
        f"(SELECT g.s || '/' || g.m FROM {sums} g WHERE g.year = r.year AND g.unit_id = r.unit_id)"
        f" || ' ≠ ' || (SELECT u.score || '/' || u.max_score FROM {scores} u "
        "WHERE u.year = r.year AND u.unit_id = r.unit_id)",
    )


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
    what = {
        "units": "mã đơn vị",
        "people": "mã cá nhân",
        "components": "mã chỉ số thành phần",
        "subjects": "mã đơn vị hoặc mã cá nhân",
    }[ref]
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
            f"trùng khóa ({', '.join(labels.COLUMNS[raw.name][k][0] for k in spec.key)}) "
            "với một dòng phía trên",
            spec.key[-1],
            " || ' / ' || ".join(f"CAST(r.{k} AS VARCHAR)" for k in spec.key),
        )


# The temp views reference_universe creates (the importer drops them afterwards).
UNIVERSE_VIEWS = (
    "u_units",
    "u_people",
    "u_components",
    "u_subjects",
    "u_all_units",
    "u_all_scores",
    "m_links",
    "u_all_links",
    "u_stored_links",
    "u_reach",
    "m_comps",
    "u_component_sums",
)


def reference_universe(con: duckdb.DuckDBPyConnection, raws: dict[str, RawTable]) -> dict[str, str]:
    """Temp views of what references and cross-table checks read: the store plus the import."""

    def view(name: str, store_sql: str, table: str, col: str) -> str:
        extra = (
            f" UNION SELECT {col} FROM stg_{table} WHERE {col} IS NOT NULL" if table in raws else ""
        )
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT id FROM ({store_sql}{extra}) t(id)"
        )
        return name

    out = {
        "units": view("u_units", "SELECT unit_id FROM units", "units", "unit_id"),
        "people": view("u_people", "SELECT person_id FROM people", "people", "person_id"),
        "components": view(
            "u_components",
            "SELECT component FROM province_components",
            "province_components",
            "component",
        ),
    }
    con.execute(
        "CREATE OR REPLACE TEMP VIEW u_subjects AS SELECT id FROM u_units UNION SELECT id FROM u_people"
    )
    out["subjects"] = "u_subjects"
    out["all_units"] = _merged(con, raws, "units", ("active_from", "active_to", "predecessors"))
    out["all_scores"] = _merged(con, raws, "unit_scores", ("score", "max_score"))
    merged = _merged(con, raws, "unit_links", ("kind", "is_primary", "effective_on"), "m_links")
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW u_all_links AS SELECT from_unit_id, to_unit_id, kind, "
        f"effective_on, coalesce(is_primary, false) OR kind = 'renamed' AS is_primary FROM {merged}"
    )
    out["all_links"] = "u_all_links"
    staged = "stg_unit_links" if "unit_links" in raws else None
    con.execute(
        "CREATE OR REPLACE TEMP VIEW u_stored_links AS SELECT * FROM unit_links l"
        + (
            f" WHERE NOT EXISTS (SELECT 1 FROM {staged} s WHERE s.from_unit_id = l.from_unit_id "
            "AND s.to_unit_id = l.to_unit_id)"
            if staged
            else ""
        )
    )
    out["stored_links"] = "u_stored_links"
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW u_reach AS
        WITH RECURSIVE edges(src, dst) AS (
            SELECT from_unit_id, to_unit_id FROM u_all_links
            UNION SELECT trim(p.pred), u.unit_id FROM {out["all_units"]} u,
                unnest(string_split(u.predecessors, ';')) p(pred) WHERE trim(p.pred) <> ''
        ),
        reach(src, dst) AS (
            SELECT src, dst FROM edges
            UNION SELECT r.src, e.dst FROM reach r JOIN edges e ON e.src = r.dst
        )
        SELECT * FROM reach"""
    )
    out["reach"] = "u_reach"
    comps = _merged(con, raws, "unit_component_scores", ("score", "max_score"), "m_comps")
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW u_component_sums AS SELECT year, unit_id, "
        f"sum(score) AS s, sum(max_score) AS m FROM {comps} GROUP BY year, unit_id"
    )
    out["component_sums"] = "u_component_sums"
    return out


def _merged(
    con: duckdb.DuckDBPyConnection,
    raws: dict[str, RawTable],
    table: str,
    columns: tuple[str, ...],
    name: str | None = None,
) -> str:
    """A temp view of ``table``'s key and ``columns`` as they will be after the import: the
    imported rows (a column absent from the file keeps the stored value) and the others."""
    view = name or f"u_all_{table.removeprefix('unit_')}"
    key = contract.TABLES[table].key
    raw = raws.get(table)
    if raw is None:
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {view} AS SELECT {', '.join(key + columns)} FROM {table}"
        )
        return view
    on = " AND ".join(f"t.{k} = s.{k}" for k in key)
    picks = [f"s.{k}" for k in key] + [f"s.{c}" if c in raw.columns else f"t.{c}" for c in columns]
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {view} AS "
        f"SELECT {', '.join(f'{p} AS {c}' for p, c in zip(picks, key + columns, strict=True))} "
        f"FROM stg_{table} s LEFT JOIN {table} t ON {on} "
        f"UNION ALL SELECT {', '.join(key + columns)} FROM {table} t "
        f"WHERE NOT EXISTS (SELECT 1 FROM stg_{table} s WHERE {on})"
    )
    return view
