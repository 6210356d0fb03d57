"""Plotly figure builders for the browsing pages: pure drawing of frames computed by
``analytics.views`` (no data arithmetic here). Every figure writes its group names on
bars, cells or legends (readable in black and white) and uses Vietnamese separators.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative

from analytics import fmt

# Best band first: green … red (ColorBrewer RdYlGn), with a readable text colour on each.
_PALETTE = ["#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027"]
_TEXT_ON = ["#ffffff", "#000000", "#000000", "#000000", "#ffffff"]
_LINE = "#555555"


def _band_pos(index, n_bands: int) -> int | None:
    """Position in the palette of the band at ``index`` (0 = best) among ``n_bands``."""
    if index is None or pd.isna(index):
        return None
    return 0 if n_bands <= 1 else round(int(index) * (len(_PALETTE) - 1) / (n_bands - 1))


def band_color(index, n_bands: int) -> str:
    pos = _band_pos(index, n_bands)
    return "#dddddd" if pos is None else _PALETTE[pos]


def _text_color(index, n_bands: int) -> str:
    pos = _band_pos(index, n_bands)
    return "#000000" if pos is None else _TEXT_ON[pos]


def band_badge_style(bands: pd.DataFrame):
    """A function for ``Styler.map``: the cell of a band label gets its band's colour."""
    styles = {
        row.label: f"background-color: {band_color(row.index, len(bands))}; "
        f"color: {_text_color(row.index, len(bands))}; font-weight: 600"
        for row in bands.itertuples()
    }
    return lambda value: styles.get(value, "")


def _layout(fig: go.Figure, *, height: int, title: str | None = None, **kwargs) -> go.Figure:
    layout = {
        "separators": ",.",
        "template": "plotly_white",
        "height": height,
        "title": title,
        "margin": {"l": 10, "r": 10, "t": 60 if title else 20, "b": 10},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
    }
    fig.update_layout(**(layout | kwargs))
    return fig


def _band_lines(fig: go.Figure, bands: pd.DataFrame, *, axis: str) -> None:
    """Dashed lines at each band's lower bound, labelled with the band's name."""
    for row in bands[bands["has_bound"]].itertuples():
        text = row.text.replace(" (", "<br>(") if axis == "x" else row.text
        if axis == "x":
            fig.add_vline(
                x=row.min_ratio_pct, line_dash="dash", line_color=_LINE, line_width=1,
                annotation_text=text, annotation_position="top",
                annotation_font_size=11,
            )  # fmt: skip
        else:
            # Labelled in the right margin, clear of the data labels.
            fig.add_hline(y=row.min_ratio_pct, line_dash="dash", line_color=_LINE, line_width=1)
            fig.add_annotation(
                x=1, xref="paper", xanchor="left", y=row.min_ratio_pct, yref="y",
                text=f" {text}", showarrow=False, font_size=11,
            )  # fmt: skip


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
            go.Bar(
                x=part["ratio_pct"],
                y=part["name"],
                orientation="h",
                name=band.text,
                marker_color=band_color(band.index, len(bands)),
                marker_line_color=_LINE,
                marker_line_width=0.5,
                customdata=part[["band_label"]],
                texttemplate="%{x:.2f} % · %{customdata[0]}",
                textposition="inside",
                insidetextanchor="end",
                textfont_color=_text_color(band.index, len(bands)),
                hovertemplate="%{y}: %{x:.2f} % (%{customdata[0]})<extra></extra>",
            )
        )
    _band_lines(fig, bands, axis="x")
    fig.update_yaxes(categoryorder="array", categoryarray=list(data["name"])[::-1])
    fig.update_xaxes(title="Tỷ lệ Chỉ số CCHC (%)", ticksuffix=" %")
    return _layout(
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
    return _layout(fig, height=120 + 44 * len(names), title=title)


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
    return _layout(fig, height=160 + 28 * min(span, 40), title=title, showlegend=False,
                   margin={"l": 10, "r": 320, "t": 60 if title else 20, "b": 10})  # fmt: skip


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
    fig.update_yaxes(title="Tỷ lệ (%)", ticksuffix=" %")
    fig.update_xaxes(type="category", title="Năm")
    return _layout(
        fig,
        height=560,
        title=title,
        margin={"l": 10, "r": 60, "t": 60 if title else 20, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
    )


def unit_ratio_line(hist: pd.DataFrame, bands: pd.DataFrame, title: str | None = None) -> go.Figure:
    """One unit's ratio per year with its band written at each point and the band lines."""
    data = hist[hist["ratio_pct"].notna()]
    fig = go.Figure(
        go.Scatter(
            x=data["year"].astype(str),
            y=data["ratio_pct"],
            mode="lines+markers+text",
            text=[
                f"{fmt.pct(r)}<br>{b}"
                for r, b in zip(data["ratio_pct"], data["band_label"], strict=True)
            ],
            textposition="top center",
            cliponaxis=False,
            marker={
                "size": 12,
                "color": [band_color(i, len(bands)) for i in data["band_index"]],
                "line": {"color": _LINE, "width": 1},
            },
            line_color=_LINE,
            name="Tỷ lệ Chỉ số CCHC",
            hovertemplate="năm %{x}: %{y:.2f} %<extra></extra>",
        )
    )
    _band_lines(fig, bands, axis="y")
    fig.update_yaxes(title="Tỷ lệ Chỉ số CCHC (%)", ticksuffix=" %")
    fig.update_xaxes(type="category", title="Năm")
    return _layout(
        fig,
        height=420,
        title=title,
        showlegend=False,
        margin={"l": 10, "r": 130, "t": 60 if title else 20, "b": 10},
    )


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
    fig.update_yaxes(title="%", ticksuffix=" %")
    fig.update_xaxes(type="category", title="Năm")
    return _layout(fig, height=360, title=title)


def group_distribution(
    block_groups: pd.DataFrame, bands: pd.DataFrame, title: str | None = None
) -> go.Figure:
    """Stacked bars: how many units of each block fall in each band (counts written)."""
    fig = go.Figure()
    order = block_groups["block_label"].drop_duplicates().tolist()
    for band in bands.itertuples():
        part = block_groups[block_groups["band_index"] == band.index]
        fig.add_trace(
            go.Bar(
                y=part["block_label"],
                x=part["n"],
                orientation="h",
                name=band.text,
                marker_color=band_color(band.index, len(bands)),
                marker_line_color=_LINE,
                marker_line_width=0.5,
                text=[f"{band.label}: {n}" if n else "" for n in part["n"]],
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,
                textfont_color=_text_color(band.index, len(bands)),
                hovertemplate=f"%{{y}}<br>{band.label}: %{{x}} đơn vị<extra></extra>",
            )
        )
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1])
    fig.update_xaxes(title="Số đơn vị", dtick=1)
    return _layout(
        fig,
        height=160 + 48 * len(order),
        title=title,
        barmode="stack",
        legend_traceorder="normal",
        uniformtext={"minsize": 10, "mode": "hide"},
    )
