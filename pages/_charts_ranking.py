"""Figures comparing the units of a block: ratio bars, band heatmap, rank bump, band counts."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.colors import qualitative

from analytics import fmt
from pages._charts import LINE, apply_layout, band_color, band_lines, text_color


def _band_bars(band, n_bands: int, **kwargs) -> go.Bar:
    """Horizontal bars of one band: the band's colour and legend name, text inside the bars."""
    return go.Bar(
        orientation="h",
        name=band.text,
        marker_color=band_color(band.index, n_bands),
        marker_line_color=LINE,
        marker_line_width=0.5,
        textposition="inside",
        textfont_color=text_color(band.index, n_bands),
        **kwargs,
    )


# Built once per distinct input: building a figure takes 40–130 ms, st.plotly_chart only reads it.
@st.cache_resource(show_spinner=False, max_entries=64)
def ratio_bars(df: pd.DataFrame, bands: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Horizontal bars of the units' ratios (best at the top), one colour per band; the band
    lines are labelled along the top edge, so the legend goes under the plot."""
    data = df[df["ratio_pct"].notna()]
    fig = go.Figure()
    for band in bands.itertuples():
        part = data[data["band_label"] == band.label]
        if part.empty:
            continue
        fig.add_trace(
            _band_bars(
                band,
                len(bands),
                x=part["ratio_pct"],
                y=part["name"],
                customdata=part[["band_label"]],
                texttemplate="%{x:.2f} % · %{customdata[0]}",
                insidetextanchor="end",
                hovertemplate="%{y}: %{x:.2f} % (%{customdata[0]})<extra></extra>",
            )
        )
    band_lines(fig, bands, axis="x")
    fig.update_yaxes(categoryorder="array", categoryarray=list(data["name"])[::-1])
    fig.update_xaxes(title="Tỷ lệ Chỉ số CCHC (%)", ticksuffix=" %")
    return apply_layout(
        fig,
        height=180 + 30 * len(data),
        title=title,
        barmode="overlay",
        margin={"l": 10, "r": 10, "t": 100 if title else 60, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.08, "x": 0},
    )


def _stepped_scale(bands: pd.DataFrame) -> list:
    """A colour scale for z = position from the worst band (0) up to the best (n - 1),
    one flat step per band, so that the colour bar shows the best band at the top."""
    n = len(bands)
    scale = []
    for step in range(n):
        color = band_color(n - 1 - step, n)
        scale += [[step / n, color], [(step + 1) / n, color]]
    return scale


@st.cache_resource(show_spinner=False, max_entries=64)
def ratio_heatmap(hist: pd.DataFrame, bands: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Unit × year cells coloured by band, each cell writing its ratio and band name."""
    names = hist.sort_values("order_no")["name"].drop_duplicates().tolist()
    years = sorted(hist["year"].unique())
    cells = hist.assign(
        cell=[
            f"{fmt.num(r)}<br>{b}"
            for r, b in zip(hist["ratio_pct"], hist["band_label"], strict=True)
        ],
        band=len(bands) - 1 - hist["band_index"].astype(float),
    )
    z = cells.pivot(index="name", columns="year", values="band").reindex(names)[years]
    text = cells.pivot(index="name", columns="year", values="cell").reindex(names)[years]
    ratio = cells.pivot(index="name", columns="year", values="ratio_pct").reindex(names)[years]
    n = len(bands)
    fig = go.Figure(
        go.Heatmap(
            z=z.to_numpy(dtype=float),
            x=[str(y) for y in years],
            y=names,
            text=text.fillna("").to_numpy(),
            customdata=ratio.to_numpy(dtype=float),
            texttemplate="%{text}",
            textfont_size=11,
            colorscale=_stepped_scale(bands),
            zmin=-0.5,
            zmax=n - 0.5,
            xgap=2,
            ygap=2,
            colorbar={
                "tickvals": [n - 1 - i for i in bands["index"]],
                "ticktext": list(bands["text"]),
                "title": {"text": "Xếp loại"},
            },
            hovertemplate="%{y}, năm %{x}: %{customdata:.2f} %<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(type="category", side="top")
    return apply_layout(fig, height=120 + 44 * len(names), title=title)


@st.cache_resource(show_spinner=False, max_entries=64)
def rank_bump(hist: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Each unit's rank within its block over the years (1 at the top), named at its end."""
    fig = go.Figure()
    colors = qualitative.Dark24
    groups = hist.sort_values(["order_no", "year"]).groupby("order_no", sort=True)
    for k, (_, unit) in enumerate(groups):
        last = unit.iloc[-1]
        fig.add_trace(
            go.Scatter(
                line_color=colors[k % len(colors)],
                marker_color=colors[k % len(colors)],
                cliponaxis=False,
                x=unit["year"].astype(str),
                y=unit["rank"],
                mode="lines+markers+text",
                name=last["name"],
                text=[""] * (len(unit) - 1) + [f"  {last['rank']}. {last['name']}"],
                textposition="middle right",
                textfont_size=11,
                marker_size=9,
                customdata=unit[["ratio_pct", "band_label"]],
                hovertemplate=(
                    f"{last['name']}<br>năm %{{x}}: hạng %{{y}} "
                    "(%{customdata[0]:.2f} %, %{customdata[1]})<extra></extra>"
                ),
            )
        )
    lo, hi = (int(hist["rank"].min()), int(hist["rank"].max())) if not hist.empty else (1, 1)
    span = hi - lo + 1  # a page of a large block may span hundreds of ranks: cap the height
    fig.update_yaxes(
        autorange="reversed",
        dtick=1 if span <= 40 else None,
        title="Thứ hạng trong khối",
        range=[hi + 0.5, lo - 0.5],
    )
    fig.update_xaxes(type="category", title="Năm")
    return apply_layout(fig, height=160 + 28 * min(span, 40), title=title, showlegend=False,
                        margin={"l": 10, "r": 320, "t": 60 if title else 20, "b": 10})  # fmt: skip


@st.cache_resource(show_spinner=False, max_entries=64)
def group_distribution(
    block_groups: pd.DataFrame, bands: pd.DataFrame, title: str | None = None
) -> go.Figure:
    """Stacked bars: how many units of each block fall in each band (counts written)."""
    fig = go.Figure()
    order = block_groups["block_label"].drop_duplicates().tolist()
    for band in bands.itertuples():
        part = block_groups[block_groups["band_index"] == band.index]
        fig.add_trace(
            _band_bars(
                band,
                len(bands),
                y=part["block_label"],
                x=part["n"],
                text=[f"{band.label}: {n}" if n else "" for n in part["n"]],
                insidetextanchor="middle",
                textangle=0,
                hovertemplate=f"%{{y}}<br>{band.label}: %{{x}} đơn vị<extra></extra>",
            )
        )
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1])
    fig.update_xaxes(title="Số đơn vị", dtick=1)
    return apply_layout(
        fig,
        height=160 + 48 * len(order),
        title=title,
        barmode="stack",
        legend_traceorder="normal",
        uniformtext={"minsize": 10, "mode": "hide"},
    )
