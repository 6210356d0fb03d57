"""Legacy Vietnamese office text (TCVN3/ABC ``.VnTime`` fonts, VNI fonts) converted to
Unicode before an import reads it, instead of being refused.

Such files reach a Sở Nội vụ from old spreadsheets: a CSV saved "ANSI" (not UTF-8) whose
bytes are TCVN3 or VNI, or a workbook whose cells hold the legacy characters ("UBND huyÖn
KÕ S¸ch" for "UBND huyện Kế Sách"). ``unicode_copy`` detects the encoding over the whole
file's text (``viparse``: a short or non-Vietnamese text is left alone), writes converted
copies in a scratch folder (the user's files are never changed) and reports each file's
encoding with a preview of converted cells, shown before anything is written.
"""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import viparse

from analytics.ingest.raw import MAX_IMPORT_BYTES
from analytics.ingest.xlsx_reader import ZIP_DAMAGE, check_zip

ENCODING_LABELS = {"tcvn3": "TCVN3 (ABC, phông .VnTime)", "vni": "VNI (phông VNI-Times)"}
PREVIEW_CELLS = 5  # converted cells shown per file
MIN_LEGACY_CHARS = 8  # legacy characters needed before a file is judged legacy at all
SAMPLE_BYTES = 1 << 20  # what the detection reads of a file (a Unicode file: nothing more)
CONVERTED = ("tcvn3", "vni")  # the legacy encodings converted (others are refused as before)


@dataclass(frozen=True)
class Conversion:
    """One file converted: its name, the legacy encoding found, some cells before/after."""

    file: str
    encoding: str
    samples: tuple[tuple[str, str], ...]

    @property
    def encoding_label(self) -> str:
        return ENCODING_LABELS.get(self.encoding, self.encoding.upper())

    def message(self) -> str:
        """'units.csv: bảng mã TCVN3 (…) đã được chuyển sang Unicode, ví dụ «…» → «…»'."""
        shown = "; ".join(f"«{a}» → «{b}»" for a, b in self.samples[:3])
        return (
            f"{self.file}: văn bản theo bảng mã cũ {self.encoding_label} đã được chuyển sang "
            f"Unicode" + (f", ví dụ {shown}" if shown else "")
        )


def _decoded(data: bytes) -> tuple[str, bool]:
    """The text of a CSV's bytes and whether they were UTF-8 (else read as Windows-1252,
    the code page legacy fonts' bytes surface in; Latin-1 for its five unused bytes)."""
    try:
        return data.decode("utf-8-sig"), True
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252"), False
        except UnicodeDecodeError:
            return data.decode("latin-1"), False


def _samples(before: list[list[str]], after: list[list[str]]) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for row_a, row_b in zip(before, after, strict=False):
        for a, b in zip(row_a, row_b, strict=False):
            if a != b and (a, b) not in out:
                out.append((a, b))
                if len(out) == PREVIEW_CELLS:
                    return tuple(out)
    return tuple(out)


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


# Letters only Unicode Vietnamese has (Ă Đ Ơ Ư and the precomposed toned vowels, or a
# combining tone): a cell holding one is Unicode already and is never converted.
_UNICODE_VIETNAMESE = re.compile(
    "[\u0102\u0103\u0110\u0111\u01a0\u01a1\u01af\u01b0\u0300-\u0323\u1ea0-\u1ef9]"
)


def may_be_legacy(cell: str) -> bool:
    """Whether a cell could hold legacy font text: some non-ASCII, no Unicode-only letter
    (a Unicode header "Mã đơn vị" beside legacy data must stay as it is)."""
    return not cell.isascii() and not _UNICODE_VIETNAMESE.search(cell)


def detected(cells: Iterable[str]) -> str | None:
    """The legacy encoding of a file's text cells, judged on the cells that may be legacy
    only (ids, codes, numbers and Unicode cells would hide it)."""
    candidates = [c for c in cells if may_be_legacy(c)]
    sample = "\n".join(candidates)
    if len(sample) - len(sample.encode("ascii", "ignore")) < MIN_LEGACY_CHARS:
        return None  # a stray byte or two is not evidence (the reader reports the file)
    # each distinct cell once: a column repeating one value ("Chuyên viên") says no more
    # the thousandth time, and the detection's cost grows with its text (0,1 s -> 0,02 s
    # on the national people.csv)
    found: str | None = viparse.detect_text_encoding("\n".join(dict.fromkeys(candidates)))
    return found if found in CONVERTED else None


# UTF-8 bytes of letters only Unicode Vietnamese has (đ ơ ư ă and the U+1EA0–U+1EF9 toned
# vowels): a file holding them was written in Unicode, and if it is not valid UTF-8 it
# is damaged, not legacy (it is refused, as before).
_UNICODE_VIETNAMESE_BYTES = re.compile(
    rb"\xc4[\x82\x83\x90\x91]|\xc6[\xa0\xa1\xaf\xb0]|\xe1[\xba\xbb]"
)
_FORBIDDEN = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _csv_cells_sample(data: bytes) -> list[str]:
    """The cells of a CSV's first ``SAMPLE_BYTES`` (decoded as ``_decoded`` does)."""
    text, _ = _decoded(data[:SAMPLE_BYTES])
    return [c for row in _rows(text) for c in row]


def converted_cell(cell: str, encoding: str) -> str:
    """One cell in Unicode: converted if it may be legacy, else as it is."""
    return viparse.fix(cell, encoding=encoding) if may_be_legacy(cell) else cell


def convert_csv(source: Path, target: Path) -> Conversion | None:
    """Write ``source`` converted to UTF-8 Unicode at ``target`` if its text is legacy
    Vietnamese (None, nothing written, otherwise)."""
    if source.stat().st_size > MAX_IMPORT_BYTES:
        return None  # the reader refuses it with its size
    with source.open("rb") as fh:
        head = fh.read(SAMPLE_BYTES)
    if head.isascii():
        return None  # no letter of any legacy font in the sample
    if _FORBIDDEN.search(head):
        return None  # control characters: the reader refuses the file with their place
    utf8 = _is_utf8_prefix(head)
    if not utf8 and _UNICODE_VIETNAMESE_BYTES.search(head):
        return None  # Unicode text with damaged bytes, not a legacy file
    encoding = detected(_csv_cells_sample(head))
    if encoding is None:
        return None
    data = source.read_bytes()
    if _FORBIDDEN.search(data) or (not utf8 and _UNICODE_VIETNAMESE_BYTES.search(data)):
        return None
    text, _ = _decoded(data)
    rows = _rows(text)
    converted = [[converted_cell(c, encoding) for c in row] for row in rows]
    with target.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(converted)
    return Conversion(source.name, encoding, _samples(rows, converted))


def convert_xlsx(source: Path, target: Path) -> Conversion | None:
    """Write ``source`` with every text cell converted at ``target`` if the workbook's text
    is legacy Vietnamese; a damaged or oversized container is left to the reader."""
    data = source.read_bytes()
    if len(data) > MAX_IMPORT_BYTES or check_zip(data, source.name) is not None:
        return None
    if detected(_workbook_strings_sample(data)) is None:
        return None  # decided on the shared strings: no workbook load for a Unicode file
    from openpyxl import load_workbook  # here: a CSV import never needs it (~0,1-0,3 s)

    try:
        wb = load_workbook(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - the reader reports a workbook it cannot open
        return None
    cells = [
        cell
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.data_type == "s"
    ]
    encoding = detected(str(c.value) for c in cells)
    if encoding is None:
        return None
    samples: list[tuple[str, str]] = []
    for cell in cells:
        old = str(cell.value)
        new = converted_cell(old, encoding)
        if new != old:
            if len(samples) < PREVIEW_CELLS and (old, new) not in samples:
                samples.append((old, new))
            cell.value = new
    wb.save(target)
    return Conversion(source.name, encoding, tuple(samples))


def _is_utf8_prefix(head: bytes) -> bool:
    """Whether a file's first bytes are UTF-8 (a character cut at the end allowed)."""
    for cut in range(4):
        try:
            head[: len(head) - cut].decode("utf-8")
            return True
        except UnicodeDecodeError:
            continue
    return False


_XML_TEXT = re.compile(rb"<t(?:\s[^>]*)?>([^<]*)</t>")


def _workbook_strings_sample(data: bytes) -> list[str]:
    """Up to ``SAMPLE_BYTES`` of a workbook's text cells (shared strings and inline
    strings), read from the zip without loading the workbook."""
    out: list[str] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = [n for n in zf.namelist() if n == "xl/sharedStrings.xml"]
            names += [n for n in zf.namelist() if n.startswith("xl/worksheets/")]
            for name in names:
                with zf.open(name) as fh:
                    chunk = fh.read(SAMPLE_BYTES)
                out += [
                    html.unescape(m.decode("utf-8", "replace")) for m in _XML_TEXT.findall(chunk)
                ]
    except ZIP_DAMAGE:  # a damaged part (any of the ways a zip fails): left to the reader
        return []
    return out


def _convert(source: Path, target: Path) -> Conversion | None:
    suffix = source.suffix.lower()
    if suffix == ".csv":
        return convert_csv(source, target)
    if suffix in (".xlsx", ".xlsm"):
        return convert_xlsx(source, target)
    return None


@contextmanager
def unicode_copy(path: Path) -> Iterator[tuple[Path, list[Conversion]]]:
    """``path`` (a folder of CSV files or one file) as it should be read: itself when no
    file is in a legacy encoding, else a scratch copy with those files converted; and the
    conversions. The scratch copy is removed on exit."""
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    scratch = Path(tempfile.mkdtemp(prefix="thidua-unicode-"))
    try:
        conversions: list[Conversion] = []
        for f in files:
            if (c := _convert(f, scratch / f.name)) is not None:
                conversions.append(c)
        if not conversions:
            yield path, []
            return
        for f in files:  # the other files beside the converted ones, as they are
            if not (scratch / f.name).exists():
                shutil.copyfile(f, scratch / f.name)
        yield (scratch if path.is_dir() else scratch / path.name), conversions
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
