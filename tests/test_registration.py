"""Registration for the emulation (đăng ký thi đua, seed 002 annex): the form's columns as
the annex numbers them, the demo's registration (the annex's own rows) in the annex's
layout, late registrations flagged, the Word and Excel forms, registered vs achieved, the
page."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from streamlit.testing.v1 import AppTest

from analytics import labels
from analytics.errors import PlanError
from analytics.exports import registration_form
from analytics.ingest.importer import run_import
from analytics.plans.loading import load_plan
from analytics.rules.shortlist import evaluate_review
from analytics.store.connection import open_store
from analytics.views import registration
from tests._datasets import NQ_ID, NQ_PLAN, RE_ID, ROOT, TEST_ADMIN

MARKS = ("", "", "", "", "", "X", "X", "", "")  # (4)…(12): Giấy khen huyện, Bằng khen tỉnh
# The annex of seed 002, as the demo imports it (units by id, groups by name): written by
# hand from the seed, never regenerated. Units first, then the groups, each by name.
EXPECTED_BODY = [
    ("(1)", "(2)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)", "(11)", "(12)", "(13)"),
    ("I", "Tập thể", *([""] * 9), ""),
    ("1", "Bộ phận tiếp nhận và trả kết quả", *MARKS, ""),
    ("2", "UBND thị trấn Như Quỳnh", *MARKS, ""),
    ("3", "Các ban ngành đoàn thể", *MARKS, ""),
    ("4", "Các thôn, phố", *MARKS, ""),
    ("II", "Cá nhân", *([""] * 9), ""),
    ("1", "Toàn thể cán bộ, công chức, người lao động UBND", *MARKS, ""),
]


@pytest.fixture
def regs(demo_stores):
    with open_store(demo_stores[NQ_ID], read_only=True) as con:
        return registration.registrations(con, NQ_PLAN, 2023)


def test_the_form_columns_are_the_annexs():
    headers = registration.form_headers(NQ_PLAN)
    assert headers[:3] == ("Số TT", "Tập thể, cá nhân", "Hoàn thành nhiệm vụ")
    assert headers[-1] == "Ghi chú" and len(headers) == 12
    assert "Giấy khen của Chủ tịch UBND thị trấn" not in headers  # not a column of the annex
    assert registration.form_columns(load_plan(RE_ID)) == []


def test_the_demo_registration_in_the_annexs_layout(regs):
    headers, body = registration.form_table(NQ_PLAN, regs)
    assert body == EXPECTED_BODY
    assert not any(r.late for r in regs)  # all on 15/01/2023, before 15/02/2023


def test_a_late_registration_is_flagged(demo_copy, tmp_path):
    store = demo_copy(NQ_ID)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "registrations.csv").write_text(
        "year,subject_kind,subject,titles,forms,registered_on,note\n"
        "2023,unit,hlhpn,,giay_khen_huyen,16/02/2023,gửi qua bưu điện\n",
        encoding="utf-8",
    )
    run_import(folder, store, actor=TEST_ADMIN)
    with open_store(store, read_only=True) as con:
        regs = registration.registrations(con, NQ_PLAN, 2023)
    late = [r for r in regs if r.late]
    assert [r.subject for r in late] == ["hlhpn"]
    row = next(r for r in registration.form_rows(NQ_PLAN, regs) if "Phụ nữ" in r[1])
    assert row[-1] == "gửi qua bưu điện; đăng ký muộn (16/02/2023)"
    frame = registration.registration_frame(NQ_PLAN, regs)
    assert list(frame.loc[frame["Đúng hạn"] == "đăng ký muộn", "Tập thể, cá nhân"]) == [
        "Hội Liên hiệp Phụ nữ thị trấn"
    ]


def test_the_word_and_excel_forms(regs):
    headers, body = registration.form_table(NQ_PLAN, regs)
    when = "Như Quỳnh, ngày 15 tháng 01 năm 2023"
    doc = Document(
        io.BytesIO(registration_form.registration_docx(NQ_PLAN, 2023, headers, body, when))
    )
    text = "\n".join(p.text for p in doc.paragraphs)
    for wanted in (
        when,
        "ĐĂNG KÝ",
        "Danh hiệu thi đua, khen thưởng trong cải cách hành chính năm 2023.",
        "Kính gửi: Hội đồng thi đua, khen thưởng các cấp",
        "UBND thị trấn Như Quỳnh đăng ký thi đua như sau:",
    ):
        assert wanted in text
    grid = doc.tables[0]
    cells = [[c.text for c in row.cells] for row in grid.rows]
    assert tuple(cells[0]) == headers and [tuple(r) for r in cells[1:]] == EXPECTED_BODY
    sign = " ".join(c.text for c in doc.tables[1].rows[0].cells)
    assert "TM. UBND THỊ TRẤN NHƯ QUỲNH" in sign and "CHỦ TỊCH" in sign
    wb = openpyxl.load_workbook(
        io.BytesIO(registration_form.registration_xlsx(NQ_PLAN, 2023, headers, body, when))
    )
    ws = wb.active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert [when] == [v for v in values[0] if v]
    start = next(i for i, r in enumerate(values) if r[0] == "Số TT")
    assert tuple(values[start]) == headers
    assert [
        tuple("" if v is None else v for v in r) for r in values[start + 1 : start + 1 + len(body)]
    ] == EXPECTED_BODY


def test_text_stays_text_in_the_workbook():
    body = [("1", '=HYPERLINK("http://x")', *([""] * 9), "+cmd")]
    data = registration_form.registration_xlsx(
        NQ_PLAN, 2023, registration.form_headers(NQ_PLAN), body, "x"
    )
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    cells = [
        c for row in ws.iter_rows() for c in row if c.value in ('=HYPERLINK("http://x")', "+cmd")
    ]
    assert len(cells) == 2 and all(c.data_type == "s" for c in cells)


def test_registered_vs_achieved(demo_stores, regs):
    with open_store(demo_stores[NQ_ID], read_only=True) as con:
        shortlist = evaluate_review(con, NQ_PLAN, "2023").to_pandas()
    frame = registration.registered_vs_achieved(NQ_PLAN, regs, shortlist).set_index(
        "Tập thể, cá nhân"
    )
    town = shortlist[shortlist["subject_id"] == "ubnd-tt"]
    assert len(town) and all(
        f": {s}" in frame.loc["UBND thị trấn Như Quỳnh", "Kết quả xét"]
        for s in town["status"].map(labels.STATUSES.get)
    )
    assert "Giấy khen của Chủ tịch UBND huyện" in frame.loc["UBND thị trấn Như Quỳnh", "Đã đăng ký"]
    assert frame.loc["Các thôn, phố", "Kết quả xét"].startswith("không có trong danh sách xét")
    assert set(frame["Đã khen thưởng"]) == {""}
    given = {"ubnd-tt": ["Giấy khen của Chủ tịch UBND huyện (QĐ số 7/QĐ-UBND)"]}
    with_register = registration.registered_vs_achieved(NQ_PLAN, regs, shortlist, given)
    row = with_register.set_index("Tập thể, cá nhân").loc["UBND thị trấn Như Quỳnh"]
    assert row["Đã khen thưởng"] == "Giấy khen của Chủ tịch UBND huyện (QĐ số 7/QĐ-UBND)"


def test_two_codes_in_one_registration_column_is_a_plan_error(tmp_path):
    text = (ROOT / "data" / "plans" / f"{NQ_ID}.toml").read_text(encoding="utf-8")
    bad = text.replace("registration_column = 5\n", "registration_column = 4\n", 1)
    assert bad != text
    path = tmp_path / "nq-hong.toml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(PlanError, match="registration_column"):
        load_plan(str(path))


@pytest.mark.parametrize(
    ("plan_id", "wanted"),
    [(NQ_ID, "Hạn đăng ký theo kế hoạch: **15/02/2023**"), (RE_ID, "không có mẫu đăng ký")],
)
def test_the_page(demo_stores, monkeypatch, fresh_caches, tmp_path, plan_id, wanted):
    monkeypatch.setenv(
        "THIDUA_DB", str(shutil.copy(demo_stores[plan_id], Path(tmp_path) / "s.duckdb"))
    )
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["plan_id"] = plan_id
    at.switch_page("pages/10_dang_ky.py")
    at.run()
    assert not at.exception, at.exception
    shown = "\n".join(str(e.value) for k in ("caption", "info", "markdown") for e in getattr(at, k))
    assert wanted in shown
    if plan_id == NQ_ID:
        assert len(at.dataframe) == 2 and len(at.get("download_button")) == 2


def test_an_editor_records_a_registration_on_the_page(demo_copy, monkeypatch, fresh_caches):
    store = demo_copy(NQ_ID)
    monkeypatch.setenv("THIDUA_DB", str(store))
    monkeypatch.setenv("THIDUA_NO_DEMO", "1")
    at = AppTest.from_file(str(ROOT / "pages" / "10_dang_ky.py"), default_timeout=60)
    at.session_state["plan_id"] = NQ_ID
    at.run()
    assert not at.exception, at.exception
    at.selectbox(key="reg_subject_unit").set_value("hlhpn")
    at.multiselect(key="reg_forms").set_value(["giay_khen_huyen"])
    at.text_input(key="reg_basis").set_value("Công văn số 5 ngày 10/01/2023")
    at.button(key="reg_save").click()
    at.run()
    assert not at.exception, at.exception
    assert any("Đã lưu" in s.value for s in at.success), [e.value for e in at.error]
    with open_store(store, read_only=True) as con:
        regs = registration.registrations(con, NQ_PLAN, 2023)
    assert ("hlhpn", ("giay_khen_huyen",)) in [(r.subject, r.forms) for r in regs]
