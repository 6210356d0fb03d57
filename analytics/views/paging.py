"""Showing long tables a page at a time (a national dataset has 2 000 units in one block
and 200 000 candidates in one category: never shown all at once)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def page_count(n_rows: int, size: int) -> int:
    """How many pages of ``size`` rows ``n_rows`` rows fill (at least one)."""
    return max(1, -(-n_rows // size))


def page_of(df: pd.DataFrame, page: int, size: int) -> tuple[pd.DataFrame, int, int]:
    """One page of a ranked frame for display: (rows of page ``page``, 1-based and clamped
    to the pages there are; number of pages; the clamped page)."""
    n_pages = page_count(len(df), size)
    page = min(max(1, int(page)), n_pages)
    return df.iloc[(page - 1) * size : page * size], n_pages, page


def rows_of_units(df: pd.DataFrame, unit_ids: Iterable[str]) -> pd.DataFrame:
    """The rows of ``df`` about the given units (e.g. the history of one table page)."""
    return df[df["unit_id"].isin(list(unit_ids))]
