"""Large blocks and categories: the pages show a page of rows at a time (with a status
filter and a diacritics-blind search on the awards page) instead of shipping every row to
the browser. The store is a small run of the national benchmark's generator: 400 units
(160 in one block) and 2 000 nominated people."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import fmt
from analytics.plans.loading import load_plan
from analytics.rules.shortlist import evaluate_review
from analytics.store.connection import open_store
from analytics.views.awards import (
    VIEW_ROWS,
    by_category,
    category_views,
    counts_text,
    criteria_matrix,
    display_table,
    filter_rows,
    rows_of,
    status_counts,
)
from analytics.views.paging import page_count, page_of
from analytics.views.ranking import ranking
from pages import _ui_awards as ua
from tests._datasets import ST_ID, national_store

APP = str(Path(__file__).resolve().parent.parent / "app.py")

REVIEW = "so-ket-2025"


@pytest.fixture(scope="module")
def big_store(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("big")
    return national_store(root, units=400, people=2000, seed=7)


@pytest.fixture(autouse=True)
def _env(monkeypatch, big_store, fresh_caches):
    monkeypatch.setenv("THIDUA_NO_DEMO", "1")
    monkeypatch.setenv("THIDUA_DB", str(big_store))


def _open(page: str, state: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["plan_id"] = ST_ID
    at.session_state[f"review_{ST_ID}"] = REVIEW
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _frame(at: AppTest, column: str) -> pd.DataFrame:
    return next(df.value for df in at.dataframe if column in df.value.columns)


# --- analytics helpers ------------------------------------------------------------------------


def test_page_of_clamps_and_counts():
    df = pd.DataFrame({"x": range(61)})
    part, n_pages, page = page_of(df, 3, 30)
    assert (n_pages, page, list(part["x"])) == (3, 3, [60])
    assert page_of(df, 99, 30)[2] == 3 and page_of(df, 0, 30)[2] == 1
    assert page_of(df.iloc[:60], 1, 30)[1] == 2  # an exact multiple: no empty page
    assert [page_count(n, 30) for n in (0, 1, 30, 31, 61)] == [1, 1, 1, 2, 3]
    empty, n_pages, page = page_of(df.iloc[:0], 1, 30)
    assert empty.empty and (n_pages, page) == (1, 1)


def test_filter_rows_ignores_case_and_diacritics():
    rows = pd.DataFrame(
        {
            "subject_id": ["stp", "sgddt", "h-longphu"],
            "subject_name": ["Sở Tư pháp", "Sở Giáo dục và Đào tạo", "UBND huyện Long Phú"],
            "status": ["proposed", "reserve", "proposed"],
        }
    )
    assert list(filter_rows(rows, None, "tu phap")["subject_id"]) == ["stp"]
    assert list(filter_rows(rows, None, "ĐÀO TẠO")["subject_id"]) == ["sgddt"]
    assert list(filter_rows(rows, None, "dao tao")["subject_id"]) == ["sgddt"]
    assert list(filter_rows(rows, "proposed", "")["subject_id"]) == ["stp", "h-longphu"]
    assert list(filter_rows(rows, "proposed", "LONG")["subject_id"]) == ["h-longphu"]
    assert filter_rows(rows, "reserve", "long").empty


def test_by_category_equals_rows_of(big_store):
    plan = load_plan(ST_ID)
    with open_store(big_store, read_only=True) as con:
        frame = evaluate_review(con, plan, REVIEW).to_pandas()
    groups = by_category(frame)
    assert sum(len(g) for g in groups.values()) == len(frame)
    for (award, category), rows in groups.items():
        assert rows.equals(rows_of(frame, award, category))


def test_category_views_precompute_small_categories_only(big_store):
    plan = load_plan(ST_ID)
    with open_store(big_store, read_only=True) as con:
        frame = evaluate_review(con, plan, REVIEW, detail=True).to_pandas()
    views_ = category_views(frame)
    assert views_.keys() == by_category(frame).keys()
    sizes = {len(v.rows) for v in views_.values()}
    assert min(sizes) <= VIEW_ROWS < max(sizes)  # both kinds are exercised
    for view in views_.values():
        assert view.counts == counts_text(status_counts(view.rows))
        page = view.rows.iloc[:VIEW_ROWS]
        table, matrix = view.tables_for(page)  # a page: built for those rows
        assert table.equals(display_table(page))
        assert matrix.equals(criteria_matrix(page))
        if len(view.rows) <= VIEW_ROWS:  # whole: the precomputed tables, same values
            table, matrix = view.tables_for(view.rows)
            assert table is view.table and table.equals(display_table(view.rows))
            assert matrix.equals(criteria_matrix(view.rows))


# --- Xếp hạng: a block of 160 units -----------------------------------------------------------


def test_ranking_pages_a_large_block(big_store):
    plan = load_plan(ST_ID)
    with open_store(big_store, read_only=True) as con:
        full = ranking(con, plan, 2025, "so_nganh")
    assert len(full) > 120  # several pages
    at = _open("pages/2_xep_hang.py", {f"xh_block_{ST_ID}": "so_nganh"})
    shown = _frame(at, "Tỷ lệ (%)")
    assert list(shown["unit_id"]) == list(full["unit_id"].iloc[:30])
    pager = at.number_input(key=f"xh_page_{ST_ID}_2025_so_nganh")
    assert int(pager.max) == -(-len(full) // 30)
    pager.set_value(2).run()
    assert not at.exception
    shown = _frame(at, "Tỷ lệ (%)")
    assert list(shown["unit_id"]) == list(full["unit_id"].iloc[30:60])
    assert list(shown["Tỷ lệ (%)"]) == [fmt.pct(v) for v in full["ratio_pct"].iloc[30:60]]
    assert any(f"trang 2/{int(pager.max)}" in c.value for c in at.caption)
    # the charts draw the page's 30 units, not the block's 160
    figures = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    heat = next(f["data"][0] for f in figures if f["data"][0]["type"] == "heatmap")
    assert sorted(heat["y"]) == sorted(shown["Đơn vị"])
    bump = next(f for f in figures if f["data"][0]["type"] == "scatter")
    assert {t["name"] for t in bump["data"]} == set(shown["Đơn vị"])


# --- Khen thưởng: 2 000 individuals in one category ---------------------------------------------


def _individuals(big_store) -> pd.DataFrame:
    plan = load_plan(ST_ID)
    with open_store(big_store, read_only=True) as con:
        frame = evaluate_review(con, plan, REVIEW).to_pandas()
    return frame[frame["subject_kind"] == "person"]


def test_awards_page_pages_filters_and_searches(big_store):
    people = _individuals(big_store)
    award, category = people["award"].iloc[0], people["category"].iloc[0]
    rows = people[(people["award"] == award) & (people["category"] == category)]
    assert len(rows) > 4 * ua.PAGE_SIZE
    at = _open("pages/5_khen_thuong.py")
    key = f"kt_{ST_ID}_{REVIEW}_{award}_{category}"
    table = next(
        df.value
        for df in at.dataframe
        if "Lý do" in df.value.columns and set(df.value["Tên"]) <= set(rows["subject_name"])
    )
    assert list(table["Tên"]) == list(rows["subject_name"].iloc[: ua.PAGE_SIZE])

    at.selectbox(key=f"{key}_status").set_value("ineligible").run()
    inel = rows[rows["status"] == "ineligible"]
    table = _find(at, rows)
    assert list(table["Tên"]) == list(inel["subject_name"].iloc[: ua.PAGE_SIZE])

    target = inel.iloc[-1]
    at.text_input(key=f"{key}_query").set_value(target["subject_name"].upper()).run()
    table = _find(at, rows)
    assert target["subject_name"] in list(table["Tên"])
    assert all(target["subject_name"].casefold() in s.casefold() for s in table["Tên"])


def _find(at: AppTest, rows: pd.DataFrame) -> pd.DataFrame:
    assert not at.exception, [e.value for e in at.exception]
    return next(
        df.value
        for df in at.dataframe
        if "Lý do" in df.value.columns
        and len(df.value)
        and set(df.value["Tên"]) <= set(rows["subject_name"])
    )


def test_whatif_page_pages_the_lists(big_store):
    at = _open("pages/6_mo_phong.py")
    compact = [df.value for df in at.dataframe if list(df.value.columns)[:2] == ["Thứ hạng", "Tên"]]
    assert compact and all(len(df) <= ua.PAGE_SIZE for df in compact)
