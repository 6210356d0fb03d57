"""Vietnamese display formats (numbers 81,70 %; dates dd/mm/yyyy). Pure, no Streamlit."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from typing import Any


def _dec(x: Any) -> Decimal | None:
    if x is None:
        return None
    try:
        if x != x:  # NaN from pandas
            return None
    except TypeError:
        pass
    return x if isinstance(x, Decimal) else Decimal(str(x))


def num(x: Any, decimals: int = 2) -> str:
    """1234.5 -> '1.234,50' (thousands '.', decimal ','); None/NaN -> '—'."""
    d = _dec(x)
    if d is None:
        return "—"
    q = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{q:,.{decimals}f}"
    return text.replace(",", "\u00a7").replace(".", ",").replace("\u00a7", ".")


def pct(x: Any, decimals: int = 2) -> str:
    """81.7 -> '81,70 %'."""
    text = num(x, decimals)
    return text if text == "—" else f"{text} %"


def signed(x: Any, decimals: int = 2) -> str:
    """+1,25 / −0,40 / 0,00 for changes."""
    d = _dec(x)
    if d is None:
        return "—"
    text = num(abs(d), decimals)
    return ("+" if d > 0 else "−" if d < 0 else "") + text


def date(x: dt.date | str | None) -> str:
    """2026-05-12 -> '12/05/2026'."""
    if x is None:
        return "—"
    if isinstance(x, str):
        x = dt.date.fromisoformat(x[:10])
    return x.strftime("%d/%m/%Y")


def bound(x: float) -> str:
    """A plan's bound as written: 80.0 -> '80', 82.5 -> '82,5' (decimal comma, no padding)."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


# Markdown's (and Streamlit's) special characters: emphasis, links, HTML, math ($), colour
# and icon directives (:red[…], :material/…:), lists, headings, tables.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~:=^])")


def md(text: Any) -> str:
    """User text (a unit's or a person's name) made literal inside markdown: every special
    character backslash-escaped, line breaks folded to spaces."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def years(values: Any) -> str:
    """'2021–2024' for three or more consecutive years, else '2021, 2023'; '—' when none."""
    ys = sorted(values)
    if not ys:
        return "—"
    if ys == list(range(ys[0], ys[-1] + 1)) and len(ys) > 2:
        return f"{ys[0]}–{ys[-1]}"
    return ", ".join(str(y) for y in ys)


def unique_names(names: dict[str, str], hints: dict[str, str] | None = None) -> dict[str, str]:
    """Each id's name as people read it, without the id: names shared by several ids get
    the id's hint in brackets (e.g. its block or years), else a number: 'Sở Y tế (2)'."""
    count: dict[str, int] = {}
    for name in names.values():
        count[name] = count.get(name, 0) + 1
    out: dict[str, str] = {}
    seen: dict[str, int] = {}
    for key, name in names.items():
        if count[name] == 1:
            out[key] = name
            continue
        seen[name] = seen.get(name, 0) + 1
        hint = (hints or {}).get(key)
        out[key] = f"{name} ({hint})" if hint else f"{name} ({seen[name]})"
    if len(set(out.values())) < len(out):  # two hints alike: number them all
        return {k: f"{n} ({i})" for i, (k, n) in enumerate(names.items(), start=1)}
    return out


_NUMBER_TEXT = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$|^[+-]?\d+\.\d+$")


def parse_number(text: str) -> float | None:
    """A number typed the Vietnamese way: '66,5' -> 66.5, '1.234,5' -> 1234.5 (thousands
    '.', decimal ','); a plain '66.5' is read as written. Blank -> None. Anything else
    raises ValueError with a Vietnamese message quoting the text."""
    cleaned = (text or "").strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
    if not cleaned:
        return None
    if not _NUMBER_TEXT.match(cleaned):
        raise ValueError(f"«{text.strip()}» không phải là số (ví dụ hợp lệ: 66,5)")
    if "," in cleaned or re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", cleaned):
        cleaned = cleaned.replace(".", "").replace(",", ".")
    return float(cleaned)


def slug(text: str) -> str:
    """A file-name part from Vietnamese text: 'Sở Tư pháp' -> 'so-tu-phap' (no diacritics,
    lower case, hyphens)."""
    folded = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "tep"
