"""The register of awards granted as the award page reads it: an earlier award of a
candidate shown ("đã được khen thưởng", with the decision), and flagged when it rewarded the
same numbers (another review over the same years)."""

from __future__ import annotations

import shutil
from pathlib import Path

from streamlit.testing.v1 import AppTest

from analytics.ingest.importer import run_import
from analytics.plans.loading import load_plan
from analytics.rules.shortlist import evaluate_review
from analytics.store.connection import open_store
from analytics.views import granted
from tests._datasets import RE_ID, ROOT, TEST_ADMIN

PLAN = load_plan(RE_ID)
REGISTER = (
    "review,award,subject_id,recipient_id,form,decision_no,decided_on,authority\n"
    "2023,certificate,snv,,,12/QĐ-UBND,05/06/2024,Chủ tịch UBND tỉnh\n"
)


def with_register(demo_copy, tmp_path) -> Path:
    store = demo_copy(RE_ID)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "awards_granted.csv").write_text(REGISTER, encoding="utf-8")
    run_import(folder, store, actor=TEST_ADMIN)
    return store


def test_an_earlier_award_is_shown_with_its_decision(demo_copy, tmp_path):
    store = with_register(demo_copy, tmp_path)
    with open_store(store, read_only=True) as con:
        found = granted.granted_before(con, PLAN, "so-ket-2025")
        same_review = granted.granted_before(con, PLAN, "2023")
        shortlist = evaluate_review(con, PLAN, "so-ket-2025").to_pandas()
    assert [(g.subject_id, g.same_numbers) for g in found] == [("snv", False)]
    assert found[0].text == (
        "Bằng khen của Chủ tịch UBND tỉnh (tập thể) (Khen thưởng năm 2023; QĐ số 12/QĐ-UBND, "
        "ngày 05/06/2024, Chủ tịch UBND tỉnh)"
    )
    assert same_review == []  # the review's own award is not "earlier"
    marks = granted.marks(found, shortlist)
    assert list(marks["Mã"]) == ["snv"] and list(marks["Cảnh báo"]) == [""]


def test_an_award_for_the_same_years_is_flagged(demo_copy, tmp_path):
    store = with_register(demo_copy, tmp_path)
    twin = PLAN.review("2023").model_copy(update={"id": "2023-bo-sung", "label": "Bổ sung 2023"})
    plan = PLAN.model_copy(update={"reviews": (*PLAN.reviews, twin)})
    with open_store(store, read_only=True) as con:
        found = granted.granted_before(con, plan, "2023-bo-sung")
        shortlist = evaluate_review(con, PLAN, "2023").to_pandas()
    assert [(g.subject_id, g.same_numbers) for g in found] == [("snv", True)]
    assert "cùng số liệu" in granted.marks(found, shortlist)["Cảnh báo"].iloc[0]


def test_the_award_page_lists_them(demo_copy, tmp_path, monkeypatch, fresh_caches):
    store = with_register(demo_copy, tmp_path)
    monkeypatch.setenv("THIDUA_DB", str(shutil.copy(store, tmp_path / "page.duckdb")))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["plan_id"] = RE_ID
    at.session_state[f"review_{RE_ID}"] = "so-ket-2025"
    at.switch_page("pages/5_khen_thuong.py")
    at.run()
    assert not at.exception, at.exception
    assert any("Đã được khen thưởng: 1 trường hợp" in e.label for e in at.expander)
    tables = [df.value for df in at.dataframe if "Đã được khen thưởng" in df.value.columns]
    assert tables and "QĐ số 12/QĐ-UBND" in tables[0]["Đã được khen thưởng"].iloc[0]


def test_the_register_of_a_review_itself(demo_copy, tmp_path):
    store = with_register(demo_copy, tmp_path)
    with open_store(store, read_only=True) as con:
        assert granted.granted_in(con, PLAN, "2023") == {
            "snv": ["Bằng khen của Chủ tịch UBND tỉnh (tập thể) (QĐ số 12/QĐ-UBND, 05/06/2024)"]
        }
        assert granted.granted_in(con, PLAN, "so-ket-2025") == {}
