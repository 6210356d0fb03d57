"""Cached calls for the browsing pages: ``analytics.views`` frames, keyed by the store's
``StoreRef`` (path + version), so any write (an import from the CLI too) refreshes them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from analytics.plans.loading import load_plan
from analytics.store.connection import open_store
from analytics.store.meta import StoreRef
from analytics.views import bands, components, coverage, leaders, overview, profile, ranking


@st.cache_data(show_spinner=False, max_entries=32)
def data_years(store: StoreRef) -> dict[str, Any]:
    with open_store(store.path, read_only=True) as con:
        return coverage.data_years(con)


@st.cache_data(show_spinner="Đang tổng hợp…", max_entries=64)
def overview_data(store: StoreRef, plan_id: str, year: int) -> dict[str, Any]:
    with open_store(store.path, read_only=True) as con:
        return overview.overview(con, load_plan(plan_id), year)


@st.cache_data(show_spinner=False, max_entries=64)
def leaders_data(store: StoreRef, plan_id: str, year: int) -> list[leaders.BlockLeaders]:
    with open_store(store.path, read_only=True) as con:
        return leaders.block_leaders(con, load_plan(plan_id), year)


@st.cache_data(show_spinner=False, max_entries=64)
def deadline_data(store: StoreRef, plan_id: str, review_id: str, today: dt.date) -> dict[str, Any]:
    plan = load_plan(plan_id)
    with open_store(store.path, read_only=True) as con:
        return overview.dossier_deadline(con, plan, plan.review(review_id), today)


@st.cache_data(show_spinner=False, max_entries=128)
def ranking_data(
    store: StoreRef, plan_id: str, year: int, block: str, mode: ranking.Mode = "reported"
) -> pd.DataFrame:
    with open_store(store.path, read_only=True) as con:
        return ranking.ranking(con, load_plan(plan_id), year, block, mode)


@st.cache_data(show_spinner=False, max_entries=128)
def block_history_data(
    store: StoreRef, plan_id: str, block: str, end_year: int, mode: ranking.Mode = "reported"
) -> pd.DataFrame:
    with open_store(store.path, read_only=True) as con:
        return ranking.block_history(con, load_plan(plan_id), block, end_year, mode)


@st.cache_data(show_spinner=False, max_entries=64)
def components_data(store: StoreRef, plan_id: str, year: int | None = None) -> pd.DataFrame:
    with open_store(store.path, read_only=True) as con:
        return components.component_table(con, load_plan(plan_id), year)


@st.cache_data(show_spinner=False, max_entries=64)
def advisory_data(store: StoreRef, plan_id: str, year: int) -> pd.DataFrame:
    with open_store(store.path, read_only=True) as con:
        return components.advisory_table(con, load_plan(plan_id), year)


@st.cache_data(show_spinner=False, max_entries=32)
def units_data(store: StoreRef) -> pd.DataFrame:
    with open_store(store.path, read_only=True) as con:
        return profile.unit_list(con)


@st.cache_data(show_spinner=False, max_entries=128)
def unit_profile_data(
    store: StoreRef, plan_id: str, unit_id: str
) -> tuple[dict[str, Any] | None, pd.DataFrame]:
    plan = load_plan(plan_id)
    with open_store(store.path, read_only=True) as con:
        return profile.unit_info(con, plan, unit_id), profile.unit_history(con, plan, unit_id)


@st.cache_data(show_spinner="Đang xét các đợt khen thưởng…", max_entries=128)
def unit_verdicts_data(store: StoreRef, plan_id: str, unit_id: str) -> pd.DataFrame:
    """The unit's verdicts in every review: one query per review returning only its rows
    (not the whole shortlist with its criteria: 2,4 M rows at national scale)."""
    with open_store(store.path, read_only=True) as con:
        return profile.unit_verdicts(con, load_plan(plan_id), unit_id)


@st.cache_data(show_spinner=False, max_entries=16)
def bands_data(plan_id: str) -> pd.DataFrame:
    """The plan's classification bands (best first) with their display text."""
    return bands.bands_frame(load_plan(plan_id))
