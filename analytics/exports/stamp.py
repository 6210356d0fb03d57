"""The stamp every export for people carries: plan, review, data version, time made."""

from __future__ import annotations

from analytics.clock import now

WHATIF_SUFFIX = "what-if"


def stamp(plan_id: str, review_id: str, data_version: str) -> dict[str, str]:
    """The stamp columns every UI export carries (plan, review, data version, time)."""
    return {
        "plan_id": plan_id,
        "review_id": review_id,
        "data_version": data_version,
        "exported_at": f"{now():%d/%m/%Y %H:%M}",
    }


def whatif_stamp(base: dict[str, str]) -> dict[str, str]:
    """An export stamp whose plan id says the rows come from a what-if, not the plan."""
    return {**base, "plan_id": f"{base['plan_id']} ({WHATIF_SUFFIX})"}
