"""Figures of ratios over the years: component lines, a unit's ratio line, the province's lines."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.colors import qualitative

from analytics import fmt
from pages._charts import LINE, apply_layout, band_color, band_lines


def _years_layout(fig: go.Figure, y_title: str, **kwargs) -> go.Figure:
    """The years as categories along x, percentages up y, then the common layout."""
    fig.update_yaxes(title=y_title, ticksuffix=" %")
    fig.update_xaxes(type="category", title="Năm")
    return apply_layout(fig, **kwargs)


# Built once per distinct input: building a figure takes 40–130 ms, st.plotly_chart only reads it.
@st.cache_resource(show_spinner=False, max_entries=64)
def ratio_lines(
    df: pd.DataFrame, *, series: str, label: str, title: str | None = None
) -> go.Figure:
    """Ratios over the years, one line per ``series`` value (named by ``label``; its code
    written at the line's end)."""
    fig = go.Figure()
    colors = qualitative.Dark24
    for k, (key, part) in enumerate(df.groupby(series, sort=False)):
        part = part.sort_values("year")
        fig.add_trace(
            go.Scatter(
                x=part["year"].astype(str),
                y=part["ratio_pct"],
                mode="lines+markers+text",
                name=str(part[label].iloc[0]),
                line_color=colors[k % len(colors)],
                text=[""] * (len(part) - 1) + [f"  {key}"],
                textposition="middle right",
                cliponaxis=False,
                hovertemplate="%{fullData.name}<br>năm %{x}: %{y:.2f} %<extra></extra>",
            )
        )
    return _years_layout(
        fig,
        "Tỷ lệ (%)",
        height=560,
        title=title,
        margin={"l": 10, "r": 60, "t": 60 if title else 20, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def unit_ratio_line(
    hist: pd.DataFrame,
    bands: pd.DataFrame,
    title: str | None = None,
    reference: pd.DataFrame | None = None,
) -> go.Figure:
    """One unit's ratio per year with its band written at each point and the band lines;
    a year inherited from a predecessor (rules.md §11) is an open marker written «kế thừa».
    ``reference`` (year, median_pct, best_pct: ``block_stats.block_ratio_stats``) adds the
    block's median and best of each year as dotted lines (the years of the unit only)."""
    data = hist[hist["ratio_pct"].notna()]
    inherited = (
        data["is_inherited"].astype(bool).tolist()
        if "is_inherited" in data
        else [False] * len(data)
    )
    fig = go.Figure(
        go.Scatter(
            x=data["year"].astype(str),
            y=data["ratio_pct"],
            mode="lines+markers+text",
            text=[
                f"{fmt.pct(r)}<br>{b}" + ("<br>(kế thừa)" if inh else "")
                for r, b, inh in zip(data["ratio_pct"], data["band_label"], inherited, strict=True)
            ],
            textposition="top center",
            cliponaxis=False,
            marker={
                "size": 12,
                "color": [band_color(i, len(bands)) for i in data["band_index"]],
                "symbol": ["circle-open" if inh else "circle" for inh in inherited],
                "line": {"color": LINE, "width": 1},
            },
            line_color=LINE,
            name="Tỷ lệ Chỉ số CCHC",
            hovertemplate="năm %{x}: %{y:.2f} %<extra></extra>",
        )
    )
    if reference is not None and not reference.empty:
        ref = reference[reference["year"].isin(data["year"])]
        for col, name, dash in (("median_pct", "Trung vị của khối", "dot"),
                                ("best_pct", "Cao nhất của khối", "dash")):  # fmt: skip
            fig.add_trace(
                go.Scatter(
                    x=ref["year"].astype(str),
                    y=ref[col],
                    mode="lines",
                    name=name,
                    line={"color": "#888888", "dash": dash, "width": 1.5},
                    hovertemplate=f"{name}<br>năm %{{x}}: %{{y:.2f}} %<extra></extra>",
                )
            )
    band_lines(fig, bands, axis="y")
    return _years_layout(
        fig,
        "Tỷ lệ Chỉ số CCHC (%)",
        height=420,
        title=title,
        showlegend=reference is not None and not reference.empty,
        margin={"l": 10, "r": 130, "t": 60 if title else 20, "b": 10},
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def province_lines(df: pd.DataFrame, title: str | None = None) -> go.Figure:
    """The province's PAR INDEX and SIPAS over the years (gaps where there is no data)."""
    fig = go.Figure()
    for col, name, dash in (("ratio_pct", "Chỉ số CCHC (PAR INDEX)", "solid"),
                            ("sipas_pct", "Chỉ số hài lòng (SIPAS)", "dot")):  # fmt: skip
        fig.add_trace(
            go.Scatter(
                x=df["year"].astype(str),
                y=df[col],
                mode="lines+markers+text",
                name=name,
                line_dash=dash,
                text=[fmt.pct(v) if pd.notna(v) else "" for v in df[col]],
                textposition="top center",
                cliponaxis=False,
                hovertemplate=f"{name}<br>năm %{{x}}: %{{y:.2f}} %<extra></extra>",
            )
        )
    return _years_layout(fig, "%", height=360, title=title)
