"""The award page's view of a shortlist: counts per status, display tables with
Vietnamese labels and the criteria detail, per (award, category).

Pure pandas over the engine's shortlist (``analytics.rules.shortlist.evaluate_review``):
no query, no rule; every status and reason comes from the engine unchanged.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analytics import fmt, labels


def rows_of(table: pd.DataFrame, award: str, category: str) -> pd.DataFrame:
    """The engine's rows of one (award, category), in the engine's order."""
    mask = (table["award"] == award) & (table["category"] == category)
    return table[mask]


def by_category(table: pd.DataFrame) -> dict[tuple[str, str], pd.DataFrame]:
    """The rows of every (award, category) at once, each in the engine's order (splitting a
    national review once is ~10× cheaper than one ``rows_of`` mask per category)."""
    return {key: rows for key, rows in table.groupby(["award", "category"], sort=False)}


VIEW_ROWS = 50  # categories up to this size are shown whole (pages.PAGE_SIZE uses it)


@dataclass(frozen=True)
class CategoryView:
    """What the awards page shows of one (award, category), computed once per shortlist:
    its rows, the status counts line, the display table and the criteria matrix."""

    rows: pd.DataFrame
    counts: str
    table: pd.DataFrame
    matrix: pd.DataFrame

    def tables_for(self, rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(display table, criteria matrix) of ``rows``: the precomputed ones when ``rows``
        is the whole category, else built for that page of it."""
        if rows is self.rows:
            return self.table, self.matrix
        return display_table(rows), criteria_matrix(rows)


def category_views(table: pd.DataFrame) -> dict[tuple[str, str], CategoryView]:
    """``by_category`` with each category's counts, display table and criteria matrix.
    A category too long to show whole gets its tables per page (``tables_for``)."""
    out = {}
    for key, rows in by_category(table).items():
        small = len(rows) <= VIEW_ROWS
        out[key] = CategoryView(
            rows=rows,
            counts=counts_text(status_counts(rows)),
            table=display_table(rows) if small else pd.DataFrame(),
            matrix=criteria_matrix(rows) if small else pd.DataFrame(),
        )
    return out


def _folded(text: str) -> str:
    """Lower case without diacritics ("Sở Tư pháp" -> "so tu phap"; đ -> d), for search."""
    decomposed = unicodedata.normalize("NFD", str(text).casefold().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def filter_rows(rows: pd.DataFrame, status: str | None = None, query: str = "") -> pd.DataFrame:
    """The rows of one status (None = all) whose id or name contains ``query``, ignoring
    case and diacritics ("tu phap" finds "Sở Tư pháp"); the engine's order is kept."""
    out = rows if status is None else rows[rows["status"] == status]
    needle = _folded(query.strip())
    if not needle:
        return out
    ids = out["subject_id"].map(_folded)
    names = out["subject_name"].map(_folded)
    return out[ids.str.contains(needle, regex=False) | names.str.contains(needle, regex=False)]


def status_counts(rows: pd.DataFrame) -> dict[str, int]:
    """Candidates per status (every status, zero when none), in display order."""
    counts = rows["status"].value_counts()
    return {s: int(counts.get(s, 0)) for s in labels.STATUS_ORDER}


def counts_text(counts: dict[str, int]) -> str:
    """'🏅 Đề nghị khen thưởng: 5 · 🟡 Dự phòng…: 3' (statuses with at least one)."""
    parts = [f"{labels.status_label(s)}: {n}" for s, n in counts.items() if n]
    return " · ".join(parts) if parts else "Không có ứng viên"


DISPLAY_COLUMNS = {
    "rank": "Thứ hạng",
    "subject_name": "Tên",
    "status": "Kết quả",
    "window_avg": "Chỉ số TB giai đoạn",
    "reasons": "Lý do",
}


def names_with_recipients(rows: pd.DataFrame) -> list[str]:
    """Each candidate's name, and for a unit whose award goes to another unit at the
    decision date "X — đơn vị nhận: Y" (rules.md §11)."""
    if "recipient_id" not in rows.columns:
        return [str(n) for n in rows["subject_name"]]
    return [
        labels.named_with_recipient(*row)
        for row in zip(
            rows["subject_id"], rows["subject_name"], rows["recipient_id"],
            rows["recipient_name"], strict=True,
        )
    ]  # fmt: skip


def recipient_warnings(table: pd.DataFrame) -> pd.DataFrame:
    """The units without a recipient (no body left at the decision date) or whose recipient
    is not known yet (no decision date): one row per unit, with why."""
    if "recipient_state" not in table.columns:
        return pd.DataFrame(columns=["Tên", "Đơn vị nhận"])
    rows = table[table["recipient_state"].isin(["none", "unknown"])]
    rows = rows.drop_duplicates("subject_id")
    why = {
        "none": "không còn đơn vị nhận khen thưởng (không đề nghị)",
        "unknown": "chưa xác định: chưa có ngày quyết định",
    }
    return pd.DataFrame(
        {
            "Tên": rows["subject_name"].tolist(),
            "Đơn vị nhận": [why[s] for s in rows["recipient_state"]],
        }
    )


def deferred_table(table: pd.DataFrame) -> pd.DataFrame:
    """The deferred candidates ("chưa xét khen thưởng"), one row per subject: why, and what
    clears them (the reason says it: reconsidered once the matter is concluded)."""
    rows = table[table["status"] == "deferred"].drop_duplicates("subject_id")
    return pd.DataFrame(
        {
            "Tên": names_with_recipients(rows),
            "Lý do": rows["reasons"].fillna("").tolist(),
        }
    )


def display_table(rows: pd.DataFrame) -> pd.DataFrame:
    """One category's candidates with Vietnamese headers and formatted values."""
    out = pd.DataFrame(
        {
            "rank": [("" if pd.isna(r) else str(int(r))) for r in rows["rank"]],
            "subject_name": names_with_recipients(rows),
            "status": [labels.status_label(s) for s in rows["status"]],
            "window_avg": [fmt.pct(v) for v in rows["window_avg"]],
            "reasons": rows["reasons"].fillna("").tolist(),
        }
    )
    return out.rename(columns=DISPLAY_COLUMNS)


def criteria_matrix(rows: pd.DataFrame) -> pd.DataFrame:
    """Candidates × criteria, each cell a text badge "Đạt" / "Không đạt" / "Chưa đủ dữ
    liệu" (readable without an emoji font); the columns are "Tiêu chuẩn 1", "Tiêu chuẩn
    2"… (a long criterion label would be cut off: ``criteria_legend`` names them). Needs
    the shortlist computed with detail."""
    if "criteria" not in rows.columns or rows.empty:
        return pd.DataFrame()
    records = []
    columns: list[str] = []
    for name, crits in zip(rows["subject_name"], rows["criteria"], strict=True):
        rec = {"Tên": name}
        for c in _as_list(crits):
            if c["label"] not in columns:
                columns.append(c["label"])
            rec[criterion_header(columns.index(c["label"]))] = labels.STATES.get(c["state"], "")
        records.append(rec)
    headers = [criterion_header(i) for i in range(len(columns))]
    return pd.DataFrame(records, columns=["Tên", *headers]).fillna("")


def criterion_header(index: int) -> str:
    """The matrix column of the criterion at ``index`` (0-based): 'Tiêu chuẩn 1'."""
    return f"Tiêu chuẩn {index + 1}"


def criteria_legend(rows: pd.DataFrame) -> list[tuple[str, str]]:
    """(column header, full criterion label) of the matrix of ``rows``, in column order."""
    if "criteria" not in rows.columns:
        return []
    columns: list[str] = []
    for crits in rows["criteria"]:
        for c in _as_list(crits):
            if c["label"] not in columns:
                columns.append(c["label"])
    return [(criterion_header(i), label) for i, label in enumerate(columns)]


def criteria_detail(crits: Any) -> pd.DataFrame:
    """One candidate's criteria: label, Đạt / Không đạt / Chưa đủ dữ liệu, evidence."""
    return pd.DataFrame(
        [
            {
                "Tiêu chuẩn": c["label"],
                "Kết quả": labels.STATES.get(c["state"], ""),
                "Căn cứ (số liệu)": c["evidence"] or "",
            }
            for c in _as_list(crits)
        ],
        columns=["Tiêu chuẩn", "Kết quả", "Căn cứ (số liệu)"],
    )


def _as_list(crits: Any) -> list[dict[str, Any]]:
    if crits is None:
        return []
    try:
        return list(crits)
    except TypeError:
        return []


def review_counts(table: pd.DataFrame) -> dict[str, int]:
    return status_counts(table)


def criteria_of(rows: pd.DataFrame, subject_id: str) -> list[dict[str, Any]]:
    """The criteria detail of one candidate of a category (empty when not computed)."""
    found = rows.loc[rows["subject_id"] == subject_id]
    if found.empty or "criteria" not in found.columns:
        return []
    return _as_list(found["criteria"].iloc[0])


def reason_of(rows: pd.DataFrame, subject_id: str) -> str:
    """The full reason of one candidate of a category (the table may cut it off)."""
    found = rows.loc[rows["subject_id"] == subject_id, "reasons"]
    return "" if found.empty or pd.isna(found.iloc[0]) else str(found.iloc[0])


def compact_table(rows: pd.DataFrame, statuses: list[str] | None = None) -> pd.DataFrame:
    """One category's candidates (optionally some statuses only): rank, name, status."""
    if statuses:
        rows = rows[rows["status"].isin(statuses)]
    return pd.DataFrame(
        {
            "Thứ hạng": [("" if pd.isna(r) else str(int(r))) for r in rows["rank"]],
            "Tên": rows["subject_name"].tolist(),
            "Kết quả": [labels.status_short(s) for s in rows["status"]],
        }
    )
