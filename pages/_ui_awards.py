"""Streamlit helpers for the pages Khen thưởng, Mô phỏng and Dữ liệu: cached calls into
``analytics`` (keyed by the store's ``StoreRef``), pagination and deferred downloads.
No SQL, no arithmetic, no thresholds: everything is computed in ``analytics``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd
import pyarrow as pa
import streamlit as st

from analytics import fmt, labels
from analytics.exports import csv_files, minutes, template, wordform, workbook
from analytics.exports.stamp import stamp, whatif_stamp
from analytics.plans import whatif
from analytics.plans.loading import load_plan
from analytics.rules import deadlines
from analytics.rules.shortlist import evaluate_review
from analytics.store.binding import bound_plan_id
from analytics.store.connection import open_store
from analytics.store.meta import StoreRef
from analytics.views import (
    awards,
    granted,
    highlight,
    import_log,
    paging,
    privacy,
    quality,
    unit_list,
    whatif_diff,
)
from pages import _ui

NO_STORE = "Chưa có kho dữ liệu."
NO_STORE_HINT = (
    "Vào trang **📥 Dữ liệu** để tải mẫu nhập liệu (.xlsx) và nhập dữ liệu "
    "(các tệp CSV hoặc một tệp Excel)."
)


# Column widths of a category's table (page Khen thưởng): the reasons get the room.
SHORTLIST_COLUMNS = {
    "Thứ hạng": st.column_config.TextColumn(width="small"),
    "Tên": st.column_config.TextColumn(width="medium"),
    "Kết quả": st.column_config.TextColumn(width="medium"),
    "Chỉ số TB giai đoạn": st.column_config.TextColumn(width="small"),
    "Lý do": st.column_config.TextColumn(width="large"),
}


DETAIL_COLUMNS = {
    "Tiêu chuẩn": st.column_config.TextColumn(width="medium"),
    "Kết quả": st.column_config.TextColumn(width="small"),
    "Căn cứ (số liệu)": st.column_config.TextColumn(width="large"),
}


def matrix_columns(legend: list[tuple[str, str]]) -> dict:
    """Narrow criterion columns ("Tiêu chuẩn 1"…) whose full label shows on hover."""
    return {h: st.column_config.TextColumn(width="small", help=label) for h, label in legend}


# The colour of each criterion state's text badge (the text says it; the colour helps).
STATE_COLOURS = {
    labels.STATES["pass"]: "background-color: #d9f2e0; color: #14532d",
    labels.STATES["fail"]: "background-color: #fde2e1; color: #7f1d1d",
    labels.STATES["unknown"]: "background-color: #fff4cc; color: #713f12",
}


def state_badges(frame: pd.DataFrame) -> Any:
    """``frame`` styled: every criterion state cell a coloured text badge."""
    if frame.empty:
        return frame
    return frame.style.map(lambda v: STATE_COLOURS.get(v, ""))


COMPACT_COLUMNS = {
    "Thứ hạng": st.column_config.TextColumn(width="small"),
    "Tên": st.column_config.TextColumn(width="medium"),
    "Kết quả": st.column_config.TextColumn(width="medium"),
}
LOG_COLUMNS = {
    "Lần nhập": st.column_config.NumberColumn(width="small"),
    "Thời gian": st.column_config.TextColumn(width="small"),
    "Có thay đổi": st.column_config.TextColumn(width="small"),
    "Nguồn": st.column_config.TextColumn(width="medium"),
    "Số dòng": st.column_config.TextColumn(width="large"),
    "Tệp": st.column_config.TextColumn(width="medium"),
}
QUALITY_COLUMNS = {
    "Loại cảnh báo": st.column_config.TextColumn(width="medium"),
    "Tên đơn vị": st.column_config.TextColumn(width="medium"),
    "Năm": st.column_config.TextColumn(width="small"),
    "Chi tiết": st.column_config.TextColumn(width="large"),
}


PAGE_SIZE = awards.VIEW_ROWS  # rows of a candidate table shown at once (national: 200 000)


def paginate(rows: pd.DataFrame, key: str, *, searchable: bool = True) -> pd.DataFrame:
    """Draw a status filter, a search box and a page picker above a long candidate table
    and return the rows to show; a table of at most PAGE_SIZE rows is returned whole."""
    if len(rows) <= PAGE_SIZE:
        return rows
    status, query = None, ""
    if searchable:
        c1, c2, c3 = st.columns([2, 3, 1])
        status = c1.selectbox(
            "Kết quả",
            [None, *labels.STATUS_ORDER],
            format_func=lambda s: "Tất cả" if s is None else labels.status_label(s),
            key=f"{key}_status",
        )
        query = c2.text_input("Tìm theo tên hoặc mã", key=f"{key}_query")
    else:
        c3 = st
    found = awards.filter_rows(rows, status, query)
    n_pages = paging.page_count(len(found), PAGE_SIZE)
    page_no = c3.number_input(
        "Trang", min_value=1, max_value=n_pages, step=1, key=f"{key}_page_{status}_{query}"
    )
    shown, n_pages, page_no = paging.page_of(found, page_no, PAGE_SIZE)
    st.caption(
        f"{fmt.num(len(found), 0)} / {fmt.num(len(rows), 0)} ứng viên; trang {page_no}/{n_pages} "
        f"(mỗi trang {PAGE_SIZE})."
    )
    return shown


# --- cached reads (keys: the store's StoreRef, plan id, review id) -----------------------------
# cache_resource, not cache_data: a national review is 200 000 rows with their criteria
# (~130 MB); cache_data would pickle a copy on every rerun. The cached Arrow tables are
# immutable and the frames are only read (filters make new frames), never modified.
@st.cache_resource(show_spinner="Đang tính danh sách…", max_entries=8)
def review_table(store: StoreRef, plan_id: str, review_id: str, redacted: bool = False) -> pa.Table:
    """The engine's shortlist of a review with the criteria detail (Arrow); ``redacted``
    (a viewer) without the discipline details of persons."""
    if redacted:
        return privacy.redact_discipline(review_table(store, plan_id, review_id))
    plan = load_plan(plan_id)
    with open_store(store.path, read_only=True) as con:
        return evaluate_review(con, plan, review_id, detail=True)


@st.cache_resource(show_spinner=False, max_entries=8)
def review_frame(
    store: StoreRef, plan_id: str, review_id: str, redacted: bool = False
) -> pd.DataFrame:
    """``review_table`` as a pandas frame (converted once; read-only by convention)."""
    return review_table(store, plan_id, review_id, redacted).to_pandas()


@st.cache_resource(show_spinner=False, max_entries=8)
def review_sections(
    store: StoreRef, plan_id: str, review_id: str, redacted: bool = False
) -> dict[tuple[str, str], awards.CategoryView]:
    """``review_frame`` split by (award, category) with each category's tables
    (``awards.CategoryView``), once per store version."""
    return awards.category_views(review_frame(store, plan_id, review_id, redacted))


@st.cache_resource(show_spinner=False, max_entries=8)
def review_highlights(
    store: StoreRef, plan_id: str, review_id: str, redacted: bool = False
) -> tuple[str | None, list[highlight.Card], dict[str, int]]:
    """(headline, cards, status totals) of a review, once per store version."""
    frame = review_frame(store, plan_id, review_id, redacted)
    plan = load_plan(plan_id)
    review = plan.review(review_id)
    return (
        highlight.highlight_headline(frame, plan, review) if review.highlight else None,
        highlight.highlight_cards(frame, plan, review) if review.highlight else [],
        awards.review_counts(frame),
    )


@st.cache_resource(show_spinner="Đang mô phỏng…", max_entries=16)
def whatif_table(
    store: StoreRef, plan_id: str, scenario: whatif.Scenario, redacted: bool = False
) -> pa.Table:
    """The shortlist under a scenario (the plan file is never written)."""
    if redacted:
        return privacy.redact_discipline(whatif_table(store, plan_id, scenario))
    plan = whatif.apply_scenario(load_plan(plan_id), scenario)
    with open_store(store.path, read_only=True) as con:
        return evaluate_review(con, plan, scenario.review_id)


@st.cache_resource(show_spinner=False, max_entries=16)
def whatif_frames(
    store: StoreRef, plan_id: str, scenario: whatif.Scenario, redacted: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(scenario shortlist as a frame, its diff against the plan's) for one scenario."""
    new = whatif_table(store, plan_id, scenario, redacted)
    base = review_table(store, plan_id, scenario.review_id, redacted)
    return new.to_pandas(), whatif_diff.diff_shortlists(base, new)


@st.cache_data(show_spinner=False, max_entries=16)
def granted_marks(
    store: StoreRef, plan_id: str, review_id: str, _frame: pd.DataFrame
) -> pd.DataFrame:
    """The review's candidates already awarded (the register of awards granted)."""
    with open_store(store.path, read_only=True) as con:
        found = granted.granted_before(con, load_plan(plan_id), review_id)
    return granted.marks(found, _frame)


@st.cache_data(show_spinner=False, max_entries=32)
def deadline(store: StoreRef, plan_id: str, review_id: str, today: dt.date) -> deadlines.Deadline:
    plan = load_plan(plan_id)
    with open_store(store.path, read_only=True) as con:
        return deadlines.dossier_deadline(con, plan, review_id, today)


@st.cache_data(show_spinner=False, max_entries=8)
def template_bytes(plan_id: str, store: StoreRef | None = None, examples: bool = False) -> bytes:
    """The import template: empty, with the units of ``store`` (if it has some) pre-filled,
    or (``examples``) with example rows of the plan's demo data."""
    plan = load_plan(plan_id)
    units = None
    if store is not None and store.exists:
        with open_store(store.path, read_only=True) as con:
            units = unit_list.unit_rows(con, plan)
    return template.template_xlsx_bytes(plan, examples=examples, units=units or None)


@st.cache_data(show_spinner="Đang kiểm tra chất lượng dữ liệu…", max_entries=8)
def quality_frame(store: StoreRef, plan_id: str) -> pd.DataFrame:
    with open_store(store.path, read_only=True) as con:
        return quality.quality_warnings(con, load_plan(plan_id))


@st.cache_data(show_spinner=False, max_entries=8)
def import_log_frame(store: StoreRef) -> pd.DataFrame:
    with open_store(store.path, read_only=True) as con:
        return import_log.import_log(con)


@st.cache_data(show_spinner=False, max_entries=8)
def bound_plan(store: StoreRef) -> str | None:
    with open_store(store.path, read_only=True) as con:
        return bound_plan_id(con)


def stop_if_other_plan(ctx: _ui.Context) -> None:
    """A store bound to another plan is not evaluated under the selected one: say so, stop."""
    bound = _ui.guarded(bound_plan, ctx.store)
    if bound is not None and bound != ctx.plan.id:
        st.warning(
            f"Kho dữ liệu `{ctx.db_path.name}` theo kế hoạch **{bound}**, không phải "
            f"**{ctx.plan.id}**. Chọn kế hoạch đó ở thanh bên để xem khen thưởng."
        )
        st.stop()


# --- exports (the bytes the download buttons carry) ------------------------------------------
# The buttons get these as callables (deferred): the file is built when it is clicked, so
# the stamp carries the time of the download and a rerun never builds a 200 000-row file.
def deferred(fn: Callable[..., bytes], *args: Any) -> Callable[[], bytes]:
    """A no-argument callable for ``st.download_button(data=...)``."""
    return lambda: fn(*args)


def _stamp(ctx: _ui.Context) -> dict[str, str]:
    return stamp(ctx.plan.id, ctx.review_id, ctx.data_version)


def shortlist_csv(ctx: _ui.Context) -> bytes:
    """The review's shortlist as the contract CSV, neutralised and stamped."""
    table = review_table(ctx.store, ctx.plan.id, ctx.review_id, ctx.hides_personal)
    return csv_files.shortlist_csv_bytes(table, neutralise=True, stamp=_stamp(ctx))


def shortlist_xlsx(ctx: _ui.Context) -> bytes:
    """The shortlist for people as a workbook: labels, not codes."""
    table = review_table(ctx.store, ctx.plan.id, ctx.review_id, ctx.hides_personal)
    with open_store(ctx.store.path, read_only=True) as con:
        return workbook.shortlist_workbook(con, table, ctx.plan, ctx.review, _stamp(ctx))


def shortlist_docx(ctx: _ui.Context) -> bytes:
    """The proposal list to attach to the dossier, as a Word document."""
    table = review_table(ctx.store, ctx.plan.id, ctx.review_id, ctx.hides_personal)
    with open_store(ctx.store.path, read_only=True) as con:
        return wordform.proposal_list_docx(con, table, ctx.plan, ctx.review, _stamp(ctx))


def minutes_docx(ctx: _ui.Context) -> bytes:
    """The committee's minutes skeleton (Biên bản họp xét khen thưởng), as a Word document."""
    table = review_table(ctx.store, ctx.plan.id, ctx.review_id, ctx.hides_personal)
    with open_store(ctx.store.path, read_only=True) as con:
        return minutes.minutes_docx(con, table, ctx.plan, ctx.review, _stamp(ctx))


def whatif_csv(ctx: _ui.Context, table: pa.Table) -> bytes:
    return csv_files.shortlist_csv_bytes(table, neutralise=True, stamp=whatif_stamp(_stamp(ctx)))


def diff_csv(ctx: _ui.Context, diff: pd.DataFrame) -> bytes:
    rows = whatif_diff.diff_rows(diff)
    return csv_files.table_csv_bytes(whatif_diff.DIFF_COLUMNS, rows, whatif_stamp(_stamp(ctx)))


def file_stem(ctx: _ui.Context) -> str:
    """The review's name as a file-name part ('so-ket-giai-doan-2021-2025'), no ids."""
    return fmt.slug(ctx.plan.review(ctx.review_id).label)
