"""The shortlist of a review: every candidate of every (award, category) with exactly one
status, its rank and the reasons, computed in one DuckDB query for all candidates.

Status order (rules.md §7): excluded -> superseded -> ineligible -> pending -> eligible;
the eligible are ranked and the first ``quota`` are proposed, the rest reserve.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any, cast

import duckdb

from analytics import labels
from analytics.plans.models import Award, Category, Plan, Review
from analytics.rules.criteria import CompiledCriterion, compile_criterion
from analytics.rules.measures import measures_ctes, review_params
from analytics.rules.params import Params, param_name

if TYPE_CHECKING:  # pyarrow is imported where a table is built (the CLI's COPY path needs none)
    import pyarrow as pa

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
# Line breaks in the generated SQL, so that its snapshots diff line by line.
LIST_SEP = ",\n    "
INNER_SEP = ",\n        "
CTE_SEP = ",\n"
UNION_SEP = "\n    UNION ALL\n    "
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
    return "m_units", f"m.block = {p(cat.block, 'block_' + str(cat.block))}"


def _verdict_cte(
    name: str, relation: str, when: str, crits: list[CompiledCriterion], p: Params, detail: bool
) -> str:
    """One criteria set evaluated once over every subject it may apply to.

    States are computed once (``s0, s1, …``) and referenced by name; evidence text is
    built only where a criterion did not pass (or for the detail view).
    """
    cond = "true" if when == "any" else f"m.variant = {p(when, 'variant_' + when)}"
    names = [param_name(c.key) for c in crits]
    st = [f"s_{n}" for n in names]  # each criterion's state, computed once
    ev = [f"e_{n}" for n in names]  # and its evidence
    inner = ["m.*"] + [f"({c.state}) AS {s}" for c, s in zip(crits, st, strict=True)]
    for c, e in zip(crits, ev, strict=True):
        text = c.evidence if detail else f"CASE WHEN ({c.state}) IS NOT TRUE THEN {c.evidence} END"
        inner.append(f"({text}) AS {e}")
    reasons = ",\n        ".join(
        f"CASE WHEN {s} IS NOT TRUE THEN {p(c.label, 'label_' + n)} || ': ' || {e} || "
        f"CASE WHEN {s} IS NULL THEN ' (chưa đủ dữ liệu)' ELSE ' (không đạt)' END END"
        for c, n, s, e in zip(crits, names, st, ev, strict=True)
    )
    outer = [
        f"* EXCLUDE ({', '.join(st + ev)})",
        f"({' AND '.join(st)}) AS all_ok",
        f"concat_ws('; ', {reasons}) AS failed_reasons",
    ]
    if detail:
        items = ",\n        ".join(
            f"{{'key': {p(c.key, 'key_' + n)}, 'label': {p(c.label, 'label_' + n)}, "
            f"'state': CASE WHEN {s} IS NULL THEN 'unknown' WHEN {s} THEN 'pass' ELSE 'fail' END, "
            f"'evidence': {e}}}"
            for c, n, s, e in zip(crits, names, st, ev, strict=True)
        )
        outer.append(f"[{items}] AS criteria")
    return (
        f"{name} AS MATERIALIZED (\n    SELECT {LIST_SEP.join(outer)}\n    FROM "
        f"(SELECT {INNER_SEP.join(inner)}\n    FROM {relation} m WHERE {cond})\n)"
    )


def _category_select(
    review: Review,
    award: Award,
    cat: Category,
    order: int,
    p: Params,
    n_keys: int,
    verdicts: dict[tuple[str, str], str],
    excluding: str,
    detail: bool,
) -> str:
    _, where = _member_filter(cat, p)  # the verdict CTEs already read the right relation
    quota = cat.quota_for(review.kind)
    slug = f"{award.id}_{cat.id}"
    keys = [_KEY_SQL[k] for k in cat.ranking] + ["NULL::BIGINT"] * (n_keys - len(cat.ranking))
    sources = " UNION ALL ".join(
        f"SELECT * FROM {verdicts[v.criteria_set, v.when]}" for v in cat.variant_sets()
    )
    cols = [
        f"{order} AS _order",
        f"{p(award.id, 'award_' + award.id)} AS award",
        f"{p(cat.id, 'category_' + cat.id)} AS category",
        f"{p(cat.superseded_by, 'category_' + cat.superseded_by) if cat.superseded_by else 'NULL::VARCHAR'} AS superseded_by",
        f"{p(quota, 'quota_' + slug) if quota is not None else 'NULL::INTEGER'}::INTEGER AS quota",
        "m.subject_id",
        "m.subject_name",
        "m.subject_kind",
        "m.variant",
        "m.window_avg_centi",
        "m.end_ratio_centi",
        "m.discipline",
        f"list_contains({excluding}, m.discipline) AS is_excluded",
        "m.all_ok",
        "m.failed_reasons",
    ]
    cols += [f"{k} AS k{i}" for i, k in enumerate(keys)]
    if detail:
        cols.append("m.criteria")
    return f"SELECT {', '.join(cols)}\n    FROM ({sources}) m WHERE {where}"


def shortlist_sql(
    plan: Plan, review: Review, *, detail: bool = False, unit_id: str | None = None
) -> tuple[str, dict[str, Any]]:
    """The query (and its parameters) computing a review's shortlist; with ``unit_id``
    only the unit categories are evaluated and only that unit's rows are returned."""
    p = review_params(plan, review)
    awards = plan.awards_for(review)
    cats = [(a, c) for a in awards for c in a.categories if unit_id is None or c.subject == "unit"]
    if not cats:
        return "", {}
    n_keys = max(1, max(len(c.ranking) for _, c in cats))
    people = any(c.subject == "person" for _, c in cats)
    excluding = p(list(plan.excluding_discipline.values), "excluding_discipline")
    verdicts: dict[tuple[str, str], str] = {}
    ctes: list[str] = []
    for _, cat in cats:
        relation = "m_people" if cat.subject == "person" else "m_units"
        for v in cat.variant_sets():
            if (v.criteria_set, v.when) in verdicts:
                continue
            name = "verdicts_" + param_name(
                v.criteria_set if v.when == "any" else f"{v.criteria_set}_{v.when}"
            )
            verdicts[v.criteria_set, v.when] = name
            crits = [
                compile_criterion(c, plan, review, p) for c in plan.criteria_sets[v.criteria_set]
            ]
            ctes.append(_verdict_cte(name, relation, v.when, crits, p, detail))
    selects = [
        _category_select(review, award, cat, order, p, n_keys, verdicts, excluding, detail)
        for order, (award, cat) in enumerate(cats)
    ]
    order_keys = ", ".join(f"k{i} DESC NULLS LAST" for i in range(n_keys))
    # Precedence: who is eligible in a category that another one defers to, read straight
    # from that category's verdicts (so the candidate rows need not be materialised).
    eligible_sql = (
        " UNION ALL ".join(
            f"SELECT {p(a.id, 'award_' + a.id)} AS award, {p(t.id, 'category_' + t.id)} AS category, m.subject_id "
            f"FROM {verdicts[t.variant_sets()[0].criteria_set, t.variant_sets()[0].when]} m "
            f"WHERE {_member_filter(t, p)[1]} AND m.all_ok IS TRUE "
            f"AND NOT list_contains({excluding}, m.discipline)"
            for a, t in cats
            if any(c.superseded_by == t.id for c in a.categories)
        )
        or "SELECT NULL::VARCHAR AS award, NULL::VARCHAR AS category, NULL::VARCHAR AS subject_id"
    )
    excl_unit = p(f" (năm {review.window_end})", "excluded_unit_when")
    excl_person = p(f" (đợt xét {review.label})", "excluded_person_when")
    discipline = " ".join(
        f"WHEN {p(k, 'discipline_' + k)} THEN {p(v, 'discipline_label_' + k)}"
        for k, v in labels.DISCIPLINE.items()
    )
    sup_case = (
        " ".join(
            f"WHEN award = {p(a.id, 'award_' + a.id)} AND category = {p(c.id, 'category_' + c.id)} THEN "
            + p(
                "đã đủ điều kiện ở nhóm xét: "
                + next(x.label for x in a.categories if x.id == c.superseded_by)
                + "; không xét lại ở nhóm này",
                f"superseded_reason_{a.id}_{c.id}",
            )
            for a, c in cats
            if c.superseded_by
        )
        or "WHEN false THEN NULL"
    )
    sql = f"""
WITH {measures_ctes(people=people)},
{CTE_SEP.join(ctes)},
cands AS (\n    {UNION_SEP.join(selects)}\n),
eligible_in AS ({eligible_sql}),
st AS MATERIALIZED (
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
rk AS (
    -- Rank on a narrow relation: sorting the wide rows (reasons text) costs far more.
    SELECT _order, subject_id, row_number() OVER (
        PARTITION BY _order ORDER BY {order_keys}, subject_id) AS rank
    FROM st WHERE st = 'eligible'
),
r AS (
    SELECT st.*, rk.rank, CASE WHEN st <> 'eligible' THEN st
        WHEN quota IS NULL OR rk.rank <= quota THEN 'proposed' ELSE 'reserve' END AS status
    FROM st LEFT JOIN rk USING (_order, subject_id)
)
SELECT $review AS review, award, category, subject_id, subject_name, status, rank,
    centi_dec(window_avg_centi) AS window_avg,
    CASE status
        WHEN 'excluded' THEN 'Không xét khen thưởng: ' || CASE discipline {discipline} END
            || CASE subject_kind WHEN 'unit' THEN {excl_unit} ELSE {excl_person} END
        WHEN 'superseded' THEN CASE {sup_case} END
        WHEN 'proposed' THEN 'Đạt tất cả tiêu chuẩn' ||
            CASE WHEN quota IS NOT NULL THEN ' (trong chỉ tiêu ' || quota || ')' ELSE '' END
        WHEN 'reserve' THEN 'Đạt tất cả tiêu chuẩn; ngoài chỉ tiêu ' || quota || ' (xếp thứ ' || rank || ')'
        ELSE failed_reasons END AS reasons,
    subject_kind, variant, quota, centi_dec(end_ratio_centi) AS end_ratio{", criteria" if detail else ""}
FROM r{f" WHERE subject_id = {p(unit_id, 'unit_id')}" if unit_id is not None else ""}
ORDER BY _order, rank NULLS LAST, subject_id
"""
    return sql, p.values


def evaluate_review(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    review_id: str,
    *,
    detail: bool = False,
    unit_id: str | None = None,
) -> pa.Table:
    """All candidates of a review as an Arrow table: the contract's nine columns first.

    With ``unit_id``: only that unit's rows (the unit categories are still evaluated over
    all their members, so ranks and quotas are the full review's; people are skipped)."""
    review = plan.review(review_id)
    sql, params = shortlist_sql(plan, review, detail=detail, unit_id=unit_id)
    if not sql:
        return empty_shortlist()
    # execute + reader: binds once (con.sql binds the relation, then again to run it:
    # ~50 ms more on the demo) and copies no more than to_arrow_table on a relation;
    # DuckDB's warning about that copy is expected here and silenced here only.
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="Arrow output on a DB-API result", category=UserWarning
        )
        reader = cast("pa.RecordBatchReader", con.execute(sql, params).to_arrow_reader())
        return reader.read_all()


def empty_shortlist() -> pa.Table:
    import pyarrow as pa

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
