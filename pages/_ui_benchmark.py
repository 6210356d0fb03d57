"""Cached calls for a unit against its block and against other units (Hồ sơ đơn vị, So
sánh đơn vị): ``analytics.views`` frames keyed by the store's ``StoreRef`` (path + version),
and the files these pages offer (built from those frames by ``analytics.exports``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.plans.loading import load_plan
from analytics.store.connection import open_store
from analytics.store.meta import StoreRef
from analytics.views import block_stats, compare, unit_components


@st.cache_data(show_spinner=False, max_entries=128)
def component_scores_data(
    store: StoreRef, plan_id: str, unit_ids: tuple[str, ...], year: int
) -> pd.DataFrame:
    with open_store(store.path, read_only=True) as con:
        return unit_components.component_scores(con, load_plan(plan_id), unit_ids, year)


@st.cache_data(show_spinner=False, max_entries=128)
def component_years_data(store: StoreRef, unit_ids: tuple[str, ...]) -> list[int]:
    with open_store(store.path, read_only=True) as con:
        return unit_components.component_years(con, unit_ids)


@st.cache_data(show_spinner=False, max_entries=64)
def block_stats_data(store: StoreRef, plan_id: str, block: str) -> pd.DataFrame:
    with open_store(store.path, read_only=True) as con:
        return block_stats.block_ratio_stats(con, load_plan(plan_id), block)


@st.cache_data(show_spinner=False, max_entries=64)
def units_history_data(store: StoreRef, plan_id: str, unit_ids: tuple[str, ...]) -> pd.DataFrame:
    with open_store(store.path, read_only=True) as con:
        return compare.units_history(con, load_plan(plan_id), unit_ids)
