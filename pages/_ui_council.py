"""Streamlit helpers for the pages Hội đồng xét, Nhật ký and Đăng ký thi đua: cached candidate tables and
audit frames (keyed by the store's ``StoreRef``), the editor's column config, and the save
and undo calls into ``analytics`` (which check the role, validate and audit)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import clock, fmt
from analytics.errors import InputRejected, StoreBusy, ThiduaError
from analytics.exports import registration_form
from analytics.ingest.edits import Change, SaveResult, save_changes, undo_save
from analytics.plans.loading import load_plan
from analytics.store.connection import open_store
from analytics.store.meta import StoreRef
from analytics.views import audit_log, council, granted, registration
from pages import _ui
from pages import _ui_awards as ua


@st.cache_data(show_spinner=False, max_entries=16)
def candidates_frame(store: StoreRef, plan_id: str, review_id: str, kind: str) -> pd.DataFrame:
    plan = load_plan(plan_id)
    shortlist = ua.review_frame(store, plan_id, review_id)
    with open_store(store.path, read_only=True) as con:
        return council.candidates(con, plan, review_id, shortlist, kind)


@st.cache_data(show_spinner=False, max_entries=16)
def proposed_subjects(store: StoreRef, plan_id: str, review_id: str) -> dict[str, str]:
    """The review's proposed units and people (id -> name), for the register of awards."""
    return council.proposed(ua.review_frame(store, plan_id, review_id))


@st.cache_data(show_spinner=False, max_entries=16)
def granted_in_review(store: StoreRef, plan_id: str, review_id: str) -> dict[str, list[str]]:
    with open_store(store.path, read_only=True) as con:
        return granted.granted_in(con, load_plan(plan_id), review_id)


@st.cache_data(show_spinner=False, max_entries=16)
def recent_saves(store: StoreRef, review_id: str) -> pd.DataFrame:
    with open_store(store.path, read_only=True) as con:
        return audit_log.saves_frame(con, review_id)


@st.cache_data(show_spinner=False, max_entries=32)
def entries_page(
    store: StoreRef, review: str | None, subject: str | None, page: int, size: int
) -> tuple[pd.DataFrame, int]:
    with open_store(store.path, read_only=True) as con:
        return audit_log.entries_frame(
            con, review=review, subject_id=subject, limit=size, offset=page * size
        )


@st.cache_data(show_spinner=False, max_entries=16)
def registrations_of(store: StoreRef, plan_id: str, year: int) -> list[registration.Registration]:
    with open_store(store.path, read_only=True) as con:
        return registration.registrations(con, load_plan(plan_id), year)


@st.cache_data(show_spinner=False, max_entries=16)
def registration_subjects(store: StoreRef, kind: str) -> dict[str, str]:
    with open_store(store.path, read_only=True) as con:
        return registration.subject_choices(con, kind)


def _place_date(ctx: _ui.Context) -> str:
    return registration_form.place_date(ctx.plan, clock.today())


def registration_docx(ctx: _ui.Context, year: int) -> bytes:
    headers, body = registration.form_table(
        ctx.plan, registrations_of(ctx.store, ctx.plan.id, year)
    )
    return registration_form.registration_docx(ctx.plan, year, headers, body, _place_date(ctx))


def registration_xlsx(ctx: _ui.Context, year: int) -> bytes:
    headers, body = registration.form_table(
        ctx.plan, registrations_of(ctx.store, ctx.plan.id, year)
    )
    return registration_form.registration_xlsx(ctx.plan, year, headers, body, _place_date(ctx))


def column_config(cols: list[council.Column]) -> dict[str, object]:
    config: dict[str, object] = {
        "subject_id": None,  # the key of the row, not for people (names tell them apart)
        "subject_name": st.column_config.TextColumn("Tên", width="medium"),
        "result": st.column_config.TextColumn("Kết quả xét hiện nay", width="large"),
    }
    for c in cols:
        if c.kind == "count":
            config[c.field] = st.column_config.NumberColumn(c.label, min_value=0, step=1)
        else:
            config[c.field] = st.column_config.SelectboxColumn(
                c.label, options=list(c.options), required=c.kind == "tri"
            )
    return config


def subject_label(frame: pd.DataFrame, subject_id: str) -> str:
    """A candidate's name as the pickers show it (no id; two alike told apart)."""
    names = fmt.unique_names(dict(zip(frame["subject_id"], frame["subject_name"], strict=True)))
    return names.get(subject_id, subject_id)


def save(ctx: _ui.Context, changes: list[Change], note: str) -> None:
    """Save through analytics (role, validation, audit); the outcome shown after a rerun,
    every refusal shown now with its message (nothing was written)."""
    try:
        result: SaveResult = save_changes(ctx.db_path, ctx.actor, changes, note)
    except StoreBusy:
        _ui.busy_stop()
    except InputRejected as exc:
        st.error(f"❌ Không lưu: {fmt.md(exc)}")
        return
    except ThiduaError as exc:
        st.error(f"❌ Không lưu: {fmt.md(exc)}")
        return
    if result.save_id is None:
        st.info("Không có giá trị nào khác với dữ liệu đang lưu: không ghi gì.")
        return
    st.session_state["council_done"] = (
        f"Đã lưu {len(result.entries)} giá trị (lần lưu số {result.save_id}); danh sách đã "
        "được tính lại."
    )
    st.rerun()


def undo(ctx: _ui.Context, save_id: int, note: str) -> SaveResult:
    return undo_save(ctx.db_path, ctx.actor, save_id, note)
