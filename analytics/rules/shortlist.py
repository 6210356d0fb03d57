"""The shortlist of a review: every candidate of every (award, category) with exactly one
status, its rank, its reasons and (units) its recipient, in one DuckDB query.

Status order (rules.md §7, v2): excluded (a discipline status the plan excludes, or no
recipient left at the decision date) -> deferred -> superseded (precedence of another
category; one form per achievement; one place per recipient) -> ineligible -> pending ->
eligible; the eligible are ranked and the first ``quota`` are proposed, the rest reserve.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections import Counter
from typing import TYPE_CHECKING, Any, cast

import duckdb

from analytics import labels
from analytics.plans.models import Award, Category, Plan, Review, Variant
from analytics.rules.criteria import CompiledCriterion, compile_criterion
from analytics.rules.deadlines import decision_date
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
    "recipient_id",
    "recipient_name",
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
    "women_first": "CASE WHEN m.gender = 'nu' THEN 1 ELSE 0 END",
}


# The measures a verdict passes on (the rest, such as the window's ratios and year lists, is
# read by the criteria only): a verdict read by several categories is stored, and its width
# is what storing it costs.
VERDICT_KEEPS = (
    "subject_id",
    "subject_name",
    "block",
    "advised_components",
    "subject_kind",
    "variant",
    "base_variant",
    "window_avg_centi",
    "end_ratio_centi",
    "satisfaction_avg_centi",
    "comp_end_centi",
    "comp_prev_centi",
    "votes_centi",
    "gender",
    "discipline",
    "proposed_form",
    "recipient_state",
    "recipient_id",
    "recipient_name",
    "dissolved_name",
    "dissolved_on",
)


def _member_filter(cat: Category, p: Params) -> tuple[str, str]:
    """(measures relation, WHERE clause) selecting a category's candidates."""
    if cat.members == "nominated":
        return "m_people", "true"
    if cat.members == "advisory":
        return "m_units", "m.advised_components IS NOT NULL"
    return "m_units", f"m.block = {p(cat.block, 'block_' + str(cat.block))}"


def _verdict_cte(
    name: str,
    relation: str,
    cond: str,
    crits: list[CompiledCriterion],
    p: Params,
    detail: bool,
    stored: bool = True,
) -> str:
    """One criteria set evaluated once over every subject ``cond`` selects; ``stored``
    (MATERIALIZED) when several categories read it, else inlined into its only reader
    (a person verdict: 200 000 rows not written and read back).

    States are computed once (``s_<criterion>``) and referenced by name; evidence text is
    built only where a criterion did not pass (or for the detail view).
    """
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
        *VERDICT_KEEPS,
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
        f"{name} AS {'MATERIALIZED ' if stored else ''}(\n    SELECT {LIST_SEP.join(outer)}\n    FROM "
        f"(SELECT {INNER_SEP.join(inner)}\n    FROM {relation} m WHERE {cond})\n)"
    )


def _variant_cond(v: Variant, has_fallback: bool, p: Params) -> str:
    """Who a variant's criteria set is evaluated for. With a fallback variant in the
    category, the other variants go by the kind a person has without advised components."""
    if v.when == "any":
        return "true"
    column = "base_variant" if has_fallback and not v.fallback else "variant"
    return f"m.{column} = {p(v.when, 'variant_' + v.when)}"


def _verdict_key(v: Variant, has_fallback: bool) -> tuple[str, str, bool]:
    return (v.criteria_set, v.when, has_fallback and not v.fallback)


def _variant_sources(
    cat: Category, verdicts: dict[tuple[str, str, bool], str], p: Params, detail: bool
) -> str:
    """The category's candidates with their verdict: a UNION of its variants, or, with a
    fallback variant (rules.md §5 v2), each person's base verdict joined with the fallback
    variant's, eligible under either (the fallback's first), pending if either is pending."""
    variants = cat.variant_sets()
    fallback = next((v for v in variants if v.fallback), None)
    if fallback is None:
        return UNION_SEP.join(f"SELECT * FROM {verdicts[_verdict_key(v, False)]}" for v in variants)
    base = UNION_SEP.join(
        f"SELECT * FROM {verdicts[_verdict_key(v, True)]}" for v in variants if not v.fallback
    )
    adv = verdicts[_verdict_key(fallback, True)]
    adv_label = p(fallback.label or fallback.when, f"variant_label_{fallback.when}")
    base_label = " ".join(
        f"WHEN {p(v.when, 'variant_' + v.when)} THEN {p(v.label or v.when, 'variant_label_' + v.when)}"
        for v in variants
        if not v.fallback
    )
    failed = (
        f"concat_ws('; ', {adv_label} || ': ' || nullif(a.failed_reasons, ''), "
        f"CASE b.base_variant {base_label} END || ': ' || nullif(b.failed_reasons, ''))"
    )
    return (
        "SELECT b.* REPLACE ("
        "CASE WHEN a.all_ok IS TRUE THEN 'advisor' ELSE b.base_variant END AS variant, "
        "CASE WHEN a.subject_id IS NULL THEN b.all_ok WHEN a.all_ok OR b.all_ok THEN true "
        "WHEN a.all_ok IS NULL OR b.all_ok IS NULL THEN NULL ELSE false END AS all_ok, "
        f"CASE WHEN a.subject_id IS NULL THEN b.failed_reasons ELSE {failed} END AS failed_reasons"
        + (
            ", CASE WHEN a.subject_id IS NULL THEN b.criteria "
            "ELSE list_concat(a.criteria, b.criteria) END AS criteria"
            if detail
            else ""
        )
        + f") FROM ({base}) b LEFT JOIN {adv} a USING (subject_id)"
    )


def _category_select(
    review: Review,
    award: Award,
    cat: Category,
    order: int,
    p: Params,
    n_keys: int,
    verdicts: dict[tuple[str, str, bool], str],
    rules: dict[str, str],
    one_form_order: int | None,
    detail: bool,
) -> str:
    _, where = _member_filter(cat, p)  # the verdict CTEs already read the right relation
    quota = cat.quota_for(review.kind)
    slug = f"{award.id}_{cat.id}"
    keys = [_KEY_SQL[k] for k in cat.ranking] + ["NULL::BIGINT"] * (n_keys - len(cat.ranking))
    sources = _variant_sources(cat, verdicts, p, detail)
    superseded_by = (
        p(cat.superseded_by, "category_" + cat.superseded_by)
        if cat.superseded_by
        else "NULL::VARCHAR"
    )
    cols = [
        f"{order} AS _order",
        f"{p(award.id, 'award_' + award.id)} AS award",
        f"{p(cat.id, 'category_' + cat.id)} AS category",
        f"{superseded_by} AS superseded_by",
        f"{'NULL' if one_form_order is None else one_form_order}::INTEGER AS one_form_order",
        f"{p(quota, 'quota_' + slug) if quota is not None else 'NULL::INTEGER'}::INTEGER AS quota",
        "m.subject_id",
        "m.subject_name",
        "m.subject_kind",
        "m.variant",
        "m.window_avg_centi",
        "m.end_ratio_centi",
        "m.discipline",
        "m.recipient_state",
        f"coalesce(m.proposed_form, {p(award.default_form, 'default_form_' + award.id) if award.default_form else 'NULL::VARCHAR'}) AS form",
        "m.recipient_id",
        "m.recipient_name",
        "m.dissolved_name",
        "m.dissolved_on",
        f"list_contains({rules['excluding']}, m.discipline) AS is_excluded",
        f"list_contains({rules['deferring']}, m.discipline) AS is_deferred",
        "m.all_ok",
        "m.failed_reasons",
    ]
    cols += [f"{k} AS k{i}" for i, k in enumerate(keys)]
    if detail:
        cols.append("m.criteria")
    return f"SELECT {', '.join(cols)}\n    FROM ({sources}) m WHERE {where}"


def shortlist_sql(
    plan: Plan,
    review: Review,
    *,
    detail: bool = False,
    unit_id: str | None = None,
    decided_on: dt.date | None = None,
) -> tuple[str, dict[str, Any]]:
    """The query (and its parameters) computing a review's shortlist; with ``unit_id``
    only the unit categories are evaluated and only that unit's rows are returned.
    ``decided_on`` is the review's decision date (``deadlines.decision_date``; None =
    unknown). A review without an effective end year has no query (no candidates)."""
    if plan.effective_end(review) is None:
        return "", {}
    p = review_params(plan, review, decided_on=decided_on)
    awards = plan.awards_for(review)
    cats = [(a, c) for a in awards for c in a.categories if unit_id is None or c.subject == "unit"]
    if not cats:
        return "", {}
    n_keys = max(1, max(len(c.ranking) for _, c in cats))
    people = any(c.subject == "person" for _, c in cats)
    rules = {
        "excluding": p(list(plan.discipline.excluding), "excluding_discipline"),
        "deferring": p(list(plan.discipline.deferring), "deferring_discipline"),
    }
    verdicts: dict[tuple[str, str, bool], str] = {}
    # each category's variants with their verdict's key, and how many categories read each
    uses = [
        (cat, [(v, _verdict_key(v, has_fallback)) for v in cat.variant_sets()], has_fallback)
        for _, cat in cats
        for has_fallback in [any(v.fallback for v in cat.variant_sets())]
    ]
    readers = Counter(key for _, keyed, _ in uses for _, key in keyed)
    ctes: list[str] = []
    for cat, keyed, has_fallback in uses:
        relation = "m_people" if cat.subject == "person" else "m_units"
        for v, key in keyed:
            if key in verdicts:
                continue
            suffix = "" if v.when == "any" else f"_{v.when}"
            name = "verdicts_" + param_name(v.criteria_set + suffix + ("_base" if key[2] else ""))
            verdicts[key] = name
            crits = [
                compile_criterion(c, plan, review, p) for c in plan.criteria_sets[v.criteria_set]
            ]
            cond = _variant_cond(v, has_fallback, p)
            ctes.append(_verdict_cte(name, relation, cond, crits, p, detail, readers[key] > 1))
    orders = {f"{a.id}:{c.id}": i for i, (a, c) in enumerate(cats)}
    yields = {i: orders.get(c.one_form_with or "") for i, (_, c) in enumerate(cats)}
    selects = [
        _category_select(
            review, award, cat, order, p, n_keys, verdicts, rules, yields[order], detail
        )
        for order, (award, cat) in enumerate(cats)
    ]
    order_keys = ", ".join(f"k{i} DESC NULLS LAST" for i in range(n_keys))
    targets = sorted({o for o in yields.values() if o is not None})
    excl_unit = p(f" (năm {plan.effective_end(review)})", "excluded_unit_when")
    excl_person = p(f" (đợt xét {review.label})", "excluded_person_when")
    discipline = " ".join(
        f"WHEN {p(k, 'discipline_' + k)} THEN {p(v, 'discipline_label_' + k)}"
        for k, v in labels.DISCIPLINE.items()
    )
    precedence = (
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
    one_form = (
        " ".join(
            f"WHEN {orders[f'{a.id}:{c.id}']} THEN "
            + p(
                "đã được đề nghị "
                + _target_label(plan, c.one_form_with)
                + "; một thành tích chỉ đề nghị một hình thức khen thưởng",
                f"one_form_reason_{a.id}_{c.id}",
            )
            for a, c in cats
            if yields[orders[f"{a.id}:{c.id}"]] is not None
        )
        or "WHEN -1 THEN NULL"
    )
    unit_filter = f" WHERE subject_id = {p(unit_id, 'unit_id')}" if unit_id is not None else ""

    def union_of(subject: str) -> str:
        """The categories of units (or of people), or no row of the same shape."""
        mine = [sel for sel, (_, c) in zip(selects, cats, strict=True) if c.subject == subject]
        return UNION_SEP.join(mine) or f"SELECT * FROM ({selects[0]}) WHERE false"

    unit_union, person_union = union_of("unit"), union_of("person")
    unit_stages = _unit_stages(
        order_keys,
        p(targets, "one_form_targets") if targets else None,
        any(c.superseded_by for _, c in cats if c.subject == "unit"),
    )
    criteria_col = ", criteria" if detail else ""
    sql = f"""
WITH {measures_ctes(people=people)},
{CTE_SEP.join(ctes)},
ucands AS (\n    {unit_union}\n),
pcands AS (\n    {person_union}\n),
ust0 AS MATERIALIZED (
    -- each unit's status within its own category
    SELECT c.*, {STATUS0} AS st0 FROM ucands c
),
{unit_stages}
{_recipient_places("places", "ust2", "st2", order_keys, or_self=False)},
ust AS MATERIALIZED (
    SELECT s.* EXCLUDE (st0, st1, st2), kept.subject_name AS kept_name,
        CASE WHEN s.st2 = 'eligible' AND pl.rec_rn > 1 THEN 'superseded_recipient'
             ELSE s.st2 END AS st
    FROM ust2 s LEFT JOIN places pl USING (_order, subject_id)
    LEFT JOIN places kept ON kept._order = pl._order AND kept.recipient_id = pl.recipient_id
        AND kept.rec_rn = 1 AND pl.rec_rn > 1
),
pst AS MATERIALIZED (
    -- people: no precedence, no flag, no recipient: the status within the category alone,
    -- on the columns the list shows (the units' recipient columns are constants below)
    SELECT _order, award, category, quota, subject_id, subject_name, subject_kind, variant,
        discipline, form, is_excluded, failed_reasons, {", ".join(f"k{i}" for i in range(n_keys))}{criteria_col},
        {STATUS0} AS st
    FROM pcands c
),
urk AS (
    -- Rank on a narrow relation: sorting the wide rows (reasons text) costs far more.
    SELECT _order, subject_id, row_number() OVER (
        PARTITION BY _order ORDER BY {order_keys}, subject_id) AS rank
    FROM ust WHERE st = 'eligible'
),
prk AS (
    SELECT _order, subject_id, row_number() OVER (
        PARTITION BY _order ORDER BY {order_keys}, subject_id) AS rank
    FROM pst WHERE st = 'eligible'
),
r AS (
    SELECT s.*, rk.rank, CASE WHEN st = 'eligible' THEN
            CASE WHEN quota IS NULL OR rk.rank <= quota THEN 'proposed' ELSE 'reserve' END
        WHEN starts_with(st, 'superseded') THEN 'superseded' ELSE st END AS status
    FROM ust s LEFT JOIN urk rk USING (_order, subject_id)
    UNION ALL BY NAME
    SELECT s.*, NULL::BIGINT AS window_avg_centi, NULL::BIGINT AS end_ratio_centi,
        NULL::VARCHAR AS recipient_state, NULL::VARCHAR AS recipient_id,
        NULL::VARCHAR AS recipient_name, NULL::VARCHAR AS dissolved_name,
        NULL::DATE AS dissolved_on, NULL::VARCHAR AS kept_name, rk.rank,
        CASE WHEN st = 'eligible' THEN
            CASE WHEN quota IS NULL OR rk.rank <= quota THEN 'proposed' ELSE 'reserve' END
        ELSE st END AS status
    FROM pst s LEFT JOIN prk rk USING (_order, subject_id)
)
SELECT $review AS review, award, category, subject_id, subject_name, status, rank,
    centi_dec(window_avg_centi) AS window_avg,
    CASE
        WHEN status = 'excluded' AND is_excluded THEN 'Không khen thưởng: '
            || CASE discipline {discipline} END
            || CASE subject_kind WHEN 'unit' THEN {excl_unit} ELSE {excl_person} END
        WHEN status = 'excluded' THEN 'Không còn đơn vị nhận khen thưởng: ' || dissolved_name
            || ' thôi hoạt động từ ngày ' || strftime(dissolved_on, '%d/%m/%Y')
        WHEN status = 'deferred' THEN 'Chưa xét khen thưởng: ' || CASE discipline {discipline} END
            || CASE subject_kind WHEN 'unit' THEN {excl_unit} ELSE {excl_person} END
            || '; xét lại khi đã có kết luận'
        WHEN st = 'superseded_precedence' THEN CASE {precedence} END
        WHEN st = 'superseded_form' THEN CASE _order {one_form} END
        WHEN st = 'superseded_recipient' THEN 'cùng đơn vị nhận với ' || kept_name
            || ': mỗi đơn vị nhận chỉ một chỉ tiêu'
        WHEN status = 'proposed' THEN 'Đạt tất cả tiêu chuẩn' ||
            CASE WHEN quota IS NOT NULL THEN ' (trong chỉ tiêu ' || quota || ')' ELSE '' END
        WHEN status = 'reserve' THEN 'Đạt tất cả tiêu chuẩn; ngoài chỉ tiêu ' || quota || ' (xếp thứ ' || rank || ')'
        WHEN status = 'pending' AND recipient_state = 'unknown' THEN concat_ws('; ', nullif(failed_reasons, ''),
            {p(labels.RECIPIENT_UNKNOWN, "recipient_unknown")})
        ELSE failed_reasons END AS reasons,
    recipient_id, recipient_name,
    subject_kind, variant, quota, centi_dec(end_ratio_centi) AS end_ratio, recipient_state, form{criteria_col}
FROM r{unit_filter}
ORDER BY _order, rank NULLS LAST, subject_id
"""
    p.values["award_dissolved"] = plan.award_dissolved
    return sql, p.used_by(sql)


def _recipient_places(
    name: str, relation: str, status: str, order_keys: str, *, or_self: bool, where: str = ""
) -> str:
    """CTEs ``name``: the eligible candidates of ``relation`` that share a recipient with
    another eligible one of their category, ranked within it (``rec_rn`` 1 keeps the place);
    ``or_self``: a candidate without a recipient is its own; ``where``: a further condition
    on the alias ``{a}``. Only those are ranked: a window partitioned by every recipient
    costs far more than one over the few shared ones."""

    def key(a: str) -> str:
        return f"coalesce({a}recipient_id, {a}subject_id)" if or_self else f"{a}recipient_id"

    return f"""{name}_shared AS (
    SELECT _order, {key("")} AS rec FROM {relation}
    WHERE {status} = 'eligible' AND {key("")} IS NOT NULL{where.format(a="")}
    GROUP BY ALL HAVING count(*) > 1
),
{name} AS MATERIALIZED (
    SELECT s._order, s.subject_id, s.subject_name, {key("s.")} AS recipient_id,
        row_number() OVER (PARTITION BY s._order, {key("s.")}
            ORDER BY {order_keys}, s.subject_id) AS rec_rn
    FROM {relation} s SEMI JOIN {name}_shared h ON h._order = s._order AND h.rec = {key("s.")}
    WHERE s.{status} = 'eligible'{where.format(a="s.")}
)"""


def _unit_stages(order_keys: str, targets: str | None, has_precedence: bool) -> str:
    """The units' statuses after the one in their own category (``st0``): precedence
    (``st1``), then one form per achievement (``st2``, ``targets`` the bound list of the
    categories others yield to). A stage the review's categories do not need is skipped:
    its status is the one before."""
    if not has_precedence:
        stages = ["ust1 AS (SELECT *, st0 AS st1 FROM ust0),"]
    else:
        stages = [
            _recipient_places("eligible_places", "ust0", "st0", order_keys, or_self=True)
            + """,
eligible_in AS (
    -- eligible there = proposed or reserve there: its own place per recipient kept
    SELECT s.award, s.category, s.subject_id FROM ust0 s
    ANTI JOIN eligible_places l ON l._order = s._order AND l.subject_id = s.subject_id
        AND l.rec_rn > 1
    WHERE s.st0 = 'eligible'
),
ust1 AS (
    -- precedence: eligible in the category this one defers to (certificate (1) over (2))
    SELECT s.*, CASE WHEN s.st0 IN ('ineligible', 'pending', 'eligible')
            AND s.superseded_by IS NOT NULL AND e.subject_id IS NOT NULL THEN 'superseded_precedence'
        ELSE s.st0 END AS st1
    FROM ust0 s LEFT JOIN eligible_in e ON e.award = s.award AND e.category = s.superseded_by
        AND e.subject_id = s.subject_id
),"""
        ]
    if targets is None:
        stages.append("ust2 AS (SELECT *, st1 AS st2 FROM ust1),")
    else:
        in_targets = f" AND list_contains({targets}, {{a}}_order)"
        stages.append(
            _recipient_places(
                "target_places", "ust1", "st1", order_keys, or_self=True, where=in_targets
            )
            + f""",
target_ranks AS (
    -- the categories another one yields to (the flags): one place per recipient, ranked
    SELECT s._order, s.subject_id, s.quota, row_number() OVER (
        PARTITION BY s._order ORDER BY {order_keys}, s.subject_id) AS rank
    FROM ust1 s ANTI JOIN target_places l ON l._order = s._order AND l.subject_id = s.subject_id
        AND l.rec_rn > 1
    WHERE s.st1 = 'eligible'{in_targets.format(a="s.")}
),
taken AS (SELECT _order, subject_id FROM target_ranks WHERE quota IS NULL OR rank <= quota),
ust2 AS MATERIALIZED (
    -- one form per achievement: proposed in the flag of the block, superseded here
    SELECT s.*, CASE WHEN s.st1 = 'eligible' AND t.subject_id IS NOT NULL
            THEN 'superseded_form' ELSE s.st1 END AS st2
    FROM ust1 s LEFT JOIN taken t ON t.subject_id = s.subject_id AND t._order = s.one_form_order
),"""
        )
    return "\n".join(stages)


# A candidate's status within its own category (rules.md §7 v2): the order decides.
STATUS0 = """CASE
        WHEN c.is_excluded THEN 'excluded'
        WHEN c.recipient_state = 'none' AND NOT $award_dissolved THEN 'excluded'
        WHEN c.is_deferred THEN 'deferred'
        WHEN c.all_ok IS FALSE THEN 'ineligible'
        WHEN c.all_ok IS NULL OR c.recipient_state = 'unknown' THEN 'pending'
        ELSE 'eligible' END"""


def _target_label(plan: Plan, target: str | None) -> str:
    award_id, cat_id = (target or ":").split(":")
    award = next(a for a in plan.awards if a.id == award_id)
    cat = next(c for c in award.categories if c.id == cat_id)
    return f"{award.label} ({cat.label})"


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
    decided = decision_date(con, plan, review)
    sql, params = shortlist_sql(plan, review, detail=detail, unit_id=unit_id, decided_on=decided)
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
            "recipient_id": pa.array([], pa.string()),
            "recipient_name": pa.array([], pa.string()),
        }
    )
