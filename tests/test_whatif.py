"""What-if scenarios: a changed plan (never written) and the diff of two shortlists.

Expectations are hand-checked against the demo data (data/demo/soc-trang-2021-2030):
in so-ket-2025, Bằng khen khối sở ngành ranks sct, snnptnt, stttt, syt, sgddt (quota 5),
then svhttdl (6th), bdt (window average 70,20 %) as reserve; stp, proposed for the block's
flag, is superseded there (v2: one form per achievement, rules.md §4).
"""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.demo import build_demo_store
from analytics.errors import PlanError
from analytics.exports.csv_files import table_csv_bytes
from analytics.exports.stamp import whatif_stamp
from analytics.plans.loading import file_sha256, load_plan, plan_path
from analytics.plans.whatif import Scenario, apply_scenario, is_default, typed_numbers
from analytics.plans.whatif import defaults as whatif_defaults
from analytics.rules.shortlist import evaluate_review
from analytics.store.connection import open_store
from analytics.views.whatif_diff import (
    DIFF_COLUMNS,
    DISPLAY_HEADERS,
    ENTERS,
    LEAVES,
    RANK,
    STATUS,
    diff_counts,
    diff_display,
    diff_rows,
    diff_shortlists,
)
from tests._datasets import NQ_PLAN, ST_PLAN, TEST_ADMIN

REVIEW = "so-ket-2025"


@pytest.fixture(scope="module")
def st_store(demo_stores):
    return demo_stores[ST_PLAN.id]


def _run(path, plan, review):
    with open_store(path, read_only=True) as con:
        return evaluate_review(con, plan, review).to_pandas()


def _status(df, award, category, subject):
    row = df[(df.award == award) & (df.category == category) & (df.subject_id == subject)]
    assert len(row) == 1
    return row.iloc[0]["status"], (
        None if pd.isna(row.iloc[0]["rank"]) else int(row.iloc[0]["rank"])
    )


_BASE: dict[tuple[str, str, str], pd.DataFrame] = {}


def _whatif(path, plan, scenario):
    key = (str(path), plan.id, scenario.review_id)
    if key not in _BASE:  # the plan's own shortlist, computed once per store and review
        _BASE[key] = _run(path, plan, scenario.review_id)
    base = _BASE[key]
    new = _run(path, apply_scenario(plan, scenario), scenario.review_id)
    return base, new, diff_shortlists(base, new)


def test_quota_5_to_6_moves_exactly_the_6th_eligible_unit(st_store):
    sc = Scenario.build(REVIEW, quotas={("certificate", "so_nganh"): 6})
    base, new, diff = _whatif(st_store, ST_PLAN, sc)
    assert _status(base, "certificate", "so_nganh", "svhttdl") == ("reserve", 6)
    assert _status(new, "certificate", "so_nganh", "svhttdl") == ("proposed", 6)
    assert diff[["award", "category", "subject_id", "change"]].values.tolist() == [
        ["certificate", "so_nganh", "svhttdl", ENTERS]
    ]
    assert diff_counts(diff) == {
        ENTERS: 1,
        LEAVES: 0,
        RANK: 0,
        STATUS: 0,
    }
    # the reasons follow the new quota
    cert = new[new.award == "certificate"]
    reason = cert[(cert.category == "so_nganh") & (cert.subject_id == "svhttdl")].reasons.iloc[0]
    assert "chỉ tiêu 6" in reason


def test_quota_0_makes_every_eligible_unit_reserve(st_store):
    sc = Scenario.build(REVIEW, quotas={("flag", "tw"): 0})
    base, new, diff = _whatif(st_store, ST_PLAN, sc)
    assert _status(new, "flag", "tw", "ca-tinh") == ("reserve", 1)
    flag = diff[diff.award == "flag"]
    assert flag[["subject_id", "change"]].values.tolist() == [["ca-tinh", LEAVES]]
    # v2, one form per achievement: no longer proposed for the flag, ca-tinh takes the
    # first certificate place of its block, and the 2nd certificate (cuc-tk) leaves.
    assert _status(base, "certificate", "tw", "ca-tinh") == ("superseded", None)
    assert _status(new, "certificate", "tw", "ca-tinh") == ("proposed", 1)
    cert = diff[diff.award == "certificate"].set_index("subject_id").change.to_dict()
    assert cert == {"ca-tinh": ENTERS, "cuc-tk": LEAVES, "nhnn": RANK, "kbnn": RANK, "bhxh": RANK}


def test_band_cut_off_change(st_store):
    # Nhóm 3 from 65 to 71: bdt's 70,20 % average no longer reaches Nhóm 3 (certificate
    # criterion 4); cdyt (73,20) and bhxh (75,48) still do.
    sc = Scenario.build(REVIEW, band_cutoffs={"3": 71})
    _, new, diff = _whatif(st_store, ST_PLAN, sc)
    assert diff[
        ["category", "subject_id", "base_status", "new_status", "change"]
    ].values.tolist() == [["so_nganh", "bdt", "reserve", "ineligible", STATUS]]
    reason = new[(new.award == "certificate") & (new.subject_id == "bdt")].reasons.iloc[0]
    assert "yêu cầu ≥ 71 %" in reason


def test_single_year_window(st_store):
    sc = Scenario.build(REVIEW, window_mode="single_year")
    plan = apply_scenario(ST_PLAN, sc)
    assert (plan.review(REVIEW).window_start, plan.review(REVIEW).window_end) == (2025, 2025)
    assert ST_PLAN.review(REVIEW).window_start == 2021  # the loaded plan is untouched (frozen)
    base, new, diff = _whatif(st_store, ST_PLAN, sc)
    # sldtbxh lacks its 2022 score: pending over 2021-2025, judged on 2025 alone
    # (87,97 / 95 = 92,60 %) it is the 2nd best of the block's certificate candidates.
    assert _status(base, "certificate", "so_nganh", "sldtbxh") == ("pending", None)
    assert _status(new, "certificate", "so_nganh", "sldtbxh") == ("proposed", 2)
    avg = new[(new.award == "certificate") & (new.subject_id == "sldtbxh")].window_avg.iloc[0]
    assert str(avg) == "92.60"
    row = diff[(diff.award == "certificate") & (diff.subject_id == "sldtbxh")]
    assert row.change.tolist() == [ENTERS]


def test_satisfaction_threshold_override(st_store):
    # sxd's satisfaction average 89,46 % fails 90 but passes 89.
    sc = Scenario.build(REVIEW, satisfaction_min_pct=89)
    _, new, diff = _whatif(st_store, ST_PLAN, sc)
    assert _status(new, "certificate", "so_nganh", "sxd")[0] == "reserve"
    assert set(diff[diff.change == STATUS].subject_id) == {"sxd"}


def test_improvement_rule_strict(st_store):
    # stp's component C2 stays at 100,00 %: at the maximum (the v2 plan's rule, rules.md
    # §3), but not improved under the strict reading.
    sc = Scenario.build(REVIEW, improvement_rule="strict")
    base, new, diff = _whatif(st_store, ST_PLAN, sc)
    assert _status(base, "certificate", "advisory", "stp") == ("proposed", 5)
    assert _status(new, "certificate", "advisory", "stp") == ("ineligible", None)
    # under (2) stp stays superseded: it is proposed for its block's flag (one form)
    assert _status(new, "certificate", "so_nganh", "stp") == ("superseded", None)
    cert = new[new.award == "certificate"]
    reason = cert[(cert.category == "so_nganh") & (cert.subject_id == "stp")].reasons
    assert "Cờ thi đua" in reason.iloc[0]
    assert diff[["category", "subject_id", "change"]].values.tolist() == [
        ["advisory", "stp", LEAVES]
    ]


def test_improvement_rule_strict_swaps_the_person_criterion():
    plan = apply_scenario(ST_PLAN, Scenario.build(REVIEW, improvement_rule="strict"))
    ids = {c.kind for c in plan.criteria_sets["person_advisor"]}
    assert "component_improved" in ids and "component_improved_or_max" not in ids


def test_default_scenario_changes_nothing(st_store):
    sc = whatif_defaults(ST_PLAN, REVIEW).scenario()
    assert is_default(ST_PLAN, sc)
    plan = apply_scenario(ST_PLAN, sc)
    assert plan.id == f"{ST_PLAN.id}-what-if"
    _, _, diff = _whatif(st_store, ST_PLAN, sc)
    assert diff.empty
    assert list(diff.columns) == list(DIFF_COLUMNS)


def test_defaults_are_the_plans_values():
    d = whatif_defaults(ST_PLAN, REVIEW)
    assert d.quotas[("certificate", "so_nganh")] == 5
    assert d.quotas[("flag", "huyen")] == 1
    assert d.quotas[("certificate_individual", "individual")] == 20
    assert [b[0] for b in d.bands] == ["1", "2", "3", "4"]
    assert d.satisfaction_min_pct == 90
    assert d.has_window_choice and d.has_improvement_rule
    annual = whatif_defaults(ST_PLAN, "2023")
    assert ("flag", "so_nganh") not in annual.quotas
    assert annual.quotas[("certificate", "so_nganh")] == 3
    nq = whatif_defaults(NQ_PLAN, "2023")
    assert nq.quotas == {
        ("giay_khen", "xa"): None,
        ("giay_khen", "tap_the"): None,
        ("giay_khen", "individual"): None,
    }
    assert nq.satisfaction_min_pct is None
    assert not nq.has_window_choice and not nq.has_improvement_rule


def test_negative_quota_is_rejected_by_plan_validation():
    sc = Scenario.build(REVIEW, quotas={("certificate", "so_nganh"): -1})
    with pytest.raises(PlanError, match="chỉ tiêu khen thưởng không được âm"):
        apply_scenario(ST_PLAN, sc)


def test_band_cut_offs_must_still_decrease():
    sc = Scenario.build(REVIEW, band_cutoffs={"3": 85})
    with pytest.raises(PlanError) as info:
        apply_scenario(ST_PLAN, sc)
    message = str(info.value)
    # Vietnamese, naming the groups by their labels and the values typed (decimal comma)
    assert "phải cao hơn ngưỡng Nhóm 3 (85)" in message, message
    assert "strictly" not in message and "classification" not in message


def test_cut_offs_out_of_range_are_named():
    sc = Scenario.build(REVIEW, band_cutoffs={"1": 100.5}, satisfaction_min_pct=-1)
    with pytest.raises(PlanError) as info:
        apply_scenario(ST_PLAN, sc)
    assert "ngưỡng Nhóm 1 phải từ 0 đến 100 (đang là 100,5)" in str(info.value)
    assert "ngưỡng tỷ lệ hài lòng phải từ 0 đến 100" in str(info.value)


@pytest.mark.parametrize(
    ("text", "value"),
    [("66,5", 66.5), ("66.5", 66.5), ("90", 90.0), (" 82,25 % ", 82.25), ("1.234,5", 1234.5)],
)
def test_typed_numbers_read_the_decimal_comma(text, value):
    values, problems = typed_numbers({"k": text}, {"k": "Ngưỡng Nhóm 2"})
    assert problems == [] and values == {"k": value}


def test_typed_numbers_name_the_input_they_cannot_read():
    values, problems = typed_numbers({"a": "6,6,5", "b": "", "c": "x"}, {"a": "Ngưỡng Nhóm 2"})
    assert values == {"b": None}
    assert problems[0].startswith("Ngưỡng Nhóm 2: «6,6,5» không phải là số")
    assert problems[1].startswith("c: «x»")


def test_no_quota_plan_gets_a_quota(tmp_path):
    path = tmp_path / "nq.duckdb"
    build_demo_store(NQ_PLAN.id, path, actor=TEST_ADMIN)
    sc = Scenario.build("2023", quotas={("giay_khen", "tap_the"): 1})
    base, new, diff = _whatif(path, NQ_PLAN, sc)
    proposed = base[(base.category == "tap_the") & (base.status == "proposed")]
    assert len(proposed) > 1
    first = proposed.sort_values("rank").subject_id.iloc[0]
    assert new[(new.category == "tap_the") & (new.status == "proposed")].subject_id.tolist() == [
        first
    ]
    assert set(diff.change) == {LEAVES}
    assert len(diff) == len(proposed) - 1


def test_the_plan_file_is_never_written(st_store):
    before = file_sha256(plan_path(ST_PLAN.id))
    sc = Scenario.build(
        REVIEW,
        quotas={("certificate", "so_nganh"): 9},
        band_cutoffs={"2": 85},
        satisfaction_min_pct=80,
        window_mode="single_year",
        improvement_rule="strict",
    )
    _whatif(st_store, ST_PLAN, sc)
    assert file_sha256(plan_path(ST_PLAN.id)) == before
    assert load_plan(ST_PLAN.id) == ST_PLAN


def _frame(rows):
    cols = ["award", "category", "subject_id", "subject_name", "status", "rank"]
    return pd.DataFrame(rows, columns=cols).astype({"rank": "Int64"})


@pytest.mark.parametrize(
    ("base", "new", "kind"),
    [
        pytest.param(("reserve", 4), ("proposed", 3), ENTERS, id="reserve-to-proposed"),
        pytest.param(("pending", None), ("proposed", 1), ENTERS, id="pending-to-proposed"),
        pytest.param(("proposed", 2), ("reserve", 5), LEAVES, id="proposed-to-reserve"),
        pytest.param(("proposed", 1), ("superseded", None), LEAVES, id="to-superseded"),
        pytest.param(("proposed", 1), ("proposed", 2), RANK, id="rank-only"),
        pytest.param(("reserve", 4), ("reserve", 6), RANK, id="reserve-rank"),
        pytest.param(("reserve", 4), ("ineligible", None), STATUS, id="reserve-out"),
        pytest.param(("pending", None), ("reserve", 3), STATUS, id="pending-to-reserve"),
        pytest.param(("proposed", 1), ("proposed", 1), None, id="unchanged"),
        pytest.param(("ineligible", None), ("ineligible", None), None, id="unchanged-no-rank"),
    ],
)
def test_diff_kinds(base, new, kind):
    b = _frame([("a", "c", "u1", "Đơn vị 1", *base)])
    n = _frame([("a", "c", "u1", "Đơn vị 1", *new)])
    diff = diff_shortlists(b, n)
    assert diff.change.tolist() == ([kind] if kind else [])


def test_diff_order_and_counts():
    b = _frame(
        [
            ("flag", "x", "u1", "A", "proposed", 1),
            ("flag", "x", "u2", "B", "reserve", 2),
            ("cert", "y", "u3", "C", "reserve", 3),
            ("cert", "y", "u4", "D", "pending", None),
        ]
    )
    n = _frame(
        [
            ("flag", "x", "u1", "A", "reserve", 2),
            ("flag", "x", "u2", "B", "proposed", 1),
            ("cert", "y", "u3", "C", "reserve", 2),
            ("cert", "y", "u4", "D", "ineligible", None),
        ]
    )
    diff = diff_shortlists(b, n)
    assert diff.subject_id.tolist() == ["u2", "u1", "u3", "u4"]
    assert diff_counts(diff) == {
        ENTERS: 1,
        LEAVES: 1,
        RANK: 1,
        STATUS: 1,
    }
    shown = diff_display(diff, ST_PLAN)
    assert list(shown.columns) == list(DISPLAY_HEADERS)
    assert "u2" not in shown.values  # names, not ids, for people
    assert shown.iloc[0].tolist()[:4] == [
        "🟢 vào danh sách",
        "B",
        "Dự phòng (ngoài chỉ tiêu) · hạng 2",
        "Đề nghị khen thưởng · hạng 1",
    ]
    assert shown["Theo mô phỏng"].iloc[3] == "Chưa đạt tiêu chuẩn"


def test_diff_csv_is_stamped_what_if():
    diff = diff_shortlists(
        _frame([("a", "c", "u1", "=HYPERLINK()", "reserve", 2)]),
        _frame([("a", "c", "u1", "=HYPERLINK()", "proposed", 1)]),
    )
    stamp = whatif_stamp(
        {"plan_id": "p", "review_id": "r", "data_version": "v1", "exported_at": "t"}
    )
    text = table_csv_bytes(DIFF_COLUMNS, diff_rows(diff), stamp).decode("utf-8")
    assert text.startswith("\ufeff")
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0].split(",") == [
        *DIFF_COLUMNS,
        "plan_id",
        "review_id",
        "data_version",
        "exported_at",
    ]
    assert lines[1] == "a,c,u1,'=HYPERLINK(),reserve,2,proposed,1,vào danh sách,p (what-if),r,v1,t"


def test_a_review_not_held_diffs_against_an_empty_list(demo_stores):
    """rules.md §12: the what-if page may still evaluate a review that is not held."""
    from analytics.rules.shortlist import empty_shortlist

    new = _run(demo_stores[ST_PLAN.id], ST_PLAN, "2025")
    assert (new.status == "proposed").any()
    diff = diff_shortlists(empty_shortlist(), new)
    assert len(diff) == (new.status == "proposed").sum() + (new.status != "proposed").sum()
    assert set(diff[diff.new_status == "proposed"].change) == {ENTERS}
    assert diff_shortlists(new, empty_shortlist()).change.isin([LEAVES, STATUS]).all()


def test_assessed_years_options():
    """rules.md §12: the plan's years, every year of the span, or the years with scores."""
    from analytics.plans.whatif import assessed_options

    reorg = load_plan("soc-trang-2025-reorg")
    d = whatif_defaults(reorg, REVIEW)
    assert d.assessed_years == (2021, 2022, 2023, 2024)
    got = assessed_options(d, [2019, 2021, 2022, 2031])
    assert got == {
        "plan": None,
        "as_written": tuple(range(2021, 2031)),
        "as_happened": (2021, 2022),
    }
    assert assessed_options(d, [])["as_happened"] is None
