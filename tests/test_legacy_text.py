"""Legacy Vietnamese office text (TCVN3/ABC, VNI) is converted on import, with a preview,
instead of being refused (issue "Fileable outputs", item 2): a CSV saved "ANSI" in TCVN3, a
UTF-8 CSV whose names are VNI characters, a workbook whose cells are TCVN3; the user's
files are never changed; a Unicode file is read as it is."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from openpyxl import Workbook
from viparse.normalize import tcvn3, vni

from analytics import cli
from analytics.ingest.importer import run_import, validate
from analytics.ingest.legacy_text import unicode_copy
from analytics.store.connection import open_store
from tests._datasets import RE_ID, TEST_ADMIN

NAMES = {  # unit id -> name as it should be stored (lower case: TCVN3 has no accented capitals)
    "snv": "Sở Nội vụ tỉnh Sóc Trăng",
    "stp": "Sở Tư pháp tỉnh Sóc Trăng",
    "h-kesach": "UBND huyện Kế Sách",
    "h-trande": "UBND huyện Trần Đề",
}


def _encoder(entries: list[tuple[str, str]]):
    """Unicode -> the legacy surface text (the inverse of viparse's table)."""
    table = {uni: legacy for legacy, uni in entries}
    longest = sorted(table, key=len, reverse=True)

    def encode(text: str) -> str:
        out, i = [], 0
        while i < len(text):
            for u in longest:
                if text.startswith(u, i):
                    out.append(table[u])
                    i += len(u)
                    break
            else:
                out.append(text[i])
                i += 1
        return "".join(out)

    return encode


TO_TCVN3 = _encoder(tcvn3._ENTRIES)  # noqa: SLF001 - the test builds legacy text
TO_VNI = _encoder(vni._ENTRIES)  # noqa: SLF001


def _units_csv(encode, blocks: dict[str, str]) -> str:
    lines = ["unit_id,name,block"]
    lines += [f"{u},{encode(n)},{blocks[u]}" for u, n in NAMES.items()]
    return "\n".join(lines) + "\n"


@pytest.fixture
def store(demo_copy) -> Path:
    return demo_copy(RE_ID)


def _blocks(store: Path) -> dict[str, str]:
    with open_store(store, read_only=True) as con:
        return dict(con.execute("SELECT unit_id, coalesce(block, '') FROM units").fetchall())


def _names(store: Path) -> dict[str, str]:
    with open_store(store, read_only=True) as con:
        rows = con.execute("SELECT unit_id, name FROM units").fetchall()
    return {u: n for u, n in rows if u in NAMES}


def test_a_tcvn3_csv_saved_as_ansi_is_converted(store, tmp_path):
    folder = tmp_path / "ansi"
    folder.mkdir()
    text = _units_csv(TO_TCVN3, _blocks(store))
    (folder / "units.csv").write_bytes(text.encode("cp1252"))
    original = (folder / "units.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        original.decode("utf-8")  # the file really is not UTF-8
    result = run_import(folder, store, actor=TEST_ADMIN)
    assert [c.encoding for c in result.conversions] == ["tcvn3"]
    conversion = result.conversions[0]
    assert conversion.file == "units.csv"
    assert ("UBND huyÖn KÕ S¸ch", "UBND huyện Kế Sách") in conversion.samples
    assert _names(store) == NAMES
    assert (folder / "units.csv").read_bytes() == original  # the user's file is unchanged


def test_a_utf8_csv_of_vni_characters_is_converted(store, tmp_path):
    folder = tmp_path / "vni"
    folder.mkdir()
    (folder / "units.csv").write_text(_units_csv(TO_VNI, _blocks(store)), encoding="utf-8")
    result = validate(folder, store)
    assert [c.encoding for c in result.conversions] == ["vni"]
    assert "VNI" in result.conversions[0].message()
    run_import(folder, store, actor=TEST_ADMIN)
    assert _names(store) == NAMES


def test_a_tcvn3_workbook_is_converted_cell_by_cell(store, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Đơn vị"
    ws.append(["Mã đơn vị", "Tên đơn vị", "Khối"])
    blocks = _blocks(store)
    for u, n in NAMES.items():
        ws.append([u, TO_TCVN3(n), blocks[u]])
    path = tmp_path / "du-lieu.xlsx"
    wb.save(path)
    result = run_import(path, store, actor=TEST_ADMIN)
    assert [c.encoding for c in result.conversions] == ["tcvn3"]
    assert _names(store) == NAMES
    # the headers were Unicode already and stay as they are
    assert all(a != "Tên đơn vị" for a, _ in result.conversions[0].samples)


def test_unicode_files_are_read_as_they_are(tmp_path):
    folder = tmp_path / "unicode"
    folder.mkdir()
    (folder / "units.csv").write_text(
        "unit_id,name,block\n" + "".join(f"{u},{n},so_nganh\n" for u, n in NAMES.items()),
        encoding="utf-8",
    )
    with unicode_copy(folder) as (readable, conversions):
        assert readable == folder and conversions == []


@pytest.mark.parametrize(
    ("encode", "expected"), [(TO_TCVN3, "tcvn3"), (TO_VNI, "vni"), (str, None)]
)
def test_a_value_repeated_on_thousands_of_rows_does_not_change_the_verdict(
    tmp_path, encode, expected
):
    """The detection reads each distinct cell once: a position repeated on every row of a
    large people.csv neither hides a legacy file nor makes a Unicode one look legacy."""
    folder = tmp_path / "people"
    folder.mkdir()
    names = list(NAMES.values())
    rows = [
        f"p{i:05d},{encode(names[i % len(names)])} {i},,{encode('Chuyên viên')},"
        for i in range(5000)
    ]
    (folder / "people.csv").write_text(
        "person_id,full_name,unit_id,position,advised_components\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    with unicode_copy(folder) as (readable, conversions):
        assert [c.encoding for c in conversions] == ([expected] if expected else [])
        assert (readable == folder) == (expected is None)


def test_the_cli_says_which_file_was_converted(store, tmp_path):
    folder = tmp_path / "cli"
    folder.mkdir()
    (folder / "units.csv").write_bytes(_units_csv(TO_TCVN3, _blocks(store)).encode("cp1252"))
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        assert cli.main(["import", str(folder), "--db", str(store)]) == 0
    assert "units.csv: văn bản theo bảng mã cũ TCVN3" in err.getvalue()
    assert "«UBND huyÖn KÕ S¸ch» → «UBND huyện Kế Sách»" in err.getvalue()


def test_a_windows_1258_file_is_still_refused_with_its_line(store, tmp_path):
    """Not legacy font text (Windows-1258 combining tones): refused, as before."""
    folder = tmp_path / "cp1258"
    folder.mkdir()
    # Windows-1258 writes "ở" as "o" + a combining hook (two bytes); plain Latin here
    (folder / "units.csv").write_bytes("unit_id,name\nsnv,Sơ Nôi vu\n".encode("cp1258"))
    from analytics.errors import InputRejected

    with pytest.raises(InputRejected) as info:
        validate(folder, store)
    assert "không phải UTF-8" in str(info.value.problems[0])


def test_unicode_headers_beside_legacy_cells_stay_as_they_are(store, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    blocks = _blocks(store)
    lines = ["Mã đơn vị,Tên đơn vị,Khối"]  # the template's Unicode headers
    lines += [f"{u},{TO_TCVN3(n)},{blocks[u]}" for u, n in NAMES.items()]
    (folder / "Đơn vị.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_import(folder, store, actor=TEST_ADMIN)
    assert [c.encoding for c in result.conversions] == ["tcvn3"]
    assert _names(store) == NAMES


def test_du_lieu_shows_the_conversion_before_importing(monkeypatch, store, fresh_caches):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("THIDUA_NO_DEMO", "1")
    monkeypatch.setenv("THIDUA_DB", str(store))
    at = AppTest.from_file(str(Path(__file__).parent.parent / "app.py"), default_timeout=90)
    at.session_state["plan_id"] = RE_ID
    at.switch_page("pages/7_du_lieu.py")
    at.run()
    data = _units_csv(TO_TCVN3, _blocks(store)).encode("cp1252")
    at.file_uploader[0].set_value([("units.csv", data, "text/csv")]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("bảng mã tiếng Việt cũ" in i.value for i in at.info)
    preview = next(d.value for d in at.dataframe if "Đọc thành" in d.value.columns)
    assert "UBND huyện Kế Sách" in set(preview["Đọc thành"])
    assert set(preview["Bảng mã cũ"]) == {"TCVN3 (ABC, phông .VnTime)"}
    assert _names(store) != NAMES  # nothing written before the button
