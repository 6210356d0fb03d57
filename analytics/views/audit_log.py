"""The audit trail as people read it: saves of a review, and the filterable entries (the
"Nhật ký" page), with Vietnamese headers, field labels and times in Vietnam time."""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics import fmt, labels
from analytics.store.audit_trail import audit_count, audit_rows

Connection = duckdb.DuckDBPyConnection
ACTIONS = {
    "record": "ghi của Hội đồng",
    "undo": "hoàn tác",
    "accounts": "quản lý tài khoản",
    "restore": "khôi phục bản sao lưu",
}
FIELD_LABELS = labels.RECORDED_FIELDS
ENTRY_COLUMNS = (
    "Lần lưu",
    "Thời điểm",
    "Người thực hiện",
    "Việc",
    "Đợt xét",
    "Đối tượng",
    "Trường",
    "Giá trị cũ",
    "Giá trị mới",
    "Căn cứ",
)


def _when(value: object) -> str:
    return f"{fmt.date(value)} {value:%H:%M:%S}" if value is not None else ""  # type: ignore[arg-type]


def _action(action: str, undoes: object) -> str:
    text = ACTIONS.get(action, action)
    return f"{text} lần lưu số {undoes}" if undoes is not None else text


def entries_frame(
    con: Connection,
    *,
    review: str | None = None,
    subject_id: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[pd.DataFrame, int]:
    """One page of the audit entries (newest first) and how many match the filters."""
    rows = audit_rows(con, review=review, subject_id=subject_id, limit=limit, offset=offset)
    out = [
        (
            r[0],
            _when(r[1]),
            r[2],
            _action(str(r[3]), r[6]),
            r[4] or "",
            r[8] or "",
            FIELD_LABELS.get(str(r[9]), str(r[9] or "")),
            "" if r[10] is None else r[10],
            "" if r[11] is None else r[11],
            r[5],
        )
        for r in rows
    ]
    return pd.DataFrame(out, columns=list(ENTRY_COLUMNS)), audit_count(
        con, review=review, subject_id=subject_id
    )


def saves_frame(con: Connection, review: str, limit: int = 20) -> pd.DataFrame:
    """The latest saves and undos recorded for a review: one row per save."""
    rows = con.execute(
        """
        SELECT s.save_id, s.saved_at, s.actor, s.action, s.undoes, s.note, count(e.field),
            (SELECT min(u.save_id) FROM audit_saves u WHERE u.undoes = s.save_id)
        FROM audit_saves s JOIN audit_entries e ON e.save_id = s.save_id
        WHERE e.review = $r AND s.action IN ('record', 'undo')
        GROUP BY ALL ORDER BY s.save_id DESC LIMIT $n
        """,
        {"r": review, "n": limit},
    ).fetchall()
    return pd.DataFrame(
        [
            (
                r[0],
                _when(r[1]),
                r[2],
                _action(r[3], r[4]),
                r[6],
                r[5],
                "" if r[7] is None else f"đã hoàn tác (lần lưu số {r[7]})",
            )
            for r in rows
        ],
        columns=[
            "Lần lưu",
            "Thời điểm",
            "Người thực hiện",
            "Việc",
            "Số giá trị",
            "Căn cứ",
            "Ghi chú",
        ],
    )
