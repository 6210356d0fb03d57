"""Matching a unit's name as a published table writes it to the store's units.

Annexes name units in many ways: "UBND huyện Châu Thành" or "Huyện Châu Thành", "Sở Tư
pháp" or "Tư pháp", "Văn hóa" or "Văn hoá" (the old and new tone placement: NFC keeps
them apart), capitals, extra spaces and punctuation. A name is reduced to a key of
syllables (case folded, punctuation dropped, each syllable's tone mark taken off its vowel
and kept as a suffix, so its position does not matter; the leading "UBND", "Ủy ban nhân
dân", "Sở" dropped). Among the units active in the year, an exact key match wins; else a
name equal to a unit's once a trailing "tỉnh …" is dropped on both sides; else a name
contained word for word in one unit's name. Two or more units on the first tier that
matches make the name ambiguous; none, unmatched (with the closest units suggested).
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

# The five tone marks (combining): grave, acute, tilde, hook above, dot below. The other
# marks (circumflex, breve, horn) make different letters and stay.
TONE_MARKS = {"\u0300": "1", "\u0301": "2", "\u0303": "3", "\u0309": "4", "\u0323": "5"}
# Abbreviations spelled out before matching ("TP." Sóc Trăng, "TX." Vĩnh Châu).
ABBREVIATIONS = {"tp": "thành phố", "tx": "thị xã", "&": "và"}
PREFIXES = ("Ủy ban nhân dân", "UBND", "Sở")
SUGGESTIONS = 3

Status = Literal["exact", "close", "ambiguous", "inactive", "unmatched"]


def syllable_key(word: str) -> str:
    """A syllable with its tone mark moved off the vowel to a suffix digit: "hòa" and
    "hoà" both give "hoa1"."""
    tone = ""
    kept = []
    for ch in unicodedata.normalize("NFD", word):
        if ch in TONE_MARKS:
            tone = TONE_MARKS[ch]
        else:
            kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)) + tone


def _words(text: str) -> list[str]:
    """Case-folded words, punctuation and symbols (but '&') read as spaces."""
    out = []
    for ch in unicodedata.normalize("NFC", text).casefold():
        cat = unicodedata.category(ch)
        out.append(" " if ch != "&" and (cat[0] in "PSZC") else ch)
    words = []
    for w in "".join(out).replace("&", " & ").split():
        words += ABBREVIATIONS.get(w, w).split()
    return words


def _raw_key(text: str) -> tuple[str, ...]:
    return tuple(syllable_key(w) for w in _words(text))


_PREFIX_KEYS = sorted((_raw_key(p) for p in PREFIXES), key=len, reverse=True)
_PROVINCE = syllable_key("tỉnh")


def name_key(text: str) -> tuple[str, ...]:
    """The key two spellings of one name share (see the module's docstring)."""
    key = _raw_key(text)
    for prefix in _PREFIX_KEYS:
        if len(key) > len(prefix) and key[: len(prefix)] == prefix:
            return key[len(prefix) :]
    return key


def base_key(key: tuple[str, ...]) -> tuple[str, ...]:
    """A key without a trailing "tỉnh …" ("Bảo hiểm xã hội tỉnh Sóc Trăng" → "bảo hiểm xã
    hội"): annexes of one province write it or not."""
    if _PROVINCE in key[1:]:
        return key[: key.index(_PROVINCE, 1)]
    return key


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return 0 < n < len(longer) and any(
        longer[i : i + n] == shorter for i in range(len(longer) - n + 1)
    )


@dataclass(frozen=True)
class Unit:
    """A unit of the store, as matching needs it."""

    unit_id: str
    name: str
    active_from: int | None = None
    active_to: int | None = None

    def is_active_in(self, year: int) -> bool:
        return (self.active_from is None or self.active_from <= year) and (
            self.active_to is None or year <= self.active_to
        )

    @property
    def key(self) -> tuple[str, ...]:
        return name_key(self.name)


@dataclass(frozen=True)
class NameMatch:
    """What one name in a file matched: ``units`` holds the unit (exact, close), the
    candidates (ambiguous) or the inactive unit it names; ``suggestions`` the closest
    active units when it matched none."""

    name: str
    status: Status
    units: tuple[Unit, ...] = ()
    suggestions: tuple[Unit, ...] = field(default=())

    @property
    def is_matched(self) -> bool:
        return self.status in ("exact", "close")

    @property
    def unit(self) -> Unit:
        if not self.is_matched:
            raise ValueError(f"{self.name!r} matched no single unit")
        return self.units[0]


def _tiers(key: tuple[str, ...]) -> Iterable[Callable[[Unit], bool]]:
    """The tests of a unit's name against ``key``, strictest first."""
    base = base_key(key)
    yield lambda u: u.key == key
    yield lambda u: bool(base) and base_key(u.key) == base
    yield lambda u: _contains(base_key(u.key), base)


def closest(name: str, units: Sequence[Unit], n: int = SUGGESTIONS) -> tuple[Unit, ...]:
    """The ``n`` units whose names are most alike ``name`` (difflib's ratio on the keys)."""
    text = " ".join(name_key(name))

    def score(u: Unit) -> tuple[float, str]:
        return (-difflib.SequenceMatcher(None, text, " ".join(u.key)).ratio(), u.name)

    return tuple(sorted(units, key=score)[:n])


def match_name(name: str, units: Sequence[Unit], year: int) -> NameMatch:
    """Match one name among the units active in ``year`` (see the module's docstring).

    The strictest test any unit passes decides: one active unit, a match; several, an
    ambiguity; only inactive ones, the name means a unit not active in the year (not a
    looser match with an active one: "Sở Nội vụ" after its merger is not "Sở Nội vụ
    thành phố Cần Thơ")."""
    key = name_key(name)
    active = [u for u in units if u.is_active_in(year)]
    inactive = [u for u in units if not u.is_active_in(year)]
    if key:
        for i, test in enumerate(_tiers(key)):
            found = [u for u in active if test(u)]
            if len(found) == 1:
                return NameMatch(name, "exact" if i == 0 else "close", (found[0],))
            if found:
                return NameMatch(name, "ambiguous", tuple(sorted(found, key=lambda u: u.name)))
            if gone := [u for u in inactive if test(u)]:
                return NameMatch(name, "inactive", tuple(gone), closest(name, active))
    return NameMatch(name, "unmatched", (), closest(name, active))
