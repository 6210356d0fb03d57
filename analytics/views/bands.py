"""The plan's classification bands as a display table (legends, band lines, badges)."""

from __future__ import annotations

import pandas as pd

from analytics import fmt
from analytics.plans.models import Plan


def bands_frame(plan: Plan) -> pd.DataFrame:
    """The classification bands (best first): index, code, label, min_ratio_pct, has_bound
    (a lower bound above 0, drawn as a line) and a display text for legends and lines."""
    rows = []
    bands = plan.classification.bands
    for i, band in enumerate(bands):
        text = (
            f"{band.label} (≥ {fmt.bound(band.min_ratio_pct)} %)"
            if band.min_ratio_pct > 0
            else f"{band.label} (< {fmt.bound(bands[i - 1].min_ratio_pct)} %)"
        )
        rows.append(
            {
                "index": i,
                "code": band.code,
                "label": band.label,
                "min_ratio_pct": band.min_ratio_pct,
                "has_bound": band.min_ratio_pct > 0,  # the worst band has no line of its own
                "text": text,
            }
        )
    return pd.DataFrame(rows)
