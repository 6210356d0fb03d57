"""The dossier deadline (rules.md §8, §9): publication + N days, or the plan's fixed date."""

from __future__ import annotations

import datetime as dt

import pytest

from analytics.demo import build_demo_store
from analytics.rules.deadlines import Deadline, dossier_deadline
from analytics.store.connection import open_store
from tests._datasets import NQ_PLAN, ST_PLAN, TEST_ADMIN
from tests._rules_kit import make_store


@pytest.fixture(scope="module")
def st_store(demo_stores):
    return demo_stores[ST_PLAN.id]


def _deadline(path, plan, review, today):
    with open_store(path, read_only=True) as con:
        return dossier_deadline(con, plan, review, today)


def test_soc_trang_2023_is_60_days_after_publication(st_store):
    # publications.csv: 2023 -> 2024-04-17; + 60 days = 2024-06-16 (hand-checked:
    # 13 days left in April, 31 in May, 16 in June).
    d = _deadline(st_store, ST_PLAN, "2023", dt.date(2024, 6, 1))
    assert d.publication == dt.date(2024, 4, 17)
    assert d.due == dt.date(2024, 6, 16)
    assert d.days_left == 15
    assert "60 ngày" in d.basis and "17/04/2024" in d.basis
    assert not d.is_overdue
    assert d.source == "Kế hoạch thi đua CCHC 2021–2030, mục III.5.b"  # in words, no codes


def test_review_object_or_id_give_the_same_deadline(st_store):
    today = dt.date(2024, 6, 1)
    assert _deadline(st_store, ST_PLAN, ST_PLAN.review("2023"), today) == _deadline(
        st_store, ST_PLAN, "2023", today
    )


def test_so_ket_2025_reads_the_2025_publication(st_store):
    d = _deadline(st_store, ST_PLAN, "so-ket-2025", dt.date(2026, 7, 20))
    assert d.publication == dt.date(2026, 5, 19)
    assert d.due == dt.date(2026, 7, 18)
    assert d.days_left == -2 and d.is_overdue
    assert d.days_metric() == ("Đã quá hạn", "2 ngày")
    assert d.days_text() == "đã quá hạn 2 ngày"


def test_missing_publication_is_unknown_and_says_why(st_store):
    d = _deadline(st_store, ST_PLAN, "tong-ket-2030", dt.date(2030, 1, 1))
    assert d == Deadline(None, None, None, d.basis, d.source)
    assert "2030" in d.basis and "publications.csv" in d.basis
    assert d.days_metric() == ("Còn lại", "—")
    assert not d.is_known


def test_empty_store_has_no_publication(tmp_path):
    path = make_store(tmp_path, {})
    d = _deadline(path, ST_PLAN, "2021", dt.date(2022, 1, 1))
    assert d.due is None and d.days_left is None


def test_nhu_quynh_has_a_fixed_date(tmp_path):
    path = tmp_path / "nq.duckdb"
    build_demo_store(NQ_PLAN.id, path, actor=TEST_ADMIN)
    d = _deadline(path, NQ_PLAN, "2023", dt.date(2023, 12, 10))
    assert d.due == dt.date(2023, 12, 10)
    assert d.days_left == 0
    assert d.days_metric() == ("Hạn chót", "hôm nay")
    assert d.publication == dt.date(2023, 12, 5)  # shown, but the fixed date wins
    assert "đợt xét" in d.basis


def test_plan_fixed_date_applies_when_the_review_has_none(tmp_path):
    data = NQ_PLAN.model_dump()
    data["reviews"][0]["dossier_due"] = None
    plan = type(NQ_PLAN).model_validate(data)
    path = make_store(tmp_path, {}, plan=NQ_PLAN.id)
    d = _deadline(path, plan, "2023", dt.date(2023, 12, 1))
    assert d.due == dt.date(2023, 12, 10) and d.days_left == 9
    assert "kế hoạch" in d.basis


def test_plan_without_any_rule(tmp_path):
    data = ST_PLAN.model_dump()
    data["deadlines"]["dossier_days_after_publication"] = None
    plan = type(ST_PLAN).model_validate(data)
    path = make_store(tmp_path, {})
    d = _deadline(path, plan, "2023", dt.date(2024, 1, 1))
    assert d.due is None and "không quy định" in d.basis
