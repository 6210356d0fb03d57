"""The Word proposal list: for every review of both demo plans, each category lists
exactly the engine's proposed candidates in rank order with the number it ranks by,
warns when candidates still wait for data, and the totals count each unit once."""

from __future__ import annotations

import io
import re
import warnings

import docx
import pytest
from docx.oxml.ns import qn

from analytics import fmt, labels
from analytics.exports.stamp import stamp
from analytics.exports.wordform import (
    OTHER_FORM,
    proposal_list_docx,
    shortlist_docx_bytes,
    subject_facts,
)
from analytics.labels import quota_text
from analytics.plans.loading import load_plan
from analytics.rules.shortlist import empty_shortlist
from analytics.store.connection import open_store
from tests._datasets import NQ_ID, ST_ID
from tests.test_golden import PLAN_REVIEWS

warnings.filterwarnings("ignore", message="Arrow output on a DB-API result")

NOBODY = "Không có tập thể, cá nhân đủ điều kiện đề nghị."


VERSION = "Phiên bản dữ liệu 42 — cập nhật 01/12/2026 09:15"


def _document(demo_stores, table, plan, review) -> docx.Document:
    stamped = stamp(plan.id, review.id, VERSION)
    with open_store(demo_stores[plan.id], read_only=True) as con:
        data = proposal_list_docx(con, table, plan, review, stamped)
    return docx.Document(io.BytesIO(data))


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


def _heading(plan, award_id: str, sec) -> str:
    cat = next(
        c for a in plan.awards if a.id == award_id for c in a.categories if c.id == sec.category_id
    )
    order = ", ".join(labels.RANKING_KEYS[k].lower() for k in cat.ranking)
    tail = f"thứ tự theo {order}" if order else "không xếp thứ hạng"
    return f"{sec.category_label} ({quota_text(sec.quota)}; {tail})"


def _listed(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows[1:]]


@pytest.mark.parametrize(
    ("plan_id", "review_id"), PLAN_REVIEWS, ids=[f"{p}-{r}" for p, r in PLAN_REVIEWS]
)
def test_each_category_lists_the_engine_proposals(demo_stores, demo_shortlists, plan_id, review_id):
    plan = load_plan(plan_id)
    review = plan.review(review_id)
    table = demo_shortlists[plan_id, review_id]
    rows = table.to_pylist()
    blocks = _blocks(_document(demo_stores, table, plan, review))
    texts = [b for b in blocks if isinstance(b, str)]
    assert "TẬP THỂ, CÁ NHÂN ĐỀ NGHỊ KHEN THƯỞNG" in texts
    assert any(review.label in t for t in texts)
    assert any(t.startswith(f"{VERSION} — lập lúc ") for t in texts)  # no codes in it
    units, people = set(), set()
    for sec in plan.sections(review):
        award = next(a for a in plan.awards if a.id == sec.award_id)
        forms = list(award.forms) if len(award.forms) > 1 else [None]  # v2: a list per form
        headings = [
            i
            for i, b in enumerate(blocks)
            if isinstance(b, str) and b.endswith(_heading(plan, sec.award_id, sec))
        ]
        assert len(headings) == len(forms)
        mine = [r for r in rows if (r["award"], r["category"]) == (sec.award_id, sec.category_id)]
        pending = sum(r["status"] == "pending" for r in mine)
        for n, (heading, form) in enumerate(zip(headings, forms, strict=True)):
            proposed = sorted(
                (
                    r
                    for r in mine
                    if r["status"] == "proposed" and (form is None or r["form"] == form)
                ),
                key=lambda r: r["rank"],
            )
            following = blocks[heading + 1]
            if proposed:
                listed = _listed(following)
                assert [r[1].split("\n")[0] for r in listed] == [_named(r) for r in proposed]
                assert [r[0] for r in listed] == [str(i) for i in range(1, len(proposed) + 1)]
            elif form is not None and any(r["status"] == "proposed" for r in mine):
                assert following == OTHER_FORM
            elif any(r["status"] == "reserve" for r in mine):
                assert following.startswith(f"Không đề nghị: chỉ tiêu {sec.quota};")
            else:
                assert following == NOBODY
            nxt = blocks[heading + 2] if heading + 2 < len(blocks) else ""
            warned = isinstance(nxt, str) and nxt.startswith("Lưu ý: còn")
            assert warned == (pending > 0 and n == 0)  # once per category
            if warned:
                assert f"còn {pending} trường hợp" in nxt
            units |= {r["subject_id"] for r in proposed if r["subject_kind"] == "unit"}
            people |= {r["subject_id"] for r in proposed if r["subject_kind"] != "unit"}
    total = next(t for t in texts if t.startswith("Tổng cộng:"))
    assert total.startswith(f"Tổng cộng: {len(units)} tập thể")
    assert total.endswith(f", {len(people)} cá nhân.")


def _named(r: dict) -> str:
    """A ceased unit is printed with the unit that receives its award (rules.md §11)."""
    if r["recipient_id"] and r["recipient_id"] != r["subject_id"]:
        return f"{r['subject_name']} — đơn vị nhận: {r['recipient_name']}"
    return r["subject_name"]


def _rows_of(doc, row: dict) -> list[list[str]]:
    """Every listed row of ``row``'s subject (a unit may be listed for a flag and (1))."""
    return [r for t in doc.tables[1:-1] for r in _listed(t) if r[1].split("\n")[0] == _named(row)]


def _band(plan, centi: int) -> str:
    return plan.classification.band_of(centi / 100).label


def test_achievement_says_in_words_what_earned_the_place(demo_stores, demo_shortlists):
    """Units: the window average with its years and band; advisory units: the components
    that rose, by name; people: the judgments and the votes — never one sentence for all."""
    plan = load_plan(ST_ID)
    review = plan.review("so-ket-2025")
    table = demo_shortlists[ST_ID, "so-ket-2025"]
    doc = _document(demo_stores, table, plan, review)
    rows = [r for r in table.to_pylist() if r["status"] == "proposed"]
    with open_store(demo_stores[ST_ID], read_only=True) as con:
        facts = subject_facts(con, plan, review, [r["subject_id"] for r in rows])
    said = []
    for r in rows:
        texts = [row[2] for row in _rows_of(doc, r)]
        f = facts[r["subject_id"]]
        if r["category"] == "advisory":  # ranked by the rise of its components
            text = next(t for t in texts if t.startswith("Chỉ số thành phần"))
            assert text.startswith("Chỉ số thành phần tham mưu «")
            if f.comp_end_centi == f.comp_prev_centi == 10000:  # "or kept at the maximum"
                assert text.endswith("duy trì tỷ lệ tối đa 100,00 % (năm 2024 và năm 2025)")
            else:
                assert f"từ {fmt.pct(f.comp_prev_centi / 100)} năm 2024" in text
                assert f"lên {fmt.pct(f.comp_end_centi / 100)} năm 2025" in text
                assert f.comp_end_centi > f.comp_prev_centi
        elif r["subject_kind"] == "unit":
            text = next(t for t in texts if not t.startswith("Chỉ số thành phần"))
            band = _band(plan, f.window_avg_centi)
            assert text == (
                f"Chỉ số CCHC bình quân {f.w_from}–{f.w_to} đạt {fmt.pct(r['window_avg'])}, {band}"
            )
            assert (f.w_from, f.w_to) == (2021, 2025)
        else:
            (text,) = texts
            assert text.endswith(f"đạt {fmt.pct(f.votes_centi / 100)} số phiếu")
            assert "Phẩm chất đạo đức tốt" in text  # a judgment of the person's criteria
        assert "Đạt tất cả tiêu chuẩn" not in text
        assert re.search(r"\d,\d\d %", text) and not re.search(r"\d\.\d", text)  # 91,25 %
        said.append(text)
    assert len(set(said)) > len(said) // 2  # the units' achievements differ
    people = [r for r in rows if r["subject_kind"] == "person"]
    assert people and all(
        _rows_of(doc, r)[0][1].split("\n")[1].strip()
        for r in people
        if facts[r["subject_id"]].position
    )
    annual = demo_shortlists[ST_ID, "2021"]
    unit = next(
        r for r in annual.to_pylist() if r["status"] == "proposed" and r["subject_kind"] == "unit"
    )
    doc = _document(demo_stores, annual, plan, plan.review("2021"))
    assert _rows_of(doc, unit)[0][2].startswith("Chỉ số CCHC năm 2021 đạt ")


def test_nhu_quynh_achievements_grade_the_index_and_name_the_judgments(
    demo_stores, demo_shortlists
):
    plan = load_plan(NQ_ID)
    review = plan.review("2023")
    table = demo_shortlists[NQ_ID, "2023"]
    doc = _document(demo_stores, table, plan, review)
    town = next(r for r in table.to_pylist() if r["category"] == "xa" and r["status"] == "proposed")
    (text,) = [row[2] for row in _rows_of(doc, town)]
    assert text.startswith(f"Chỉ số CCHC năm 2023 đạt {fmt.pct(town['window_avg'])}, xếp loại ")
    assert "; tăng so với năm 2022 (" in text  # the plan's «tăng điểm» criterion
    group = next(
        r for r in table.to_pylist() if r["category"] == "tap_the" and r["status"] == "proposed"
    )
    (text,) = [row[2] for row in _rows_of(doc, group)]
    assert "Hoàn thành xuất sắc nhiệm vụ năm 2023" in text  # the plan's own criterion label


def test_a_unit_proposed_for_two_awards_is_counted_once(demo_stores, demo_shortlists):
    plan = load_plan(ST_ID)
    table = demo_shortlists[ST_ID, "so-ket-2025"]
    proposed = [
        r for r in table.to_pylist() if r["status"] == "proposed" and r["subject_kind"] == "unit"
    ]
    twice = len(proposed) - len({r["subject_id"] for r in proposed})
    assert twice > 0  # the demo has units on both the flag and the certificate lists
    texts = [
        b
        for b in _blocks(_document(demo_stores, table, plan, plan.review("so-ket-2025")))
        if isinstance(b, str)
    ]
    total = next(t for t in texts if t.startswith("Tổng cộng:"))
    distinct = len(proposed) - twice
    assert total.startswith(f"Tổng cộng: {distinct} tập thể ({len(proposed)} lượt đề nghị), ")


def test_quota_zero_says_eligible_candidates_are_outside_it(demo_stores):
    base = load_plan(ST_ID)
    awards_ = tuple(
        a.model_copy(
            update={
                "categories": tuple(
                    c.model_copy(update={"quota": {**c.quota, "midterm": 0}})
                    if c.id == "so_nganh" and a.id == "certificate"
                    else c
                    for c in a.categories
                )
            }
        )
        for a in base.awards
    )
    plan = base.model_copy(update={"awards": awards_})
    from analytics.rules.shortlist import evaluate_review

    with open_store(demo_stores[ST_ID], read_only=True) as con:
        table = evaluate_review(con, plan, "so-ket-2025")
    reserve = sum(
        1
        for r in table.to_pylist()
        if (r["award"], r["category"], r["status"]) == ("certificate", "so_nganh", "reserve")
    )
    assert reserve > 0
    texts = [
        b
        for b in _blocks(_document(demo_stores, table, plan, plan.review("so-ket-2025")))
        if isinstance(b, str)
    ]
    assert (
        f"Không đề nghị: chỉ tiêu 0; {reserve} trường hợp đạt tiêu chuẩn nhưng ngoài chỉ tiêu."
        in texts
    )


def test_a_review_without_candidates_says_so_everywhere():
    plan = load_plan(ST_ID)
    review = plan.review("so-ket-2025")
    data = shortlist_docx_bytes(empty_shortlist(), plan, review, {})
    texts = [b for b in _blocks(docx.Document(io.BytesIO(data))) if isinstance(b, str)]
    assert texts.count(NOBODY) == len(plan.sections(review))
    assert "Tổng cộng: 0 tập thể, 0 cá nhân." in texts


@pytest.mark.parametrize(
    ("plan_id", "parent", "body"),
    [
        (ST_ID, "UBND TỈNH SÓC TRĂNG", "THƯỜNG TRỰC BAN CHỈ ĐẠO CẢI CÁCH HÀNH CHÍNH TỈNH"),
        ("nhu-quynh-2023", "UBND THỊ TRẤN NHƯ QUỲNH", "HỘI ĐỒNG THI ĐUA, KHEN THƯỞNG THỊ TRẤN"),
    ],
)
def test_letterhead_and_signature_name_the_plans_body(plan_id, parent, body):
    plan = load_plan(plan_id)
    data = shortlist_docx_bytes(empty_shortlist(), plan, plan.reviews[-1], {})
    doc = docx.Document(io.BytesIO(data))
    left = doc.tables[0].rows[0].cells[0].paragraphs
    assert [p.text for p in left] == [parent, body]
    assert [r.bold for p in left for r in p.runs] == [False, True]  # Nghị định 30/2020
    right = doc.tables[0].rows[0].cells[1].paragraphs
    assert all(r.bold for p in right for r in p.runs)
    assert doc.tables[-1].rows[0].cells[1].text.splitlines()[0] == f"TM. {body}"


def test_a_plan_without_a_dossier_table_gets_a_generic_body():
    plan = load_plan(ST_ID).model_copy(update={"dossier": None})
    doc = docx.Document(
        io.BytesIO(shortlist_docx_bytes(empty_shortlist(), plan, plan.review("2021"), {}))
    )
    assert doc.tables[0].rows[0].cells[0].text.splitlines() == [
        "TỈNH SÓC TRĂNG",
        "HỘI ĐỒNG THI ĐUA, KHEN THƯỞNG",
    ]


def test_the_page_is_a4_in_vietnamese_and_list_headers_repeat(demo_stores, demo_shortlists):
    plan = load_plan(ST_ID)
    doc = _document(
        demo_stores, demo_shortlists[ST_ID, "so-ket-2025"], plan, plan.review("so-ket-2025")
    )
    page = doc.sections[0]
    assert (round(page.page_width.cm, 1), round(page.page_height.cm, 1)) == (21.0, 29.7)
    usable = page.page_width - page.left_margin - page.right_margin
    lists = doc.tables[1:-1]
    assert lists
    for table in lists:
        assert sum(c.width for c in table.columns) <= usable
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    lang = doc.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "vi-VN"


def test_control_characters_from_older_stores_are_dropped():
    plan = load_plan(ST_ID)
    import pyarrow as pa

    row = {
        "review": "2021",
        "award": "certificate",
        "category": "so_nganh",
        "subject_id": "snv",
        "subject_name": "Sở\x0b Nội vụ",
        "status": "proposed",
        "rank": 1,
        "window_avg": None,
        "reasons": "",
        "subject_kind": "unit",
        "recipient_id": "snv",
        "recipient_name": "Sở\x0c Nội vụ",
        "form": None,
    }
    data = shortlist_docx_bytes(pa.Table.from_pylist([row]), plan, plan.review("2021"), {})
    assert _listed(docx.Document(io.BytesIO(data)).tables[1])[0][1] == "Sở Nội vụ"
    assert _listed(docx.Document(io.BytesIO(data)).tables[1])[0][2] == "Đạt tất cả tiêu chuẩn"
