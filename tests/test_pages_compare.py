"""Hồ sơ đơn vị's component scores, the So sánh đơn vị page, the ranking workbook download
and the shareable links (query parameters) in streamlit's AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics import fmt
from analytics.plans.loading import load_plan
from analytics.store.connection import open_store
from analytics.views.compare import units_history
from analytics.views.unit_components import component_scores
from tests._datasets import NQ_ID, RE_ID, ST_ID

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PROFILE, COMPARE, RANKING = "pages/4_ho_so_don_vi.py", "pages/11_so_sanh.py", "pages/2_xep_hang.py"


@pytest.fixture(autouse=True)
def _no_demo(monkeypatch, fresh_caches):
    monkeypatch.setenv("THIDUA_NO_DEMO", "1")


def open_page(page: str, *, plan: str | None = ST_ID, state=None, query=None) -> AppTest:
    """Open ``page`` (the sidebar's plan set through session state, see test_pages_browse)
    with the address's query parameters ``query``."""
    at = AppTest.from_file(APP, default_timeout=90)
    if plan is not None:
        at.session_state["plan_id"] = plan
    for key, value in (state or {}).items():
        at.session_state[key] = value
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def frame(at, column: str):
    return next(df.value for df in at.dataframe if column in df.value.columns)


def texts(at) -> str:
    return "\n".join(str(e.value) for kind in ("info", "caption", "markdown") for e in at.get(kind))


def downloads(at) -> dict[str, object]:
    return {d.proto.label: d for d in at.get("download_button")}


# --- Hồ sơ đơn vị --------------------------------------------------------------------------------


def test_profile_shows_component_scores_against_the_block(demo_stores, monkeypatch):
    monkeypatch.setenv("THIDUA_DB", str(demo_stores[ST_ID]))
    at = open_page(PROFILE, state={"profile_unit": "stp", f"hs_comp_year_{ST_ID}": 2023})
    with open_store(demo_stores[ST_ID], read_only=True) as con:
        expected = component_scores(con, load_plan(ST_ID), ["stp"], 2023)
    shown = frame(at, "Trung vị của khối")
    assert list(shown["Lĩnh vực"]) == list(expected["component_label"])
    assert list(shown["Tỷ lệ"]) == [fmt.pct(v) for v in expected["ratio_pct"]]
    assert list(shown["Trung vị của khối"]) == [fmt.pct(v) for v in expected["block_median_pct"]]
    assert list(shown["Cao nhất của khối"]) == [fmt.pct(v) for v in expected["block_best_pct"]]
    charts = {c.proto.id for c in at.get("plotly_chart")}
    assert len(charts) >= 2  # the ratio over the years and the component bars
    assert "Tải hồ sơ một trang (Word)" in downloads(at)
    assert "trung vị của khối" in texts(at)  # the reference lines of the ratio chart


def test_profile_without_component_scores_says_so(demo_stores, monkeypatch):
    monkeypatch.setenv("THIDUA_DB", str(demo_stores[NQ_ID]))
    at = open_page(PROFILE, plan=NQ_ID)
    assert "Chưa có điểm các lĩnh vực" in texts(at)
    assert not any("Trung vị của khối" in df.value.columns for df in at.dataframe)
    assert "Tải hồ sơ một trang (Word)" in downloads(at)


# --- So sánh đơn vị ------------------------------------------------------------------------------


def test_compare_asks_for_two_units(demo_stores, monkeypatch):
    monkeypatch.setenv("THIDUA_DB", str(demo_stores[ST_ID]))
    at = open_page(COMPARE)
    assert at.title[0].value == "⚖️ So sánh đơn vị"
    assert "Chọn ít nhất 2 đơn vị" in texts(at)


def test_compare_two_units(demo_stores, monkeypatch):
    monkeypatch.setenv("THIDUA_DB", str(demo_stores[ST_ID]))
    at = open_page(COMPARE)
    at.multiselect(key=f"ss_units_{ST_ID}").select("snv").select("stp").run()
    assert not at.exception, at.exception
    with open_store(demo_stores[ST_ID], read_only=True) as con:
        hist = units_history(con, load_plan(ST_ID), ["snv", "stp"])
    years = frame(at, "Sở Nội vụ")
    assert list(years.columns) == ["Năm", "Sở Nội vụ", "Sở Tư pháp"]
    snv = hist[hist["unit_id"] == "snv"]
    assert list(years["Sở Nội vụ"]) == [
        f"{fmt.pct(r.ratio_pct)} · {r.band_label} · hạng {r.rank}/{r.n_ranked}"
        for r in snv.itertuples()
    ]
    comps = frame(at, "Lĩnh vực")
    assert list(comps.columns) == ["Lĩnh vực", "Sở Nội vụ", "Sở Tư pháp"]
    assert at.query_params["units"] == "snv,stp"  # the address can be copied


def test_compare_keeps_at_most_three_units(demo_stores, monkeypatch):
    monkeypatch.setenv("THIDUA_DB", str(demo_stores[ST_ID]))
    at = open_page(COMPARE, query={"units": "snv,stp,stc,sxd"})
    assert at.multiselect(key=f"ss_units_{ST_ID}").value == ["snv", "stp", "stc"]


# --- shareable links -----------------------------------------------------------------------------


def test_link_opens_plan_review_unit_and_year(demo_stores, monkeypatch):
    monkeypatch.setenv("THIDUA_DB", str(demo_stores[RE_ID]))
    at = open_page(
        PROFILE, plan=None, query={"plan": RE_ID, "review": "2023", "unit": "stp", "year": "2022"}
    )
    ctx = at.session_state["ctx"]
    assert (ctx.plan.id, ctx.review_id) == (RE_ID, "2023")
    assert at.selectbox(key=f"hs_comp_year_{RE_ID}").value == 2022
    assert at.subheader[0].value == "Sở Tư pháp"
    assert dict(at.query_params) == {"plan": RE_ID, "review": "2023", "unit": "stp", "year": "2022"}


def test_link_with_unknown_values_opens_the_defaults(demo_stores, monkeypatch):
    monkeypatch.setenv("THIDUA_DB", str(demo_stores[ST_ID]))
    at = open_page(PROFILE, query={"plan": "khong-co", "review": "1999", "unit": "zz"})
    ctx = at.session_state["ctx"]
    assert ctx.plan.id == ST_ID and ctx.review_id != "1999"
    assert at.query_params["unit"] != "zz"


def test_users_choice_wins_over_the_link_it_replaces(demo_stores, monkeypatch):
    monkeypatch.setenv("THIDUA_DB", str(demo_stores[ST_ID]))
    at = open_page(COMPARE, query={"units": "snv,stp"})
    at.multiselect(key=f"ss_units_{ST_ID}").unselect("stp").select("stc").run()
    assert at.multiselect(key=f"ss_units_{ST_ID}").value == ["snv", "stc"]
    assert at.query_params["units"] == "snv,stc"


def test_ranking_link_opens_year_and_the_units_block(demo_stores, monkeypatch):
    monkeypatch.setenv("THIDUA_DB", str(demo_stores[ST_ID]))
    at = open_page(RANKING, query={"year": "2022", "unit": "cdyt"})
    assert at.selectbox(key=f"xh_block_{ST_ID}").value == "dvsn"
    assert at.query_params["year"] == "2022" and at.query_params["block"] == "dvsn"


# --- the ranking workbook download ---------------------------------------------------------------


def test_ranking_offers_the_workbook(demo_stores, monkeypatch):
    monkeypatch.setenv("THIDUA_DB", str(demo_stores[ST_ID]))
    at = open_page(RANKING, query={"year": "2023", "block": "so_nganh"})
    assert "Tải bảng xếp hạng (Excel)" in downloads(at)
    assert at.selectbox(key=f"xh_year_{ST_ID}_{at.session_state['ctx'].review_id}").value == 2023


# --- user text is data, never markup -------------------------------------------------------------

HOSTILE = "[ok](https://example.invalid) **đậm** :red[đỏ] $x^2$ <b>b</b> `mã`"
RAW = ("](https://example.invalid)", "**đậm**", ":red[", "$x^2$", "<b>", "`mã`")


@pytest.fixture
def hostile_store(demo_copy, tmp_path) -> Path:
    """The demo with Sở Nội vụ and Cục Thống kê (a ratio alone in 2021: no components)
    renamed to markup."""
    import contextlib
    import csv
    import io

    from analytics import cli

    path = demo_copy(ST_ID)
    data = tmp_path / "hostile"
    data.mkdir()
    with (data / "units.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["unit_id", "name"])
        w.writerows([["snv", f"{HOSTILE} 1"], ["cuc-tk", f"{HOSTILE} 2"]])
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert cli.main(["import", str(data), "--db", str(path)]) == 0
    return path


@pytest.mark.parametrize(
    ("page", "query"),
    [
        pytest.param(COMPARE, {"units": "snv,cuc-tk", "year": "2021"}, id="compare"),
        pytest.param(PROFILE, {"unit": "snv"}, id="profile"),
    ],
)
def test_unit_names_are_escaped(hostile_store, monkeypatch, page, query):
    monkeypatch.setenv("THIDUA_DB", str(hostile_store))
    at = open_page(page, query=query)
    shown = [str(e.value) for k in ("title", "subheader", "markdown", "caption", "info")
             for e in at.get(k)]  # fmt: skip
    assert any("đậm" in t for t in shown)  # the names are shown …
    assert not [t for t in shown if any(r in t for r in RAW)]  # … as text
