"""Streamlit-only helpers shared by the pages: the store, the sidebar context, cached
calls into ``analytics``, and display formatting. No SQL, no arithmetic, no thresholds.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from analytics import fmt, labels
from analytics.access import DEMO_ACTOR, ROLE_LABELS, Action, Actor, may
from analytics.demo import build_demo_store
from analytics.errors import StoreBusy
from analytics.ingest.demo_data import has_demo
from analytics.plans.loading import DEFAULT_PLAN_ID, list_plans, load_plan
from analytics.plans.models import Plan, Review
from analytics.store.binding import bound_plan_id
from analytics.store.connection import default_db_path, failure_message, open_store, store_ref
from analytics.store.meta import EMPTY_VERSION, StoreRef, data_version
from analytics.views import coverage
from pages import _auth, _links, _ui_cache
from pages._nav import ensure_navigation_mode

BUSY_MESSAGE = "Kho dữ liệu đang được sử dụng, thử lại sau"
# Printing a page (Ctrl+P): the page alone — no sidebar, toolbar, page menu or buttons.
PRINT_CSS = (
    "<style>@media print { [data-testid=stSidebar], [data-testid=stHeader], "
    "[data-testid=stToolbar], [data-testid=stElementToolbar], .stDownloadButton, "
    ".stButton { display: none !important; } [data-testid=stMain] { margin-left: 0; } }"
    "</style>"
)
# Show one of two keyed containers by the window's width: ``wide`` above 640 px, ``narrow``
# at or below it (a phone); ``str.format`` with the two keys (braces of the CSS doubled).
NARROW_CSS = (
    "<style>@media (max-width: 640px) {{ .st-key-{wide} {{ display: none; }} }}"
    "@media (min-width: 641px) {{ .st-key-{narrow} {{ display: none; }} }}</style>"
)


@dataclass(frozen=True)
class Context:
    """What the sidebar selected: every page reads this."""

    plan: Plan
    review_id: str
    store: StoreRef  # path and version: the key of every cached read
    data_version: str
    actor: Actor  # who is signed in (analytics checks what the role may write)

    def may(self, action: Action) -> bool:
        """Whether to offer a write on screen (analytics refuses it anyway if not)."""
        return may(self.actor.role, action)

    @property
    def hides_personal(self) -> bool:
        """A viewer sees that a person is deferred or excluded, not the discipline behind it."""
        return not may(self.actor.role, "record_judgments")

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.actor.role]

    @property
    def review(self) -> Review:
        return self.plan.review(self.review_id)

    @property
    def db_path(self) -> Path:
        return Path(self.store.path)


def store_path(plan_id: str) -> Path:
    return default_db_path(plan_id)


@st.cache_resource(show_spinner="Đang tạo kho dữ liệu mẫu…")
def _ensure_demo(plan_id: str, path: str) -> bool:
    """Build the demo store on first start if there is no store yet."""
    if not Path(path).exists() and has_demo(plan_id):
        build_demo_store(plan_id, path, DEMO_ACTOR)
    return Path(path).exists()


def busy_stop() -> None:
    """Tell the user the store is busy and stop this run (nothing was changed)."""
    st.warning(f"⏳ {BUSY_MESSAGE}.")
    st.stop()


def show_failure(exc: BaseException) -> None:
    """Any error that reached the page: its Vietnamese message, never a traceback (which
    goes to the server's log)."""
    kind, message = failure_message(exc)
    if kind == "internal":
        if os.environ.get("THIDUA_RAISE_INTERNAL"):  # the tests: an internal error fails them
            raise exc
        logging.getLogger("thidua.app").exception("error while rendering a page")
    if kind == "busy":
        st.warning(f"⏳ {fmt.md(message)}")
    else:
        st.error(f"❌ {fmt.md(message)}")  # a message may quote a file name: text, not markup


def guarded(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call ``fn``; a busy store shows the Vietnamese message instead of a traceback."""
    try:
        return fn(*args, **kwargs)
    except StoreBusy:
        busy_stop()


@st.cache_data(show_spinner=False)
def _store_info(store: StoreRef) -> tuple[str | None, str]:
    if not store.exists:
        return None, EMPTY_VERSION
    with open_store(store.path, read_only=True) as con:
        return bound_plan_id(con), data_version(con)


def plan_choices() -> list[Plan]:
    """The shipped plans: an amendment first (the default: the plan "as it happened"), then
    the plan it amends, then the others."""
    plans = list_plans()
    amended = {p.extends for p in plans if p.extends}
    plans.sort(key=lambda p: (p.extends is None, p.id not in amended, p.id))
    return plans


def plan_label(plan: Plan, plans: list[Plan]) -> str:
    """A plan's title; a plan amended by another is the scenario of the plan as written."""
    if any(p.extends == plan.id for p in plans):
        return f"{plan.title} — {labels.AS_WRITTEN_SCENARIO}"
    return plan.title


@dataclass(frozen=True)
class UnitChoices:
    """The store's units for a unit picker: ids in order, names, and each one's block."""

    ids: list[str]
    names: dict[str, str]
    block_labels: dict[str, str]  # unit id -> its block's label ("" outside the plan)

    def label(self, unit_id: str) -> str:
        """'Sở Tư pháp — Khối sở, ban, ngành tỉnh' (a picker's option)."""
        return f"{self.names[unit_id]} — {self.block_labels[unit_id] or 'ngoài kế hoạch'}"


def unit_choices(ctx: Context) -> UnitChoices:
    units = _ui_cache.units_data(ctx.store)
    blocks = {b.code: b.label for b in ctx.plan.blocks}
    ids = list(units["unit_id"])
    return UnitChoices(
        ids,
        dict(zip(ids, units["name"], strict=True)),
        {u: blocks.get(b, "") for u, b in zip(ids, units["block"], strict=True)},
    )


def plan_title(plan_id: str, plans: list[Plan]) -> str:
    """The title of a shipped plan by id (the id itself if no shipped plan has it)."""
    return next((p.title for p in plans if p.id == plan_id), plan_id)


def sidebar() -> Context:
    """Draw the shared sidebar and store the context in session state."""
    plans = plan_choices()
    if not os.environ.get("THIDUA_NO_DEMO"):  # the first start: the demo store, demo mode
        _ensure_demo(DEFAULT_PLAN_ID, str(_auth.auth_store_path()))
    actor = _auth.gate()  # the sign-in screen and a stop when nobody is signed in
    with st.sidebar:
        st.markdown("### Thi đua CCHC")
        _auth.identity_box(actor)
        ids = [p.id for p in plans]
        # a store named by THIDUA_DB opens on the plan it is bound to
        named = guarded(store_ref, store_path(ids[0])) if os.environ.get("THIDUA_DB") else None
        bound = guarded(_store_info, named)[0] if named is not None else None
        _links.apply_sidebar(ids)  # a shared link opens on its plan and review
        plan_id = st.selectbox(
            "Kế hoạch",
            ids,
            index=ids.index(bound) if bound in ids else 0,
            format_func=lambda i: plan_label(next(p for p in plans if p.id == i), plans),
            key="plan_id",
        )
        plan = load_plan(plan_id)
        path = store_path(plan.id)
        if not os.environ.get("THIDUA_NO_DEMO"):
            _ensure_demo(plan.id, str(path))
        ref = guarded(store_ref, path)
        bound, version = guarded(_store_info, ref)
        reviews = [r.id for r in plan.reviews]
        default = _default_review(plan)
        review_key = f"review_{plan.id}"
        if review_key not in st.session_state:
            st.session_state[review_key] = default
        review_id = st.selectbox(
            "Đợt xét / năm",
            reviews,
            format_func=lambda r: (
                plan.review(r).label
                + (" ⭐" if plan.review(r).highlight else "")
                + ("" if plan.review(r).held else " (không tổ chức)")
            ),
            key=review_key,
        )
        st.caption(
            f"**Kế hoạch:** {fmt.md(plan.title)}  \n"
            f"**Đợt xét:** {fmt.md(plan.review(review_id).label)}  \n{version}"
        )
        if bound is not None and bound != plan.id:
            st.warning(
                f"Kho dữ liệu này được lập theo kế hoạch khác "
                f"({fmt.md(plan_title(bound, plans))}), không phải {fmt.md(plan.title)}."
            )
        st.caption("Dữ liệu mẫu minh họa (trừ các số liệu công bố được ghi rõ trong README).")
    st.html(PRINT_CSS)
    _auth.demo_banner(actor)
    ctx = Context(plan, review_id, ref, version, actor)
    st.session_state["ctx"] = ctx
    return ctx


def _default_review(plan: Plan) -> str:
    """The first highlighted review that is held, else the first review."""
    for r in plan.reviews:
        if r.highlight and r.held:
            return r.id
    return plan.reviews[-1].id if len(plan.reviews) == 1 else plan.reviews[0].id


def context() -> Context:
    # A page run without app.py (legacy multipage mode, see pages/_nav.py) restarts
    # through app.py in a served app; under AppTest it reuses the last sidebar's context.
    ensure_navigation_mode()
    ctx = st.session_state.get("ctx")
    if ctx is None:
        return sidebar()
    actor = _auth.gate()  # signed out, disabled or given another role since the sidebar ran
    if actor != ctx.actor:
        ctx = replace(ctx, actor=actor)
        st.session_state["ctx"] = ctx
    ref = guarded(store_ref, ctx.db_path)  # a write since the sidebar ran (an import)
    if ref != ctx.store:
        _, version = guarded(_store_info, ref)
        ctx = Context(ctx.plan, ctx.review_id, ref, version, ctx.actor)
        st.session_state["ctx"] = ctx
    return ctx


def has_store(ctx: Context) -> bool:
    return ctx.store.exists


def empty_state(message: str, hint: str | None = None) -> None:
    st.info(message + (f"\n\n{hint}" if hint else ""))


# --- display formatting (re-exported for pages) ------------------------------------------
pct = fmt.pct
num = fmt.num
signed = fmt.signed
date = fmt.date
STATUS_LABELS = labels.STATUSES


# --- browsing pages (Tổng quan, Xếp hạng, Chỉ số thành phần, Hồ sơ đơn vị) ----------------
# The guard that explains an empty or mismatched store instead of drawing empty charts, and
# display helpers; the cached calls into analytics.views are in pages/_ui_cache.py.


def browse_guard(ctx: Context) -> dict[str, Any] | None:
    """Explain a missing, empty or other-plan store; else the years the store has data for."""
    if not has_store(ctx):
        empty_state(
            "Chưa có kho dữ liệu cho kế hoạch này.",
            "Vào trang 📥 Dữ liệu để nhập số liệu (tệp CSV hoặc Excel theo mẫu).",
        )
        return None
    bound, _ = _store_info(ctx.store)
    if bound is not None and bound != ctx.plan.id:
        st.warning(
            f"Kho dữ liệu `{ctx.db_path.name}` theo kế hoạch **{bound}**, không phải "
            f"**{ctx.plan.id}**. Chọn kế hoạch {bound} ở thanh bên để xem số liệu của kho này."
        )
        return None
    years = _ui_cache.data_years(ctx.store)
    if not years["n_units"]:
        empty_state(
            "Kho dữ liệu chưa có đơn vị nào.",
            "Vào trang 📥 Dữ liệu để nhập danh sách đơn vị (units) và điểm Chỉ số CCHC "
            "(unit_scores) theo mẫu.",
        )
        st.page_link("pages/7_du_lieu.py", label="Mở trang Dữ liệu", icon="📥")
        return None
    return years


def year_picker(ctx: Context, key: str, data_years_: list[int]) -> int:
    """A year selector defaulting to the review's effective end year (the last assessed
    year of its window); years without data say so."""
    plan = ctx.plan
    years = coverage.plan_years(plan)
    end = plan.effective_end(ctx.review) or ctx.review.window_end
    return st.selectbox(
        "Năm",
        years,
        index=years.index(end),
        format_func=lambda y: str(y) if y in data_years_ else f"{y} (chưa có dữ liệu)",
        key=f"{key}_{plan.id}_{ctx.review_id}",
    )


def trend(code: Any, change: Any = None) -> str:
    """'▲ tăng (+1,25)' from a trend code computed by analytics and its signed change."""
    if code is None or pd.isna(code):
        return "—"
    label = labels.TRENDS.get(code, str(code))
    return label if change is None or pd.isna(change) else f"{label} ({signed(change)})"


def text_or(value: Any, formatter: Callable[[Any], str], missing: str = "—") -> str:
    """Format a value, or say it is missing (None / NaN / NA)."""
    return missing if value is None or pd.isna(value) else formatter(value)


def rank_trend(code: Any, moves: Any = None, prev_rank: Any = None) -> str:
    """'▲ 2 bậc (từ hạng 8)' from the rank trend computed by analytics."""
    if code is None or pd.isna(code):
        return "—"
    text = labels.RANK_TRENDS.get(code, str(code)).format(n=_plain(moves))
    if code == "same" or prev_rank is None or pd.isna(prev_rank):
        return text
    return f"{text} (từ hạng {prev_rank})"


def _plain(x: Any) -> str:
    return "—" if x is None or pd.isna(x) else num(x, 0)
