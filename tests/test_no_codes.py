"""No codes for people (issue "Fileable outputs", done-when 1): every page of the three demo
plans, and every file made for people (workbooks, Word documents), show no contract code
(every enumerated code and every unit/person id, case-sensitive, as whole words — the
Vietnamese "đoàn thể TW" passes), no "seed", no "rules.md", no ISO date and no file path in
visible text. Planted offenders show that the check fails.

The shortlist CSV is not checked: it is the data contract (codes, for other programs)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.plans.loading import load_plan
from tests._datasets import NQ_ID, RE_ID, ST_ID
from tests._visible import (
    Offences,
    docx_texts,
    download_of,
    page_texts,
    plan_codes,
    store_ids,
    workbook_texts,
)

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGES = sorted(
    (f"pages/{p.name}" for p in (ROOT / "pages").glob("[0-9]*_*.py")),
    key=lambda p: int(Path(p).name.split("_")[0]),
)
PLANS = (RE_ID, ST_ID, NQ_ID)


@pytest.fixture(scope="module")
def offences(demo_stores) -> dict[str, Offences]:
    return {
        plan_id: Offences(plan_codes(load_plan(plan_id)) | store_ids(demo_stores[plan_id]))
        for plan_id in PLANS
    }


def _open(monkeypatch, demo_stores, plan_id: str, page: str, state: dict | None = None):
    monkeypatch.setenv("THIDUA_NO_DEMO", "1")
    monkeypatch.setenv("THIDUA_DB", str(demo_stores[plan_id]))
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["plan_id"] = plan_id
    for k, v in (state or {}).items():
        at.session_state[k] = v
    if page != PAGES[0]:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("plan_id", PLANS)
@pytest.mark.parametrize("page", PAGES)
def test_no_code_on_any_page(monkeypatch, demo_stores, fresh_caches, offences, plan_id, page):
    at = _open(monkeypatch, demo_stores, plan_id, page)
    texts = page_texts(at, tagged=True)
    assert len(texts) > 10  # the page was really drawn
    assert offences[plan_id].in_texts(texts) == []


# Pages in the states where ids used to show: a unit with a lineage, every review's list.
STATES = [
    (RE_ID, "pages/4_ho_so_don_vi.py", {"profile_unit": "stc"}),
    (RE_ID, "pages/4_ho_so_don_vi.py", {"profile_unit": "skhdt"}),
    (RE_ID, "pages/5_khen_thuong.py", {f"review_{RE_ID}": "2024"}),
    (ST_ID, "pages/5_khen_thuong.py", {f"review_{ST_ID}": "tong-ket-2030"}),
    (RE_ID, "pages/8_hoi_dong.py", {f"review_{RE_ID}": "2024"}),
]


@pytest.mark.parametrize(("plan_id", "page", "state"), STATES)
def test_no_code_in_other_states(
    monkeypatch, demo_stores, fresh_caches, offences, plan_id, page, state
):
    at = _open(monkeypatch, demo_stores, plan_id, page, state)
    assert offences[plan_id].in_texts(page_texts(at, tagged=True)) == []


def test_the_what_if_diff_shows_no_code(monkeypatch, demo_stores, fresh_caches, offences):
    at = _open(monkeypatch, demo_stores, ST_ID, "pages/6_mo_phong.py")
    quota = next(n for n in at.number_input if "_q_certificate_so_nganh" in n.key)
    quota.set_value(quota.value + 1)
    next(b for b in at.button if "Áp dụng thông số" in b.label).click().run()
    assert not at.exception
    texts = page_texts(at, tagged=True)
    assert any("vào danh sách" in t for t in texts)  # the diff is on the page
    assert offences[ST_ID].in_texts(texts) == []


# --- the check itself -----------------------------------------------------------------------------


def test_planted_offenders_fail(offences):
    check = offences[RE_ID]
    planted = {
        "Sở Tư pháp (stp)": "stp",
        "Hình thức: flag": "flag",
        "Khối so_nganh": "so_nganh",
        "Kết quả: proposed": "proposed",
        "Kỷ luật: disciplined": "disciplined",
        "Căn cứ: seed 000 §III.5.b": "seed",
        "rules.md §8": "rules.md",
        "Cập nhật 2026-12-01": "2026-12-01",
        "Kho: soc-trang-2025-reorg.duckdb": "soc-trang-2025-reorg.duckdb",
        "Tệp /work/main/data/plans": "/work/main/data/plans",
    }
    for text, word in planted.items():
        assert word in check.in_text(text), text


def test_vietnamese_words_that_look_like_codes_pass(offences):
    check = offences[RE_ID]
    fine = [
        "Khối cơ quan đoàn thể TW",  # "tw" is a block code, "TW" is Vietnamese
        "Sở Tài nguyên và Môi trường — đơn vị nhận: Sở Nông nghiệp và Môi trường",
        "Nhóm 1 — 95,80 %, cập nhật 01/12/2026 09:15",
        "Tây Nam Bộ",
        "Xếp hạng toàn quốc 12/63",
    ]
    assert [check.in_text(t) for t in fine] == [[] for _ in fine]


# --- every file for people: the downloads of the pages ---------------------------------------------
# (the shortlist CSVs are the data contract; the import templates carry the ids and codes the
# import reads, in their id columns and lists; the backup is the store itself)
FILE_PAGES = [
    (RE_ID, "pages/5_khen_thuong.py", {f"review_{RE_ID}": "so-ket-2025"}),
    (RE_ID, "pages/5_khen_thuong.py", {f"review_{RE_ID}": "2024"}),
    (ST_ID, "pages/5_khen_thuong.py", {f"review_{ST_ID}": "tong-ket-2030"}),
    (NQ_ID, "pages/5_khen_thuong.py", {f"review_{NQ_ID}": "2023"}),
    (RE_ID, "pages/2_xep_hang.py", {}),
    (RE_ID, "pages/4_ho_so_don_vi.py", {"profile_unit": "stc"}),
    (ST_ID, "pages/4_ho_so_don_vi.py", {"profile_unit": "snv"}),
    (NQ_ID, "pages/10_dang_ky.py", {}),
]


def _files_of(at, downloads) -> dict[str, bytes]:
    out = {}
    for button in at.get("download_button"):
        data, name = download_of(button, downloads)
        if name.endswith((".xlsx", ".docx")) and not name.startswith("mau-"):
            out[name] = data if isinstance(data, bytes) else data.encode()
    return out


@pytest.mark.parametrize(("plan_id", "page", "state"), FILE_PAGES)
def test_no_code_in_any_file_for_people(
    monkeypatch, demo_stores, fresh_caches, downloads, offences, plan_id, page, state
):
    at = _open(monkeypatch, demo_stores, plan_id, page, state)
    files = _files_of(at, downloads)
    assert files, "the page offers no file for people"
    for name, data in files.items():
        texts = workbook_texts(data) if name.endswith(".xlsx") else docx_texts(data)
        assert len(texts) > 5, name
        assert offences[plan_id].in_texts(texts) == [], name


def test_a_planted_code_in_a_file_fails(offences):
    from docx import Document

    doc = Document()
    doc.add_paragraph("Sở Tư pháp (stp) — Hình thức: certificate")
    buf = io.BytesIO()
    doc.save(buf)
    found = {w for w, _ in offences[RE_ID].in_texts(docx_texts(buf.getvalue()))}
    assert {"stp", "certificate"} <= found
