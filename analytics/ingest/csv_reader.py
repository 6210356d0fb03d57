"""Reading one CSV file into a raw all-text table, keeping each record's physical line.

Messages name that line; blank lines and multi-line cells make it differ from the record count.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import sys
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from analytics.errors import Problem
from analytics.ingest.raw import (
    MAX_CELL_CHARS,
    MAX_ROWS,
    RawTable,
    cell_problem,
    map_header,
    too_large,
)

_CHUNK = 1 << 22
# Of the forbidden characters (raw.FORBIDDEN_CHARS): the non-characters U+FFFE, U+FFFF in
# UTF-8 (the control bytes are found by `_scan`'s comparison).
_NONCHAR_BYTES = re.compile(b"\xef\xbf[\xbe\xbf]")
_ALLOWED_CONTROLS = np.array([0x09, 0x0A, 0x0D], np.uint8)  # tab, LF, CR


def _scan(chunk: bytes, before: bytes) -> tuple[int | None, int]:
    """(offset in ``chunk`` of its first forbidden character or None, its LF count).

    The control bytes are found with one vectorised comparison (the few bytes below 0x20
    are nearly all line ends, which are counted from the same selection); U+FFFE/U+FFFF
    (EF BF BE/BF) only in a chunk that is not ASCII, ``before`` being the previous chunk's
    last two bytes (a character may straddle two chunks). Scanning 99 MB: ~25 ms, where
    `bytes.translate`, `bytes.count` and `in` took ~0,2 s.
    """
    arr = np.frombuffer(chunk, np.uint8)
    low = np.flatnonzero(arr < 0x20)
    controls = arr[low]
    bad = low[~np.isin(controls, _ALLOWED_CONTROLS)]
    first = int(bad[0]) if bad.size else None
    if not chunk.isascii():
        buf = before + chunk
        if (m := _NONCHAR_BYTES.search(buf)) is not None:
            at = m.start() - len(before)
            first = at if first is None else min(first, at)
    return first, int(np.count_nonzero(controls == 0x0A))


# Python's csv module refuses fields over 131 072 characters with an error; the limit of a
# cell is ours (raw.MAX_CELL_CHARS, checked with its row and column), not the module's.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _check_utf8(path: Path, file: str, digest: Any) -> tuple[list[Problem], int]:
    """Stream the file once: UTF-8 validity (with the line of the first bad byte), the
    forbidden characters (raw.FORBIDDEN_CHARS, on the raw bytes: nothing has read the text
    yet) and the hash; with the number of line feeds (``_fix_line_numbers`` needs it)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    first = True
    offset = 0  # of the current chunk in the file
    tail = b""  # the last bytes of the previous chunk: a character may straddle two
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
            at, newlines = _scan(chunk, tail)
            if at is not None:
                return [_forbidden_at(path, file, offset + at)], 0
            tail = chunk[-2:]
            offset += len(chunk)
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
                    ], 0
            # ASCII is UTF-8: decoded only when not ASCII or a character is cut before it
            if not chunk.isascii() or decoder.getstate()[0]:
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
                    ], 0
            line += newlines
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return [Problem(file, line, None, None, "tệp kết thúc giữa một ký tự UTF-8")], 0
    return [], line - 1


def _forbidden_at(path: Path, file: str, at: int) -> Problem:
    """The problem of the forbidden character at byte ``at``: its line, column and cell."""
    with path.open("rb") as fh:
        head = fh.read(at)
    line = head.count(b"\n") + 1
    text = path.read_bytes().decode("utf-8", "replace")
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header: list[str] = []
    start = 1
    for record in reader:
        end = reader.line_num
        if not header:
            header = record
        if start <= line <= end:
            for i, cell in enumerate(record):
                problem = cell_problem(file, start, _column_name(header, i), cell)
                if problem is not None:
                    return problem
            break
        start = end + 1
    return cell_problem(file, line, None, text) or Problem(file, line, None, None, "")


def _column_name(header: list[str], i: int) -> str:
    return header[i] if i < len(header) and header[i].strip() else f"thứ {i + 1}"


def _first_line(path: Path) -> str | None:
    """The header line, or None when it is over any sensible length (no newline soon)."""
    limit = 64 * MAX_CELL_CHARS
    with path.open("r", encoding="utf-8-sig", newline="") as fh:
        line = fh.readline(limit)
    return None if len(line) >= limit and not line.endswith("\n") else line


def load_csv(
    con: duckdb.DuckDBPyConnection, table: str, path: Path, digest: Any, file: str | None = None
) -> tuple[RawTable | None, list[Problem]]:
    file = file or path.name
    if big := too_large(path, file):
        return None, [big]
    if path.stat().st_size == 0:
        return None, [Problem(file, None, None, None, "tệp rỗng (không có dòng tiêu đề)")]
    problems, newlines = _check_utf8(path, file, digest)
    if problems:
        return None, problems
    first = _first_line(path)
    if first is None:
        return None, [Problem(file, 1, None, None, "dòng tiêu đề quá dài")]
    if not first.strip():
        return None, [Problem(file, 1, None, None, "dòng đầu tiên phải là dòng tiêu đề (tên cột)")]
    header = next(csv.reader([first]))
    if too_long := [
        p for i, h in enumerate(header) if (p := cell_problem(file, 1, f"thứ {i + 1}", h))
    ]:
        return None, too_long
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
            " quote='\"', escape='\"', strict_mode=true, null_padding=false, encoding='utf-8',"
            # nullstr: a character the byte scan refuses, so that no field reads as NULL
            # here: with the default '' a trailing empty field passed the field count
            # (blank cells become NULL in staging, parse._norm)
            " max_line_size=$max_line, nullstr='\x01')",
            {"p": str(path), "max_line": _max_line(len(cols))},
        )
    except duckdb.Error as exc:  # duckdb's CSV errors name the line
        return None, [_csv_error(file, str(exc))]
    _fix_line_numbers(con, table, path, newlines)
    # No _row column: the line of a record is rowid + 2 (insertion order is preserved).
    return _finish_raw(con, table, file, [c for c in cols if c], bool(blank))


def _csv_error(file: str, text: str) -> Problem:
    """DuckDB's CSV error in words (its text quotes the whole line: it is not repeated)."""
    m = re.search(r"CSV Error on Line: (\d+)", text)
    row = int(m[1]) if m else None
    if "Maximum line size" in text:
        return Problem(file, row, None, None, "dòng dài quá giới hạn của một bản ghi")
    if found := re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text):
        return Problem(
            file,
            row,
            None,
            None,
            f"số ô của dòng ({found[2]}) khác số cột của dòng tiêu đề ({found[1]})",
        )
    if "quote" in text.lower():
        return Problem(file, row, None, None, 'dấu ngoặc kép (") không khép đúng')
    first = text.split("\n", 1)[0][:200]
    return Problem(file, row, None, None, f"không đọc được dạng CSV ({first})")


def _max_line(n_columns: int) -> int:
    """Bytes a record may take: every cell at the limit (4 bytes a character), and quotes."""
    return max(1 << 20, n_columns * (4 * MAX_CELL_CHARS + 8))


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


def _fix_line_numbers(
    con: duckdb.DuckDBPyConnection, table: str, path: Path, newlines: int
) -> None:
    """Give raw_<table> a _row column when blank lines or multi-line cells shift rowid + 2
    (``newlines``: the file's line feeds, counted by ``_check_utf8``)."""
    n = con.execute(f"SELECT count(*) FROM raw_{table}").fetchall()[0][0]
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
    if n > MAX_ROWS:
        problems.append(
            Problem(file, None, None, None, f"quá giới hạn {MAX_ROWS:_} dòng".replace("_", "."))
        )
    return (None if problems else RawTable(table, file, tuple(cols), n)), problems
