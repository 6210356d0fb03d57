"""Cached calls for the browsing pages: ``analytics.views`` frames and plotly figures."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import db
from analytics.plans import load_plan

# analytics.views results are keyed by the store's path and mtime, so an import refreshes them.


@st.cache_resource(show_spinner=False, max_entries=256)
def figure(builder: str, *args, **kwargs):
    """The chart ``<builder>(*args, **kwargs)`` of ``pages._charts_ranking`` or
    ``pages._charts_trends``, built once per distinct input.

    Building a plotly figure takes 40–130 ms (validation); ``st.plotly_chart`` only reads a
    figure, so the same object is reused on every rerun (cache_resource: no copy)."""
    from pages import _charts_ranking, _charts_trends

    build = getattr(_charts_ranking, builder, None) or getattr(_charts_trends, builder)
    return build(*args, **kwargs)


def _view(path: str, fn_name: str, *args):
    from analytics import views

    with db.open_store(path, read_only=True) as con:
        return getattr(views, fn_name)(con, *args)


@st.cache_data(show_spinner=False, max_entries=32)
def data_years(path: str, mtime: float) -> dict:
    return _view(path, "data_years")


@st.cache_data(show_spinner="Đang tổng hợp…", max_entries=64)
def overview_data(path: str, mtime: float, plan_id: str, year: int) -> dict:
    return _view(path, "overview", load_plan(plan_id), year)


@st.cache_data(show_spinner=False, max_entries=64)
def deadline_data(path: str, mtime: float, plan_id: str, review_id: str, today) -> dict:
    plan = load_plan(plan_id)
    return _view(path, "dossier_deadline", plan, plan.review(review_id), today)


@st.cache_data(show_spinner=False, max_entries=128)
def ranking_data(path: str, mtime: float, plan_id: str, year: int, block: str) -> pd.DataFrame:
    return _view(path, "ranking", load_plan(plan_id), year, block)


@st.cache_data(show_spinner=False, max_entries=128)
def block_history_data(
    path: str, mtime: float, plan_id: str, block: str, end_year: int
) -> pd.DataFrame:
    return _view(path, "block_history", load_plan(plan_id), block, end_year)


@st.cache_data(show_spinner=False, max_entries=64)
def components_data(path: str, mtime: float, plan_id: str, year: int | None = None) -> pd.DataFrame:
    return _view(path, "component_table", load_plan(plan_id), year)


@st.cache_data(show_spinner=False, max_entries=64)
def advisory_data(path: str, mtime: float, plan_id: str, year: int) -> pd.DataFrame:
    return _view(path, "advisory_table", load_plan(plan_id), year)


@st.cache_data(show_spinner=False, max_entries=32)
def units_data(path: str, mtime: float) -> pd.DataFrame:
    return _view(path, "unit_list")


@st.cache_data(show_spinner=False, max_entries=128)
def unit_profile_data(path: str, mtime: float, plan_id: str, unit_id: str):
    plan = load_plan(plan_id)
    return _view(path, "unit_info", plan, unit_id), _view(path, "unit_history", plan, unit_id)


@st.cache_data(show_spinner="Đang xét các đợt khen thưởng…", max_entries=128)
def unit_verdicts_data(path: str, mtime: float, plan_id: str, unit_id: str) -> pd.DataFrame:
    """The unit's verdicts in every review: one query per review returning only its rows
    (not the whole shortlist with its criteria: 2,4 M rows at national scale)."""
    return _view(path, "unit_verdicts", load_plan(plan_id), unit_id)


@st.cache_data(show_spinner=False, max_entries=16)
def bands_data(plan_id: str) -> pd.DataFrame:
    """The plan's classification bands (best first) with their display text."""
    from analytics import views

    return views.bands_frame(load_plan(plan_id))
