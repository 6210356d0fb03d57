"""The one clock of the product: Vietnam's wall clock (Asia/Ho_Chi_Minh), whatever zone
the server runs in (they run on UTC). Every stamp — import log, audit trail, exports —
reads this."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> dt.datetime:
    """Vietnam's wall clock without the zone (stored in TIMESTAMP columns), to the second."""
    return dt.datetime.now(VN_TZ).replace(tzinfo=None, microsecond=0)


def today() -> dt.date:
    """Today's date in Vietnam (before 07:00 in Vietnam it is still yesterday in UTC)."""
    return now().date()
