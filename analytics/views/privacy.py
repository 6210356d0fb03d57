"""What a viewer (leadership) sees of a person's discipline: that the person is deferred or
excluded, not why (personal data, NĐ 13/2023/NĐ-CP). The committee sees the details."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

HIDDEN_EXCLUDED = "Không khen thưởng (lý do thuộc hồ sơ cá nhân, chỉ Hội đồng xét được xem)"
HIDDEN_DEFERRED = (
    "Chưa xét khen thưởng (lý do thuộc hồ sơ cá nhân, chỉ Hội đồng xét được xem); xét lại khi "
    "đã có kết luận"
)


def redact_discipline(table: pa.Table) -> pa.Table:
    """The shortlist with the reasons of persons excluded or deferred for their discipline
    replaced by a sentence that names the status only."""
    if table.num_rows == 0 or "subject_kind" not in table.column_names:
        return table
    person = pc.equal(table["subject_kind"], "person")
    reasons = table["reasons"]
    excluded = pc.and_(
        pc.and_(person, pc.equal(table["status"], "excluded")),
        pc.starts_with(reasons, "Không khen thưởng: "),
    )
    deferred = pc.and_(person, pc.equal(table["status"], "deferred"))
    new = pc.if_else(
        pc.fill_null(excluded, False),
        pa.scalar(HIDDEN_EXCLUDED),
        pc.if_else(pc.fill_null(deferred, False), pa.scalar(HIDDEN_DEFERRED), reasons),
    )
    at = table.column_names.index("reasons")
    return table.set_column(at, "reasons", new.cast(table.schema.field("reasons").type))
