"""Streamlit helpers for the pages Khen thưởng, Mô phỏng and Dữ liệu: cached calls into
``analytics`` (keyed by the store's mtime), the upload flow, and the busy-store message.
No SQL, no arithmetic, no thresholds: everything is computed in ``analytics``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import pyarrow as pa
import streamlit as st

from analytics import (
    awards,
    db,
    deadlines,
    export,
    fmt,
    quality,
    template,
    views,
    whatif,
    wordform,
)
from analytics.plans import load_plan
from analytics.shortlist import evaluate_review

BUSY_MESSAGE = "Kho dữ liệu đang được sử dụng, thử lại sau"
NO_STORE = "Chưa có kho dữ liệu."
NO_STORE_HINT = (
    "Vào trang **📥 Dữ liệu** để tải mẫu nhập liệu (.xlsx) và nhập dữ liệu "
    "(các tệp CSV hoặc một tệp Excel)."
)


# Column widths of a category's table (page Khen thưởng): the reasons get the room.
SHORTLIST_COLUMNS = {
    "Thứ hạng": st.column_config.TextColumn(width="small"),
    "Mã": st.column_config.TextColumn(width="small"),
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


def matrix_columns(matrix: pd.DataFrame) -> dict:
    """Narrow ✅/❌/❔ columns whose full criterion label shows on hover."""
    return {
        c: st.column_config.TextColumn(width="small", help=c)
        for c in matrix.columns
        if c not in ("Mã", "Tên")
    }


COMPACT_COLUMNS = {
    "Thứ hạng": st.column_config.TextColumn(width="small"),
    "Mã": st.column_config.TextColumn(width="small"),
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
    "Mã đơn vị": st.column_config.TextColumn(width="small"),
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
            [None, *awards.STATUS_ORDER],
            format_func=lambda s: "Tất cả" if s is None else awards.status_label(s),
            key=f"{key}_status",
        )
        query = c2.text_input("Tìm theo tên hoặc mã", key=f"{key}_query")
    else:
        c3 = st
    found = awards.filter_rows(rows, status, query)
    n_pages = views.page_count(len(found), PAGE_SIZE)
    page_no = c3.number_input(
        "Trang", min_value=1, max_value=n_pages, step=1, key=f"{key}_page_{status}_{query}"
    )
    shown, n_pages, page_no = views.page_of(found, page_no, PAGE_SIZE)
    st.caption(
        f"{fmt.num(len(found), 0)} / {fmt.num(len(rows), 0)} ứng viên; trang {page_no}/{n_pages} "
        f"(mỗi trang {PAGE_SIZE})."
    )
    return shown


def busy_stop() -> None:
    """Tell the user the store is busy and stop this run (nothing was changed)."""
    st.warning(f"⏳ {BUSY_MESSAGE}.")
    st.stop()


def guarded(fn: Callable, *args, **kwargs):
    """Call ``fn``; a busy store shows the Vietnamese message instead of a traceback."""
    try:
        return fn(*args, **kwargs)
    except db.StoreBusy:
        busy_stop()


# --- cached reads (keys: store path + mtime, plan id, review id) -----------------------------
# cache_resource, not cache_data: a national review is 200 000 rows with their criteria
# (~130 MB); cache_data would pickle a copy on every rerun. The cached Arrow tables are
# immutable and the frames are only read (filters make new frames), never modified.
@st.cache_resource(show_spinner="Đang tính danh sách…", max_entries=8)
def review_table(path: str, mtime: float, plan_id: str, review_id: str) -> pa.Table:
    """The engine's shortlist of a review with the criteria detail (Arrow)."""
    plan = load_plan(plan_id)
    with db.open_store(path, read_only=True) as con:
        return evaluate_review(con, plan, review_id, detail=True)


@st.cache_resource(show_spinner=False, max_entries=8)
def review_frame(path: str, mtime: float, plan_id: str, review_id: str) -> pd.DataFrame:
    """``review_table`` as a pandas frame (converted once; read-only by convention)."""
    return review_table(path, mtime, plan_id, review_id).to_pandas()


@st.cache_resource(show_spinner=False, max_entries=8)
def review_sections(path: str, mtime: float, plan_id: str, review_id: str) -> dict:
    """``review_frame`` split by (award, category) with each category's tables
    (``awards.CategoryView``), once per store version."""
    return awards.category_views(review_frame(path, mtime, plan_id, review_id))


@st.cache_resource(show_spinner=False, max_entries=8)
def review_highlights(path: str, mtime: float, plan_id: str, review_id: str):
    """(headline, cards, status totals) of a review, once per store version."""
    frame = review_frame(path, mtime, plan_id, review_id)
    plan = load_plan(plan_id)
    review = plan.review(review_id)
    return (
        awards.highlight_headline(frame, plan, review) if review.highlight else None,
        awards.highlight_cards(frame, plan, review) if review.highlight else [],
        awards.review_counts(frame),
    )


@st.cache_resource(show_spinner="Đang mô phỏng…", max_entries=16)
def whatif_table(path: str, mtime: float, plan_id: str, scenario: whatif.Scenario) -> pa.Table:
    """The shortlist under a scenario (the plan file is never written)."""
    plan = whatif.apply_scenario(load_plan(plan_id), scenario)
    with db.open_store(path, read_only=True) as con:
        return evaluate_review(con, plan, scenario.review_id)


@st.cache_resource(show_spinner=False, max_entries=16)
def whatif_frames(path: str, mtime: float, plan_id: str, scenario: whatif.Scenario):
    """(scenario shortlist as a frame, its diff against the plan's) for one scenario."""
    new = whatif_table(path, mtime, plan_id, scenario)
    base = review_table(path, mtime, plan_id, scenario.review_id)
    return new.to_pandas(), whatif.diff_shortlists(base, new)


@st.cache_data(show_spinner=False, max_entries=32)
def deadline(path: str, mtime: float, plan_id: str, review_id: str, today: dt.date):
    plan = load_plan(plan_id)
    with db.open_store(path, read_only=True) as con:
        return deadlines.dossier_deadline(con, plan, review_id, today)


@st.cache_data(show_spinner=False, max_entries=8)
def template_bytes(plan_id: str) -> bytes:
    return template.template_xlsx_bytes(load_plan(plan_id))


@st.cache_data(show_spinner="Đang kiểm tra chất lượng dữ liệu…", max_entries=8)
def quality_frame(path: str, mtime: float, plan_id: str) -> pd.DataFrame:
    with db.open_store(path, read_only=True) as con:
        return quality.quality_warnings(con, load_plan(plan_id))


@st.cache_data(show_spinner=False, max_entries=8)
def import_log_frame(path: str, mtime: float) -> pd.DataFrame:
    with db.open_store(path, read_only=True) as con:
        return quality.import_log(con)


@st.cache_data(show_spinner=False, max_entries=8)
def bound_plan(path: str, mtime: float) -> str | None:
    with db.open_store(path, read_only=True) as con:
        return db.bound_plan_id(con)


def stop_if_other_plan(ctx) -> None:
    """A store bound to another plan is not evaluated under the selected one: say so, stop."""
    bound = guarded(bound_plan, str(ctx.db_path), ctx.store_version)
    if bound is not None and bound != ctx.plan.id:
        st.warning(
            f"Kho dữ liệu `{ctx.db_path.name}` theo kế hoạch **{bound}**, không phải "
            f"**{ctx.plan.id}**. Chọn kế hoạch đó ở thanh bên để xem khen thưởng."
        )
        st.stop()


# --- exports (the bytes the download buttons carry) ------------------------------------------
# The buttons get these as callables (deferred): the file is built when it is clicked, so
# the stamp carries the time of the download and a rerun never builds a 200 000-row file.
def deferred(fn: Callable, *args) -> Callable[[], bytes]:
    """A no-argument callable for ``st.download_button(data=...)``."""
    return lambda: fn(*args)


def shortlist_csv(ctx) -> bytes:
    """The review's shortlist as the contract CSV, neutralised and stamped."""
    table = review_table(str(ctx.db_path), ctx.store_version, ctx.plan.id, ctx.review_id)
    stamp = export.stamp(ctx.plan.id, ctx.review_id, ctx.data_version)
    return export.shortlist_csv_bytes(table, neutralise=True, stamp=stamp)


def shortlist_xlsx(ctx) -> bytes:
    table = review_table(str(ctx.db_path), ctx.store_version, ctx.plan.id, ctx.review_id)
    stamp = export.stamp(ctx.plan.id, ctx.review_id, ctx.data_version)
    title = f"Danh sách đề nghị khen thưởng — {ctx.review.label}"
    return template.shortlist_xlsx_bytes(table, stamp, title=title)


def shortlist_docx(ctx) -> bytes:
    """The proposal list to attach to the dossier, as a Word document."""
    table = review_table(str(ctx.db_path), ctx.store_version, ctx.plan.id, ctx.review_id)
    stamp = export.stamp(ctx.plan.id, ctx.review_id, ctx.data_version)
    with db.open_store(ctx.db_path, read_only=True) as con:
        return wordform.proposal_list_docx(con, table, ctx.plan, ctx.review, stamp)


def whatif_csv(ctx, table: pa.Table) -> bytes:
    stamp = whatif.whatif_stamp(export.stamp(ctx.plan.id, ctx.review_id, ctx.data_version))
    return export.shortlist_csv_bytes(table, neutralise=True, stamp=stamp)


def diff_csv(ctx, diff: pd.DataFrame) -> bytes:
    stamp = whatif.whatif_stamp(export.stamp(ctx.plan.id, ctx.review_id, ctx.data_version))
    return whatif.diff_csv_bytes(diff, stamp)


def file_stem(ctx) -> str:
    return f"{ctx.plan.id}-{ctx.review_id}"
