"""Reading one CSV file into a raw all-text table, keeping each record's physical line.

Messages name that line; blank lines and multi-line cells make it differ from the record count.
"""

from __future__ import annotations

import codecs
import csv
import re
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from analytics.errors import Problem
from analytics.ingest.raw import RawTable, map_header, too_large

_CHUNK = 1 << 22


def _check_utf8(path: Path, file: str, digest: Any) -> list[Problem]:
    """Stream the file once: UTF-8 validity (with the line of the first bad byte) and hash."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    first = True
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
            if first:
                first = False
                if chunk.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                    return [
                        Problem(
                            file,
                            None,
                            None,
                            None,
                            "tệp mã hóa UTF-16; hãy lưu lại dưới dạng CSV UTF-8",
                        )
                    ]
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                line += chunk[: exc.start].count(b"\n")
                return [
                    Problem(
                        file,
                        line,
                        None,
                        None,
                        "tệp không phải UTF-8 (có thể là TCVN3/VNI hoặc Windows-1258); "
                        "hãy lưu lại dưới dạng CSV UTF-8",
                    )
                ]
            line += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return [Problem(file, line, None, None, "tệp kết thúc giữa một ký tự UTF-8")]
    return []


def _first_line(path: Path) -> str:
    with path.open("r", encoding="utf-8-sig", newline="") as fh:
        return fh.readline()


def load_csv(
    con: duckdb.DuckDBPyConnection, table: str, path: Path, digest: Any, file: str | None = None
) -> tuple[RawTable | None, list[Problem]]:
    file = file or path.name
    if big := too_large(path, file):
        return None, [big]
    if path.stat().st_size == 0:
        return None, [Problem(file, None, None, None, "tệp rỗng (không có dòng tiêu đề)")]
    problems = _check_utf8(path, file, digest)
    if problems:
        return None, problems
    first = _first_line(path)
    if not first.strip():
        return None, [Problem(file, 1, None, None, "dòng đầu tiên phải là dòng tiêu đề (tên cột)")]
    header = next(csv.reader([first]))
    cols, problems = map_header(table, file, header)
    if problems:
        return None, problems
    names = [f"c{i}" for i in range(len(cols))]
    spec = ", ".join(f"'{n}': 'VARCHAR'" for n in names)
    select = ", ".join(f"{n} AS {c}" for n, c in zip(names, cols, strict=True) if c)
    blank = [n for n, c in zip(names, cols, strict=True) if c is None]
    try:
        con.execute(f"DROP TABLE IF EXISTS raw_{table}")
        con.execute(
            f"CREATE TEMP TABLE raw_{table} AS SELECT {select}"
            + (f", concat_ws('', {', '.join(blank)}) AS _blank" if blank else "")
            + f" FROM read_csv($p, header=true, auto_detect=false, columns={{{spec}}}, delim=',',"
            " quote='\"', escape='\"', strict_mode=true, null_padding=false, encoding='utf-8')",
            {"p": str(path)},
        )
    except Exception as exc:  # duckdb's CSV errors name the line; keep the first lines
        detail = " ".join(str(exc).split("\n")[:3])
        m = re.search(r"CSV Error on Line: (\d+)", str(exc))
        row = int(m[1]) if m else None
        return None, [Problem(file, row, None, None, f"không đọc được dạng CSV: {detail}")]
    _fix_line_numbers(con, table, path)
    # No _row column: the line of a record is rowid + 2 (insertion order is preserved).
    return _finish_raw(con, table, file, [c for c in cols if c], bool(blank))


def _has_row(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return "_row" in {c[0] for c in con.execute(f"DESCRIBE raw_{table}").fetchall()}


def _record_lines(path: Path) -> list[int]:
    """The physical line where each non-empty record after the header starts."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        starts, start = [], 1
        for record in reader:
            if record:
                starts.append(start)
            start = reader.line_num + 1
    return starts[1:]


def _fix_line_numbers(con: duckdb.DuckDBPyConnection, table: str, path: Path) -> None:
    """Give raw_<table> a _row column when blank lines or multi-line cells shift rowid + 2."""
    n = con.execute(f"SELECT count(*) FROM raw_{table}").fetchall()[0][0]
    with path.open("rb") as fh:
        newlines = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(_CHUNK), b""))
    with path.open("rb") as fh:
        fh.seek(-1, 2)
        unterminated = fh.read(1) != b"\n"
    if n + 1 == newlines + unterminated:
        return  # one line per record and no blank lines: rowid + 2 is the line
    lines = _record_lines(path)
    arrow = pa.table(  # noqa: F841 (read by DuckDB's replacement scan)
        {"_i": pa.array(range(len(lines)), pa.int64()), "_row": pa.array(lines, pa.int64())}
    )  # noqa: F841
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE raw_{table} AS "
        f"SELECT r.*, a._row FROM raw_{table} r JOIN arrow a ON r.rowid = a._i ORDER BY a._i"
    )


def _finish_raw(
    con: duckdb.DuckDBPyConnection, table: str, file: str, cols: list[str], has_blank: bool
) -> tuple[RawTable | None, list[Problem]]:
    problems: list[Problem] = []
    if has_blank:
        rows = con.execute(
            f"SELECT {'_row' if _has_row(con, table) else 'rowid + 2'} AS line, _blank FROM raw_{table} "
            "WHERE coalesce(trim(_blank), '') <> '' "
            "ORDER BY line LIMIT 5"
        ).fetchall()
        problems += [
            Problem(file, r, None, v, "có giá trị trong cột không có tên") for r, v in rows
        ]
        con.execute(f"ALTER TABLE raw_{table} DROP COLUMN _blank")
    n = con.execute(f"SELECT count(*) FROM raw_{table}").fetchall()[0][0]
    return (None if problems else RawTable(table, file, tuple(cols), n)), problems
