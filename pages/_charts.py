"""Band colours and the common figure layout shared by _charts_ranking and _charts_trends."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

# The builders only draw frames computed by analytics.views (no data arithmetic) and write
# group names on bars, cells or legends, so that a figure reads in black and white too.
# Best band first: green … red (ColorBrewer RdYlGn), with a readable text colour on each.
_PALETTE = ["#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027"]
_TEXT_ON = ["#ffffff", "#000000", "#000000", "#000000", "#ffffff"]
LINE = "#555555"


def _band_pos(index, n_bands: int) -> int | None:
    """Position in the palette of the band at ``index`` (0 = best) among ``n_bands``."""
    if index is None or pd.isna(index):
        return None
    return 0 if n_bands <= 1 else round(int(index) * (len(_PALETTE) - 1) / (n_bands - 1))


def band_color(index, n_bands: int) -> str:
    pos = _band_pos(index, n_bands)
    return "#dddddd" if pos is None else _PALETTE[pos]


def text_color(index, n_bands: int) -> str:
    pos = _band_pos(index, n_bands)
    return "#000000" if pos is None else _TEXT_ON[pos]


def band_badge_style(bands: pd.DataFrame):
    """A function for ``Styler.map``: the cell of a band label gets its band's colour."""
    styles = {
        row.label: f"background-color: {band_color(row.index, len(bands))}; "
        f"color: {text_color(row.index, len(bands))}; font-weight: 600"
        for row in bands.itertuples()
    }
    return lambda value: styles.get(value, "")


def apply_layout(fig: go.Figure, *, height: int, title: str | None = None, **kwargs) -> go.Figure:
    """The common layout (Vietnamese separators, legend on top) updated with ``kwargs``."""
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


def band_lines(fig: go.Figure, bands: pd.DataFrame, *, axis: str) -> None:
    """Dashed lines at each band's lower bound, labelled with the band's name."""
    for row in bands[bands["has_bound"]].itertuples():
        text = row.text.replace(" (", "<br>(") if axis == "x" else row.text
        if axis == "x":
            fig.add_vline(
                x=row.min_ratio_pct, line_dash="dash", line_color=LINE, line_width=1,
                annotation_text=text, annotation_position="top",
                annotation_font_size=11,
            )  # fmt: skip
        else:
            # Labelled in the right margin, clear of the data labels.
            fig.add_hline(y=row.min_ratio_pct, line_dash="dash", line_color=LINE, line_width=1)
            fig.add_annotation(
                x=1, xref="paper", xanchor="left", y=row.min_ratio_pct, yref="y",
                text=f" {text}", showarrow=False, font_size=11,
            )  # fmt: skip
