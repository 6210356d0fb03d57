"""The tables the Dữ liệu page shows about a published results table before importing
it: how its columns were read, how each unit's name matched, the rows skipped."""

from __future__ import annotations

import pandas as pd

from analytics.ingest.results_annex import MATCH_LABELS, MEANING_LABELS, ResultsImport

MAPPING_HEADERS = ("Trang tính", "Cột", "Tiêu đề trong tệp", "Đọc là")
MATCH_HEADERS = ("Trang tính", "Dòng", "Tên trong tệp", "Đơn vị trong kho", "Kết quả khớp")
SKIPPED_HEADERS = ("Trang tính", "Dòng", "Nội dung", "Lý do bỏ qua")


def mapping_frame(prepared: ResultsImport) -> pd.DataFrame:
    """One row per column of each sheet's header: the header as written → its meaning."""
    return pd.DataFrame(
        [(c.sheet, c.letter, c.header, MEANING_LABELS[c.meaning]) for c in prepared.annex.columns],
        columns=list(MAPPING_HEADERS),
    )


def matches_frame(prepared: ResultsImport) -> pd.DataFrame:
    """One row per unit line: the name in the file → the unit in the store (or the
    candidates, or the closest units when none matched)."""
    rows = []
    for m in prepared.lines:
        match = m.match
        if match.is_matched:
            found = match.unit.name
        elif match.units:
            found = "; ".join(u.name for u in match.units)
        else:
            found = "gần nhất: " + "; ".join(u.name for u in match.suggestions)
        rows.append((m.line.sheet, str(m.line.row), m.line.name, found, MATCH_LABELS[match.status]))
    return pd.DataFrame(rows, columns=list(MATCH_HEADERS))


def skipped_frame(prepared: ResultsImport) -> pd.DataFrame:
    """The sheets and rows read but not imported, and why."""
    return pd.DataFrame(
        [
            (s.sheet, "" if s.row is None else str(s.row), s.text, s.reason)
            for s in prepared.annex.skipped
        ],
        columns=list(SKIPPED_HEADERS),
    )
