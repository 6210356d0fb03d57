"""Shareable links: the URL's query parameters (``plan``, ``review``, ``unit``, ``units``,
``year``, ``block``) open a page on a plan, review and unit, and the pages that support
them write the current choice back, so the address bar can be copied.

A link is applied once: the parameters this session wrote last are remembered, and only
parameters that differ from them (a link just opened) are applied to the widgets' session
state — otherwise a user's new choice would be overwritten by the address it replaces.
Parameters are applied before the widgets are created; values not valid for the plan
are ignored (the page opens on its defaults).
"""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from analytics.plans.loading import load_plan

WRITTEN = "links_written"  # session key: the parameters this session wrote last


def _current() -> dict[str, str]:
    return {k: str(st.query_params.get(k)) for k in st.query_params}


def incoming() -> dict[str, str]:
    """The URL's parameters if they come from a link (not what this session wrote), else {}."""
    now = _current()
    return {} if now == st.session_state.get(WRITTEN) else now


def apply_sidebar(plan_ids: list[str]) -> None:
    """Before the sidebar's widgets: a link's ``plan`` and ``review`` choose them."""
    link = incoming()
    if link.get("plan") in plan_ids:
        st.session_state["plan_id"] = link["plan"]
    review = link.get("review")
    if review:
        plan_id = st.session_state.get("plan_id") or plan_ids[0]
        if review in {r.id for r in load_plan(plan_id).reviews}:
            st.session_state[f"review_{plan_id}"] = review


def wanted_units(allowed: Iterable[str], *, most: int = 1) -> list[str]:
    """The link's ``units`` (comma-separated) or ``unit``: the known ones, at most ``most``."""
    link = incoming()
    raw = link.get("units") or link.get("unit") or ""
    known = set(allowed)
    picked = [u for u in dict.fromkeys(x.strip() for x in raw.split(",")) if u in known]
    return picked[:most]


def wanted_int(name: str, allowed: Iterable[int]) -> int | None:
    """The link's integer parameter ``name`` (e.g. ``year``) if it is one of ``allowed``."""
    text = incoming().get(name, "")
    value = int(text) if text.isdigit() else None
    return value if value in set(allowed) else None


def wanted_text(name: str, allowed: Iterable[str]) -> str | None:
    """The link's parameter ``name`` if it is one of ``allowed``."""
    value = incoming().get(name)
    return value if value in set(allowed) else None


def share(plan_id: str, review_id: str, **choice: str | int | Iterable[str] | None) -> None:
    """Write the page's current choice into the address bar (lists joined by commas)."""
    params: dict[str, str] = {"plan": plan_id, "review": review_id}
    for key, value in choice.items():
        if value is None:
            continue
        text = value if isinstance(value, str | int) else ",".join(value)
        if str(text):
            params[key] = str(text)
    if _current() != params:
        st.query_params.from_dict(params)
    st.session_state[WRITTEN] = params
