"""The shortlist of a review: every candidate of every (award, category) with exactly one
status, its rank and the reasons, computed in one DuckDB query for all candidates.

Status order (rules.md §7): excluded -> superseded -> ineligible -> pending -> eligible;
the eligible are ranked and the first ``quota`` are proposed, the rest reserve.
"""

from __future__ import annotations

import pyarrow as pa

from analytics import labels
from analytics.criteria import CompiledCriterion, compile_criterion
from analytics.measures import Params, centi_dec, measures_ctes, review_params
from analytics.plans import Award, Category, Plan, Review

CONTRACT_COLUMNS = (
    "review",
    "award",
    "category",
    "subject_id",
    "subject_name",
    "status",
    "rank",
    "window_avg",
    "reasons",
)
_KEY_SQL = {
    "window_avg_pct": "m.window_avg_centi",
    "end_ratio_pct": "m.end_ratio_centi",
    "satisfaction_avg_pct": "m.satisfaction_avg_centi",
    "component_delta_pct": "m.comp_end_centi - m.comp_prev_centi",
    "component_end_pct": "m.comp_end_centi",
    "votes_pct": "m.votes_centi",
}


def _member_filter(cat: Category, p: Params) -> tuple[str, str]:
    """(measures relation, WHERE clause) selecting a category's candidates."""
    if cat.members == "nominated":
        return "m_people", "true"
    if cat.members == "advisory":
        return "m_units", "m.advised_components IS NOT NULL"
    return "m_units", f"m.block = {p(cat.members.removeprefix('block:'))}"


def _reasons(crits: list[CompiledCriterion], p: Params) -> str:
    parts = [
        f"CASE WHEN ({c.state}) IS NOT TRUE THEN {p(c.label)} || ': ' || ({c.evidence}) || "
        f"CASE WHEN ({c.state}) IS NULL THEN ' (chưa đủ dữ liệu)' ELSE ' (không đạt)' END END"
        for c in crits
    ]
    return f"concat_ws('; ', {', '.join(parts)})"


def _detail(crits: list[CompiledCriterion], p: Params) -> str:
    items = [
        f"{{'key': {p(c.key)}, 'label': {p(c.label)}, "
        f"'state': CASE WHEN ({c.state}) IS NULL THEN 'unknown' WHEN ({c.state}) THEN 'pass' ELSE 'fail' END, "
        f"'evidence': ({c.evidence})}}"
        for c in crits
    ]
    return f"[{', '.join(items)}]"


def _category_selects(
    plan: Plan,
    review: Review,
    award: Award,
    cat: Category,
    order: int,
    p: Params,
    n_keys: int,
    detail: bool,
) -> list[str]:
    relation, where = _member_filter(cat, p)
    excluding = p(list(plan.excluding_discipline.values))
    quota = cat.quota.get(review.kind) if cat.quota is not None else None
    keys = [_KEY_SQL[k] for k in cat.ranking] + ["NULL::BIGINT"] * (n_keys - len(cat.ranking))
    selects = []
    for variant in cat.variant_sets():
        crits = [
            compile_criterion(c, plan, review, p) for c in plan.criteria_sets[variant.criteria_set]
        ]
        all_ok = " AND ".join(f"({c.state})" for c in crits)
        cond = where if variant.when == "any" else f"{where} AND m.variant = {p(variant.when)}"
        cols = [
            f"{order} AS _order",
            f"{p(award.id)} AS award",
            f"{p(cat.id)} AS category",
            f"{p(cat.superseded_by) if cat.superseded_by else 'NULL::VARCHAR'} AS superseded_by",
            f"{p(quota) if quota is not None else 'NULL::INTEGER'}::INTEGER AS quota",
            "m.subject_id",
            "m.subject_name",
            "m.subject_kind",
            "m.variant",
            "m.window_avg_centi",
            "m.end_ratio_centi",
            "m.discipline",
            f"list_contains({excluding}, m.discipline) AS is_excluded",
            f"({all_ok}) AS all_ok",
            f"{_reasons(crits, p)} AS failed_reasons",
        ]
        cols += [f"{k} AS k{i}" for i, k in enumerate(keys)]
        if detail:
            cols.append(f"{_detail(crits, p)} AS criteria")
        selects.append(f"SELECT {', '.join(cols)} FROM {relation} m WHERE {cond}")
    return selects


def shortlist_sql(plan: Plan, review: Review, *, detail: bool = False) -> tuple[str, dict]:
    """The query (and its parameters) computing a review's shortlist."""
    p = review_params(plan, review)
    awards = plan.awards_for(review)
    cats = [(a, c) for a in awards for c in a.categories]
    if not cats:
        return "", {}
    n_keys = max(1, max(len(c.ranking) for _, c in cats))
    people = any(c.subject == "person" for _, c in cats)
    selects: list[str] = []
    for order, (award, cat) in enumerate(cats):
        selects += _category_selects(plan, review, award, cat, order, p, n_keys, detail)
    order_keys = ", ".join(f"k{i} DESC NULLS LAST" for i in range(n_keys))
    excl_unit = p(f" (năm {review.window_end})")
    excl_person = p(f" (đợt xét {review.label})")
    sup_text = {
        (a.id, c.id): next(x.label for x in a.categories if x.id == c.superseded_by)
        for a, c in cats
        if c.superseded_by
    }
    sup_case = (
        " ".join(
            f"WHEN award = {p(a)} AND category = {p(c)} THEN {p('đã đủ điều kiện ở nhóm xét: ' + t + '; không xét lại ở nhóm này')}"
            for (a, c), t in sup_text.items()
        )
        or "WHEN false THEN NULL"
    )
    sql = f"""
WITH {measures_ctes(people=people)},
cands AS ({" UNION ALL ".join(selects)}),
eligible_in AS (
    SELECT DISTINCT award, category, subject_id FROM cands WHERE NOT is_excluded AND all_ok IS TRUE
),
st AS (
    SELECT c.*, CASE
        WHEN c.is_excluded THEN 'excluded'
        WHEN c.superseded_by IS NOT NULL AND e.subject_id IS NOT NULL THEN 'superseded'
        WHEN c.all_ok IS FALSE THEN 'ineligible'
        WHEN c.all_ok IS NULL THEN 'pending'
        ELSE 'eligible' END AS st
    FROM cands c
    LEFT JOIN eligible_in e ON e.award = c.award AND e.category = c.superseded_by
        AND e.subject_id = c.subject_id
),
ranked AS (
    SELECT *, CASE WHEN st = 'eligible' THEN row_number() OVER (
        PARTITION BY award, category, st = 'eligible' ORDER BY {order_keys}, subject_id) END AS rank
    FROM st
)
SELECT $review AS review, award, category, subject_id, subject_name,
    CASE WHEN st <> 'eligible' THEN st
         WHEN quota IS NULL OR rank <= quota THEN 'proposed' ELSE 'reserve' END AS status,
    rank,
    {centi_dec("window_avg_centi")} AS window_avg,
    st, is_excluded, failed_reasons, quota, subject_kind, variant, discipline, _order,
    end_ratio_centi{", criteria" if detail else ""},
    CASE WHEN superseded_by IS NOT NULL THEN CASE {sup_case} END END AS sup_text
FROM ranked
"""
    # Build the reasons in a last, simpler step (readable, and keeps the SELECT above small).
    sql = f"""
WITH r AS ({sql})
SELECT review, award, category, subject_id, subject_name, status, rank, window_avg,
    CASE status
        WHEN 'excluded' THEN 'Không xét khen thưởng: ' ||
            CASE discipline {" ".join(f"WHEN {p(k)} THEN {p(v)}" for k, v in labels.DISCIPLINE.items())} END
            || CASE subject_kind WHEN 'unit' THEN {excl_unit} ELSE {excl_person} END
        WHEN 'superseded' THEN sup_text
        WHEN 'proposed' THEN 'Đạt tất cả tiêu chuẩn' ||
            CASE WHEN quota IS NOT NULL THEN ' (trong chỉ tiêu ' || quota || ')' ELSE '' END
        WHEN 'reserve' THEN 'Đạt tất cả tiêu chuẩn; ngoài chỉ tiêu ' || quota || ' (xếp thứ ' || rank || ')'
        ELSE failed_reasons END AS reasons,
    subject_kind, variant, quota, {centi_dec("end_ratio_centi")} AS end_ratio{", criteria" if detail else ""}
FROM r
ORDER BY _order, rank NULLS LAST, subject_id
"""
    return sql, p.values


def evaluate_review(con, plan: Plan, review_id: str, *, detail: bool = False) -> pa.Table:
    """All candidates of a review as an Arrow table: the contract's nine columns first."""
    review = plan.review(review_id)
    sql, params = shortlist_sql(plan, review, detail=detail)
    if not sql:
        return empty_shortlist()
    return con.sql(sql, params=params).to_arrow_table()


def empty_shortlist() -> pa.Table:
    return pa.table(
        {
            "review": pa.array([], pa.string()),
            "award": pa.array([], pa.string()),
            "category": pa.array([], pa.string()),
            "subject_id": pa.array([], pa.string()),
            "subject_name": pa.array([], pa.string()),
            "status": pa.array([], pa.string()),
            "rank": pa.array([], pa.int64()),
            "window_avg": pa.array([], pa.decimal128(5, 2)),
            "reasons": pa.array([], pa.string()),
        }
    )
