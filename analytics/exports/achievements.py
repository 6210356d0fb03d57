"""What the filed lists say about each candidate besides its name: the facts read from the
store (``subject_facts``, one query) and the achievement that earned its place, in words
(``achievement``): "Chỉ số CCHC bình quân 2021–2024 đạt 91,25 %, Nhóm 1", the advised
components that rose, the committee's judgments, the votes "đạt 85,00 % số phiếu (17/20)".

Shared by the Word list (``wordform``), the committee's minutes (``minutes``) and the
shortlist workbook (``workbook``: block and discipline of every candidate).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import duckdb

from analytics import fmt, labels
from analytics.plans.criteria import AllJudgments, AnyJudgment, Judgment
from analytics.plans.models import Category, Plan, Review
from analytics.rules.measures import measures_ctes, review_params

JUDGMENT_FIELDS = (
    "head_directs",
    "outstanding",
    "has_initiative",
    "initiative_recognized",
    "good_conduct",
)
INDEX_KINDS = ("window_avg_band", "no_year_in_band")
INDEX_KEYS = ("window_avg_pct", "end_ratio_pct")
COMPONENT_KINDS = ("component_improved", "component_improved_or_max")
FULL_CENTI = 10000  # 100,00 %: the maximum a component ratio can keep


@dataclass(frozen=True)
class Facts:
    """What the lists print about one candidate (None = not known)."""

    w_from: int | None = None
    w_to: int | None = None
    window_avg_centi: int | None = None
    end_ratio_centi: int | None = None
    prev_ratio_centi: int | None = None
    components: str | None = None  # the advised components' names, "; "-separated
    comp_end_centi: int | None = None
    comp_prev_centi: int | None = None
    votes_centi: int | None = None
    votes_for: int | None = None
    council_members: int | None = None
    position: str | None = None
    unit_name: str | None = None
    block: str | None = None
    discipline: str | None = None
    judgments: tuple[str, ...] = ()  # the judgment fields the committee answered "yes"


FACT_FIELDS = tuple(f.name for f in fields(Facts) if f.name != "judgments")


def subject_facts(
    con: duckdb.DuckDBPyConnection, plan: Plan, review: Review, ids: list[str] | None
) -> dict[str, Facts]:
    """The facts of ``ids`` (None: every candidate of the review) in one query, with the
    engine's own window measures."""
    if ids is not None and not ids:
        return {}
    p = review_params(plan, review)
    unit_where = person_where = ""
    if ids is not None:
        wanted = p(ids, "subject_ids")
        unit_where = f"WHERE list_contains({wanted}, m.subject_id)"
        person_where = f"AND list_contains({wanted}, p.person_id)"
    sql = f"""
WITH {measures_ctes(people=False)},
comp_label AS (
    SELECT component, arg_max(component_name, year) AS name FROM province_components
    GROUP BY component
),
comp_names AS (
    SELECT m.cs, string_agg(coalesce(n.name, m.component), '; ' ORDER BY m.component) AS names
    FROM comp_members m LEFT JOIN comp_label n USING (component) GROUP BY m.cs
)
SELECT m.subject_id, m.w_from, m.w_to, m.window_avg_centi, m.end_ratio_centi,
    m.prev_ratio_centi, cn.names, m.comp_end_centi, m.comp_prev_centi,
    NULL::BIGINT, NULL::BIGINT, NULL::BIGINT, NULL::VARCHAR, NULL::VARCHAR, m.block,
    m.discipline, m.head_directs, m.outstanding, m.has_initiative, NULL::BOOLEAN, NULL::BOOLEAN
FROM m_units m LEFT JOIN comp_names cn ON cn.cs = m.advised_components
{unit_where}
UNION ALL
SELECT p.person_id, NULL, NULL, NULL, NULL, NULL, cn.names, cr.comp_end_centi,
    cr.comp_prev_centi, centi(pj.votes_pct), pj.votes_for, pj.council_members, p.position,
    u.name, u.block, coalesce(pj.discipline, 'none'), NULL, pj.outstanding, pj.has_initiative,
    pj.initiative_recognized, pj.good_conduct
FROM people p
JOIN person_judgments pj ON pj.person_id = p.person_id AND pj.review = $review
LEFT JOIN units u ON u.unit_id = p.unit_id
LEFT JOIN comp_ratio cr ON cr.cs = p.advised_components
LEFT JOIN comp_names cn ON cn.cs = p.advised_components
WHERE true {person_where}
"""
    out: dict[str, Facts] = {}
    for r in con.execute(sql, p.used_by(sql)).fetchall():
        said = tuple(f for f, v in zip(JUDGMENT_FIELDS, r[16:], strict=True) if v is True)
        values = dict(zip(FACT_FIELDS, r[1:16], strict=True))
        out[r[0]] = Facts(**values, judgments=said)
    return out


def _pct(centi: int | None) -> str:
    return "chưa có" if centi is None else fmt.pct(centi / 100)


def _criteria(plan: Plan, category: Category, variant: str | None) -> tuple[Any, ...]:
    """The criteria the row was judged by (its variant's set, else the category's)."""
    if category.criteria_set:
        return plan.criteria_sets.get(category.criteria_set, ())
    chosen = [v for v in category.variants if v.when == variant] or [
        v for v in category.variants if v.when == "any"
    ]
    return plan.criteria_sets.get(chosen[0].criteria_set, ()) if chosen else ()


def _judged(criteria: tuple[Any, ...], said: tuple[str, ...]) -> list[str]:
    """The judgments answered "yes" among the criteria, by their plan labels."""
    out: list[str] = []
    for c in criteria:
        if isinstance(c, Judgment) and c.field in said:
            out.append(c.label or labels.JUDGMENTS[c.field])
        elif isinstance(c, AnyJudgment | AllJudgments):
            out += [labels.JUDGMENTS[f] for f in c.fields if f in said]
    return list(dict.fromkeys(out))


def band_words(plan: Plan, centi: int) -> str:
    """'Nhóm 1' (a group classification) or 'xếp loại Tốt' (a grade)."""
    band = plan.classification.band_of(centi / 100)
    if band is None:
        return ""
    return band.label if plan.classification.kind == "group" else f"xếp loại {band.label}"


def _index(plan: Plan, review: Review, f: Facts, kinds: set[str]) -> str:
    """'Chỉ số CCHC bình quân 2021–2024 đạt 91,25 %, Nhóm 1' (one year: 'năm 2023')."""
    centi = f.window_avg_centi if f.window_avg_centi is not None else f.end_ratio_centi
    if centi is None:
        return ""
    start = f.w_from if f.w_from is not None else review.window_start
    end = f.w_to if f.w_to is not None else review.window_end
    when = f"năm {end}" if start == end else f"bình quân {start}–{end}"
    text = f"Chỉ số CCHC {when} đạt {_pct(centi)}"
    band = band_words(plan, centi)
    text += f", {band}" if band else ""
    prev = plan.comparison_year(review)
    if "ratio_improved" in kinds and f.prev_ratio_centi is not None and prev is not None:
        text += f"; tăng so với năm {prev} ({_pct(f.prev_ratio_centi)})"
    return text


def _components(plan: Plan, review: Review, f: Facts) -> str:
    """The advised components' ratio this year against the comparison year, in words."""
    if f.comp_end_centi is None:
        return ""
    head = "Chỉ số thành phần tham mưu"
    head += f" «{f.components}»" if f.components else ""
    end, prev = plan.effective_end(review), plan.comparison_year(review)
    now = _pct(f.comp_end_centi)
    if f.comp_prev_centi is None:
        return f"{head} năm {end} đạt {now}"
    before = _pct(f.comp_prev_centi)
    if f.comp_end_centi == f.comp_prev_centi == FULL_CENTI:
        return f"{head} duy trì tỷ lệ tối đa {now} (năm {prev} và năm {end})"
    if f.comp_end_centi > f.comp_prev_centi:
        return f"{head} tăng từ {before} năm {prev} lên {now} năm {end}"
    return f"{head} năm {end} đạt {now} (năm {prev}: {before})"


def votes_words(f: Facts) -> str:
    """'đạt 85,00 % số phiếu (17/20)'; without the counts 'đạt 85,00 % số phiếu'; '' unknown."""
    if f.votes_centi is None:
        return ""
    counts = (
        f" ({f.votes_for}/{f.council_members})"
        if f.votes_for is not None and f.council_members
        else ""
    )
    return f"đạt {_pct(f.votes_centi)} số phiếu{counts}"


def achievement(
    row: dict[str, Any],
    category: Category,
    facts: Facts | None,
    plan: Plan,
    review: Review,
    *,
    with_votes: bool = True,
) -> str:
    """What earned ``row`` its place, in words: the measured results the category asks for,
    the committee's judgments (people; units without a measured result) and the votes
    (unless ``with_votes`` is False: the minutes give them a column)."""
    if facts is None:
        return "Đạt tất cả tiêu chuẩn"
    criteria = _criteria(plan, category, row.get("variant"))
    kinds = {c.kind for c in criteria}
    by = category.ranking
    parts: list[str] = []
    measured = kinds & {*INDEX_KINDS, "ratio_improved"} or set(by) & set(INDEX_KEYS)
    if row["subject_kind"] == "unit" and measured:
        parts.append(_index(plan, review, facts, kinds))
    if kinds & set(COMPONENT_KINDS) or any(k.startswith("component_") for k in by):
        parts.append(_components(plan, review, facts))
    parts = [x for x in parts if x]
    if row["subject_kind"] != "unit" or not parts:
        parts += _judged(criteria, facts.judgments)
    if with_votes:
        parts.append(votes_words(facts))
    text = "; ".join(x for x in parts if x)
    return text[:1].upper() + text[1:] if text else "Đạt tất cả tiêu chuẩn"
