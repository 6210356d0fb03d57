"""The sơ kết / tổng kết banner of the award page: what each award proposes, per block."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics import fmt
from analytics.plans.models import Plan, Review
from analytics.views.awards import names_with_recipients

NAMES_SHOWN = 5  # a highlight card names at most this many proposed subjects per award


@dataclass(frozen=True)
class Card:
    """One block (or non-block category) of the sơ kết / tổng kết banner."""

    title: str
    lines: tuple[str, ...]


def highlight_cards(table: pd.DataFrame, plan: Plan, review: Review) -> list[Card]:
    """Per block, what each award proposes there (count and names); then the other categories.

    A block card reads, e.g., 'Cờ thi đua của UBND tỉnh: 1 — Sở Tư pháp' (markdown: the names
    escaped; a ceased unit with its recipient, rules.md §11). Advisory units and
    individuals, which belong to no block, get a card each.
    """
    awards = plan.awards_for(review)
    cards: list[Card] = []
    for block in plan.blocks:
        lines = []
        for award in awards:
            cats = [c.id for c in award.categories if c.members == f"block:{block.code}"]
            if cats:
                lines.append(f"{award.label}: {_proposed_text(table, award.id, cats)}")
        if lines:
            cards.append(Card(block.label, tuple(lines)))
    for award in awards:
        for cat in award.categories:
            if not cat.members.startswith("block:"):
                cards.append(
                    Card(
                        cat.label, (f"{award.label}: {_proposed_text(table, award.id, [cat.id])}",)
                    )
                )
    return cards


def _proposed_text(table: pd.DataFrame, award: str, cats: list[str]) -> str:
    mask = (
        (table["award"] == award) & table["category"].isin(cats) & (table["status"] == "proposed")
    )
    names = [fmt.md(n) for n in names_with_recipients(table.loc[mask])]  # markdown lines
    if not names:
        return "chưa có đề nghị"
    shown = ", ".join(names[:NAMES_SHOWN]) + (", …" if len(names) > NAMES_SHOWN else "")
    return f"**{len(names)}** — {shown}"


def highlight_headline(table: pd.DataFrame, plan: Plan, review: Review) -> str:
    """'Sơ kết …: đề nghị 4 Cờ thi đua của UBND tỉnh, 20 Bằng khen … (tập thể), …'."""
    parts = []
    for award in plan.awards_for(review):
        n = int(((table["award"] == award.id) & (table["status"] == "proposed")).sum())
        parts.append(f"{n} {award.label}")
    return f"{review.label}: đề nghị " + ", ".join(parts) + "."
