"""Reading a dataset (a folder of CSV files, one CSV file, or an .xlsx workbook) into
raw all-text DuckDB tables, with the row number of every record kept for messages.

Nothing here interprets values; ``analytics.importing`` parses and validates in SQL.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import os
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyarrow as pa

from analytics import contract, labels

MAX_IMPORT_BYTES = int(os.environ.get("THIDUA_MAX_IMPORT_BYTES", str(1 << 30)))
INSTRUCTIONS_SHEET = "Hướng dẫn"
_CHUNK = 1 << 22


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where (file, row, column), what, and what is expected."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", dòng {self.row}"
        if self.column:
            where += f", cột {self.column}"
        value = "" if self.value is None else f" (giá trị {self.value!r})"
        return f"{where}{value}: {self.message}"


class InputRejected(Exception):
    """The input has problems; nothing was written."""

    def __init__(self, problems: list[Problem], total: int | None = None):
        self.problems = problems
        self.total = total if total is not None else len(problems)
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  … và {self.total - 50} lỗi khác" if self.total > 50 else ""
        super().__init__(f"{self.total} lỗi trong dữ liệu nhập:\n{shown}{more}")


@dataclass
class RawTable:
    """A table read as text into DuckDB temp table ``raw_<name>`` (column ``_row`` = line)."""

    name: str
    file: str
    columns: tuple[str, ...]
    rows: int


def _norm_header(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\ufeff", "")).strip().casefold()


def _header_map(table: str) -> dict[str, str]:
    spec = contract.TABLES[table]
    mapping = {_norm_header(c): c for c in spec.column_names}
    for col, (label, _help) in labels.COLUMNS[table].items():
        mapping.setdefault(_norm_header(label), col)
    return mapping


def map_header(table: str, file: str, header: list[str]) -> tuple[list[str | None], list[Problem]]:
    """Canonical column name for each header cell (None = blank header), and problems."""
    mapping = _header_map(table)
    spec = contract.TABLES[table]
    out: list[str | None] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, cell in enumerate(header, start=1):
        key = _norm_header(cell or "")
        if not key:
            out.append(None)
            continue
        col = mapping.get(key)
        if col is None:
            problems.append(
                Problem(
                    file,
                    1,
                    cell,
                    None,
                    f"cột không có trong mẫu dữ liệu; các cột hợp lệ: {', '.join(spec.column_names)}",
                )
            )
            out.append(None)
            continue
        if col in seen:
            problems.append(
                Problem(
                    file, 1, cell, None, f"cột {col} xuất hiện hai lần (cột {seen[col]} và {i})"
                )
            )
        seen[col] = i
        out.append(col)
    present = {c for c in out if c}
    for c in spec.columns:
        if c.required and c.name not in present:
            problems.append(Problem(file, 1, c.name, None, "thiếu cột bắt buộc"))
    return out, problems


def table_for_name(stem: str) -> str | None:
    key = _norm_header(stem)
    for name in contract.TABLES:
        if key == name:
            return name
    for name, label in labels.TABLES.items():
        if key == _norm_header(label):
            return name
    return None


def _check_utf8(path: Path, file: str, digest) -> list[Problem]:
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
    con, table: str, path: Path, digest, file: str | None = None
) -> tuple[RawTable | None, list[Problem]]:
    file = file or path.name
    size = path.stat().st_size
    if size > MAX_IMPORT_BYTES:
        return None, [
            Problem(
                file,
                None,
                None,
                None,
                f"tệp quá lớn ({size:,} byte; giới hạn {MAX_IMPORT_BYTES:,} byte)",
            )
        ]
    if size == 0:
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


def _has_row(con, table: str) -> bool:
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


def _fix_line_numbers(con, table: str, path: Path) -> None:
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


def _finish_raw(con, table: str, file: str, cols: list[str], has_blank: bool):
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


def _cell_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        fmt = getattr(cell, "number_format", "") or ""
        if "%" in fmt:
            number *= 100  # a % cell stores 0.855 for 85.5 %
        text = format(number.normalize(), "f")
        return text
    return str(value)


def load_xlsx(con, path: Path, digest) -> tuple[list[RawTable], list[Problem]]:
    """Each sheet named like a contract table (or its Vietnamese label) becomes a raw table."""
    import openpyxl  # imported here: only needed for workbooks

    file = path.name
    size = path.stat().st_size
    if size > MAX_IMPORT_BYTES:
        return [], [
            Problem(
                file,
                None,
                None,
                None,
                f"tệp quá lớn ({size:,} byte; giới hạn {MAX_IMPORT_BYTES:,} byte)",
            )
        ]
    data = path.read_bytes()
    digest.update(data)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        return [], [Problem(file, None, None, None, f"không mở được tệp Excel: {exc}")]
    raws: list[RawTable] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    try:
        for ws in wb.worksheets:
            if _norm_header(ws.title) == _norm_header(INSTRUCTIONS_SHEET):
                continue
            table = table_for_name(ws.title)
            where = f"{file} [{ws.title}]"
            if table is None:
                problems.append(
                    Problem(
                        where,
                        None,
                        None,
                        None,
                        f"trang tính không thuộc mẫu dữ liệu; tên hợp lệ: {', '.join(contract.TABLES)}",
                    )
                )
                continue
            if table in seen:
                problems.append(
                    Problem(where, None, None, None, f"trùng bảng với trang tính {seen[table]}")
                )
                continue
            seen[table] = ws.title
            rows = ws.iter_rows()
            header_cells = next(rows, None)
            if header_cells is None:
                problems.append(
                    Problem(where, None, None, None, "trang tính rỗng (không có dòng tiêu đề)")
                )
                continue
            cols, hp = map_header(table, where, [_cell_text(c) for c in header_cells])
            if hp:
                problems += hp
                continue
            data_cols: list[list[str]] = [[] for _ in cols]
            row_numbers: list[int] = []
            for i, row in enumerate(rows, start=2):
                texts = [_cell_text(c) for c in row]
                if not any(t.strip() for t in texts):
                    continue  # Excel keeps empty formatted rows; they are not data
                texts += [""] * (len(cols) - len(texts))
                for j, col in enumerate(cols):
                    if col is None and texts[j].strip():
                        problems.append(
                            Problem(where, i, None, texts[j], "có giá trị trong cột không có tên")
                        )
                    data_cols[j].append(texts[j])
                row_numbers.append(i)
            arrays = {
                c: pa.array(v, pa.string()) for c, v in zip(cols, data_cols, strict=True) if c
            }
            arrays["_row"] = pa.array(row_numbers, pa.int64())
            arrow = pa.table(arrays)  # noqa: F841 (read by DuckDB's replacement scan)
            con.execute(f"DROP TABLE IF EXISTS raw_{table}")
            con.execute(f"CREATE TEMP TABLE raw_{table} AS SELECT * FROM arrow")
            raws.append(RawTable(table, where, tuple(c for c in cols if c), len(row_numbers)))
    finally:
        wb.close()
    return raws, problems


def load_dataset(con, path: Path) -> tuple[list[RawTable], list[Problem], str]:
    """Read every table file of a dataset; returns raw tables, problems and a content hash."""
    path = Path(path)
    digest = hashlib.sha256()
    raws: list[RawTable] = []
    problems: list[Problem] = []
    if not path.exists():
        return [], [Problem(str(path), None, None, None, "không tìm thấy tệp hoặc thư mục")], ""
    if path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
        raws, problems = load_xlsx(con, path, digest)
        return raws, problems, digest.hexdigest()
    files = [path] if path.is_file() else sorted(p for p in path.iterdir() if p.is_file())
    seen: dict[str, str] = {}
    for f in files:
        if f.suffix.lower() != ".csv":
            if path.is_file():
                problems.append(Problem(f.name, None, None, None, "chỉ nhận tệp .csv hoặc .xlsx"))
            continue
        table = table_for_name(f.stem)
        if table is None:
            problems.append(
                Problem(
                    f.name,
                    None,
                    None,
                    None,
                    f"tên tệp không thuộc mẫu dữ liệu; tên hợp lệ: {', '.join(t + '.csv' for t in contract.TABLES)}",
                )
            )
            continue
        if table in seen:
            problems.append(Problem(f.name, None, None, None, f"trùng bảng với tệp {seen[table]}"))
            continue
        seen[table] = f.name
        raw, p = load_csv(con, table, f, digest)
        problems += p
        if raw:
            raws.append(raw)
    if not raws and not problems:
        problems.append(
            Problem(str(path), None, None, None, "không có tệp dữ liệu nào (.csv) để nhập")
        )
    return raws, problems, digest.hexdigest()
