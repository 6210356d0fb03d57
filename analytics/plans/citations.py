"""A plan value's source in words: 'kh-soc-trang:III.5.b' -> 'Kế hoạch thi đua CCHC
2021–2030, mục III.5.b' (what the dashboard shows as "Căn cứ")."""

from __future__ import annotations

import re

from analytics.plans.models import Plan

_SECTION = re.compile(r"^[IVX]+\b|^[0-9]")


def cite(plan: Plan, source: str) -> str:
    """Each citation of ``source`` as '<document short name>, mục <section>', joined by '; '.

    A section that names its own kind ("chú thích 6", "Điều 5", "phụ lục") is kept as is;
    a bare section number ("III.5.b") reads "mục III.5.b".
    """
    parts = []
    for citation in source.split(";"):
        doc_id, _, section = citation.strip().partition(":")
        section = section.strip()
        name = plan.document(doc_id).short
        if _SECTION.match(section):
            section = f"mục {section}"
        parts.append(f"{name}, {section}" if section else name)
    return "; ".join(parts)
