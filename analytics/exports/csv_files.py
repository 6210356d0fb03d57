"""Every CSV file the software writes: the shortlist in the data contract's format (for
other programs) and tables for people (what-if diffs), through one writer.

UTF-8 with BOM, comma-separated, minimal quoting, LF lines. Files meant to be opened in a
spreadsheet prefix cells that would run as a formula with an apostrophe (``neutralise``).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from typing import IO, TYPE_CHECKING, Any

import duckdb

from analytics.rules.shortlist import CONTRACT_COLUMNS

if TYPE_CHECKING:  # imported where used: the CLI's COPY path needs no pyarrow
    import pyarrow as pa

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def neutralise(cell: str) -> str:
    """A cell a spreadsheet would run as a formula, made plain text ("'=..."); else as is."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def neutralise_sql(column: str) -> str:
    """``neutralise`` in SQL, for DuckDB's own CSV writer (the same starting characters)."""
    starts = ", ".join(QUOTE + c + QUOTE for c in FORMULA_START)
    return (
        f"CASE WHEN left({column}, 1) IN ({starts}) THEN {QUOTE * 4} || {column} ELSE {column} END"
    )


def write_rows(
    out: IO[str],
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    neutralised: bool = False,
    extra: dict[str, str] | None = None,
) -> None:
    """The one CSV writer: BOM, header, rows (text cells), constant ``extra`` columns."""
    extra = extra or {}
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(list(header) + list(extra))
    tail = list(extra.values())
    for values in rows:
        cells = [neutralise(v) for v in values] if neutralised else list(values)
        writer.writerow(cells + tail)


def contract_rows(table: pa.Table) -> pa.Table:
    """The nine contract columns as text: rank an integer, window_avg two decimals, blank = ''."""
    import pyarrow as pa
    import pyarrow.compute as pc

    cols = {}
    for name in CONTRACT_COLUMNS:
        col = table.column(name)
        if name in ("rank", "window_avg"):
            col = pc.cast(col, pa.string())
        cols[name] = pc.fill_null(col, "")
    return pa.table(cols)


def write_shortlist_csv(
    table: pa.Table, out: IO[str], *, neutralise: bool = False, extra: dict[str, str] | None = None
) -> None:
    """A shortlist in the contract's CSV format (``out`` opened as UTF-8 text)."""
    rows = contract_rows(table)
    columns = [rows.column(c).to_pylist() for c in CONTRACT_COLUMNS]
    write_rows(
        out, CONTRACT_COLUMNS, zip(*columns, strict=True), neutralised=neutralise, extra=extra
    )


def shortlist_csv_bytes(
    table: pa.Table, *, neutralise: bool = False, stamp: dict[str, str] | None = None
) -> bytes:
    buf = io.StringIO()
    write_shortlist_csv(table, buf, neutralise=neutralise, extra=stamp)
    return buf.getvalue().encode("utf-8")


def table_csv_bytes(
    header: Sequence[str], rows: Iterable[Sequence[Any]], stamp: dict[str, str]
) -> bytes:
    """A table for people as CSV: blanks for missing values, neutralised, stamped."""
    buf = io.StringIO()
    import pandas as pd

    text_rows = (["" if pd.isna(v) else str(v) for v in r] for r in rows)
    write_rows(buf, header, text_rows, neutralised=True, extra=stamp)
    return buf.getvalue().encode("utf-8")


def copy_shortlist_csv(
    con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any], out: IO[bytes]
) -> int:
    """Write a shortlist query's contract CSV to a binary stream, letting DuckDB format it,
    neutralised as the dashboard's (``neutralise_sql``).

    DuckDB's CSV writer (minimal quoting, '' for NULL, LF) produces exactly the contract's
    bytes after the BOM, without converting rows to Python objects. Returns the row count.
    """
    columns = ", ".join(
        c if c in ("rank", "window_avg") else f"{neutralise_sql(c)} AS {c}"
        for c in CONTRACT_COLUMNS
    )
    fd, tmp = tempfile.mkstemp(suffix=".csv")
    os.close(fd)
    try:
        con.execute(
            f"COPY (SELECT {columns} FROM ({sql})) TO '{tmp}' (HEADER, DELIMITER ',')", params
        )
        out.write(BOM.encode("utf-8"))
        with open(tmp, "rb") as fh:
            shutil.copyfileobj(fh, out, 1 << 20)
            fh.seek(0)
            rows = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b"")) - 1
    finally:
        os.unlink(tmp)
    return rows
