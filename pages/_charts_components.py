"""Figures of component scores (the areas of the province's index of its units): a unit's
ratio per component against its block's median and best, and several units side by side."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.colors import qualitative

from pages._charts import LINE, apply_layout

UNIT_COLOR = "#2c7fb8"
MEDIAN_COLOR = "#bdbdbd"
BEST_COLOR = "#1a9850"


def _component_axis(fig: go.Figure, labels: list[str], n_bars: int) -> go.Figure:
    """Components down the y axis in plan order (the first at the top), ratios along x."""
    fig.update_yaxes(categoryorder="array", categoryarray=labels[::-1], automargin=True)
    fig.update_xaxes(title="Tỷ lệ điểm đạt được / điểm tối đa (%)", ticksuffix=" %", range=[0, 105])
    return apply_layout(
        fig,
        height=160 + len(labels) * (18 * n_bars + 14),
        barmode="group",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "traceorder": "normal"},
    )


# Built once per distinct input: building a figure takes 40–130 ms, st.plotly_chart only reads it.
@st.cache_resource(show_spinner=False, max_entries=64)
def unit_component_bars(df: pd.DataFrame, unit_name: str, title: str | None = None) -> go.Figure:
    """One unit's ratio per component (``component_scores`` rows of one unit), with the
    median and the best of its block as bars beside it."""
    labels = list(df["component_label"])
    fig = go.Figure()
    for col, name, color in (
        ("ratio_pct", unit_name, UNIT_COLOR),
        ("block_median_pct", "Trung vị của khối", MEDIAN_COLOR),
        ("block_best_pct", "Cao nhất của khối", BEST_COLOR),
    ):
        fig.add_trace(
            go.Bar(
                orientation="h",
                x=df[col],
                y=labels,
                name=name,
                marker_color=color,
                marker_line_color=LINE,
                marker_line_width=0.5,
                texttemplate="%{x:.2f} %",
                textposition="outside",
                cliponaxis=False,
                hovertemplate=f"{name}<br>%{{y}}: %{{x:.2f}} %<extra></extra>",
            )
        )
    fig = _component_axis(fig, labels, 3)
    fig.update_layout(title=title, margin={"l": 10, "r": 40, "t": 90 if title else 40, "b": 10})
    return fig


@st.cache_resource(show_spinner=False, max_entries=64)
def units_component_bars(df: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Several units' ratio per component (``component_scores`` rows), one colour per unit."""
    labels = list(dict.fromkeys(df["component_label"]))
    fig = go.Figure()
    colors = qualitative.Safe
    for k, (_, part) in enumerate(df.groupby("unit_id", sort=False)):
        name = str(part["name"].iloc[0])
        fig.add_trace(
            go.Bar(
                orientation="h",
                x=part["ratio_pct"],
                y=part["component_label"],
                name=name,
                marker_color=colors[k % len(colors)],
                texttemplate="%{x:.2f} %",
                textposition="outside",
                cliponaxis=False,
                hovertemplate=f"{name}<br>%{{y}}: %{{x:.2f}} %<extra></extra>",
            )
        )
    n = max(1, df["unit_id"].nunique())
    fig = _component_axis(fig, labels, n)
    fig.update_layout(title=title, margin={"l": 10, "r": 40, "t": 90 if title else 40, "b": 10})
    return fig


@st.cache_resource(show_spinner=False, max_entries=64)
def units_ratio_lines(hist: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Several units' PAR Index ratio per year (``compare.units_history``), one line per
    unit, each point written with its ratio and group."""
    fig = go.Figure()
    colors = qualitative.Safe
    for k, (_, part) in enumerate(hist.groupby("unit_id", sort=False)):
        name = str(part["name"].iloc[0])
        fig.add_trace(
            go.Scatter(
                x=part["year"].astype(str),
                y=part["ratio_pct"],
                mode="lines+markers+text",
                name=name,
                line_color=colors[k % len(colors)],
                text=part["band_label"],
                textposition="top center",
                cliponaxis=False,
                customdata=part[["band_label"]],
                hovertemplate=f"{name}<br>năm %{{x}}: %{{y:.2f}} % (%{{customdata[0]}})"
                "<extra></extra>",
            )
        )
    fig.update_yaxes(title="Tỷ lệ Chỉ số CCHC (%)", ticksuffix=" %")
    fig.update_xaxes(type="category", title="Năm", categoryorder="category ascending")
    return apply_layout(fig, height=420, title=title)
