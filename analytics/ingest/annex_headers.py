"""What a column of a published results table holds, read from its header as written.

The annexes announcing the PAR Index spell their headers in many ways ("Tên đơn vị",
"Cơ quan, đơn vị", "Tổng điểm đạt được", "Điểm tối đa", "Tỷ lệ (%)", "Chỉ số CCHC")
and put some under a merged parent ("Kết quả" over "Điểm đạt được" and "Tỷ lệ (%)").
A header is compared without accents, case or punctuation, by the phrases it contains:
first what is read but not imported (STT, Xếp loại, Xếp hạng, Ghi chú, the self-assessed
score, component areas), then the maximum, the ratio, the score, the unit's name.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

Meaning = Literal["name", "score", "max_score", "ratio"]
MEANINGS: tuple[Meaning, ...] = ("name", "score", "max_score", "ratio")
IGNORED = "ignored"  # a header known to hold something not imported

# (meaning, phrases): the first rule with a phrase in the header decides (phrases are
# whole words of the accent-free header).
RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        IGNORED,
        (
            "stt",
            "so tt",
            "so thu tu",
            "xep loai",
            "xep hang",
            "thu hang",
            "ghi chu",
            "tu danh gia",
            "tu cham",
            "thanh phan",
            "linh vuc",
            "ma don vi",
            "khoi",
            "tang giam",
            "chenh lech",
            "so voi",
            "nam truoc",
        ),
    ),
    ("max_score", ("toi da", "diem chuan", "thang diem")),
    ("ratio", ("ty le", "ti le", "%", "chi so", "phan tram")),
    ("score", ("diem",)),
    ("name", ("ten", "don vi", "co quan", "dia phuong")),
)
EXACT_IGNORED = frozenset({"tt", "hang", "ma"})


def header_key(text: str) -> str:
    """A header without accents, case, punctuation ('%' kept) or repeated spaces."""
    text = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return " ".join(re.sub(r"[^\w%]+", " ", text).replace("%", " % ").split())


def meaning_of(label: str) -> str | None:
    """A header's meaning (one of MEANINGS), IGNORED, or None when it says nothing known."""
    key = header_key(label)
    if not key:
        return None
    if key in EXACT_IGNORED:
        return IGNORED
    padded = f" {key} "
    for meaning, phrases in RULES:
        if any(f" {p} " in padded for p in phrases):
            return meaning
    return None


def column_meaning(parent: str, child: str) -> Meaning | None:
    """The meaning of a column headed by ``parent`` over ``child`` (a two-row header; either
    may be blank or the same text, a cell merged down): the child's own meaning, else
    the meaning of both together ("Điểm" over "Đạt được"); None = not imported."""
    parent, child = parent.strip(), child.strip()
    if child and child != parent:
        own = meaning_of(child)
        if own is None:
            own = meaning_of(f"{parent} {child}") if parent else None
    else:
        own = meaning_of(parent or child)
    return own if own in MEANINGS else None


def combined_label(parent: str, child: str) -> str:
    """A two-row header as people read it: "Kết quả — Tỷ lệ (%)" (once when the same)."""
    parent, child = " ".join(parent.split()), " ".join(child.split())
    if parent and child and parent != child:
        return f"{parent} — {child}"
    return parent or child
