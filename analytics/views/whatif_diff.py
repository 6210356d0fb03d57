"""What-if diffs: who enters, leaves or moves between two shortlists, for the page and CSV."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa

from analytics import labels
from analytics.plans.models import Plan

# Change kinds of a diff row, in display order.
ENTERS = "vào danh sách"
LEAVES = "ra khỏi danh sách"
RANK = "đổi hạng"
STATUS = "đổi trạng thái"
CHANGE_KINDS = (ENTERS, LEAVES, RANK, STATUS)


def _frame(table: pa.Table | pd.DataFrame) -> pd.DataFrame:
    df = table.to_pandas() if isinstance(table, pa.Table) else table.copy()
    cols = ["award", "category", "subject_id", "subject_name", "status", "rank"]
    out = df[cols].copy()
    for c in ("award", "category", "subject_id", "subject_name", "status"):
        # one dtype, also for an empty list (a review not held): pandas cannot merge an
        # Arrow-backed string column without chunks
        out[c] = out[c].astype(pd.StringDtype("python"))
    out["rank"] = out["rank"].astype("Int64")
    return out


DIFF_COLUMNS = (
    "award",
    "category",
    "subject_id",
    "subject_name",
    "base_status",
    "base_rank",
    "new_status",
    "new_rank",
    "change",
)


def diff_shortlists(base: pa.Table | pd.DataFrame, new: pa.Table | pd.DataFrame) -> pd.DataFrame:
    """Rows whose status or rank differs between two shortlists, with the kind of change.

    ``vào danh sách``: becomes proposed; ``ra khỏi danh sách``: stops being proposed;
    ``đổi hạng``: same status, another rank; ``đổi trạng thái``: any other status change.
    Ordered by change kind, (award, category) in plan order, new rank, subject id.
    """
    b, n = _frame(base), _frame(new)
    keys = ["award", "category", "subject_id"]
    m = b.merge(n, on=keys, how="outer", suffixes=("_b", "_n"))
    m["subject_name"] = m["subject_name_n"].fillna(m["subject_name_b"])
    m = m.rename(
        columns={
            "status_b": "base_status",
            "rank_b": "base_rank",
            "status_n": "new_status",
            "rank_n": "new_rank",
        }
    )
    was = m["base_status"].eq("proposed").fillna(False).astype(bool)
    now = m["new_status"].eq("proposed").fillna(False).astype(bool)
    same_status = m["base_status"].fillna("") == m["new_status"].fillna("")
    same_rank = m["base_rank"].fillna(-1) == m["new_rank"].fillna(-1)
    change = pd.Series(pd.NA, index=m.index, dtype="object")
    change[~same_status] = STATUS
    change[same_status & ~same_rank] = RANK
    change[now & ~was] = ENTERS
    change[was & ~now] = LEAVES
    m["change"] = change
    out = m[m["change"].notna()][list(DIFF_COLUMNS)].copy()
    # award and category in plan order: the order they first appear in the engine's output
    seen = pd.concat([n[["award", "category"]], b[["award", "category"]]]).drop_duplicates()
    cat_order = {tuple(x): i for i, x in enumerate(seen.itertuples(index=False))}
    out["_k"] = out["change"].map({k: i for i, k in enumerate(CHANGE_KINDS)})
    out["_c"] = [cat_order[(a, c)] for a, c in zip(out["award"], out["category"], strict=True)]
    out = out.sort_values(["_k", "_c", "new_rank", "subject_id"], na_position="last")
    return out.drop(columns=["_k", "_c"]).reset_index(drop=True)


def diff_counts(diff: pd.DataFrame) -> dict[str, int]:
    """How many rows of each change kind (every kind present, zero when none)."""
    counts = diff["change"].value_counts()
    return {k: int(counts.get(k, 0)) for k in CHANGE_KINDS}


CHANGE_ICONS = {ENTERS: "🟢", LEAVES: "🔴", RANK: "↕️", STATUS: "🔁"}
DISPLAY_HEADERS = (
    "Thay đổi",
    "Tên",
    "Theo kế hoạch",
    "Theo mô phỏng",
    "Nhóm xét",
    "Hình thức",
)


def change_label(kind: str, *, title: bool = False) -> str:
    """'🟢 vào danh sách' (or '🟢 Vào danh sách' as a title)."""
    return f"{CHANGE_ICONS.get(kind, '')} {kind.capitalize() if title else kind}".strip()


def _status_rank(status: Any, rank: Any) -> str:
    if not isinstance(status, str):
        return "—"
    text = labels.STATUSES.get(status, status)
    return text if pd.isna(rank) else f"{text} · hạng {int(rank)}"


def diff_display(diff: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """The diff for people: the change first, then who, before → after, where."""
    award_labels = {a.id: a.label for a in plan.awards}
    cat_labels = {(a.id, c.id): c.label for a in plan.awards for c in a.categories}
    pairs = list(zip(diff["award"], diff["category"], strict=True))
    columns = [
        [change_label(k) for k in diff["change"]],
        diff["subject_name"].tolist(),
        [_status_rank(s, r) for s, r in zip(diff["base_status"], diff["base_rank"], strict=True)],
        [_status_rank(s, r) for s, r in zip(diff["new_status"], diff["new_rank"], strict=True)],
        [cat_labels.get(k, k[1]) for k in pairs],
        [award_labels.get(a, a) for a, _ in pairs],
    ]
    return pd.DataFrame(dict(zip(DISPLAY_HEADERS, columns, strict=True)))


def diff_rows(diff: pd.DataFrame) -> list[tuple[object, ...]]:
    """The diff's rows in ``DIFF_COLUMNS`` order (codes, for the CSV)."""
    return list(diff[list(DIFF_COLUMNS)].itertuples(index=False, name=None))
