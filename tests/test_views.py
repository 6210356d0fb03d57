"""analytics.views on the demo stores, against numbers checked by hand from the demo CSVs
(data/demo/*/) and recomputed here independently with Decimal arithmetic."""

from __future__ import annotations

import csv
import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest

from analytics import fmt, labels
from analytics.ingest.demo_data import demo_folder
from analytics.plans.loading import load_plan
from analytics.rules.shortlist import evaluate_review
from analytics.store.binding import bind_plan
from analytics.store.connection import open_store
from analytics.views.bands import bands_frame
from analytics.views.components import advisory_table, component_table
from analytics.views.coverage import data_years, plan_years
from analytics.views.overview import dossier_deadline, overview, province_results
from analytics.views.profile import (
    candidate_reviews,
    unit_history,
    unit_info,
    unit_list,
    unit_verdicts,
    verdicts_for_unit,
)
from analytics.views.ranking import block_history, ranking
from tests._datasets import NQ_ID, ST_ID

CENT = Decimal("0.01")


# --- fixtures -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def st_path(demo_stores) -> Path:
    return demo_stores[ST_ID]


@pytest.fixture(scope="module")
def nq_path(demo_stores) -> Path:
    return demo_stores[NQ_ID]


@pytest.fixture(scope="module")
def st_con(st_path):
    with open_store(st_path, read_only=True) as con:
        yield con


@pytest.fixture(scope="module")
def nq_con(nq_path):
    with open_store(nq_path, read_only=True) as con:
        yield con


@pytest.fixture(scope="module")
def empty_con(tmp_path_factory):
    path = tmp_path_factory.mktemp("e") / "e.duckdb"
    with open_store(path) as con:
        bind_plan(con, ST_ID)
    with open_store(path, read_only=True) as con:
        yield con


@pytest.fixture(scope="module")
def st_plan():
    return load_plan(ST_ID)


@pytest.fixture(scope="module")
def nq_plan():
    return load_plan(NQ_ID)


# --- an independent reading of the demo CSVs ------------------------------------------------


def _rows(plan_id: str, name: str) -> list[dict]:
    with open(demo_folder(plan_id) / name, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _half_up(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def _ratio(row: dict) -> Decimal:
    if row["score"]:
        return _half_up(Decimal(100) * Decimal(row["score"]) / Decimal(row["max_score"]))
    return _half_up(Decimal(row["ratio"]))


def _active(unit: dict, year: int, plan) -> bool:
    lo = int(unit["active_from"] or plan.first_year)
    hi = int(unit["active_to"] or plan.last_year)
    return lo <= year <= hi


def _csv_ratios(plan, year: int, block: str | None = None) -> dict[str, Decimal]:
    """unit_id -> ratio of the units active in ``year`` (of ``block``) with a score."""
    units = {u["unit_id"]: u for u in _rows(plan.id, "units.csv")}
    return {
        r["unit_id"]: _ratio(r)
        for r in _rows(plan.id, "unit_scores.csv")
        if int(r["year"]) == year
        and _active(units[r["unit_id"]], year, plan)
        and (block is None or units[r["unit_id"]]["block"] == block)
    }


def _dec(x) -> Decimal:
    return Decimal(str(x))


# --- overview ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        pytest.param(2025, [19, 4, 6, 10, 39], id="2025-longphu-inactive"),
        pytest.param(2024, [19, 4, 6, 11, 40], id="2024-all-blocks-full"),
        pytest.param(2022, [19, 4, 6, 11, 40], id="2022-bqlda-gt-still-active"),
    ],
)
def test_units_per_block(st_con, st_plan, year, expected):
    blocks = overview(st_con, st_plan, year)["blocks"]
    assert list(blocks["n_units"]) == expected
    assert list(blocks["label"][:4]) == [b.label for b in st_plan.blocks]
    assert list(blocks["expected_units"]) == [19, 4, 6, 11, 40]


@pytest.mark.parametrize("year", [2022, 2023, 2025])
def test_block_averages_are_exact_means(st_con, st_plan, year):
    blocks = overview(st_con, st_plan, year)["blocks"].set_index("label")
    for block in st_plan.blocks:
        ratios = _csv_ratios(st_plan, year, block.code)
        prev = _csv_ratios(st_plan, year - 1, block.code)
        avg = _half_up(sum(ratios.values()) / len(ratios))
        avg_prev = _half_up(sum(prev.values()) / len(prev))
        row = blocks.loc[block.label]
        assert row["n_scored"] == len(ratios)
        assert _dec(row["avg_pct"]) == avg
        assert _dec(row["avg_prev_pct"]) == avg_prev
        assert _dec(row["avg_change_pct"]) == avg - avg_prev


def test_overview_2025_hand_checked(st_con, st_plan):
    data = overview(st_con, st_plan, 2025)
    total = data["blocks"].iloc[-1]
    assert total["label"] == "Tất cả các khối"
    assert (total["n_units"], total["n_scored"]) == (39, 39)
    assert _dec(total["avg_pct"]) == Decimal("89.36")
    assert _dec(total["avg_prev_pct"]) == Decimal("87.66")
    assert total["avg_trend"] == "up"
    assert data["prev_year"] == 2024


def test_group_distribution(st_con, st_plan):
    data = overview(st_con, st_plan, 2025)
    groups = data["groups"]
    assert list(groups["band_label"]) == [b.label for b in st_plan.classification.bands]
    expected = [0] * 5
    for r in _csv_ratios(st_plan, 2025).values():
        band = st_plan.classification.band_of(float(r))
        expected[st_plan.classification.band_index(band.code)] += 1
    assert list(groups["n"]) == expected == [23, 13, 2, 1, 0]
    assert list(groups["n_change"]) == [
        n - p for n, p in zip(groups["n"], groups["n_prev"], strict=True)
    ]
    # every block's counts add up to its scored units; the total row too
    per_block = data["block_groups"].groupby("block", sort=False)["n"].sum()
    blocks = data["blocks"].set_index("block")
    for code, n in per_block.items():
        assert n == blocks.loc[code, "n_scored"]
    assert list(data["blocks"]["band_counts"].iloc[-1]) == expected


def test_province_results(st_con, st_plan):
    prov = province_results(st_con, st_plan, 2025)
    assert list(prov["year"]) == [2021, 2022, 2023, 2024, 2025]
    row = prov.set_index("year").loc[2023]
    assert _dec(row["ratio_pct"]) == Decimal("81.70")
    assert row["national_rank"] == 62
    assert _dec(row["ratio_change_pct"]) == Decimal("2.10")
    assert pd.isna(prov.set_index("year").loc[2025, "sipas_pct"])
    assert prov["has_data"].all()
    later = province_results(st_con, st_plan, 2027)
    assert list(later["year"])[-1] == 2027 and not later["has_data"].iloc[-1]
    assert overview(st_con, st_plan, 2023)["province_year"]["national_rank"] == 62


# --- dossier deadline ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "days_left", "text"),
    [
        pytest.param(dt.date(2024, 6, 1), 15, "còn 15 ngày", id="before"),
        pytest.param(dt.date(2024, 6, 20), -4, "đã quá hạn 4 ngày", id="overdue"),
    ],
)
def test_deadline_publication_plus_60_days(st_con, st_plan, today, days_left, text):
    d = dossier_deadline(st_con, st_plan, st_plan.review("2023"), today)
    assert d["publication_date"] == dt.date(2024, 4, 17)
    assert d["due_date"] == dt.date(2024, 6, 16)
    assert d["days_left"] == days_left
    assert d["days_text"] == text
    assert d["is_overdue"] is (days_left < 0)
    assert "60" in d["basis"]


def test_deadline_unknown_without_publication(st_con, st_plan):
    d = dossier_deadline(st_con, st_plan, st_plan.review("tong-ket-2030"), dt.date(2026, 1, 1))
    assert d["due_date"] is None and d["days_left"] is None and d["days_text"] is None
    assert "Chưa có ngày công bố" in d["basis"]


def test_deadline_fixed_date_nhu_quynh(nq_con, nq_plan):
    d = dossier_deadline(nq_con, nq_plan, nq_plan.review("2023"), dt.date(2023, 12, 1))
    assert d["due_date"] == dt.date(2023, 12, 10)
    assert d["days_left"] == 9


# --- ranking -------------------------------------------------------------------------------


def test_ranking_ties_share_a_rank(st_con, st_plan):
    df = ranking(st_con, st_plan, 2025, "so_nganh")
    ratios = _csv_ratios(st_plan, 2025, "so_nganh")
    assert list(df["unit_id"][:3]) == ["stp", "sgtvt", "snv"]
    # rank() semantics: 1 + the number of units with a strictly higher ratio
    for row in df.itertuples():
        assert row.rank == 1 + sum(r > ratios[row.unit_id] for r in ratios.values())
        assert row.n_ranked == 19
    tied = df[df["rank"] == 8]
    assert list(tied["name"]) == ["Sở Kế hoạch và Đầu tư", "Sở Nông nghiệp và Phát triển nông thôn"]
    assert 9 not in set(df["rank"])


def test_ranking_change_from_previous_year(st_con, st_plan):
    df = ranking(st_con, st_plan, 2025, "so_nganh").set_index("unit_id")
    row = df.loc["skhdt"]
    assert (row["rank"], row["prev_rank"], row["rank_change"], row["rank_moves"]) == (8, 10, 2, 2)
    assert row["rank_trend"] == "up"
    assert _dec(row["ratio_change_pct"]) == _dec(row["ratio_pct"]) - _dec(row["prev_ratio_pct"])
    assert _dec(row["ratio_pct"]) == Decimal("91.60")
    assert row["band_label"] == "Nhóm 1" and row["band_index"] == 0


def test_ranking_only_active_units(st_con, st_plan):
    huyen = ranking(st_con, st_plan, 2025, "huyen")
    assert "h-longphu" not in set(huyen["unit_id"]) and len(huyen) == 10
    dvsn_2022 = set(ranking(st_con, st_plan, 2022, "dvsn")["unit_id"])
    assert "bqlda-gt" in dvsn_2022 and "bqlda" not in dvsn_2022
    dvsn_2023 = ranking(st_con, st_plan, 2023, "dvsn").set_index("unit_id")
    assert "bqlda-gt" not in dvsn_2023.index
    # bqlda began in 2023: no previous year, whatever its predecessor scored (rules.md §11)
    assert pd.isna(dvsn_2023.loc["bqlda", "prev_ratio_pct"])
    assert pd.isna(dvsn_2023.loc["bqlda", "rank_trend"])


def test_ranking_unscored_unit_comes_last_unranked(st_con, st_plan):
    df = ranking(st_con, st_plan, 2022, "so_nganh")
    last = df.iloc[-1]
    assert last["unit_id"] == "sldtbxh" and pd.isna(last["rank"]) and pd.isna(last["ratio_pct"])
    assert df["n_ranked"].dropna().unique().tolist() == [18]


def test_block_history_matches_each_years_ranking(st_con, st_plan):
    hist = block_history(st_con, st_plan, "huyen", 2025)
    assert set(hist["year"]) == {2021, 2022, 2023, 2024, 2025}
    longphu = hist[hist["unit_id"] == "h-longphu"]
    assert list(longphu["year"]) == [2021, 2022, 2023, 2024]
    first = hist[hist["order_no"] == 1]["unit_id"].unique().tolist()
    assert first == ["tp-soctrang"]
    for year in range(2021, 2026):
        ranked = ranking(st_con, st_plan, year, "huyen").dropna(subset=["rank"])
        got = hist[hist["year"] == year].set_index("unit_id")["rank"].sort_index()
        assert got.to_dict() == ranked.set_index("unit_id")["rank"].sort_index().to_dict()
    kesach = hist[(hist["unit_id"] == "h-kesach") & (hist["year"] == 2022)].iloc[0]
    assert kesach["band_label"] == "Nhóm 5" and _dec(kesach["ratio_pct"]) == Decimal("47.50")


# --- components ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "component", "ratio", "trend"),
    [
        # 11.2 / 13.5 = 82.962… -> 82.96; 2022: 10.45 / 13 = 80.384… -> 80.38
        pytest.param(2023, "C5", "82.96", "up", id="C5-2023"),
        # 10.15 / 13 = 78.076… -> 78.08; 2022: 11.2 / 14 = 80.00
        pytest.param(2023, "C3", "78.08", "down", id="C3-2023-falls"),
        # 8 / 8 = 100.00 (at maximum)
        pytest.param(2024, "C2", "100.00", "max", id="C2-2024-max"),
        # first year: no previous year to compare with
        pytest.param(2021, "C1", "86.67", None, id="C1-2021-no-previous"),
    ],
)
def test_component_ratio_by_hand(st_con, st_plan, year, component, ratio, trend):
    df = component_table(st_con, st_plan, year).set_index("component")
    row = df.loc[component]
    assert _dec(row["ratio_pct"]) == Decimal(ratio)
    assert (row["trend"] if pd.notna(row["trend"]) else None) == trend
    if trend in ("up", "down"):
        assert _dec(row["change_pct"]) == _dec(row["ratio_pct"]) - _dec(row["prev_ratio_pct"])


def test_component_advisors(st_con, st_plan):
    df = component_table(st_con, st_plan, 2025).set_index("component")
    assert list(df.index) == [f"C{i}" for i in range(1, 9)]
    assert df.loc["C8", "advisors"] == "Sở Kế hoạch và Đầu tư; Sở Khoa học và Công nghệ"
    assert df.loc["C1", "advisors"] == "Sở Nội vụ"
    assert df.loc["C1", "component_label"].startswith("C1 — Công tác chỉ đạo")
    assert len(component_table(st_con, st_plan)) == 40


def test_advisory_combined_ratio_by_hand(st_con, st_plan):
    adv = advisory_table(st_con, st_plan, 2025).set_index("unit_id")
    assert len(adv) == 7
    snv = adv.loc["snv"]
    # (8.45 + 8.6 + 11.1) / (9 + 9 + 13) = 90.806… ; 2024: (8.1 + 8.2 + 10.9) / 31.5 = 86.349…
    assert _dec(snv["ratio_pct"]) == Decimal("90.81")
    assert _dec(snv["prev_ratio_pct"]) == Decimal("86.35")
    assert snv["is_improved"] is True or snv["is_improved"] == True  # noqa: E712
    assert adv.loc["stp", "trend"] == "max" and not adv.loc["stp", "is_improved"]
    assert adv.loc["stttt", "trend"] == "down"


def test_advisory_measure_is_the_award_rules(st_con, st_plan):
    """The page's combined ratio is the number the engine's criterion quotes."""
    adv = advisory_table(st_con, st_plan, 2025).set_index("unit_id")
    sl = evaluate_review(st_con, st_plan, "2025", detail=True).to_pandas()
    rows = sl[(sl["award"] == "certificate") & (sl["category"] == "advisory")]
    for row in rows.itertuples():
        # v2 (rules.md §3): improved, or held at 100 % in both years
        crit = next(c for c in row.criteria if c["key"] == "component_improved_or_max")
        unit = adv.loc[row.subject_id]
        at_max = unit["ratio_pct"] == 100 and unit["prev_ratio_pct"] == 100
        expected_state = "pass" if bool(unit["is_improved"]) or at_max else "fail"
        assert crit["state"] == expected_state
        assert f"2025 = {fmt.pct(unit['ratio_pct'])}" in crit["evidence"]


def test_advisory_unknown_when_a_year_is_missing(st_con, st_plan):
    adv = advisory_table(st_con, st_plan, 2021).set_index("unit_id")
    snv = adv.loc["snv"]
    assert _dec(snv["ratio_pct"]) == Decimal("83.71")
    assert pd.isna(snv["prev_ratio_pct"]) and pd.isna(snv["is_improved"])
    assert snv["missing_prev"] == "C1, C4, C5"


# --- profile ---------------------------------------------------------------------------------


def test_unit_list_sorted_vietnamese(st_con):
    names = list(unit_list(st_con)["name"])
    assert len(names) == 41
    assert names.index("Bảo hiểm xã hội tỉnh Sóc Trăng") > names.index(
        "Ban Quản lý dự án đầu tư xây dựng tỉnh"
    )
    assert names.index("Đài Phát thanh và Truyền hình Sóc Trăng") > names.index(
        "Cục Thuế tỉnh Sóc Trăng"
    )


def test_unit_info_lineage(st_con, st_plan):
    new = unit_info(st_con, st_plan, "bqlda")
    assert [(p["unit_id"], p["name"], p["kind"]) for p in new["predecessors"]] == [
        ("bqlda-gt", "Ban Quản lý dự án đầu tư xây dựng công trình giao thông tỉnh", "merged")
    ]
    assert (new["active_from"], new["active_to"], new["active_to_declared"]) == (2023, 2030, None)
    assert new["scored_years"] == [2023, 2024, 2025] and new["series"] == "several"
    old = unit_info(st_con, st_plan, "bqlda-gt")
    assert [s["unit_id"] for s in old["successors"]] == ["bqlda"]
    assert unit_info(st_con, st_plan, "snv")["advised_components"] == ["C1", "C4", "C5"]
    assert unit_info(st_con, st_plan, "khong-co") is None


def test_unit_history(st_con, st_plan):
    hist = unit_history(st_con, st_plan, "sldtbxh").set_index("year")
    assert list(hist.index) == [2021, 2022, 2023, 2024, 2025]
    assert pd.isna(hist.loc[2022, "ratio_pct"]) and _dec(
        hist.loc[2022, "satisfaction_pct"]
    ) == Decimal("96.74")
    assert pd.isna(hist.loc[2023, "change_pct"])  # 2022 has no score
    assert hist.loc[2021, "n_ranked"] == 19
    longphu = unit_history(st_con, st_plan, "h-longphu")
    assert list(longphu["year"]) == [2021, 2022, 2023, 2024]
    mytu = unit_history(st_con, st_plan, "h-mytu").set_index("year")
    assert mytu.loc[2023, "discipline"] == "under_review" and mytu.loc[2022, "discipline"] == "none"


def test_unit_series_states(nq_con, nq_plan, tmp_path):
    assert unit_info(nq_con, nq_plan, "ubnd-tt")["series"] == "several"
    assert unit_info(nq_con, nq_plan, "dtn")["series"] == "none"
    path = tmp_path / "one.duckdb"
    with open_store(path) as con:
        bind_plan(con, NQ_ID)
        con.execute(
            "INSERT INTO units VALUES ('x', 'Thôn X', 'tap_the', NULL, NULL, NULL, NULL, NULL)"
        )
        con.execute("INSERT INTO unit_scores VALUES (2023, 'x', 70, 100, NULL, 70.00)")
    with open_store(path, read_only=True) as con:
        info = unit_info(con, nq_plan, "x")
        assert info["series"] == "one_year" and info["scored_years"] == [2023]


# --- verdicts --------------------------------------------------------------------------------


def test_unit_verdicts_match_the_engine(st_con, st_plan):
    assert candidate_reviews(st_con, st_plan, "h-longphu") == ["2021", "2022", "2023", "2024"]
    got = unit_verdicts(st_con, st_plan, "h-longphu")
    assert list(got["review"]) == ["2021", "2022", "2023", "2024"]
    for row in got.itertuples():
        sl = evaluate_review(st_con, st_plan, row.review).to_pandas()
        engine = sl[(sl["subject_id"] == "h-longphu") & (sl["category"] == row.category)].iloc[0]
        assert row.status == engine["status"]
        assert row.status_label == labels.STATUSES[row.status]
        assert row.award_label == "Bằng khen của Chủ tịch UBND tỉnh (tập thể)"
        assert {c["state"] for c in row.criteria} <= {"pass", "fail", "unknown"}
        assert all(c["evidence"] for c in row.criteria)


@pytest.mark.parametrize("review_id", ["2021", "2025", "so-ket-2025", "tong-ket-2030"])
def test_one_unit_evaluation_equals_the_full_review(st_con, st_plan, review_id):
    """evaluate_review(unit_id=...) (the profile page's query) gives exactly the unit's rows
    of the full review: same status, rank, quota and criteria, for one unit per status."""
    full = evaluate_review(st_con, st_plan, review_id, detail=True).to_pandas()
    units = full[full["subject_kind"] == "unit"]
    picked = units.drop_duplicates(["category", "status"])["subject_id"].unique()
    assert len(picked) >= 2  # several categories and statuses in each of these reviews
    for unit_id in picked:
        want = units[units["subject_id"] == unit_id].reset_index(drop=True)
        got = evaluate_review(st_con, st_plan, review_id, detail=True, unit_id=unit_id).to_pandas()
        pd.testing.assert_frame_equal(
            got.drop(columns="criteria"), want.drop(columns="criteria"), check_dtype=False
        )
        assert [list(c) for c in got["criteria"]] == [list(c) for c in want["criteria"]]


def test_unit_verdicts_deferred_under_review(st_con, st_plan):
    shortlists = {"2023": evaluate_review(st_con, st_plan, "2023", detail=True).to_pandas()}
    got = verdicts_for_unit(st_plan, shortlists, "h-mytu")
    # v2 (rules.md §6): Sóc Trăng defers a unit under review ("chưa khen thưởng")
    assert list(got["status"]) == ["deferred"]
    assert got["status_label"].iloc[0] == "Chưa xét khen thưởng"
    assert "đang xem xét kỷ luật" in got["reasons"].iloc[0]


def test_unit_verdicts_nhu_quynh(nq_con, nq_plan):
    got = unit_verdicts(nq_con, nq_plan, "ubnd-tt")
    assert list(got["status"]) == ["proposed"] and got["rank"].iloc[0] == 1
    assert [c["key"] for c in got["criteria"].iloc[0]][:2] == [
        "window_avg_band:tot",
        "ratio_improved",
    ]


# --- the second plan and an empty store ---------------------------------------------------------


def test_nhu_quynh_overview(nq_con, nq_plan):
    data = overview(nq_con, nq_plan, 2023)
    blocks = data["blocks"].set_index("block", drop=False)
    assert blocks.loc["xa", "n_units"] == 1 and _dec(blocks.loc["xa", "avg_pct"]) == Decimal(
        "84.20"
    )
    assert _dec(blocks.loc["xa", "avg_change_pct"]) == Decimal("5.70")
    assert blocks.loc["tap_the", "n_units"] == 12 and blocks.loc["tap_the", "n_scored"] == 0
    assert pd.isna(blocks.loc["tap_the", "avg_pct"])
    groups = data["groups"].set_index("band_label")
    assert groups.loc["Tốt", "n"] == 1 and groups.loc["Khá", "n_prev"] == 1
    assert data["components"].empty and not data["province"]["has_data"].any()


def test_empty_store(empty_con, st_plan):
    assert data_years(empty_con)["n_units"] == 0
    data = overview(empty_con, st_plan, 2025)
    assert list(data["blocks"]["n_units"]) == [0, 0, 0, 0, 0]
    assert data["blocks"]["avg_pct"].isna().all() and list(data["groups"]["n"]) == [0] * 5
    assert ranking(empty_con, st_plan, 2025, "huyen").empty
    assert block_history(empty_con, st_plan, "huyen", 2025).empty
    assert component_table(empty_con, st_plan).empty
    assert advisory_table(empty_con, st_plan, 2025).empty
    assert unit_list(empty_con).empty
    assert unit_verdicts(empty_con, st_plan, "snv").empty
    d = dossier_deadline(empty_con, st_plan, st_plan.review("2025"), dt.date(2026, 1, 1))
    assert d["due_date"] is None


def test_bands_frame_texts(st_plan, nq_plan):
    assert list(bands_frame(st_plan)["text"]) == [
        "Nhóm 1 (≥ 90 %)", "Nhóm 2 (≥ 80 %)", "Nhóm 3 (≥ 65 %)", "Nhóm 4 (≥ 50 %)", "Nhóm 5 (< 50 %)",
    ]  # fmt: skip
    assert bands_frame(nq_plan)["text"].iloc[1] == "Tốt (≥ 80 %)"
    assert plan_years(nq_plan) == [2022, 2023]


# --- comparison modes (rules.md §11 v2) ------------------------------------------------------------
@pytest.mark.parametrize(
    ("mode", "shown", "bqlda_prev"),
    [
        pytest.param("reported", ["dptth", "cdcd", "bqlda", "cdyt"], None, id="as-reported"),
        pytest.param("restated", ["dptth", "cdcd", "bqlda", "cdyt"], 80.2, id="restated"),
        pytest.param("continuing", ["dptth", "cdcd", "cdyt"], "absent", id="continuing-only"),
    ],
)
def test_ranking_comparison_modes(st_con, st_plan, mode, shown, bqlda_prev):
    """bqlda starts in 2023; its predecessor bqlda-gt (primary) scored 80,20 % in 2022."""
    df = ranking(st_con, st_plan, 2023, "dvsn", mode).set_index("unit_id")
    assert list(df.index) == shown
    if bqlda_prev == "absent":
        assert "bqlda" not in df.index
    elif bqlda_prev is None:
        assert pd.isna(df.loc["bqlda", "prev_ratio_pct"]) and pd.isna(df.loc["bqlda", "prev_rank"])
    else:
        assert _dec(df.loc["bqlda", "prev_ratio_pct"]) == Decimal("80.20")
    history = block_history(st_con, st_plan, "dvsn", 2023, mode)
    assert ("bqlda-gt" in set(history.unit_id)) is (mode == "reported")
    if mode == "restated":
        inherited = history[(history.unit_id == "bqlda") & history.is_inherited]
        assert set(inherited.source_id) == {"bqlda-gt"} and set(inherited.year) == {2021, 2022}


# --- user text inside markdown -------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    ["Sở *Nội* vụ", "[bấm](http://x)", "<b>đậm</b>", "$x^2$", ":red[đỏ]", "# Tiêu đề", "a_b_c"],
)
def test_names_are_literal_in_markdown(name):
    """fmt.md backslash-escapes every markdown special (CommonMark: any escaped ASCII
    punctuation is literal), and nothing else."""
    escaped = fmt.md(name)
    assert re.sub(r"\\(.)", r"\1", escaped) == name
    unescaped = re.sub(r"\\.", "", escaped)
    assert not set(unescaped) & set("\\`*_{}[]()#+-.!|<>$~:=^")


def test_highlight_cards_escape_names_and_name_recipients(st_plan):
    from analytics.views.highlight import highlight_cards

    table = pd.DataFrame(
        {
            "award": ["flag"],
            "category": ["so_nganh"],
            "subject_id": ["x"],
            "subject_name": ["Sở *X*"],
            "status": ["proposed"],
            "recipient_id": ["y"],
            "recipient_name": ["Sở [Y]"],
        }
    )
    card = highlight_cards(table, st_plan, st_plan.review("so-ket-2025"))[0]
    assert r"Sở \*X\* — đơn vị nhận\: Sở \[Y\]" in card.lines[0]


@pytest.mark.parametrize(
    ("years", "text"),
    [([], "—"), ([2023], "2023"), ([2022, 2021], "2021, 2022"), ([2024, 2021, 2023, 2022], "2021–2024"), ([2021, 2023], "2021, 2023")],
)  # fmt: skip
def test_years_text(years, text):
    assert fmt.years(years) == text


@pytest.mark.parametrize(
    ("row", "text"),
    [
        (("skhdt", "Sở KH&ĐT", "stc", "Sở Tài chính"), "Sở KH&ĐT — đơn vị nhận: Sở Tài chính"),
        (("stc", "Sở Tài chính", "stc", "Sở Tài chính"), "Sở Tài chính"),
        (("p01", "Lê Thị Hân", None, None), "Lê Thị Hân"),
        (("x", None, float("nan"), None), ""),
    ],
)
def test_named_with_recipient(row, text):
    assert labels.named_with_recipient(*row) == text
