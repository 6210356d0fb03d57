"""Who leads and who lags (Tổng quan, for the leadership): per block, for a year, the unit
with the highest PAR Index ratio, the most improved unit against the year before, and the
units in the two lowest groups of the plan's classification (Nhóm 4–5 in Sóc Trăng)."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics import fmt
from analytics.plans.models import Plan
from analytics.views.awards import names_with_recipients
from analytics.views.sql import ACTIVE_UNITS, band_sql, blocks_param, plan_params, query_df

LAGGING_BANDS = 2  # the lowest groups of the classification shown as lagging


@dataclass(frozen=True)
class BlockLeaders:
    """One block's leader, most improved unit and lagging units, as text for people."""

    block: str
    label: str
    leader: str | None  # "Sở Tư pháp — 93,10 %"
    most_improved: str | None  # "Sở Y tế — +4,20 điểm %"
    lagging: tuple[str, ...]  # "UBND huyện Kế Sách (Nhóm 4 — 74,00 %)"
    lagging_bands: str  # "Nhóm 4–5" (the labels of the lowest groups)


def lagging_band_labels(plan: Plan) -> list[str]:
    """The labels of the lowest groups shown as lagging (all but the best if fewer)."""
    bands = plan.classification.bands
    n = min(LAGGING_BANDS, max(len(bands) - 1, 1))
    return [b.label for b in bands[-n:]]


def block_leaders(con: duckdb.DuckDBPyConnection, plan: Plan, year: int) -> list[BlockLeaders]:
    """Per plan block (plan order): the leader, the most improved, the lagging units of
    ``year``; ties are broken by name (Vietnamese order). Units without a ratio are left
    out; the most improved needs a ratio in both years and a rise."""
    bands = plan.classification.bands
    n_lag = len(lagging_band_labels(plan))
    p = plan_params(plan, year=year, blocks=blocks_param(plan), first_lagging=len(bands) - n_lag)
    index = band_sql(plan, "r", p, "index")
    label = band_sql(plan, "r", p, "label")
    rows = query_df(
        con,
        f"""
        WITH {ACTIVE_UNITS.strip()},
        b AS (SELECT x.code, x.label, x.ord FROM (SELECT unnest($blocks) AS x)),
        cur AS (
            SELECT u.unit_id, u.name, u.block, centi(s.ratio_pct) AS r,
                centi(p.ratio_pct) AS r_prev
            FROM u JOIN unit_scores s ON s.unit_id = u.unit_id AND s.year = $year
            LEFT JOIN unit_scores p ON p.unit_id = u.unit_id AND p.year = $year - 1
            WHERE $year BETWEEN u.a_from AND u.a_to AND s.ratio_pct IS NOT NULL
        ),
        ranked AS (
            SELECT *, {index} AS bi, {label} AS band,
                row_number() OVER (PARTITION BY block ORDER BY r DESC, name COLLATE vi)
                    AS lead_rn,
                row_number() OVER (PARTITION BY block
                    ORDER BY r - r_prev DESC NULLS LAST, name COLLATE vi) AS up_rn
            FROM cur
        )
        SELECT b.code AS block, b.label, b.ord, k.name, centi_dec(k.r) AS ratio_pct,
            centi_dec(k.r - k.r_prev) AS change_pct, k.band, k.lead_rn = 1 AS is_leader,
            k.up_rn = 1 AND k.r > k.r_prev AS is_most_improved,
            k.bi >= $first_lagging AS is_lagging
        FROM b LEFT JOIN ranked k ON k.block = b.code
        ORDER BY b.ord, k.r ASC NULLS LAST, k.name COLLATE vi
        """,
        p,
    )
    lag_text = lagging_text(plan)
    out: list[BlockLeaders] = []
    for (block, block_label), grp in rows.groupby(["block", "label"], sort=False):
        leader = grp[grp["is_leader"].fillna(False).astype(bool)]
        up = grp[grp["is_most_improved"].fillna(False).astype(bool)]
        lag = grp[grp["is_lagging"].fillna(False).astype(bool)]
        out.append(
            BlockLeaders(
                block=str(block),
                label=str(block_label),
                leader=(
                    f"{leader['name'].iloc[0]} — {fmt.pct(leader['ratio_pct'].iloc[0])}"
                    if len(leader)
                    else None
                ),
                most_improved=(
                    f"{up['name'].iloc[0]} — {fmt.signed(up['change_pct'].iloc[0])} điểm %"
                    if len(up)
                    else None
                ),
                lagging=tuple(
                    f"{n} ({band} — {fmt.pct(r)})"
                    for n, band, r in zip(lag["name"], lag["band"], lag["ratio_pct"], strict=True)
                ),
                lagging_bands=lag_text,
            )
        )
    return out


def lagging_text(plan: Plan) -> str:
    """'Nhóm 4–5': the lowest groups' labels joined (a shared prefix written once)."""
    names = lagging_band_labels(plan)
    if len(names) == 2:
        a, b = names
        prefix_a, _, num_a = a.rpartition(" ")
        prefix_b, _, num_b = b.rpartition(" ")
        if prefix_a and prefix_a == prefix_b:
            return f"{prefix_a} {num_a}–{num_b}"
    return ", ".join(names)


def proposed_by_category(shortlist: pd.DataFrame, plan: Plan) -> list[tuple[str, list[str]]]:
    """The proposed units and people of a review's shortlist per award and category (plan
    order): ("Cờ thi đua — Khối sở, ngành", names in the engine's order, a unit whose award
    goes to another unit named with its recipient)."""
    if shortlist.empty:
        return []
    rows = shortlist[shortlist["status"] == "proposed"]
    out = []
    for award in plan.awards:
        for cat in award.categories:
            sel = rows[(rows["award"] == award.id) & (rows["category"] == cat.id)]
            if len(sel):
                names = names_with_recipients(sel)
                out.append((f"{award.label} — {cat.label}", list(dict.fromkeys(names))))
    return out
