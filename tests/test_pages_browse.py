"""The browsing pages (Tổng quan, Xếp hạng, Chỉ số thành phần, Hồ sơ đơn vị) in
streamlit's AppTest: they run without an exception for both plans, on an empty store and
for a year without data, and the numbers they show are analytics.views' numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics import fmt
from analytics.plans.loading import load_plan
from analytics.store.binding import bind_plan
from analytics.store.connection import open_store
from analytics.views.components import advisory_table, component_table
from analytics.views.overview import overview
from analytics.views.profile import unit_history, unit_verdicts
from analytics.views.ranking import ranking
from tests._datasets import NQ_ID, RE_ID, ST_ID

APP = str(Path(__file__).resolve().parent.parent / "app.py")


PAGES = [
    "pages/1_tong_quan.py",
    "pages/2_xep_hang.py",
    "pages/3_chi_so_thanh_phan.py",
    "pages/4_ho_so_don_vi.py",
]


@pytest.fixture(scope="module")
def stores(tmp_path_factory, demo_stores) -> dict[str, Path]:
    paths = {**demo_stores, "empty": tmp_path_factory.mktemp("stores") / "empty.duckdb"}
    with open_store(paths["empty"]) as con:
        bind_plan(con, ST_ID)
    return paths


@pytest.fixture(autouse=True)
def _no_demo(monkeypatch, fresh_caches):
    monkeypatch.setenv("THIDUA_NO_DEMO", "1")


def open_page(page: str, *, plan: str = ST_ID, review: str | None = None, state=None):
    """Open ``page`` with the sidebar set to ``plan`` / ``review``.

    The sidebar is set through session state before the run: because the app's
    page scripts live in a folder named ``pages/``, Streamlit runs in its multipage v1
    mode under AppTest and a rerun executes the page script without app.py, so a later
    ``set_value`` on the sidebar would not reach the page (see
    ``test_sidebar_plan_switch_after_first_run``).
    """
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["plan_id"] = plan
    if review is not None:
        at.session_state[f"review_{plan}"] = review
    for key, value in (state or {}).items():
        at.session_state[key] = value
    if page != PAGES[0]:  # the first page is the app's default page
        at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at) -> str:
    parts = [
        e.value for kind in ("info", "warning", "caption", "markdown") for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)


def frame(at, column: str):
    """The first table on the page showing ``column`` (read-only tables carry no key)."""
    return next(df.value for df in at.dataframe if column in df.value.columns)


# --- every page, both plans --------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_nhu_quynh_pages_run(stores, monkeypatch, page):
    monkeypatch.setenv("THIDUA_DB", str(stores[NQ_ID]))
    at = open_page(page, plan=NQ_ID)
    assert at.session_state["ctx"].plan.id == NQ_ID
    assert at.title[0].value and not at.error
    assert "theo kế hoạch" not in texts(at)  # the store follows this plan: no warning


def test_nhu_quynh_numbers(stores, monkeypatch):
    monkeypatch.setenv("THIDUA_DB", str(stores[NQ_ID]))
    at = open_page(PAGES[1], plan=NQ_ID, state={f"xh_block_{NQ_ID}": "xa"})
    shown = frame(at, "Tỷ lệ (%)")
    assert list(shown["Tỷ lệ (%)"]) == ["84,20 %"]
    assert list(shown["Xếp loại"]) == ["Tốt"]
    assert list(shown["± tỷ lệ"]) == ["▲ tăng (+5,70)"]


# --- the numbers on the pages are the views' numbers ---------------------------------------------


def test_overview_numbers(stores, monkeypatch):
    monkeypatch.setenv("THIDUA_DB", str(stores[ST_ID]))
    at = open_page(PAGES[0])
    plan = load_plan(ST_ID)
    with open_store(stores[ST_ID], read_only=True) as con:
        data = overview(con, plan, 2025)  # the default review (sơ kết 2025) ends in 2025
    total = data["blocks"].iloc[-1]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Số đơn vị đánh giá"] == "39" == fmt.num(total["n_units"], 0)
    assert metrics["Chỉ số CCHC trung bình 2025"] == fmt.pct(total["avg_pct"]) == "89,36 %"
    assert metrics["Chỉ số CCHC của tỉnh 2025"] == "87,20 %"
    assert metrics["Hạn nộp hồ sơ khen thưởng"] == "18/07/2026"
    assert metrics["Nhóm 1 (≥ 90 %)"] == "23 đơn vị"
    blocks = frame(at, "TB 2025")
    assert list(blocks["TB 2025"]) == [fmt.pct(v) for v in data["blocks"]["avg_pct"]]
    assert list(blocks["Số đơn vị / kế hoạch"])[:4] == ["19 / 19", "4 / 4", "6 / 6", "10 / 11"]
    comps = frame(at, "Đơn vị tham mưu")
    assert list(comps["Tỷ lệ"]) == [fmt.pct(v) for v in data["components"]["ratio_pct"]]
    prov = frame(at, "Xếp hạng")
    assert (
        list(prov["Xếp hạng"])
        == ["chưa có dữ liệu", "chưa có dữ liệu", "62"] + ["chưa có dữ liệu"] * 2
    )


def test_ranking_numbers(stores, monkeypatch):
    monkeypatch.setenv("THIDUA_DB", str(stores[ST_ID]))
    at = open_page(PAGES[1])
    plan = load_plan(ST_ID)
    with open_store(stores[ST_ID], read_only=True) as con:
        df = ranking(con, plan, 2025, "so_nganh")
    shown = frame(at, "Tỷ lệ (%)")
    assert list(shown["unit_id"]) == list(df["unit_id"])
    assert list(shown["Tỷ lệ (%)"]) == [fmt.pct(v) for v in df["ratio_pct"]]
    assert list(shown["Hạng"])[7:9] == ["8/19", "8/19"]  # a tie shares its rank
    assert list(shown["Nhóm"]) == list(df["band_label"])
    assert shown.set_index("unit_id").loc["skhdt", "± hạng"] == "▲ 2 bậc (từ hạng 10)"


def test_selecting_a_row_opens_the_profile(stores, monkeypatch):
    monkeypatch.setenv("THIDUA_DB", str(stores[ST_ID]))
    review = "so-ket-2025"
    at = open_page(PAGES[1], state={f"xh_year_{ST_ID}_{review}": 2022, f"xh_block_{ST_ID}": "dvsn"})
    shown = frame(at, "Tỷ lệ (%)")
    row = list(shown["unit_id"]).index("bqlda-gt")
    at.session_state[f"xh_table_{ST_ID}_2022_dvsn_1"] = {
        "selection": {"rows": [row], "columns": [], "cells": []}
    }
    at.run()
    assert not at.exception
    assert at.title[0].value == "🏛️ Hồ sơ đơn vị"
    assert at.main.selectbox[0].value == "bqlda-gt"
    assert "Đơn vị kế nhiệm: Ban Quản lý dự án đầu tư xây dựng tỉnh" in [b.label for b in at.button]


def test_component_numbers(stores, monkeypatch):
    monkeypatch.setenv("THIDUA_DB", str(stores[ST_ID]))
    at = open_page(PAGES[2])
    plan = load_plan(ST_ID)
    with open_store(stores[ST_ID], read_only=True) as con:
        comp = component_table(con, plan, 2025)
        adv = advisory_table(con, plan, 2025)
    shown = frame(at, "Năm trước")
    assert list(shown["Tỷ lệ"]) == [fmt.pct(v) for v in comp["ratio_pct"]]
    assert shown["So với năm trước"].iloc[1] == "★ tối đa (0,00)"
    advisory = frame(at, "Tỷ lệ gộp 2025")
    assert list(advisory["Tỷ lệ gộp 2025"]) == [fmt.pct(v) for v in adv["ratio_pct"]]
    assert "90,81 %" in list(advisory["Tỷ lệ gộp 2025"])


def test_profile_verdicts(stores, monkeypatch):
    monkeypatch.setenv("THIDUA_DB", str(stores[ST_ID]))
    at = open_page(PAGES[3], state={"profile_unit": "h-longphu"})
    plan = load_plan(ST_ID)
    with open_store(stores[ST_ID], read_only=True) as con:
        got = unit_verdicts(con, plan, "h-longphu")
        hist = unit_history(con, plan, "h-longphu")
    assert at.main.selectbox[0].value == "h-longphu"
    verdicts = frame(at, "Hình thức — nhóm xét")
    assert [s.split(" ", 1)[1] for s in verdicts["Kết quả"]] == list(got["status_label"])
    years = frame(at, "Hạng trong khối")
    assert list(years["Tỷ lệ"]) == [fmt.pct(v) for v in hist["ratio_pct"]]
    assert list(years["Năm"]) == ["2021", "2022", "2023", "2024"]


# --- empty states ------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_empty_store_explains(stores, monkeypatch, page):
    monkeypatch.setenv("THIDUA_DB", str(stores["empty"]))
    at = open_page(page)
    assert "chưa có đơn vị nào" in texts(at)


def test_missing_store_explains(tmp_path, monkeypatch):
    monkeypatch.setenv("THIDUA_DB", str(tmp_path / "khong-co.duckdb"))
    for page in PAGES:
        at = open_page(page)
        assert "Chưa có kho dữ liệu" in texts(at)


@pytest.mark.parametrize("page", PAGES[:3])
def test_year_without_data(stores, monkeypatch, page):
    monkeypatch.setenv("THIDUA_DB", str(stores[ST_ID]))
    at = open_page(page, review="tong-ket-2030")
    assert "2030" in texts(at) + " ".join(str(s.value) for s in at.subheader)
    assert at.main.selectbox[0].value == 2030


def test_store_of_another_plan_warns(stores, monkeypatch):
    monkeypatch.setenv("THIDUA_DB", str(stores[ST_ID]))
    at = open_page(PAGES[1], plan=NQ_ID)
    assert "theo kế hoạch **soc-trang-2021-2030**" in texts(at)
    assert not at.dataframe


# --- the default plan "as it happened" (rules.md §12) ------------------------------------------
ALL_PAGES = [*PAGES, "pages/5_khen_thuong.py", "pages/6_mo_phong.py", "pages/7_du_lieu.py"]


@pytest.mark.parametrize("review", ["so-ket-2025", "2026"])
@pytest.mark.parametrize("page", ALL_PAGES)
def test_every_page_on_the_reorg_store(stores, monkeypatch, page, review):
    """Every page runs on the amended plan's demo, for a held review and one not held."""
    monkeypatch.setenv("THIDUA_DB", str(stores[RE_ID]))
    at = open_page(page, plan=RE_ID, review=review)
    shown = texts(at)
    if page == "pages/5_khen_thuong.py" and review == "2026":
        assert "NQ 202/2025/QH15" in shown  # the reason, instead of a list
    if page == "pages/5_khen_thuong.py" and review == "so-ket-2025":
        assert "đơn vị nhận" in shown or any(
            "đơn vị nhận" in " ".join(map(str, d.value.columns)) for d in at.dataframe
        )
