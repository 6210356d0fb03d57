"""Importing the PAR Index results table as the province publishes it (issue 12, item 9).

The annex is read (``annex_reader``), each unit's name matched to the store's units
active in the year (``unit_names``); one name unmatched, ambiguous or naming an inactive
unit, or two lines of one unit, and nothing is written. Otherwise the lines become
``unit_scores`` rows written as a contract dataset (a temporary ``unit_scores.csv``) and
imported by ``run_import``: the same checks, all-or-nothing write, audit and import log
as any import. Its problems are named by the annex's sheet, row and header.
"""

from __future__ import annotations

import csv
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from analytics import labels
from analytics.access import Actor
from analytics.errors import InputRejected, Problem, UsageError
from analytics.ingest.annex_reader import Annex, AnnexRow, read_annex
from analytics.ingest.importer import ImportResult, run_import
from analytics.ingest.unit_names import NameMatch, Unit, match_name
from analytics.store import contract
from analytics.store.connection import open_store

TABLE = "unit_scores"
CSV_COLUMNS = contract.TABLES[TABLE].column_names  # year, unit_id, score, max_score, ratio
# What a column holds, as the screen and the CLI name it (the template's headers).
MEANING_LABELS: dict[str | None, str] = {
    "name": labels.COLUMNS["units"]["name"][0],
    **{m: labels.COLUMNS[TABLE][m][0] for m in ("score", "max_score", "ratio")},
    None: "không nhập (bỏ qua)",
}
# How a match is named on screen and in the CLI.
MATCH_LABELS = {
    "exact": "khớp",
    "close": "khớp gần đúng",
    "ambiguous": "khớp nhiều đơn vị",
    "inactive": "đơn vị không hoạt động trong năm",
    "unmatched": "không khớp",
}


@dataclass(frozen=True)
class MatchedLine:
    line: AnnexRow
    match: NameMatch


@dataclass
class ResultsImport:
    """What importing an annex would do: the annex read, each line's match, the problems
    (none: it can be imported) and, after a dry run or an import, the counts."""

    annex: Annex
    year: int
    lines: list[MatchedLine] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    result: ImportResult | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def matched(self) -> list[MatchedLine]:
        return [m for m in self.lines if m.match.is_matched]


def store_units(store_path: Path | str) -> list[Unit]:
    """Every unit of the store with its years of activity."""
    if not Path(store_path).exists():
        raise UsageError("chưa có kho dữ liệu: hãy nhập danh sách đơn vị trước")
    with open_store(store_path, read_only=True) as con:
        rows = con.execute(
            "SELECT unit_id, name, active_from, active_to FROM units ORDER BY unit_id"
        ).fetchall()
    return [Unit(str(r[0]), str(r[1]), r[2], r[3]) for r in rows]


def _names(units: tuple[Unit, ...]) -> str:
    return "; ".join(f"“{u.name}”" for u in units)


def _match_problem(annex: Annex, m: MatchedLine, year: int) -> Problem:
    line, match = m.line, m.match
    if match.status == "ambiguous":
        text = f"khớp nhiều đơn vị: {_names(match.units)}; hãy ghi tên đầy đủ như trong kho"
    elif match.status == "inactive":
        text = f"đơn vị {_names(match.units)} không hoạt động năm {year}"
        if match.suggestions:
            text += f"; đơn vị gần nhất đang hoạt động: {_names(match.suggestions)}"
    else:
        text = f"không khớp đơn vị nào hoạt động năm {year}" + (
            f"; gần nhất: {_names(match.suggestions)}" if match.suggestions else ""
        )
    return Problem(
        annex.where(line.sheet), line.row, annex.header_of(line.sheet, "name"), line.name, text
    )


def _duplicates(annex: Annex, lines: list[MatchedLine]) -> list[Problem]:
    first: dict[str, MatchedLine] = {}
    out = []
    for m in lines:
        if not m.match.is_matched:
            continue
        unit = m.match.unit
        if unit.unit_id in first:
            before = first[unit.unit_id].line
            out.append(
                Problem(
                    annex.where(m.line.sheet),
                    m.line.row,
                    annex.header_of(m.line.sheet, "name"),
                    m.line.name,
                    f"cùng đơn vị “{unit.name}” với dòng {before.row} "
                    f"(trang tính {before.sheet}): mỗi đơn vị một dòng",
                )
            )
        else:
            first[unit.unit_id] = m
    return out


def _values(line: AnnexRow) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """(score, max_score, ratio) as the contract takes them: a score without its maximum
    is left out when the ratio is given (the contract needs both, or the ratio alone)."""
    if line.score is not None and line.max_score is None and line.ratio is not None:
        return None, None, line.ratio
    return line.score, line.max_score, line.ratio


def _text(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def prepare_results(
    path: Path | str, store_path: Path | str, year: int, file: str | None = None
) -> ResultsImport:
    """Read an annex and match its names (nothing written); problems listed, not raised.
    ``file``: the annex's name in messages (an upload's own name; default the path's)."""
    annex = read_annex(Path(path), file)
    out = ResultsImport(annex, year, problems=list(annex.problems))
    if annex.problems:
        return out
    units = store_units(store_path)
    out.lines = [MatchedLine(line, match_name(line.name, units, year)) for line in annex.rows]
    out.problems += [_match_problem(annex, m, year) for m in out.lines if not m.match.is_matched]
    out.problems += _duplicates(annex, out.lines)
    if not out.lines and not out.problems:
        out.problems.append(
            Problem(annex.file, None, None, None, "không có dòng kết quả nào của đơn vị")
        )
    return out


def _write_csv(folder: Path, prepared: ResultsImport) -> list[MatchedLine]:
    """``unit_scores.csv`` of the matched lines (line i + 2 of the file is ``lines[i]``)."""
    with (folder / f"{TABLE}.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(CSV_COLUMNS)
        for m in prepared.lines:
            score, max_score, ratio = _values(m.line)
            w.writerow(
                [prepared.year, m.match.unit.unit_id, _text(score), _text(max_score), _text(ratio)]
            )
    return prepared.lines


def _located(problem: Problem, prepared: ResultsImport, lines: list[MatchedLine]) -> Problem:
    """A problem of the written ``unit_scores.csv`` named by the annex's sheet, row, header."""
    annex = prepared.annex
    index = (problem.row or 0) - 2
    if problem.file != f"{TABLE}.csv" or not 0 <= index < len(lines):
        return Problem(annex.file, None, None, problem.value, problem.message)
    line = lines[index].line
    if problem.column == "year":
        return Problem(annex.file, None, None, str(prepared.year), f"năm: {problem.message}")
    if problem.column == "unit_id":
        return Problem(
            annex.where(line.sheet),
            line.row,
            annex.header_of(line.sheet, "name"),
            line.name,
            problem.message,
        )
    header = annex.header_of(line.sheet, problem.column or "")
    return Problem(
        annex.where(line.sheet),
        line.row,
        header or problem.shown_column,
        problem.value,
        problem.message,
    )


def write_results(
    prepared: ResultsImport,
    store_path: Path | str,
    *,
    actor: Actor | None = None,
    plan_ref: str | None = None,
    dry_run: bool = False,
    file: str | None = None,
) -> ResultsImport:
    """Import a prepared annex all-or-nothing through ``run_import`` (``dry_run``: check
    and count, write nothing); raise InputRejected, naming the annex's sheets and rows, on
    any problem. ``file`` names the annex in the import log (default: its file name)."""
    if prepared.problems:
        raise InputRejected(prepared.problems)
    name = file or prepared.annex.file
    with tempfile.TemporaryDirectory(prefix="thidua-annex-") as tmp:
        lines = _write_csv(Path(tmp), prepared)
        try:
            prepared.result = run_import(
                Path(tmp),
                store_path,
                plan_ref=plan_ref,
                source=f"bảng kết quả công bố: {name} (năm {prepared.year})",
                dry_run=dry_run,
                actor=actor,
            )
        except InputRejected as exc:
            located = [*dict.fromkeys(_located(p, prepared, lines) for p in exc.problems)]
            raise InputRejected(located, exc.total - len(exc.problems) + len(located)) from exc
    return prepared


def import_results(
    path: Path | str,
    store_path: Path | str,
    year: int,
    *,
    actor: Actor | None = None,
    plan_ref: str | None = None,
    dry_run: bool = False,
) -> ResultsImport:
    """Read, match and import an annex's results for ``year`` (see ``write_results``)."""
    prepared = prepare_results(path, store_path, year)
    return write_results(prepared, store_path, actor=actor, plan_ref=plan_ref, dry_run=dry_run)
