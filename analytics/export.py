"""Writing a shortlist in the data contract's CSV format (and stamped variants for people)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import IO, TYPE_CHECKING

from analytics.shortlist import CONTRACT_COLUMNS

if TYPE_CHECKING:  # imported where used: the CLI's COPY path needs no pyarrow
    import pyarrow as pa

BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
    """UTF-8 text with BOM (the caller opens ``out`` as UTF-8), minimal quoting, LF lines.

    ``neutralise`` prefixes cells that a spreadsheet would run as a formula with an
    apostrophe (for files people open in Excel); ``extra`` adds constant stamp columns
    after the nine contract columns.
    """
    rows = contract_rows(table)
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    extra = extra or {}
    writer.writerow(list(CONTRACT_COLUMNS) + list(extra))
    stamp = list(extra.values())
    columns = [rows.column(c).to_pylist() for c in CONTRACT_COLUMNS]
    for values in zip(*columns, strict=True):
        if neutralise:
            values = tuple("'" + v if v.startswith(_FORMULA_START) else v for v in values)
        writer.writerow(list(values) + stamp)


def shortlist_csv_bytes(
    table: pa.Table, *, neutralise: bool = False, stamp: dict[str, str] | None = None
) -> bytes:
    buf = io.StringIO()
    write_shortlist_csv(table, buf, neutralise=neutralise, extra=stamp)
    return buf.getvalue().encode("utf-8")


def stamp(plan_id: str, review_id: str, data_version: str) -> dict[str, str]:
    """The stamp columns every UI export carries (plan, review, data version, time)."""
    return {
        "plan_id": plan_id,
        "review_id": review_id,
        "data_version": data_version,
        "exported_at": dt.datetime.now().replace(microsecond=0).isoformat(sep=" "),
    }


def copy_shortlist_csv(con, sql: str, params: dict, out: IO[bytes]) -> int:
    """Write a shortlist query's contract CSV to a binary stream, letting DuckDB format it.

    DuckDB's CSV writer (minimal quoting, '' for NULL, LF) produces exactly the contract's
    bytes after the BOM, without converting rows to Python objects. Returns the row count.
    """
    import os
    import shutil
    import tempfile

    columns = ", ".join(CONTRACT_COLUMNS)
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
