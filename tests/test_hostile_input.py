"""Hostile input never corrupts, crashes or blocks (issue "Hostile input"): each reproducer
of the reliability probe as a named regression test. Each failed before its fix: the
NUL byte imported and renamed a unit, the long cell and the damaged workbooks raised
tracebacks (exit 1), a damaged store gave "Lỗi nội bộ", the CLI's CSV held live formulas.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest

from analytics import cli
from analytics.errors import EXIT_INPUT, EXIT_OK, EXIT_STORE
from analytics.ingest import importer, raw, xlsx_reader
from analytics.store.connection import open_store
from tests._datasets import RE_ID, TEST_ADMIN, TINY, build_store, snapshot_file, write_dataset
from tests.test_store import cli as cli_subprocess


def run_cli(*args: str) -> tuple[int, str]:
    """The CLI in this process: (exit code, stdout + stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = cli.main(list(args))
    return rc, out.getvalue() + err.getvalue()


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    folder = write_dataset(tmp_path_factory.mktemp("tiny") / "tiny", TINY)
    path = tmp_path_factory.mktemp("store") / "pristine.duckdb"
    build_store(path, folder, RE_ID)
    return path


@pytest.fixture
def store(pristine, tmp_path) -> Path:
    return Path(shutil.copy(pristine, tmp_path / "store.duckdb"))


def refused(store: Path, folder_or_file: Path, *wanted: str) -> str:
    """Import it: exit 2, every ``wanted`` text in the message, the store unchanged."""
    before = snapshot_file(store)
    rc, text = run_cli("import", str(folder_or_file), "--db", str(store))
    assert rc == EXIT_INPUT, text
    assert "Traceback" not in text
    for w in wanted:
        assert w in text, text
    assert snapshot_file(store) == before
    return text


def csv_file(tmp_path: Path, name: str, data: bytes) -> Path:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(data)
    return folder


def a_unit(store: Path) -> tuple[str, str, str]:
    with open_store(store, read_only=True) as con:
        row = con.execute(
            "SELECT unit_id, name, block FROM units WHERE block IS NOT NULL ORDER BY unit_id LIMIT 1"
        ).fetchall()[0]
    return row[0], row[1], row[2]


# --- 1. a NUL byte is refused on the raw text, before anything cuts it ------------------------


def test_nul_byte_in_an_id_does_not_overwrite_another_unit(store, tmp_path):
    uid, name, block = a_unit(store)
    data = f"unit_id,name,block\n{uid}\x00ộ,Bị ghi đè,{block}\n".encode()
    text = refused(  # found on the raw bytes: the column as its header cell reads
        store, csv_file(tmp_path, "units.csv", data), "units.csv", "dòng 2", "cột unit_id"
    )
    assert "U+0000" in text
    with open_store(store, read_only=True) as con:
        assert (
            con.execute("SELECT name FROM units WHERE unit_id = ?", [uid]).fetchall()[0][0] == name
        )


def test_nul_byte_in_a_name_is_refused_not_truncated(store, tmp_path):
    uid, _, block = a_unit(store)
    data = f"unit_id,name,block\n{uid},Lê Th\x00ị Ngọc Hân,{block}\n".encode()
    refused(store, csv_file(tmp_path, "units.csv", data), "dòng 2", "cột name", "U+0000")


def test_nul_byte_in_a_multi_line_cell_names_its_record(store, tmp_path):
    uid, _, block = a_unit(store)
    data = f'unit_id,name,block\n{uid},"Sở\nNội\x00 vụ",{block}\n'.encode()
    refused(store, csv_file(tmp_path, "units.csv", data), "dòng 2", "cột name")


@pytest.mark.parametrize("char", ["\ufffe", "\uffff", "\x1b"])
def test_characters_xml_cannot_store_are_refused(store, tmp_path, char):
    uid, _, block = a_unit(store)
    data = f"unit_id,name,block\n{uid},Sở{char}Nội vụ,{block}\n".encode()
    refused(store, csv_file(tmp_path, "units.csv", data), "dòng 2", "cột name", "U+")


CHUNK = 1 << 22  # the reader scans a file in chunks of 4 MiB


@pytest.mark.parametrize(
    ("char", "cut", "filler"),
    [
        ("\uffff", 1, "Sở {i}"),  # EF | BF BF across the chunks' boundary
        ("\uffff", 2, "Sở {i}"),  # EF BF | BF
        ("\ufffe", 0, "So {i}"),  # starts the second chunk; the first one is ASCII
        ("\x1b", 0, "So {i}"),
        ("\x00", 1, "Sở {i}"),  # the last byte of the first chunk
        ("\x00", -1, "So {i}"),  # the second byte of the second chunk
    ],
)
def test_a_forbidden_character_at_a_chunk_boundary_is_found_on_its_line(
    store, tmp_path, char, cut, filler
):
    uid, _, block = a_unit(store)
    head = "unit_id,name,block\n"
    lines, size, i = [], len(head.encode()), 0
    while True:  # filler records up to just before the boundary
        line = f"x{i},{filler.format(i=i)},{block}\n"
        if size + len(line.encode()) > CHUNK - 64:
            break
        lines.append(line)
        size += len(line.encode())
        i += 1
    bad = char.encode()
    prefix = f"{uid},"
    pad = CHUNK - size - len(prefix) - cut  # the bad character's first byte at CHUNK - cut
    record = prefix + "a" * pad
    assert len((head + "".join(lines) + record).encode()) == CHUNK - cut
    data = (head + "".join(lines) + record).encode() + bad + f"b,{block}\n".encode()
    line_no = len(lines) + 2
    refused(store, csv_file(tmp_path, "units.csv", data), f"dòng {line_no}", "cột name")


def test_workbook_cell_over_the_limit_is_refused_with_its_row_and_column(store, tmp_path):
    # (a workbook cannot hold a control character: XML refuses it, see the damaged cases)
    uid, _, block = a_unit(store)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "units"
    ws.append(["unit_id", "name", "block"])
    ws.append([uid, "x" * 20_000, block])
    path = tmp_path / "du-lieu.xlsx"
    wb.save(path)
    refused(store, path, "du-lieu.xlsx [units]", "dòng 2", "cột Tên đơn vị (name)")


# --- 2. values that would break the dashboard -------------------------------------------------


@pytest.mark.parametrize("value", ["9999-12-31", "0000-01-01", "31/12/9999"])
def test_implausible_dates_are_refused(store, tmp_path, value):
    data = f"year,published_on\n2024,{value}\n".encode()
    refused(
        store,
        csv_file(tmp_path, "publications.csv", data),
        "dòng 2",
        "cột Ngày công bố (published_on)",
    )


# --- 3. a clear refusal (exit 2), never a traceback --------------------------------------------


def test_cell_over_the_csv_module_limit_is_refused(store, tmp_path):
    uid, _, block = a_unit(store)
    data = f"unit_id,name,block\n{uid},{'x' * 140_000},{block}\n".encode()
    refused(
        store, csv_file(tmp_path, "units.csv", data), "dòng 2", "cột Tên đơn vị (name)", "giới hạn"
    )


def test_header_over_the_csv_module_limit_is_refused(store, tmp_path):
    data = f"unit_id,name{'x' * 140_000},block\nsnv,Sở,so_nganh\n".encode()
    refused(store, csv_file(tmp_path, "units.csv", data), "dòng 1", "giới hạn")


def test_line_of_megabytes_is_refused_without_echoing_it(store, tmp_path):
    uid, _, block = a_unit(store)
    data = f"unit_id,name,block\n{uid},{'x' * 3_000_000},{block}\n".encode()
    text = refused(store, csv_file(tmp_path, "units.csv", data), "dòng 2")
    assert len(text) < 2_000


def test_score_that_rounds_over_the_stored_precision_is_refused(store, tmp_path):
    uid, _, _ = a_unit(store)
    data = f"year,unit_id,score,max_score\n2023,{uid},99999999999999.99999,100\n".encode()
    refused(
        store, csv_file(tmp_path, "unit_scores.csv", data), "dòng 2", "cột Điểm đạt được (score)"
    )


def test_trailing_empty_field_is_a_wrong_number_of_fields(store, tmp_path):
    uid, name, block = a_unit(store)
    data = f"unit_id,name,block\n{uid},{name},{block},\n".encode()
    refused(store, csv_file(tmp_path, "units.csv", data), "dòng 2", "số ô")


def _workbook(tmp_path: Path, store: Path) -> Path:
    uid, name, block = a_unit(store)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "units"
    ws.append(["unit_id", "name", "block"])
    for i in range(30):
        ws.append([uid if i == 0 else f"u{i}", f"{name} {i}", block])
    path = tmp_path / "good.xlsx"
    wb.save(path)
    return path


def _rewrite(src: Path, dst: Path, change) -> Path:
    """Copy a workbook, each member's bytes passed through ``change(name, data)`` (None =
    left out)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info.filename, data)
    return dst


SHEET = "xl/worksheets/sheet1.xml"


def _truncate_sheet(name, data):
    return data[: len(data) // 2] if name == SHEET else data


def _bad_shared_string(name, data):
    if name != SHEET:
        return data
    return (
        re.sub(
            rb'(<c r="B2"[^>]*t=")[^"]*("[^>]*>)<is>.*?</is>', rb"\1s\2<v>99999</v>", data, count=1
        )
        if b"<is>" in data
        else re.sub(rb'(<c r="B2"[^>]*t="s"[^>]*><v>)\d+', rb"\g<1>99999", data, count=1)
    )


def _bad_iso_date(name, data):
    if name != SHEET:
        return data
    return re.sub(
        rb'<c r="B2"[^>]*>.*?</c>', b'<c r="B2" t="d"><v>2023-02-30</v></c>', data, count=1
    )


def _nan_number(name, data):
    if name != SHEET:
        return data
    return re.sub(rb'<c r="B2"[^>]*>.*?</c>', b'<c r="B2"><v>NaN</v></c>', data, count=1)


def _missing_sheet(name, data):
    return None if name == SHEET else data


@pytest.mark.parametrize(
    "change", [_truncate_sheet, _bad_shared_string, _bad_iso_date, _nan_number, _missing_sheet]
)
def test_damaged_workbook_is_refused_with_a_message(store, tmp_path, change):
    path = _rewrite(_workbook(tmp_path, store), tmp_path / "hong.xlsx", change)
    before = snapshot_file(store)
    rc, text = run_cli("import", str(path), "--db", str(store))
    if change is _nan_number and rc == EXIT_OK:  # 'NaN' is text in a name column: fine
        return
    assert rc == EXIT_INPUT, text
    assert "hong.xlsx" in text and "Traceback" not in text
    assert snapshot_file(store) == before


# xl/workbook.xml is inflated by the container check itself (its sheet list), before openpyxl
# opens anything: a flipped bit there raised zlib.error (found by the fuzzer, seed 1202).
@pytest.mark.parametrize("member", [SHEET, "xl/workbook.xml", "xl/_rels/workbook.xml.rels"])
def test_broken_zip_member_is_refused(store, tmp_path, member):
    good = _workbook(tmp_path, store).read_bytes()
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        info = zf.getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    bad = bytearray(good)
    for i in range(start, start + min(info.compress_size, 64)):
        bad[i] ^= 0x5A
    path = tmp_path / "hong.xlsx"
    path.write_bytes(bytes(bad))
    text = refused(store, path, "hong.xlsx")
    assert "Traceback" not in text


# A member whose central-directory flags say "encrypted" (bit 0) or "compressed patched data"
# (bit 5): zipfile raises RuntimeError / NotImplementedError on opening it, which the legacy
# text detection did not expect (found by the fuzzer, seed 1202, CI of 02/12/2026).
@pytest.mark.parametrize("bit", [0x01, 0x20])
def test_member_flagged_encrypted_or_patched_is_refused(store, tmp_path, bit):
    good, member = _workbook(tmp_path, store).read_bytes(), SHEET
    entry = b"PK\x01\x02"
    at = 0
    while (at := good.find(entry, at + 1)) != -1:
        name_len = int.from_bytes(good[at + 28 : at + 30], "little")
        if good[at + 46 : at + 46 + name_len] == member.encode():
            break
    assert at != -1, member
    bad = bytearray(good)
    bad[at + 8] |= bit
    path = tmp_path / "hong.xlsx"
    path.write_bytes(bytes(bad))
    text = refused(store, path, "hong.xlsx")
    assert "Traceback" not in text


# --- 4. limits checked before the work ---------------------------------------------------------


def test_workbook_unpacking_to_a_huge_cell_is_refused_before_reading(store, tmp_path):
    path = _rewrite(
        _workbook(tmp_path, store),
        tmp_path / "bom.xlsx",
        lambda name, data: (
            data.replace(b"</sheetData>", b"").replace(b"</worksheet>", b"")
            + b"<row r='40'><c r='B40' t='inlineStr'><is><t>"
            + b"x" * (40 << 20)
            + b"</t></is></c></row></sheetData></worksheet>"
            if name == SHEET
            else data
        ),
    )
    assert path.stat().st_size < 1 << 20
    refused(store, path, "bom.xlsx", "nén bất thường")


def test_rows_over_the_limit_are_refused(store, tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_reader, "MAX_ROWS", 10)
    refused(store, _workbook(tmp_path, store), "good.xlsx [units]", "quá giới hạn 10 dòng")


def test_csv_rows_over_the_limit_are_refused(store, tmp_path, monkeypatch):
    from analytics.ingest import csv_reader

    monkeypatch.setattr(csv_reader, "MAX_ROWS", 1)
    uid, name, block = a_unit(store)
    data = f"unit_id,name,block\n{uid},{name},{block}\nx2,Hai,{block}\n".encode()
    refused(store, csv_file(tmp_path, "units.csv", data), "units.csv", "quá giới hạn 1 dòng")


def test_cell_limit_is_the_declared_one():
    assert raw.cell_problem("f", 2, "name", "x" * raw.MAX_CELL_CHARS) is None
    assert raw.cell_problem("f", 2, "name", "x" * (raw.MAX_CELL_CHARS + 1)) is not None


# --- 3. a store that cannot be used: exit 3, one Vietnamese message ----------------------------


def _damaged(kind: str, pristine: Path, tmp_path: Path) -> Path:
    path = tmp_path / f"{kind}.duckdb"
    if kind == "folder":
        path.mkdir()
    elif kind == "zero":
        path.write_bytes(b"")
    elif kind == "truncated":
        path.write_bytes(pristine.read_bytes()[:100_000])
    else:
        data = bytearray(pristine.read_bytes())
        for i in range(5000, len(data), 9973):
            data[i] ^= 0xFF
        path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("kind", ["folder", "zero", "truncated", "corrupt"])
def test_unusable_store_exits_3_with_a_message(pristine, tmp_path, kind):
    path = _damaged(kind, pristine, tmp_path)
    folder = write_dataset(tmp_path / "data", TINY)
    before = None if kind == "folder" else path.read_bytes()
    for args in (
        ["import", str(folder), "--db", str(path)],
        ["shortlist", "--review", "so-ket-2025", "--db", str(path)],
    ):
        rc, text = run_cli(*args)
        assert rc == EXIT_STORE, text
        assert "không dùng được" in text and "sao lưu" in text
        assert "Traceback" not in text and "Lỗi nội bộ" not in text
    if before is not None:
        assert path.read_bytes() == before


def test_full_disk_exits_3_and_changes_nothing(store, tmp_path, monkeypatch):
    folder = write_dataset(tmp_path / "data", {"units": TINY["units"]})
    uid, _, block = a_unit(store)
    (folder / "units.csv").write_text(f"unit_id,name,block\n{uid},Tên mới,{block}\n")
    real = importer.upsert

    def full(con, raw_table):
        real(con, raw_table)
        raise duckdb.IOException('Could not write file "store.duckdb": No space left on device')

    monkeypatch.setattr(importer, "upsert", full)
    before = snapshot_file(store)
    rc, text = run_cli("import", str(folder), "--db", str(store))
    assert rc == EXIT_STORE, text
    assert "ổ đĩa đầy" in text
    assert snapshot_file(store) == before


# --- 7. the CLI's CSV is neutralised like the dashboard's --------------------------------------


def test_cli_csv_neutralises_formula_cells(store, tmp_path):
    uid, _, block = a_unit(store)
    folder = csv_file(
        tmp_path, "units.csv", f"unit_id,name,block\n{uid},=cmd|' /C calc'!A0,{block}\n".encode()
    )
    rc, text = run_cli("import", str(folder), "--db", str(store))
    assert rc == EXIT_OK, text
    out = tmp_path / "x.csv"
    rc, text = run_cli(
        "shortlist", "--review", "so-ket-2025", "--db", str(store), "--out", str(out)
    )
    assert rc == EXIT_OK, text
    body = out.read_text(encoding="utf-8-sig")
    assert "'=cmd|" in body
    assert not re.search(r"(^|,)[=+@]", body, re.M)


# --- 8. smaller -------------------------------------------------------------------------------


def test_failed_out_keeps_the_previous_file(store, tmp_path, monkeypatch):
    from analytics.exports import csv_files

    out = tmp_path / "x.csv"
    out.write_text("bản trước\n")

    def broken(con, sql, params, fh):
        fh.write(b"nua chung")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(csv_files, "copy_shortlist_csv", broken)
    rc, _ = run_cli("shortlist", "--review", "so-ket-2025", "--db", str(store), "--out", str(out))
    assert rc == EXIT_INPUT
    assert out.read_text() == "bản trước\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".x.csv")] == []


@pytest.mark.parametrize("uid", ["snv\u034f", "ｓｎｖ", "sn\u0301v"])
def test_look_alike_ids_are_refused(store, tmp_path, uid):
    data = f"unit_id,name,block\n{uid},Giống hệt,so_nganh\n".encode()
    refused(store, csv_file(tmp_path, "units.csv", data), "cột Mã đơn vị (unit_id)")


def test_import_log_keeps_base_names_only(store, tmp_path):
    from analytics.store.audit import clean_name

    assert clean_name("tải lên: /etc/passwd, C:\\Users\\x\\units.csv, a\x00b.csv") == (
        "tải lên: passwd, units.csv, ab.csv"
    )
    uid, name, block = a_unit(store)
    folder = csv_file(
        tmp_path, "units.csv", f"unit_id,name,block\n{uid},{name} mới,{block}\n".encode()
    )
    importer.run_import(
        folder, store, source="tải lên: ../../bí mật/units.csv\x07", actor=TEST_ADMIN
    )
    with open_store(store, read_only=True) as con:
        source = con.execute(
            "SELECT source FROM import_log ORDER BY import_id DESC LIMIT 1"
        ).fetchall()
    assert source[0][0] == "tải lên: units.csv"


def test_upload_check_never_opens_the_store_writable(store, tmp_path, monkeypatch):
    from analytics.store import connection

    opened = []
    real_attach = connection._attach if hasattr(connection, "_attach") else None
    real_connect = connection.connect

    def spy_connect(path, *, read_only=False, wait_s=None):
        opened.append(("connect", read_only))
        return real_connect(path, read_only=read_only, wait_s=wait_s)

    monkeypatch.setattr(connection, "connect", spy_connect)
    if real_attach is not None:

        def spy_attach(mem, path, *, read_only, wait_s=None):
            opened.append(("attach", read_only))
            return real_attach(mem, path, read_only=read_only, wait_s=wait_s)

        monkeypatch.setattr(connection, "_attach", spy_attach)
    uid, name, block = a_unit(store)
    folder = csv_file(
        tmp_path, "units.csv", f"unit_id,name,block\n{uid},{name} mới,{block}\n".encode()
    )
    result = importer.run_import(folder, store, dry_run=True)
    assert result.counts["units"].updated == 1
    assert opened and all(read_only for _, read_only in opened), opened


def test_stale_upload_folders_are_swept(tmp_path):
    import tempfile
    import time

    from pages import _ui_upload as up

    old = Path(tempfile.mkdtemp(prefix=up.UPLOAD_PREFIX))
    mine = Path(tempfile.mkdtemp(prefix=up.UPLOAD_PREFIX))
    fresh = Path(tempfile.mkdtemp(prefix=up.UPLOAD_PREFIX))
    past = time.time() - 7200
    for folder in (old, mine):
        os.utime(folder, (past, past))
    try:
        up.sweep_stale_uploads(keep=str(mine / "data.xlsx"))
        assert not old.exists() and mine.exists() and fresh.exists()
    finally:
        for folder in (old, mine, fresh):
            shutil.rmtree(folder, ignore_errors=True)


def test_cli_subprocess_never_prints_a_traceback_for_a_damaged_store(pristine, tmp_path):
    path = _damaged("corrupt", pristine, tmp_path)
    proc = cli_subprocess("shortlist", "--review", "so-ket-2025", "--db", str(path))
    assert proc.returncode == EXIT_STORE
    assert "Traceback" not in proc.stderr and "không dùng được" in proc.stderr
