"""The Word proposal list: for every review of both demo plans, each category lists
exactly the engine's proposed candidates in rank order, warns when candidates still
wait for data, and the totals add up."""

from __future__ import annotations

import io
import re
import warnings

import docx
import pytest
from docx.oxml.ns import qn

from analytics import awards, export
from analytics.plans import load_plan
from analytics.shortlist import empty_shortlist
from analytics.wordform import shortlist_docx_bytes
from tests.test_golden import PLAN_REVIEWS, shortlists, stores  # noqa: F401 (fixtures)

warnings.filterwarnings("ignore", message="Arrow output on a DB-API result")


def _document(table, plan, review) -> docx.Document:
    stamp = export.stamp(plan.id, review.id, "ver-42")
    return docx.Document(io.BytesIO(shortlist_docx_bytes(table, plan, review, stamp)))


def _blocks(doc) -> list:
    """Paragraph texts and tables in document order."""
    out = []
    tables = iter(doc.tables)
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            out.append(next(tables))
    return out


@pytest.mark.parametrize(
    ("plan_id", "review_id"), PLAN_REVIEWS, ids=[f"{p}-{r}" for p, r in PLAN_REVIEWS]
)
def test_each_category_lists_the_engine_proposals(shortlists, plan_id, review_id):  # noqa: F811
    plan = load_plan(plan_id)
    review = plan.review(review_id)
    table = shortlists[plan_id, review_id]
    rows = table.to_pylist()
    blocks = _blocks(_document(table, plan, review))
    texts = [b for b in blocks if isinstance(b, str)]
    assert "TẬP THỂ, CÁ NHÂN ĐỀ NGHỊ KHEN THƯỞNG" in texts
    assert any(review.label in t for t in texts)
    assert any("phiên bản dữ liệu ver-42" in t for t in texts)
    units = people = 0
    for sec in awards.sections(plan, review):
        heading = next(
            i
            for i, b in enumerate(blocks)
            if isinstance(b, str)
            and b.endswith(f"{sec.category_label} ({awards.quota_text(sec.quota)})")
        )
        mine = [r for r in rows if (r["award"], r["category"]) == (sec.award_id, sec.category_id)]
        proposed = sorted((r for r in mine if r["status"] == "proposed"), key=lambda r: r["rank"])
        following = blocks[heading + 1]
        if proposed:
            listed = [[c.text for c in row.cells] for row in following.rows[1:]]
            assert [r[2] for r in listed] == [r["subject_id"] for r in proposed]
            assert [r[1] for r in listed] == [r["subject_name"] for r in proposed]
            assert [r[4] for r in listed] == [str(r["rank"]) for r in proposed]
            assert [r[0] for r in listed] == [str(i) for i in range(1, len(proposed) + 1)]
        else:
            assert following == "Không có tập thể, cá nhân đủ điều kiện đề nghị."
        pending = sum(r["status"] == "pending" for r in mine)
        nxt = blocks[heading + 2] if heading + 2 < len(blocks) else ""
        warned = isinstance(nxt, str) and nxt.startswith("Lưu ý: còn")
        assert warned == (pending > 0)
        if warned:
            assert f"còn {pending} trường hợp" in nxt
        units += sum(r["subject_kind"] == "unit" for r in proposed)
        people += sum(r["subject_kind"] != "unit" for r in proposed)
    assert f"Tổng cộng: {units} tập thể, {people} cá nhân." in texts


def test_unit_achievement_is_the_window_average(shortlists):  # noqa: F811
    plan = load_plan("soc-trang-2021-2030")
    for review_id, phrase in (("2021", "Chỉ số CCHC năm 2021: "), ("so-ket-2025", "bình quân")):
        table = shortlists[plan.id, review_id]
        doc = _document(table, plan, plan.review(review_id))
        first = table.to_pylist()
        unit = next(r for r in first if r["status"] == "proposed" and r["subject_kind"] == "unit")
        cells = next(
            [c.text for c in row.cells]
            for t in doc.tables[1:]
            for row in t.rows[1:]
            if row.cells[2].text == unit["subject_id"]
        )
        assert phrase in cells[3]
        assert re.search(r"\d+,\d\d %$", cells[3])
        assert cells[3].endswith(f"{str(unit['window_avg']).replace('.', ',')} %")


def test_a_review_without_candidates_says_so_everywhere():
    plan = load_plan("soc-trang-2021-2030")
    review = plan.review("so-ket-2025")
    texts = [b for b in _blocks(_document(empty_shortlist(), plan, review)) if isinstance(b, str)]
    n = len(awards.sections(plan, review))
    assert texts.count("Không có tập thể, cá nhân đủ điều kiện đề nghị.") == n
    assert "Tổng cộng: 0 tập thể, 0 cá nhân." in texts


@pytest.mark.parametrize(
    ("plan_id", "body"),
    [
        ("soc-trang-2021-2030", "THƯỜNG TRỰC BAN CHỈ ĐẠO CẢI CÁCH HÀNH CHÍNH TỈNH"),
        ("nhu-quynh-2023", "HỘI ĐỒNG THI ĐUA, KHEN THƯỞNG THỊ TRẤN"),
    ],
)
def test_letterhead_and_signature_name_the_plans_body(plan_id, body):
    plan = load_plan(plan_id)
    doc = _document(empty_shortlist(), plan, plan.reviews[-1])
    letterhead = doc.tables[0].rows[0].cells[0].text.splitlines()
    assert letterhead == [plan.jurisdiction.upper(), body]
    assert doc.tables[-1].rows[0].cells[1].text.splitlines()[0] == f"TM. {body}"


def test_a_plan_without_a_dossier_table_gets_a_generic_body():
    plan = load_plan("soc-trang-2021-2030").model_copy(update={"dossier": None})
    doc = _document(empty_shortlist(), plan, plan.review("2021"))
    assert doc.tables[0].rows[0].cells[0].text.splitlines()[1] == "HỘI ĐỒNG THI ĐUA, KHEN THƯỞNG"


def test_the_page_is_a4_and_list_headers_repeat(shortlists):  # noqa: F811
    plan = load_plan("soc-trang-2021-2030")
    doc = _document(shortlists[plan.id, "so-ket-2025"], plan, plan.review("so-ket-2025"))
    page = doc.sections[0]
    assert (round(page.page_width.cm, 1), round(page.page_height.cm, 1)) == (21.0, 29.7)
    usable = page.page_width - page.left_margin - page.right_margin
    lists = doc.tables[1:-1]
    assert lists
    for table in lists:
        assert sum(c.width for c in table.rows[0].cells) <= usable
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
