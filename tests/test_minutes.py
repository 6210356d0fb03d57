"""Files officials file (issue 12, items 1 and 4): the shortlist workbook and the Word list
hold labels, never the contract's codes, ids or ISO dates; the Như Quỳnh district's and
town's Giấy khen are separate lists; the committee's minutes ("Biên bản họp xét khen
thưởng") list the proposed with the votes recorded and end with the signatures."""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path

import docx
import openpyxl
import pytest

from analytics import fmt, labels
from analytics.exports.minutes import minutes_docx
from analytics.exports.stamp import stamp
from analytics.exports.wordform import OTHER_FORM, proposal_list_docx
from analytics.exports.workbook import DEFERRED_SHEET, LIST_SHEET, shortlist_workbook
from analytics.ingest.edits import Change, save_changes
from analytics.plans.loading import load_plan
from analytics.plans.models import Plan
from analytics.rules.shortlist import evaluate_review
from analytics.store.connection import open_store
from tests._datasets import NQ_ID, RE_ID, ST_ID, TEST_ADMIN

warnings.filterwarnings("ignore", message="Arrow output on a DB-API result")

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
VERSION = "Phiên bản dữ liệu 7 — cập nhật 01/12/2026 09:15"
NOTE = "Biên bản họp Hội đồng ngày 05/12/2026"
CASES = [
    pytest.param(ST_ID, "so-ket-2025", id="st-so-ket-2025"),
    pytest.param(ST_ID, "2021", id="st-2021"),
    pytest.param(RE_ID, "so-ket-2025", id="reorg-so-ket-2025"),
    pytest.param(NQ_ID, "2023", id="nq-2023"),
]


def contract_codes(plan: Plan) -> set[str]:
    """Every enumerated code a shortlist row may carry: the plan's id, award ids, block,
    category and form codes, and the status and discipline codes."""
    codes = {plan.id}
    codes |= {a.id for a in plan.awards}
    codes |= {b.code for b in plan.blocks}
    codes |= {c.id for a in plan.awards for c in a.categories}
    codes |= {f.code for f in plan.forms}
    codes |= set(labels.STATUSES) | set(labels.DISCIPLINE)
    return codes


def store_ids(path: Path) -> set[str]:
    with open_store(path, read_only=True) as con:
        units = con.execute("SELECT unit_id FROM units").fetchall()
        people = con.execute("SELECT person_id FROM people").fetchall()
    return {r[0] for r in units + people}


def offences(texts: list[str], words: set[str]) -> list[tuple[str, str]]:
    """(offending word, text) for every code or id as a whole word (case-sensitive) and
    every ISO date."""
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    whole = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")
    found = []
    for text in texts:
        found += [(m.group(0), text[:120]) for m in whole.finditer(text)]
        found += [(m.group(0), text[:120]) for m in ISO_DATE.finditer(text)]
    return found


def docx_texts(data: bytes) -> list[str]:
    """Every paragraph and every table cell of a Word document."""
    doc = docx.Document(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]
    texts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return [t for t in texts if t]


def _files(path: Path, plan: Plan, review_id: str) -> tuple[object, bytes, bytes, bytes]:
    review = plan.review(review_id)
    stamped = stamp(plan.id, review_id, VERSION)
    with open_store(path, read_only=True) as con:
        table = evaluate_review(con, plan, review_id, detail=True)
        book = shortlist_workbook(con, table, plan, review, stamped)
        word = proposal_list_docx(con, table, plan, review, stamped)
        minutes = minutes_docx(con, table, plan, review, stamped)
    return table, book, word, minutes


# --- the workbook -------------------------------------------------------------------------------
@pytest.mark.parametrize(("plan_id", "review_id"), CASES)
def test_workbook_holds_labels_never_codes_ids_or_iso_dates(demo_stores, plan_id, review_id):
    plan = load_plan(plan_id)
    table, book, _, _ = _files(demo_stores[plan_id], plan, review_id)
    wb = openpyxl.load_workbook(io.BytesIO(book))
    assert wb.sheetnames == [LIST_SHEET, DEFERRED_SHEET]  # Vietnamese sheet names
    texts = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
    words = contract_codes(plan) | store_ids(demo_stores[plan_id])
    assert offences(texts, words) == []
    assert all(c.data_type != "f" for ws in wb.worksheets for row in ws.iter_rows() for c in row)


def _list_rows(book: bytes) -> tuple[list[str], list[tuple]]:
    ws = openpyxl.load_workbook(io.BytesIO(book))[LIST_SHEET]
    rows = list(ws.iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if r[0] == "STT")
    return list(rows[at]), rows[at + 1 :]


def test_workbook_columns_are_the_plans_labels(demo_stores):
    plan = load_plan(ST_ID)
    table, book, _, _ = _files(demo_stores[ST_ID], plan, "so-ket-2025")
    header, data = _list_rows(book)
    col = {h: i for i, h in enumerate(header)}
    expected = table.to_pylist()
    assert len(data) == len(expected)
    awards = {a.id: a.label for a in plan.awards}
    cats = {(a.id, c.id): c.label for a in plan.awards for c in a.categories}
    blocks = {b.code: b.label for b in plan.blocks}
    for got, row in zip(data, expected, strict=True):
        assert got[col["Hình thức"]] == awards[row["award"]]
        assert got[col["Nhóm xét"]] == cats[row["award"], row["category"]]
        assert got[col["Kết quả"]] == labels.STATUSES[row["status"]]
        assert got[col["Thứ hạng"]] == row["rank"]
        states = [labels.STATES[c["state"]] for c in row["criteria"]]
        assert got[col["Tiêu chuẩn"]] == "; ".join(
            f"{c['label']}: {s}" for c, s in zip(row["criteria"], states, strict=True)
        )
        cat = next(c for a in plan.awards for c in a.categories if c.id == row["category"])
        if cat.block:  # a block category's units are of its block
            assert got[col["Khối"]] == blocks[cat.block]
    assert {r[col["Kỷ luật"]] for r in data} <= set(labels.DISCIPLINE.values()) | {None}
    assert "Không" in {r[col["Kỷ luật"]] for r in data}
    people = [
        got for got, row in zip(data, expected, strict=True) if row["subject_kind"] == "person"
    ]
    assert people and {r[col["Khối"]] for r in people} & set(blocks.values())  # their unit's
    deferred = [r for r in expected if r["status"] == "deferred"]
    ws = openpyxl.load_workbook(io.BytesIO(book))[DEFERRED_SHEET]
    assert ws.max_row - 1 == len(deferred) > 0


def test_workbook_names_the_recipient_of_a_ceased_unit(demo_stores):
    plan = load_plan(RE_ID)
    table, book, _, _ = _files(demo_stores[RE_ID], plan, "so-ket-2025")
    header, data = _list_rows(book)
    name = header.index("Tên")
    moved = [
        r for r in table.to_pylist() if r["recipient_id"] and r["recipient_id"] != r["subject_id"]
    ]
    assert moved
    shown = {r[name] for r in data}
    for r in moved:
        assert f"{r['subject_name']} — đơn vị nhận: {r['recipient_name']}" in shown


def test_workbook_stamp_block_names_plan_and_review_in_words(demo_stores):
    plan = load_plan(NQ_ID)
    _, book, _, _ = _files(demo_stores[NQ_ID], plan, "2023")
    ws = openpyxl.load_workbook(io.BytesIO(book))[LIST_SHEET]
    block = {r[0]: r[1] for r in ws.iter_rows(min_row=2, max_row=5, values_only=True)}
    assert block["Kế hoạch"] == plan.title
    assert block["Đợt xét"] == plan.review("2023").label
    assert block["Phiên bản dữ liệu"] == VERSION
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", block["Thời điểm xuất"])


# --- the Word list --------------------------------------------------------------------------------
@pytest.mark.parametrize(("plan_id", "review_id"), CASES)
def test_word_list_and_minutes_hold_no_codes_ids_or_iso_dates(demo_stores, plan_id, review_id):
    plan = load_plan(plan_id)
    _, _, word, minutes = _files(demo_stores[plan_id], plan, review_id)
    words = contract_codes(plan) | store_ids(demo_stores[plan_id])
    for data in (word, minutes):
        texts = docx_texts(data)
        assert offences(texts, words) == []
        assert any(t.startswith(VERSION) for t in texts)  # the short data-version reference


def test_word_list_achievements_differ_between_units_and_name_the_window(demo_stores):
    plan = load_plan(ST_ID)
    table, _, word, _ = _files(demo_stores[ST_ID], plan, "so-ket-2025")
    doc = docx.Document(io.BytesIO(word))
    lists = [t for t in doc.tables[1:-1] if t.rows[0].cells[-1].text == "Thành tích"]
    said = {
        row.cells[1].text.split("\n")[0]: row.cells[2].text
        for t in lists
        for row in t.rows[1:]
        if row.cells[2].text.startswith("Chỉ số CCHC bình quân")
    }
    averages = {
        _named(r): r["window_avg"]
        for r in table.to_pylist()
        if r["status"] == "proposed" and r["category"] != "advisory"
    }
    assert set(said) <= set(averages) and len(said) > 5
    assert len(set(said.values())) == len({averages[n] for n in said})  # one text per average
    for name, text in said.items():
        assert text.startswith(f"Chỉ số CCHC bình quân 2021–2025 đạt {fmt.pct(averages[name])}, ")
        assert re.search(r"\d,\d\d %, Nhóm \d$", text)
    assert "Đạt tất cả tiêu chuẩn" not in [r.cells[2].text for t in lists for r in t.rows[1:]]


def _named(r: dict) -> str:
    return labels.named_with_recipient(
        r["subject_id"], r["subject_name"], r["recipient_id"], r["recipient_name"]
    )


def _record(path: Path, changes: list[Change]) -> None:
    assert save_changes(path, TEST_ADMIN, changes, NOTE).save_id is not None


def _sections(doc) -> list[tuple[str, list[str]]]:
    """(list heading, names listed under it) in document order, for the roman-numbered
    lists of the Word list."""
    out: list[tuple[str, list[str]]] = []
    tables = iter(doc.tables)  # the letterhead first: before any list, skipped
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t"))
            if re.match(r"^[IVX]+\. ", text):
                out.append((text, []))
            elif text.startswith(("Tổng cộng:", "Các trường hợp chưa xét")):
                break
        elif tag == "tbl":
            table = next(tables)
            if out:
                out[-1][1].extend(r.cells[1].text.split("\n")[0] for r in table.rows[1:])
    return out


def test_nhu_quynh_district_and_town_certificates_are_separate_lists(demo_copy):
    path = demo_copy(NQ_ID)
    plan = load_plan(NQ_ID)
    with open_store(path, read_only=True) as con:
        before = evaluate_review(con, plan, "2023").to_pylist()
    town_unit = next(r for r in before if r["category"] == "xa" and r["status"] == "proposed")
    person = next(r for r in before if r["category"] == "individual" and r["status"] == "proposed")
    _record(
        path,
        [
            Change("unit_judgments", "2023", town_unit["subject_id"], "proposed_form", "giay_khen_huyen"),
            Change("person_judgments", "2023", person["subject_id"], "proposed_form", "giay_khen_huyen"),
        ],
    )  # fmt: skip
    table, _, word, minutes = _files(path, plan, "2023")
    rows = [r for r in table.to_pylist() if r["status"] == "proposed"]
    district = sorted(r["subject_name"] for r in rows if r["form"] == "giay_khen_huyen")
    town = sorted(r["subject_name"] for r in rows if r["form"] == "giay_khen_thi_tran")
    assert district == sorted([town_unit["subject_name"], person["subject_name"]]) and town
    sections = _sections(docx.Document(io.BytesIO(word)))
    assert [h for h, _ in sections] == [
        f"I. {plan.form('giay_khen_huyen').label}",
        f"II. {plan.form('giay_khen_thi_tran').label}",
    ]
    assert sorted(sections[0][1]) == district
    assert sorted(sections[1][1]) == town
    texts = docx_texts(minutes)  # the minutes vote on each list apart
    for form, names in (("giay_khen_huyen", district), ("giay_khen_thi_tran", town)):
        label = plan.form(form).label
        assert any(t.startswith("Kết quả biểu quyết:") and label in t for t in texts)
        assert set(names) <= {t.split("\n")[0] for t in texts}


def test_a_list_without_its_form_says_the_proposals_are_under_the_other(demo_stores):
    plan = load_plan(NQ_ID)
    _, _, word, _ = _files(demo_stores[NQ_ID], plan, "2023")
    sections = _sections(docx.Document(io.BytesIO(word)))
    assert sections[0] == (f"I. {plan.form('giay_khen_huyen').label}", [])  # demo: none
    assert OTHER_FORM in docx_texts(word)


# --- the minutes ----------------------------------------------------------------------------------
def test_minutes_list_the_proposed_with_their_votes_and_end_with_signatures(demo_copy):
    path = demo_copy(ST_ID)
    plan = load_plan(ST_ID)
    with open_store(path, read_only=True) as con:
        before = evaluate_review(con, plan, "so-ket-2025").to_pylist()
    people = [r for r in before if r["status"] == "proposed" and r["subject_kind"] == "person"]
    voted = {people[0]["subject_id"]: 19, people[1]["subject_id"]: 17}
    _record(
        path,
        [
            Change("person_judgments", "so-ket-2025", pid, field, value)
            for pid, n in voted.items()
            for field, value in (("votes_for", str(n)), ("council_members", "20"))
        ],
    )
    table, _, _, minutes = _files(path, plan, "so-ket-2025")
    doc = docx.Document(io.BytesIO(minutes))
    texts = docx_texts(minutes)
    head = doc.tables[0].rows[0].cells
    assert head[0].text.splitlines() == [
        plan.dossier.parent.upper(),
        plan.dossier.body.upper(),
    ]
    assert head[1].text.splitlines() == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert "BIÊN BẢN" in texts
    assert any(
        t.startswith("Hôm nay, vào lúc …… giờ …… phút, ngày …… tháng …… năm ……") for t in texts
    )
    assert any(t.startswith("……, ngày …… tháng …… năm ……") for t in texts)  # no place in the plan
    assert any("có mặt ……/20 thành viên" in t for t in texts)  # the recorded council size
    assert sum(bool(re.match(r"^\d+\. …", t)) for t in texts) == 20  # a line per member
    for agenda in ("I. THÀNH PHẦN THAM DỰ", "II. NỘI DUNG", "III. KẾT QUẢ XÉT VÀ BỎ PHIẾU"):
        assert agenda in texts
    proposed = [r for r in table.to_pylist() if r["status"] == "proposed"]
    cells = {
        row.cells[1].text.split("\n")[0]: row.cells[3].text
        for t in doc.tables[1:-1]
        for row in t.rows[1:]
    }
    for r in proposed:
        assert _named(r) in cells
    for pid, n in voted.items():
        name = next(r["subject_name"] for r in proposed if r["subject_id"] == pid)
        assert cells[name] == f"{n}/20 ({fmt.pct(n * 5)})"
    unvoted = [
        r for r in proposed if r["subject_kind"] == "person" and r["subject_id"] not in voted
    ]
    assert unvoted and all(re.fullmatch(r"\d+,\d\d %", cells[r["subject_name"]]) for r in unvoted)
    units = [r for r in proposed if r["subject_kind"] == "unit"]
    assert units and all(cells[_named(r)] == "……/……" for r in units)  # to fill in
    results = [t for t in texts if t.startswith("Kết quả biểu quyết:")]
    assert len(results) == len(plan.awards_for(plan.review("so-ket-2025")))
    n_units = len({r["subject_id"] for r in units})
    n_people = len({r["subject_id"] for r in proposed if r["subject_kind"] == "person"})
    conclusion = texts[texts.index("IV. KẾT LUẬN") + 1]
    assert f"Tổng cộng: {n_units} tập thể" in conclusion
    assert conclusion.endswith(f", {n_people} cá nhân.")
    signatures = doc.tables[-1].rows[0].cells
    assert signatures[0].text.splitlines()[:2] == ["THƯ KÝ", "(Ký, ghi rõ họ tên)"]
    assert signatures[1].text.splitlines()[:2] == ["CHỦ TRÌ", "(Ký, ghi rõ họ tên)"]


def test_minutes_of_the_town_name_its_place_and_committee(demo_stores):
    plan = load_plan(NQ_ID)
    _, _, _, minutes = _files(demo_stores[NQ_ID], plan, "2023")
    texts = docx_texts(minutes)
    assert "Như Quỳnh, ngày …… tháng …… năm ……" in texts
    assert any(
        t.startswith("Căn cứ Kế hoạch phát động phong trào thi đua cải cách hành chính năm 2023")
        and "số 11/KH-UBND ngày 15/01/2023 của UBND thị trấn Như Quỳnh" in t
        for t in texts
    )
    assert any("có mặt ……/…… thành viên" in t for t in texts)  # no votes counted in the demo
    assert sum(bool(re.match(r"^\d+\. …", t)) for t in texts) == 5  # blank lines to fill
