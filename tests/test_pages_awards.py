"""AppTest of the pages Khen thưởng, Mô phỏng and Dữ liệu on demo and empty stores."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

import docx
import openpyxl
import pyarrow.compute as pc
import pytest
from streamlit.testing.v1 import AppTest

from analytics.errors import StoreBusy
from analytics.exports.csv_files import shortlist_csv_bytes
from analytics.labels import STATUS_ORDER, named_with_recipient, status_label, status_short
from analytics.plans.loading import file_sha256, load_plan, plan_path
from analytics.rules.shortlist import CONTRACT_COLUMNS, evaluate_review
from analytics.store.binding import bind_plan, bound_plan_id
from analytics.store.connection import open_store
from analytics.views.awards import DISPLAY_COLUMNS, names_with_recipients, rows_of
from analytics.views.import_log import problems_frame
from analytics.views.whatif_diff import ENTERS, LEAVES, change_label
from pages import _ui
from pages import _ui_awards as ua
from pages import _ui_upload as up
from tests._datasets import NQ_PLAN, ST_PLAN
from tests._rules_kit import write_dataset
from tests._visible import download_of

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGES = ("pages/5_khen_thuong.py", "pages/6_mo_phong.py", "pages/7_du_lieu.py")
DEFAULT_REVIEW = {ST_PLAN.id: "so-ket-2025", NQ_PLAN.id: "2023"}
STATUS_OF_LABEL = {status_label(s): s for s in STATUS_ORDER}


@pytest.fixture(autouse=True)
def clean_caches(monkeypatch, tmp_path, fresh_caches):
    monkeypatch.delenv("THIDUA_NO_DEMO", raising=False)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # uploads are saved under tmp_path


def _store(monkeypatch, demo_stores, tmp_path, plan_id=ST_PLAN.id) -> Path:
    path = shutil.copy(demo_stores[plan_id], tmp_path / f"{plan_id}.duckdb")
    monkeypatch.setenv("THIDUA_DB", str(path))
    return Path(path)


def _open(page: str, plan_id: str = ST_PLAN.id, review: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["plan_id"] = plan_id
    at.session_state[f"review_{plan_id}"] = review or DEFAULT_REVIEW[plan_id]
    at.switch_page(page)
    return at.run()


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _download(at: AppTest, captured, label: str) -> tuple[bytes, str]:
    button = next(b for b in at.get("download_button") if label in b.proto.label)
    return download_of(button, captured)


# --- every page renders ---------------------------------------------------------------------------
# (Sóc Trăng's pages and Như Quỳnh's Khen thưởng are rendered by the tests further down.)
@pytest.mark.parametrize("page", ["pages/6_mo_phong.py", "pages/7_du_lieu.py"])
def test_nhu_quynh_pages_render_on_its_demo_store(monkeypatch, demo_stores, tmp_path, page):
    _store(monkeypatch, demo_stores, tmp_path, NQ_PLAN.id)
    at = _open(page, NQ_PLAN.id)
    _ok(at)
    assert at.title
    if page == "pages/6_mo_phong.py":  # no quotas in this plan: empty inputs = no limit
        assert {n.value for n in at.number_input if "_q_" in n.key} == {None}


@pytest.mark.parametrize("page", PAGES)
def test_pages_render_on_an_empty_store(monkeypatch, tmp_path, page):
    monkeypatch.setenv("THIDUA_NO_DEMO", "1")
    path = tmp_path / "empty.duckdb"
    with open_store(path) as con:
        bind_plan(con, ST_PLAN.id)
    monkeypatch.setenv("THIDUA_DB", str(path))
    at = _open(page)
    _ok(at)
    texts = " ".join(i.value for i in at.info)
    if page != "pages/7_du_lieu.py":
        assert "chưa có ứng viên" in texts and "Dữ liệu" in texts
    else:
        assert "Chưa có lần nhập dữ liệu nào" in texts


@pytest.mark.parametrize("page", PAGES)
def test_pages_render_without_any_store(monkeypatch, tmp_path, page):
    monkeypatch.setenv("THIDUA_NO_DEMO", "1")
    monkeypatch.setenv("THIDUA_DB", str(tmp_path / "none.duckdb"))
    at = _open(page)
    _ok(at)
    assert any(ua.NO_STORE in i.value for i in at.info)
    assert not (tmp_path / "none.duckdb").exists()  # looking creates nothing


def test_a_store_of_another_plan_is_not_evaluated(monkeypatch, demo_stores, tmp_path):
    _store(monkeypatch, demo_stores, tmp_path, ST_PLAN.id)
    at = _open("pages/5_khen_thuong.py", NQ_PLAN.id)
    _ok(at)
    assert any("theo kế hoạch **soc-trang-2021-2030**" in w.value for w in at.warning)
    assert not at.dataframe


def test_busy_store_shows_the_vietnamese_message(monkeypatch, demo_stores, tmp_path):
    _store(monkeypatch, demo_stores, tmp_path)

    def busy(*args, **kwargs):
        raise StoreBusy("held")

    monkeypatch.setattr(ua, "review_table", busy)
    at = _open("pages/5_khen_thuong.py")
    _ok(at)
    assert any(_ui.BUSY_MESSAGE in w.value for w in at.warning)


# --- page 5: the tables are the engine's shortlist --------------------------------------------------
@pytest.mark.parametrize(
    ("plan_id", "review"), [(ST_PLAN.id, "so-ket-2025"), (ST_PLAN.id, "2023"), (NQ_PLAN.id, "2023")]
)
def test_khen_thuong_tables_equal_the_engine(monkeypatch, demo_stores, tmp_path, plan_id, review):
    path = _store(monkeypatch, demo_stores, tmp_path, plan_id)
    plan = load_plan(plan_id)
    at = _open("pages/5_khen_thuong.py", plan_id, review)
    _ok(at)
    with open_store(path, read_only=True) as con:
        engine = evaluate_review(con, plan, review).to_pandas()
    display_cols = list(DISPLAY_COLUMNS.values())
    shown = [d.value for d in at.dataframe if list(d.value.columns) == display_cols]
    expected = []
    for sec in plan.sections(plan.review(review)):
        rows = rows_of(engine, sec.award_id, sec.category_id)
        if not rows.empty:
            names = names_with_recipients(rows)
            expected.append(list(zip(names, rows.status, strict=True)))
    got = [
        list(zip(t["Tên"], [STATUS_OF_LABEL[s] for s in t["Kết quả"]], strict=True)) for t in shown
    ]
    ids = set(engine.subject_id)  # no id on the page: the names tell the rows apart
    assert not any(set(t.stack().astype(str)) & ids for t in shown)
    assert got == expected
    total = {m.label: m.value for m in at.metric}
    assert total[status_short("proposed")] == str((engine.status == "proposed").sum())
    if review == "2023":  # annual: no sơ kết / tổng kết banner; the deadline of the plan
        assert not at.success
        assert at.metric[0].value == ("16/06/2024" if plan_id == ST_PLAN.id else "10/12/2023")


def test_khen_thuong_highlight_criteria_and_downloads(
    monkeypatch, demo_stores, tmp_path, downloads
):
    path = _store(monkeypatch, demo_stores, tmp_path)
    at = _open("pages/5_khen_thuong.py")
    _ok(at)
    _check_downloads(at, downloads, path)
    assert "đề nghị 4 Cờ thi đua" in at.success[0].value
    md = " ".join(m.value for m in at.markdown)
    assert "Cờ thi đua của UBND tỉnh: **1** — Sở Tư pháp" in md
    matrices = [d.value for d in at.dataframe if "Tiêu chuẩn 1" in d.value.columns]
    deferred = [d.value for d in at.dataframe if "Lý do" in d.value.columns]
    assert deferred and all(r.startswith("Chưa xét khen thưởng") for r in deferred[0]["Lý do"])
    # text badges, readable without an emoji font; every criterion named in the legend
    assert matrices and set(matrices[0].iloc[:, 1:].stack()) <= {
        "Đạt",
        "Không đạt",
        "Chưa đủ dữ liệu",
        "",
    }
    assert "Đạt" in set(matrices[0].iloc[:, 1:].stack())
    assert any("**Tiêu chuẩn 1**:" in c.value for c in at.caption)
    details = [d.value for d in at.dataframe if "Căn cứ (số liệu)" in d.value.columns]
    assert details[0]["Kết quả"].iloc[0] in ("Đạt", "Không đạt", "Chưa đủ dữ liệu")
    assert any(m.value.startswith("**Lý do:**") for m in at.markdown)
    # choosing another candidate shows its evidence
    box = next(s for s in at.selectbox if s.key.endswith("_certificate_so_nganh"))
    box.set_value("sldtbxh").run()
    details = [d.value for d in at.dataframe if "Căn cứ (số liệu)" in d.value.columns]
    assert any("thiếu Chỉ số năm 2022" in " ".join(d["Căn cứ (số liệu)"]) for d in details)


def _check_downloads(at, downloads, path):
    """The CSV is the engine's shortlist in the contract format, neutralised and stamped."""
    data, name = _download(at, downloads, "CSV")
    assert name == "danh-sach-so-ket-giai-doan-2021-2025.csv"
    with open_store(path, read_only=True) as con:
        table = evaluate_review(con, ST_PLAN, "so-ket-2025")
    expected = shortlist_csv_bytes(table, neutralise=True).decode("utf-8")
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    n = len(CONTRACT_COLUMNS)  # v2: the nine, then recipient_id and recipient_name
    assert [r[:n] for r in rows] == list(csv.reader(io.StringIO(expected.lstrip("\ufeff"))))
    assert rows[0][:n] == list(CONTRACT_COLUMNS)
    assert rows[0][n:] == ["plan_id", "review_id", "data_version", "exported_at"]
    assert {tuple(r[n : n + 2]) for r in rows[1:]} == {(ST_PLAN.id, "so-ket-2025")}
    book, name = _download(at, downloads, "Excel")
    assert name == "danh-sach-so-ket-giai-doan-2021-2025.xlsx"
    ws = openpyxl.load_workbook(io.BytesIO(book)).active
    assert ws["B2"].value == ST_PLAN.title  # for people: the plan's title, not its id
    word, name = _download(at, downloads, "Danh sách đề nghị (Word)")
    assert name == "danh-sach-de-nghi-so-ket-giai-doan-2021-2025.docx"
    doc = docx.Document(io.BytesIO(word))
    listed = [  # the proposal tables, not the deferred cases' table ("Lý do"), by name
        row.cells[1].text.split("\n")[0]
        for t in doc.tables[1:]
        if t.rows[0].cells[-1].text != "Lý do"
        for row in t.rows[1:]
    ]
    proposed = table.filter(pc.equal(table["status"], "proposed")).to_pylist()
    names = [
        named_with_recipient(
            r["subject_id"], r["subject_name"], r["recipient_id"], r["recipient_name"]
        )
        for r in proposed
    ]
    assert sorted(listed) == sorted(names) and listed
    minutes, name = _download(at, downloads, "Tải biên bản họp xét (Word)")
    assert name == "bien-ban-hop-xet-so-ket-giai-doan-2021-2025.docx"
    doc = docx.Document(io.BytesIO(minutes))
    texts = [p.text for p in doc.paragraphs]
    assert "BIÊN BẢN" in texts and "III. KẾT QUẢ XÉT VÀ BỎ PHIẾU" in texts
    cells = {c.text.split("\n")[0] for t in doc.tables for r in t.rows for c in r.cells}
    assert set(names) <= cells


# --- page 6: what-if -----------------------------------------------------------------------------
QUOTA_KEY = f"wi_{ST_PLAN.id}_so-ket-2025_q_certificate_so_nganh"


def _apply(at) -> None:
    """Submit the what-if form (the parameters are evaluated once per submit)."""
    next(b for b in at.button if "Áp dụng thông số" in b.label).click().run()
    _ok(at)


def test_mo_phong_quota_change_and_reset(monkeypatch, demo_stores, tmp_path, downloads):
    _store(monkeypatch, demo_stores, tmp_path)
    before = file_sha256(plan_path(ST_PLAN.id))
    at = _open("pages/6_mo_phong.py")
    _ok(at)
    assert at.number_input(key=QUOTA_KEY).value == 5
    assert {m.label: m.value for m in at.metric}[change_label(ENTERS, title=True)] == "0"
    at.number_input(key=QUOTA_KEY).set_value(6).run()
    _ok(at)  # inside the form: nothing is evaluated before the submit
    assert {m.label: m.value for m in at.metric}[change_label(ENTERS, title=True)] == "0"
    at.number_input(key=QUOTA_KEY).set_value(6)
    _apply(at)
    counts = {m.label: m.value for m in at.metric}
    assert counts[change_label(ENTERS, title=True)] == "1"
    assert counts[change_label(LEAVES, title=True)] == "0"
    diff = next(d.value for d in at.dataframe if "Thay đổi" in d.value.columns)
    assert diff[["Tên", "Theo kế hoạch", "Theo mô phỏng", "Thay đổi"]].values.tolist() == [
        [
            "Sở Văn hóa, Thể thao và Du lịch",
            "Dự phòng (ngoài chỉ tiêu) · hạng 6",
            "Đề nghị khen thưởng · hạng 6",
            change_label(ENTERS),
        ]
    ]
    data, name = _download(at, downloads, "bảng thay đổi")
    assert name.endswith(".csv") and "vào danh sách" in data.decode("utf-8")
    assert f"{ST_PLAN.id} (what-if)" in data.decode("utf-8")
    data, _ = _download(at, downloads, "danh sách mô phỏng")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8").lstrip("\ufeff"))))
    plan_at = rows[0].index("plan_id")
    assert {r[plan_at] for r in rows[1:]} == {f"{ST_PLAN.id} (what-if)"}
    sixth = [r for r in rows if r[1:4] == ["certificate", "so_nganh", "svhttdl"]]
    assert sixth[0][5] == "proposed"
    # reset: back to the plan's quota, nothing changes
    at.button(key=f"wi_{ST_PLAN.id}_so-ket-2025_reset_button").click().run()
    _ok(at)
    assert at.number_input(key=QUOTA_KEY).value == 5
    assert {m.label: m.value for m in at.metric}[change_label(ENTERS, title=True)] == "0"
    assert file_sha256(plan_path(ST_PLAN.id)) == before


def test_mo_phong_invalid_cut_offs_explain(monkeypatch, demo_stores, tmp_path):
    _store(monkeypatch, demo_stores, tmp_path)
    at = _open("pages/6_mo_phong.py")
    box = at.text_input(key=f"wi_{ST_PLAN.id}_so-ket-2025_band_3")
    assert box.value == "65"  # the plan's cut-off as people write it (no "65.00")
    box.set_value("85")
    _apply(at)
    errors = [e.value for e in at.error]
    errors = [e.replace("\\", "") for e in errors]  # the message is escaped for markdown
    assert any("Thông số chưa hợp lệ" in e and "Nhóm 2 (80)" in e for e in errors), errors
    assert not any("strictly" in e for e in errors)


def test_mo_phong_reads_a_decimal_comma(monkeypatch, demo_stores, tmp_path):
    _store(monkeypatch, demo_stores, tmp_path)
    at = _open("pages/6_mo_phong.py")
    at.text_input(key=f"wi_{ST_PLAN.id}_so-ket-2025_band_3").set_value("66,5")
    _apply(at)
    _ok(at)
    assert not at.error
    # 66,5 is read as 66.5 (a cut-off of 665 would be refused as over 100)
    assert at.text_input(key=f"wi_{ST_PLAN.id}_so-ket-2025_band_3").value == "66,5"
    at.text_input(key=f"wi_{ST_PLAN.id}_so-ket-2025_band_3").set_value("66;5")
    _apply(at)
    assert any("«66;5» không phải là số" in e.value for e in at.error)


# --- page 7: upload, check, import ------------------------------------------------------------------
def _uploader(at):
    return at.file_uploader[0]


BAD = b"year,unit_id,score,max_score,ratio\n2021,snv,95,90,\n2099,zzz,abc,100,\n"
GOOD = b"year,unit_id,score,max_score,ratio\n2021,snv,80,90,\n"


def test_du_lieu_shows_every_error_and_writes_nothing(monkeypatch, demo_stores, tmp_path):
    path = _store(monkeypatch, demo_stores, tmp_path)
    before = file_sha256(path)
    at = _open("pages/7_du_lieu.py")
    _uploader(at).set_value([("unit_scores.csv", BAD, "text/csv")]).run()
    _ok(at)
    assert "4 lỗi" in at.error[0].value
    table = at.dataframe[0].value
    assert list(table.columns) == ["Tệp", "Dòng", "Cột", "Giá trị", "Lỗi"]
    assert table[["Dòng", "Cột", "Giá trị"]].values.tolist() == [
        ["2", "Điểm đạt được (score)", "95"],  # the template's header, then the contract's
        ["3", "Năm (year)", "2099"],
        ["3", "Mã đơn vị (unit_id)", "zzz"],
        ["3", "Điểm đạt được (score)", "abc"],
    ]
    assert not any(b.key == "do_import" for b in at.button)
    assert file_sha256(path) == before


def test_du_lieu_says_how_many_more_errors(monkeypatch, demo_stores, tmp_path):
    _store(monkeypatch, demo_stores, tmp_path)
    rows = "".join(f"2021,nope{i},1,2,\n" for i in range(1200))
    at = _open("pages/7_du_lieu.py")
    _uploader(at).set_value(
        [("unit_scores.csv", ("year,unit_id,score,max_score,ratio\n" + rows).encode(), "text/csv")]
    ).run()
    _ok(at)
    assert "1200 lỗi" in at.error[0].value
    assert len(at.dataframe[0].value) == 1000
    assert any("… và 200 lỗi khác" in c.value for c in at.caption)


def test_du_lieu_preview_then_import(monkeypatch, demo_stores, tmp_path):
    path = _store(monkeypatch, demo_stores, tmp_path)
    at = _open("pages/7_du_lieu.py")
    _uploader(at).set_value([("unit_scores.csv", GOOD, "text/csv")]).run()
    _ok(at)
    preview = at.dataframe[0].value
    assert preview[["Mã bảng", "Thêm mới", "Cập nhật", "Không đổi"]].values.tolist() == [
        ["unit_scores", 0, 1, 0]
    ]
    with open_store(path, read_only=True) as con:  # the preview wrote nothing
        assert con.execute("SELECT count(*) FROM import_log").fetchall()[0][0] == 1
    at.button(key="do_import").click().run()
    _ok(at)
    assert any("Đã nhập dữ liệu" in s.value for s in at.success)
    with open_store(path, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM import_log").fetchall()[0][0] == 2
        score = con.execute(
            "SELECT ratio_pct FROM unit_scores WHERE year = 2021 AND unit_id = 'snv'"
        ).fetchall()[0][0]
    assert str(score) == "88.89"
    log = next(d.value for d in at.dataframe if "Lần nhập" in d.value.columns)
    assert log["Lần nhập"].tolist() == [2, 1]
    assert not _uploader(at).value  # the imported files are not offered again


def test_du_lieu_imports_a_workbook_into_an_empty_store(monkeypatch, tmp_path, downloads):
    monkeypatch.setenv("THIDUA_NO_DEMO", "1")
    path = tmp_path / "new.duckdb"
    monkeypatch.setenv("THIDUA_DB", str(path))
    at = _open("pages/7_du_lieu.py")
    _ok(at)
    empty, name = _download(at, downloads, "mẫu nhập liệu")
    assert name == f"mau-nhap-lieu-{ST_PLAN.id}.xlsx"
    sheets = openpyxl.load_workbook(io.BytesIO(empty))
    assert "Hướng dẫn" in sheets.sheetnames and sheets["Đơn vị"].max_row == 1  # no store yet
    book, name = _download(at, downloads, "mẫu có ví dụ")
    assert name == f"mau-co-vi-du-{ST_PLAN.id}.xlsx"
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    _uploader(at).set_value([("mau.xlsx", book, mime)]).run()
    _ok(at)
    assert any("hợp lệ" in s.value for s in at.success)
    at.button(key="do_import").click().run()
    _ok(at)
    with open_store(path, read_only=True) as con:
        assert bound_plan_id(con) == ST_PLAN.id
        assert con.execute("SELECT count(*) FROM units").fetchall()[0][0] == 3


def test_du_lieu_template_holds_the_store_units(monkeypatch, demo_stores, tmp_path, downloads):
    path = _store(monkeypatch, demo_stores, tmp_path)
    at = _open("pages/7_du_lieu.py")
    _ok(at)
    book, _name = _download(at, downloads, "mẫu nhập liệu")
    wb = openpyxl.load_workbook(io.BytesIO(book))
    ids = [r[0] for r in wb["Đơn vị"].iter_rows(min_row=2, values_only=True)]
    with open_store(path, read_only=True) as con:
        stored = [r[0] for r in con.execute("SELECT unit_id FROM units").fetchall()]
    assert sorted(ids) == sorted(stored) and len(ids) > 10
    assert wb["Điểm Chỉ số CCHC của đơn vị"].max_row == 1  # no example rows


def test_du_lieu_refuses_mixed_uploads(monkeypatch, demo_stores, tmp_path):
    _store(monkeypatch, demo_stores, tmp_path)
    at = _open("pages/7_du_lieu.py")
    _uploader(at).set_value(
        [("a.xlsx", b"x", "application/octet-stream"), ("units.csv", b"unit_id\n", "text/csv")]
    ).run()
    _ok(at)
    assert any("không trộn lẫn" in e.value for e in at.error)


def test_check_upload_on_a_folder(demo_stores, tmp_path):
    store = shutil.copy(demo_stores[ST_PLAN.id], tmp_path / "s.duckdb")
    bad = write_dataset(
        tmp_path / "bad", {"units": [{"unit_id": "x", "name": "X", "block": "khong_co"}]}
    )
    check = up.check_upload(bad, store, ST_PLAN)
    assert not check.ok and check.total == 1
    frame = problems_frame(check.problems)
    assert frame.values.tolist()[0][:4] == ["units.csv", "2", "Khối (block)", "khong_co"]
    other = up.check_upload(bad, store, NQ_PLAN)
    assert other.error and "soc-trang-2021-2030" in other.error


class _Upload:
    def __init__(self, name: str, data: bytes):
        self.name, self._data = name, data

    def getvalue(self) -> bytes:
        return self._data


def test_save_and_discard_uploads():
    folder = up.save_uploads([_Upload("units.csv", b"a"), _Upload("../x/unit_scores.csv", b"b")])
    assert folder.is_dir() and sorted(p.name for p in folder.iterdir()) == [
        "unit_scores.csv",
        "units.csv",
    ]
    book = up.save_uploads([_Upload("mau.xlsx", b"x")])
    assert book.name == "mau.xlsx" and book.read_bytes() == b"x"
    with pytest.raises(up.UploadError, match="không trộn lẫn"):
        up.save_uploads([_Upload("mau.xlsx", b"x"), _Upload("units.csv", b"a")])
    with pytest.raises(up.UploadError, match="trùng tên"):
        up.save_uploads([_Upload("units.csv", b"a"), _Upload("units.csv", b"b")])
    up.discard_upload(folder)
    up.discard_upload(book)
    assert not folder.exists() and not book.parent.exists()
    up.discard_upload(ROOT / "data")  # never anything it did not make
    assert (ROOT / "data").is_dir()
