"""The award rules of rules.md, case by case, on tiny stores built from rows.

Brought to rules v2: every expectation that v2 changed says so with the rules.md section
("v2 §…") in its id or a comment. The v2 rules themselves are in test_rules_v2.py."""

from __future__ import annotations

import pytest

from analytics.labels import STATUS_ORDER
from analytics.plans.loading import load_plan
from tests._rules_kit import Unit, dataset, make_store, row, shortlist, statuses


def crit(r: dict, key: str) -> dict:
    found = [c for c in r["criteria"] if c["key"] == key]
    assert len(found) == 1, f"no criterion {key} in {[c['key'] for c in r['criteria']]}"
    return found[0]


# --- §1 exact arithmetic and §3 window averages -------------------------------------------


@pytest.mark.parametrize(
    ("ratios", "review", "expected"),
    [
        pytest.param({2021: (64.1, 80)}, "2021", "80.13", id="score-64.1-of-80-is-80.13"),
        pytest.param({2021: 50.11, 2022: 50.12}, "2022", "50.12", id="mean-50.11-50.12-is-50.12"),
        pytest.param({2021: 80.00, 2022: 80.01}, "2022", "80.01", id="mean-80.005-rounds-half-up"),
        pytest.param({2021: 85.125}, "2021", "85.13", id="ratio-only-85.125-rounds-to-85.13"),
        pytest.param({2021: (85.125, 100)}, "2021", "85.13", id="score-85.125-of-100-is-85.13"),
        pytest.param({2021: (2, 3)}, "2021", "66.67", id="score-2-of-3-is-66.67"),
        pytest.param({2021: (1, 3)}, "2021", "33.33", id="score-1-of-3-is-33.33"),
        pytest.param(
            {2021: 90, 2022: 91, 2023: 92}, "2023", "91.00", id="cumulative-window-2021-2023"
        ),
        pytest.param(
            {2021: 70.01, 2022: 70.01, 2023: 70.02, 2024: 70.02, 2025: 70.03},
            "2025",
            "70.02",
            id="mean-of-five-70.018-is-70.02",
        ),
    ],
)
def test_window_average_is_exact(tmp_path, ratios, review, expected):
    path = make_store(tmp_path, dataset([Unit("u1", ratios=ratios)]))
    r = row(shortlist(path, review), "certificate", "so_nganh", "u1")
    assert str(r["window_avg"]) == expected


@pytest.mark.parametrize(
    ("ratio", "award", "key", "state"),
    [
        pytest.param(
            80.00, "flag", "window_avg_band:2", "pass", id="flag-avg-exactly-80.00-passes"
        ),
        pytest.param(79.99, "flag", "window_avg_band:2", "fail", id="flag-avg-79.99-fails"),
        pytest.param(90.00, "flag", "window_avg_band:2", "pass", id="flag-avg-90-nhom-1-passes"),
        pytest.param(
            65.00, "certificate", "window_avg_band:3", "pass", id="cert-avg-exactly-65.00-passes"
        ),
        pytest.param(64.99, "certificate", "window_avg_band:3", "fail", id="cert-avg-64.99-fails"),
        pytest.param(50.00, "certificate", "no_year_in_band:5", "pass", id="year-50.00-is-nhom-4"),
        pytest.param(49.99, "certificate", "no_year_in_band:5", "fail", id="year-49.99-is-nhom-5"),
    ],
)
def test_group_boundaries(tmp_path, ratio, award, key, state):
    path = make_store(tmp_path, dataset([Unit("u1", ratios={y: ratio for y in range(2021, 2026)})]))
    r = row(shortlist(path, "so-ket-2025", detail=True), award, "so_nganh", "u1")
    assert crit(r, key)["state"] == state


def test_one_nhom_5_year_fails_despite_high_average(tmp_path):
    ratios = {2021: 95, 2022: 49.99, 2023: 95, 2024: 95, 2025: 95}
    path = make_store(tmp_path, dataset([Unit("u1", ratios=ratios)]))
    r = row(shortlist(path, "so-ket-2025", detail=True), "flag", "so_nganh", "u1")
    assert r["window_avg"] is not None and float(r["window_avg"]) >= 80
    assert r["status"] == "ineligible"
    assert crit(r, "no_year_in_band:5")["state"] == "fail"
    assert "2022: 49,99 %" in r["reasons"]


def test_missing_year_makes_average_unknown_and_status_pending(tmp_path):
    ratios = {2021: 95, 2022: None, 2023: 95, 2024: 95, 2025: 95}
    path = make_store(tmp_path, dataset([Unit("u1", ratios=ratios)]))
    r = row(shortlist(path, "so-ket-2025", detail=True), "flag", "so_nganh", "u1")
    assert r["window_avg"] is None
    assert r["status"] == "pending"
    assert crit(r, "window_avg_band:2")["state"] == "unknown"
    assert crit(r, "no_year_in_band:5")["state"] == "unknown"
    assert "thiếu Chỉ số năm 2022" in r["reasons"]


def test_missing_year_with_a_known_nhom_5_year_fails(tmp_path):
    ratios = {2021: 40, 2022: None, 2023: 95, 2024: 95, 2025: 95}
    path = make_store(tmp_path, dataset([Unit("u1", ratios=ratios)]))
    r = row(shortlist(path, "so-ket-2025", detail=True), "flag", "so_nganh", "u1")
    assert crit(r, "no_year_in_band:5")["state"] == "fail"
    assert r["status"] == "ineligible"


def test_a_failed_criterion_beats_an_unknown_one(tmp_path):
    u = Unit(
        "u1",
        tasks={2021: 100, 2022: 100, 2023: 99.99, 2024: 100, 2025: 100},
        judgments={
            "so-ket-2025": {"head_directs": None, "outstanding": "x", "has_initiative": "x"}
        },
    )
    path = make_store(tmp_path, dataset([u]))
    r = row(shortlist(path, "so-ket-2025", detail=True), "flag", "so_nganh", "u1")
    assert r["status"] == "ineligible"
    assert crit(r, "tasks_on_time")["state"] == "fail"
    assert crit(r, "judgment:head_directs")["state"] == "unknown"
    assert "2023 (99,99 %)" in r["reasons"] and "chưa đánh giá" in r["reasons"]


def test_tasks_without_a_value_are_unknown(tmp_path):
    u = Unit("u1", tasks={2021: 100, 2022: None, 2023: 100, 2024: 100, 2025: 100})
    path = make_store(tmp_path, dataset([u]))
    r = row(shortlist(path, "so-ket-2025", detail=True), "certificate", "so_nganh", "u1")
    assert crit(r, "tasks_on_time")["state"] == "unknown"
    assert r["status"] == "pending"


@pytest.mark.parametrize(
    ("sat", "review", "state"),
    [
        pytest.param(90.00, "so-ket-2025", "pass", id="sat-90.00-passes-until-2025"),
        pytest.param(89.99, "so-ket-2025", "fail", id="sat-89.99-fails-until-2025"),
        pytest.param(94.99, "2026", "fail", id="sat-94.99-fails-from-2026"),
        pytest.param(95.00, "2026", "pass", id="sat-95.00-passes-from-2026"),
        pytest.param(94.99, "tong-ket-2030", "fail", id="sat-94.99-fails-tong-ket"),
    ],
)
def test_satisfaction_threshold_by_review(tmp_path, sat, review, state):
    years = range(2021, 2031)
    u = Unit("u1", sat=sat, years=years, ratios={y: 92 for y in years})
    path = make_store(tmp_path, dataset([u], reviews=(review,)))
    r = row(shortlist(path, review, detail=True), "certificate", "so_nganh", "u1")
    assert crit(r, "satisfaction_avg")["state"] == state


def test_satisfaction_average_is_exact_and_unknown_when_a_year_is_missing(tmp_path):
    a = Unit("a", sat={2021: 89.99, 2022: 90.00, 2023: 90.02, 2024: 90, 2025: 90})
    b = Unit("b", sat={2021: 95, 2022: 95, 2023: None, 2024: 95, 2025: 95})
    path = make_store(tmp_path, dataset([a, b]))
    rows = shortlist(path, "so-ket-2025", detail=True)
    assert crit(row(rows, "flag", "so_nganh", "a"), "satisfaction_avg")["state"] == "pass"  # 90.002
    assert "90,00 %" in crit(row(rows, "flag", "so_nganh", "a"), "satisfaction_avg")["evidence"]
    rb = row(rows, "flag", "so_nganh", "b")
    assert crit(rb, "satisfaction_avg")["state"] == "unknown"
    assert "2023" in crit(rb, "satisfaction_avg")["evidence"]


# --- §2 windows and active years ---------------------------------------------------------


def test_unit_active_part_of_the_window_is_averaged_over_its_own_years(tmp_path):
    u = Unit("u1", active_from=2023, ratios={2023: 80, 2024: 81, 2025: 82})
    path = make_store(tmp_path, dataset([u]))
    r = row(shortlist(path, "so-ket-2025", detail=True), "flag", "so_nganh", "u1")
    assert str(r["window_avg"]) == "81.00"
    assert "2023–2025" in crit(r, "window_avg_band:2")["evidence"]


def test_rows_outside_the_active_range_are_ignored(tmp_path):
    u = Unit("u1", active_from=2023, ratios={2023: 80, 2024: 81, 2025: 82})
    tables = dataset([u], extra={"unit_scores": [{"year": 2021, "unit_id": "u1", "ratio": 10}]})
    path = make_store(tmp_path, tables)
    r = row(shortlist(path, "so-ket-2025"), "flag", "so_nganh", "u1")
    assert str(r["window_avg"]) == "81.00"


@pytest.mark.parametrize(
    ("active_from", "active_to", "is_candidate"),
    [
        pytest.param(None, 2024, False, id="ended-2024-no-row-in-2025"),
        pytest.param(2026, None, False, id="starts-2026-no-row-in-2025"),
        pytest.param(None, 2025, True, id="ends-2025-is-candidate"),
        pytest.param(2025, None, True, id="starts-2025-is-candidate"),
    ],
)
def test_candidates_are_the_units_active_in_the_end_year(
    tmp_path, active_from, active_to, is_candidate
):
    u = Unit("u1", active_from=active_from, active_to=active_to)
    other = Unit("u2")
    path = make_store(tmp_path, dataset([u, other]))
    rows = shortlist(path, "so-ket-2025")
    assert any(r["subject_id"] == "u1" for r in rows) is is_candidate


def test_annual_review_uses_cumulative_window(tmp_path):
    u = Unit("u1", ratios={2021: 60, 2022: 70, 2023: 80, 2024: 90, 2025: 100})
    path = make_store(tmp_path, dataset([u]))
    assert (
        str(row(shortlist(path, "2022"), "certificate", "so_nganh", "u1")["window_avg"]) == "65.00"
    )
    assert (
        str(row(shortlist(path, "2024"), "certificate", "so_nganh", "u1")["window_avg"]) == "75.00"
    )


# --- §7 ranking, ties and quotas --------------------------------------------------------


def _ratios(avg_years, end):
    return {
        2021: avg_years[0],
        2022: avg_years[1],
        2023: avg_years[2],
        2024: avg_years[3],
        2025: end,
    }


def test_ties_are_broken_by_every_ranking_key_in_turn(tmp_path):
    units = [
        # same window average 90.00; end-year ratio decides
        Unit("b-end-91", ratios=_ratios([90, 90, 90, 90.25], 89.75), sat=96),
        Unit("a-end-92", ratios=_ratios([90, 90, 90, 86], 94), sat=96),
        # same average and end ratio; satisfaction average decides
        Unit("c-sat-95", ratios=_ratios([90, 90, 90, 86], 94), sat=95),
        # same on every key: unit_id ascending decides
        Unit("e-same", ratios=_ratios([90, 90, 90, 86], 94), sat=94),
        Unit("d-same", ratios=_ratios([90, 90, 90, 86], 94), sat=94),
    ]
    path = make_store(tmp_path, dataset(units))
    result = shortlist(path, "so-ket-2025")
    flags = [r for r in result if (r["award"], r["category"]) == ("flag", "so_nganh")]
    assert [(r["subject_id"], r["rank"]) for r in flags] == [
        ("a-end-92", 1),
        ("c-sat-95", 2),
        ("d-same", 3),
        ("e-same", 4),
        ("b-end-91", 5),
    ]
    rows = [r for r in result if (r["award"], r["category"]) == ("certificate", "so_nganh")]
    # v2 §4 (one form per achievement): a-end-92, proposed for the flag of its block, is
    # superseded in certificate (2) and the ranks pass down (v1: a-end-92 rank 1, c 2, d 3,
    # e 4, b 5).
    assert [(r["subject_id"], r["rank"]) for r in rows] == [
        ("c-sat-95", 1),
        ("d-same", 2),
        ("e-same", 3),
        ("b-end-91", 4),
        ("a-end-92", None),
    ]
    assert row(result, "certificate", "so_nganh", "a-end-92")["status"] == "superseded"
    assert {str(r["window_avg"]) for r in rows} == {"90.00"}


def test_ids_compare_by_code_point_case_sensitive(tmp_path):
    # Data contract v2: ids are ASCII letters, digits, '.', '_', '-' (v1 used "Á", now
    # rejected on import); the code-point order is still case-sensitive: '9' < 'B' < '_' < 'a'.
    units = [Unit(uid) for uid in ("b", "B", "a", "_x", "9")]
    path = make_store(tmp_path, dataset(units))
    rows = [
        r
        for r in shortlist(path, "so-ket-2025")
        if (r["award"], r["category"]) == ("flag", "so_nganh")
    ]
    assert [r["subject_id"] for r in rows] == ["9", "B", "_x", "a", "b"]


def test_quota_exhausted_the_rest_are_reserve(tmp_path):
    units = [Unit(f"u{i}", ratios={y: 90 + i for y in range(2021, 2026)}) for i in range(7)]
    path = make_store(tmp_path, dataset(units))
    rows = shortlist(path, "so-ket-2025")
    cert = [r for r in rows if (r["award"], r["category"]) == ("certificate", "so_nganh")]
    # v2 §4 (one form per achievement): u6 wins the flag, so it is superseded in
    # certificate (2) and its place passes down (v1: u6..u2 proposed 1..5, u1 and u0 reserve).
    assert [(r["subject_id"], r["status"], r["rank"]) for r in cert] == [
        ("u5", "proposed", 1),
        ("u4", "proposed", 2),
        ("u3", "proposed", 3),
        ("u2", "proposed", 4),
        ("u1", "proposed", 5),
        ("u0", "reserve", 6),
        ("u6", "superseded", None),
    ]
    flags = [r for r in rows if (r["award"], r["category"]) == ("flag", "so_nganh")]
    assert [r["status"] for r in flags] == ["proposed"] + ["reserve"] * 6
    assert "ngoài chỉ tiêu 5" in cert[-2]["reasons"]


def test_annual_quota_differs_from_so_ket(tmp_path):
    units = [Unit(f"u{i}", ratios={y: 90 + i for y in range(2021, 2026)}) for i in range(4)]
    path = make_store(tmp_path, dataset(units))
    cert = statuses(shortlist(path, "2025"), "certificate", "so_nganh")
    assert sorted(cert.values()) == ["proposed"] * 3 + ["reserve"]
    assert "flag" not in {r["award"] for r in shortlist(path, "2025")}


def test_quota_zero_makes_every_eligible_candidate_reserve(tmp_path):
    plan = load_plan("soc-trang-2021-2030")
    data = plan.model_dump()
    for award in data["awards"]:
        for cat in award["categories"]:
            if cat["quota"]:
                cat["quota"] = {k: 0 for k in cat["quota"]}
    plan0 = type(plan).model_validate(data)
    units = [Unit(f"u{i}", ratios={y: 90 + i for y in range(2021, 2026)}) for i in range(3)]
    path = make_store(tmp_path, dataset(units))
    rows = [r for r in shortlist(path, "so-ket-2025", plan0) if r["category"] == "so_nganh"]
    assert {r["status"] for r in rows} == {"reserve"}
    assert sorted(r["rank"] for r in rows if r["award"] == "flag") == [1, 2, 3]


def test_ineligible_candidates_have_no_rank(tmp_path):
    path = make_store(tmp_path, dataset([Unit("u1", ratios={y: 60 for y in range(2021, 2026)})]))
    r = row(shortlist(path, "so-ket-2025"), "certificate", "so_nganh", "u1")
    assert (r["status"], r["rank"]) == ("ineligible", None)


# --- §4 advisory units, precedence, components ------------------------------------------

C = {  # component C1: 2024 = 80.00 %, 2025 = 85.00 %; C2 at the maximum both years;
    # C3 falls: 2024 = 90.00 %, 2025 = 85.00 %
    (2024, "C1"): (8, 10),
    (2025, "C1"): (8.5, 10),
    (2024, "C2"): (5, 5),
    (2025, "C2"): (5, 5),
    (2021, "C1"): (7, 10),
    (2021, "C2"): (5, 5),
    (2024, "C3"): (9, 10),
    (2025, "C3"): (8.5, 10),
}


def test_advisory_eligible_under_1_is_superseded_under_2(tmp_path):
    adv = Unit("snv", advised="C1")
    plain = Unit("syt")
    path = make_store(tmp_path, dataset([adv, plain], components=C))
    rows = shortlist(path, "so-ket-2025", detail=True)
    a = row(rows, "certificate", "advisory", "snv")
    assert a["status"] == "proposed"
    assert crit(a, "component_improved_or_max")["evidence"].endswith(
        "2025 = 85,00 %, 2024 = 80,00 %"
    )
    s = row(rows, "certificate", "so_nganh", "snv")
    assert (s["status"], s["rank"]) == ("superseded", None)
    assert "không xét lại" in s["reasons"]
    assert row(rows, "certificate", "so_nganh", "syt")["rank"] == 1
    # The flag still considers snv (precedence is within the certificate).
    assert row(rows, "flag", "so_nganh", "snv")["status"] in ("proposed", "reserve")


def test_advisory_not_eligible_under_1_is_considered_under_2(tmp_path):
    # v2 §4: the v1 case (C2 at 100.00 both years, ineligible under (1)) now passes under
    # (1) — see the next test; a falling component keeps this test's intent.
    adv = Unit("snv", advised="C3")  # C3 falls from 90.00 to 85.00
    other = Unit("syt", ratios={y: 95 for y in range(2021, 2026)})  # wins the flag (v2 §4)
    path = make_store(tmp_path, dataset([adv, other], components=C))
    rows = shortlist(path, "so-ket-2025", detail=True)
    a = row(rows, "certificate", "advisory", "snv")
    assert a["status"] == "ineligible"
    assert crit(a, "component_improved_or_max")["state"] == "fail"
    assert row(rows, "certificate", "so_nganh", "snv")["status"] == "proposed"


def test_advisory_at_maximum_two_years_running_passes_under_1_v2_s4(tmp_path):
    # v2 §4: "kept the maximum" counts for criterion (1) (v1: ineligible, then proposed
    # under (2)); eligible under (1), the unit is superseded under (2).
    adv = Unit("snv", advised="C2")  # C2 stays at 100.00
    path = make_store(tmp_path, dataset([adv], components=C))
    rows = shortlist(path, "so-ket-2025", detail=True)
    a = row(rows, "certificate", "advisory", "snv")
    assert a["status"] == "proposed"
    assert crit(a, "component_improved_or_max")["state"] == "pass"
    assert row(rows, "certificate", "so_nganh", "snv")["status"] == "superseded"


def test_advisory_pending_under_1_is_not_superseded(tmp_path):
    adv = Unit(
        "snv",
        advised="C1",
        judgments={
            "so-ket-2025": {"head_directs": "x", "outstanding": None, "has_initiative": "x"}
        },
    )
    path = make_store(tmp_path, dataset([adv], components=C))
    rows = shortlist(path, "so-ket-2025")
    assert row(rows, "certificate", "advisory", "snv")["status"] == "pending"
    assert row(rows, "certificate", "so_nganh", "snv")["status"] == "pending"


def test_combined_component_ratio_is_sum_of_scores_over_sum_of_maxima(tmp_path):
    adv = Unit("snv", advised="C1;C2")  # 2025: 13.5/15 = 90.00; 2024: 13/15 = 86.67
    path = make_store(tmp_path, dataset([adv], components=C))
    a = row(shortlist(path, "so-ket-2025", detail=True), "certificate", "advisory", "snv")
    assert crit(a, "component_improved_or_max")["evidence"].endswith(
        "2025 = 90,00 %, 2024 = 86,67 %"
    )
    assert crit(a, "component_improved_or_max")["state"] == "pass"


def test_component_missing_a_year_is_unknown_no_partial_sums(tmp_path):
    comps = dict(C)
    del comps[(2024, "C2")]
    adv = Unit("snv", advised="C1;C2")
    path = make_store(tmp_path, dataset([adv], components=comps))
    a = row(shortlist(path, "so-ket-2025", detail=True), "certificate", "advisory", "snv")
    assert crit(a, "component_improved_or_max")["state"] == "unknown"
    assert "2024 = chưa có" in crit(a, "component_improved_or_max")["evidence"]


def test_review_2021_has_no_previous_year_so_improved_is_unknown(tmp_path):
    # v2 §3: the comparison year of 2021 is the baseline year 2020; without 2020 rows
    # (as here), improved is still unknown. With them, see test_rules_v2.py (baseline).
    adv = Unit("snv", advised="C1")
    path = make_store(tmp_path, dataset([adv], components=C))
    a = row(shortlist(path, "2021", detail=True), "certificate", "advisory", "snv")
    assert crit(a, "component_improved_or_max")["state"] == "unknown"
    assert "2020 = chưa có" in crit(a, "component_improved_or_max")["evidence"]
    assert a["status"] == "pending"


def test_advisory_ranking_by_improvement_then_end_ratio_then_id(tmp_path):
    comps = {
        (2024, "A"): (80, 100),
        (2025, "A"): (85, 100),  # +5.00, end 85
        (2024, "B"): (70, 100),
        (2025, "B"): (75, 100),  # +5.00, end 75
        (2024, "D"): (50, 100),
        (2025, "D"): (60, 100),  # +10.00
    }
    units = [
        Unit("u-a", advised="A"),
        Unit("u-b", advised="B"),
        Unit("u-d", advised="D"),
        Unit("u-a2", advised="A"),
    ]
    path = make_store(tmp_path, dataset(units, components=comps))
    adv = [r for r in shortlist(path, "so-ket-2025") if r["category"] == "advisory"]
    assert [r["subject_id"] for r in adv] == ["u-d", "u-a", "u-a2", "u-b"]


# --- §6 exclusions and deferrals (v2) --------------------------------------------------


@pytest.mark.parametrize(
    ("discipline", "year", "deferred"),
    [
        pytest.param("disciplined", 2025, True, id="disciplined-in-end-year-deferred"),
        pytest.param("under_review", 2025, True, id="under-review-in-end-year-deferred"),
        pytest.param("under_inspection", 2025, True, id="inspection-in-end-year-deferred"),
        pytest.param("complaint_pending", 2025, True, id="complaint-in-end-year-deferred"),
        pytest.param("press_unverified", 2025, True, id="press-in-end-year-deferred"),
        pytest.param("disciplined", 2024, False, id="disciplined-earlier-year-not-deferred"),
    ],
)
def test_soc_trang_defers_every_discipline_in_end_year(tmp_path, discipline, year, deferred):
    """Sóc Trăng excludes nobody and defers the five cases (rules.md §6, seed 000 §I.2.e)."""
    adv = Unit("snv", advised="C1", discipline={year: discipline})
    path = make_store(tmp_path, dataset([adv], components=C))
    rows = shortlist(path, "so-ket-2025")
    for award, cat in (
        ("flag", "so_nganh"),
        ("certificate", "advisory"),
        ("certificate", "so_nganh"),
    ):
        r = row(rows, award, cat, "snv")
        assert r["status"] != "excluded", (award, cat)
        assert (r["status"] == "deferred") is deferred, (award, cat, r["status"])
        assert r["rank"] is None or not deferred
    if deferred:
        reasons = row(rows, "flag", "so_nganh", "snv")["reasons"]
        assert reasons.startswith("Chưa xét khen thưởng") and "xét lại" in reasons


def test_deferred_even_when_other_criteria_fail(tmp_path):
    u = Unit("u1", ratios={y: 30 for y in range(2021, 2026)}, discipline={2025: "disciplined"})
    path = make_store(tmp_path, dataset([u]))
    assert (
        row(shortlist(path, "so-ket-2025"), "certificate", "so_nganh", "u1")["status"] == "deferred"
    )


# --- §5 individuals ----------------------------------------------------------------------


def _people_dataset(judgments: dict[str, dict], people: list[dict], review="so-ket-2025"):
    pj = [{"review": review, "person_id": pid, **j} for pid, j in judgments.items()]
    return dataset(
        [Unit("snv", advised="C1"), Unit("syt")],
        components=C,
        people=people,
        person_judgments=pj,
        reviews=(review,),
    )


PEOPLE = [
    {"person_id": "adv", "full_name": "Nguyễn Văn A", "unit_id": "snv", "advised_components": "C1"},
    {
        "person_id": "adv-max",
        "full_name": "Trần Thị B",
        "unit_id": "snv",
        "advised_components": "C2",
    },
    {"person_id": "staff", "full_name": "Lê Văn C", "unit_id": "syt"},
    {"person_id": "citizen", "full_name": "Phạm Thị D"},
]
GOOD = {
    "outstanding": "x",
    "has_initiative": "x",
    "initiative_recognized": "x",
    "good_conduct": "x",
}


@pytest.mark.parametrize(
    ("pid", "judgment", "review", "status"),
    [
        pytest.param("adv", GOOD, "so-ket-2025", "proposed", id="advisor-improved-proposed"),
        pytest.param("adv-max", GOOD, "so-ket-2025", "proposed", id="advisor-kept-maximum-passes"),
        # v2 (rules.md §5): (3) is pending without a previous year, (4) as staff passes
        pytest.param("adv", GOOD, "2021", "proposed", id="advisor-2021-falls-back-to-staff"),
        pytest.param("adv-max", GOOD, "2021", "proposed", id="advisor-2021-at-max-passes"),
        pytest.param(
            "adv",
            GOOD | {"good_conduct": "không"},
            "so-ket-2025",
            "ineligible",
            id="advisor-without-good-conduct",
        ),
        pytest.param(
            "staff",
            GOOD | {"outstanding": None},
            "so-ket-2025",
            "proposed",
            id="staff-initiative-alone-passes",
        ),
        pytest.param(
            "staff",
            GOOD | {"outstanding": "0", "has_initiative": None},
            "so-ket-2025",
            "pending",
            id="staff-false-or-unknown-is-unknown",
        ),
        pytest.param(
            "staff",
            GOOD | {"outstanding": "0", "has_initiative": "0"},
            "so-ket-2025",
            "ineligible",
            id="staff-both-false-fails",
        ),
        pytest.param(
            "citizen", GOOD, "so-ket-2025", "proposed", id="citizen-recognized-initiative"
        ),
        pytest.param(
            "citizen",
            GOOD | {"initiative_recognized": "không"},
            "so-ket-2025",
            "ineligible",
            id="citizen-initiative-not-recognized",
        ),
        pytest.param(
            "citizen",
            GOOD | {"initiative_recognized": None},
            "so-ket-2025",
            "pending",
            id="citizen-recognition-unknown",
        ),
        pytest.param(
            "staff",
            GOOD | {"discipline": "under_review"},
            "so-ket-2025",
            "deferred",
            id="person-under-review-deferred",
        ),
    ],
)
def test_individual_criteria(tmp_path, pid, judgment, review, status):
    path = make_store(tmp_path, _people_dataset({pid: judgment}, PEOPLE, review))
    r = row(shortlist(path, review), "certificate_individual", "individual", pid)
    assert r["status"] == status, r["reasons"]
    assert r["window_avg"] is None


def test_advisor_failing_3_is_judged_under_4_as_staff(tmp_path):
    """v2 (rules.md §5): an advisor not eligible under (3) falls back to (4)."""
    j = GOOD | {"outstanding": "không"}  # (3) fails; (4) passes through has_initiative
    path = make_store(tmp_path, _people_dataset({"adv": j}, PEOPLE))
    rows = [r for r in shortlist(path, "so-ket-2025", detail=True) if r["subject_id"] == "adv"]
    assert [r["status"] for r in rows] == ["proposed"]
    assert rows[0]["variant"] == "staff"


def test_advisor_failing_both_variants_names_both(tmp_path):
    j = GOOD | {"outstanding": "không", "has_initiative": "không"}
    path = make_store(tmp_path, _people_dataset({"adv": j}, PEOPLE))
    rows = [r for r in shortlist(path, "so-ket-2025", detail=True) if r["subject_id"] == "adv"]
    assert [r["status"] for r in rows] == ["ineligible"]
    assert "(3)" in rows[0]["reasons"] and "(4)" in rows[0]["reasons"], rows[0]["reasons"]


def test_individuals_ranked_by_votes_blank_last_then_id(tmp_path):
    people = [{"person_id": f"p{i}", "full_name": f"Người {i}", "unit_id": "syt"} for i in range(5)]
    votes = {"p0": 70, "p1": None, "p2": 90, "p3": 70, "p4": None}
    pj = {p: GOOD | {"votes_pct": v} for p, v in votes.items()}
    path = make_store(tmp_path, _people_dataset(pj, people))
    rows = [r for r in shortlist(path, "so-ket-2025") if r["award"] == "certificate_individual"]
    assert [r["subject_id"] for r in rows] == ["p2", "p0", "p3", "p1", "p4"]
    assert [r["rank"] for r in rows] == [1, 2, 3, 4, 5]


def test_people_are_candidates_only_where_nominated(tmp_path):
    path = make_store(tmp_path, _people_dataset({"staff": GOOD}, PEOPLE))
    ids = {
        r["subject_id"]
        for r in shortlist(path, "so-ket-2025")
        if r["award"] == "certificate_individual"
    }
    assert ids == {"staff"}


# --- statuses partition, empty review ---------------------------------------------------


def test_every_candidate_has_exactly_one_status_per_category(tmp_path):
    units = [
        Unit("a"),
        Unit("b", ratios={y: 40 for y in range(2021, 2026)}),
        Unit("c", discipline={2025: "disciplined"}),
        Unit("d", block="huyen"),
    ]
    path = make_store(tmp_path, dataset(units))
    rows = shortlist(path, "so-ket-2025")
    keys = [(r["award"], r["category"], r["subject_id"]) for r in rows]
    assert len(keys) == len(set(keys))
    assert {r["status"] for r in rows} <= set(STATUS_ORDER)  # the contract's seven


def test_empty_store_gives_no_rows(tmp_path):
    path = make_store(tmp_path, {})
    assert shortlist(path, "so-ket-2025") == []
