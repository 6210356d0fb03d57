"""Measures over a review's window, for all units and all nominated people at once (SQL).

Rules v2 (rules.md §3, §11): the window years are the assessed years of the review's
window; its effective end year ``$e_year`` (E) decides who is a candidate, and the
comparison year ``$p_year`` (P) the improvements. A window year (or P) before a unit's own
years takes the values of the nearest primary predecessor active that year (inherited
history; ``$own_history`` switches it off). Each candidate unit names its recipient at
the decision date ``$decided_on`` (§11).

Percentages travel as integer hundredths (``*_centi``) so that means and ratios are
exact; the building blocks (``ratio_centi``, ``mean_centi``, ``centi``, ``centi_text``,
``active_units``, ``effective_links``, ``history_chain``, ``unit_ceasing``) are the
store's macros (``analytics.store.schema``).
"""

from __future__ import annotations

from analytics.plans.models import Plan, Review
from analytics.rules.params import Params


def review_params(plan: Plan, review: Review, *, decided_on: object = None) -> Params:
    """The fixed parameters of a review's measures (``$e_year`` None: no candidates)."""
    end = plan.effective_end(review)
    return Params(
        review=review.id,
        start=review.window_start,
        end=review.window_end,
        e_year=end,
        p_year=plan.comparison_year(review),
        window_years=list(plan.window_years(review)),
        y0=plan.first_year,
        y1=plan.last_year,
        yb=plan.earliest_year,
        own_history=plan.history == "own",
        decided_on=decided_on,
    )


COMPONENT_RATIOS = """
comp_sets AS (
    SELECT DISTINCT advised_components AS cs FROM units WHERE advised_components IS NOT NULL
    UNION SELECT DISTINCT advised_components FROM people WHERE advised_components IS NOT NULL
),
comp_members AS (
    SELECT DISTINCT cs, unnest(string_split(cs, ';')) AS component FROM comp_sets
),
comp_year AS (
    SELECT m.cs, y.year, count(*) AS n_members, count(pc.component) AS n_found,
           sum(pc.score) AS s, sum(pc.max_score) AS mx
    FROM comp_members m
    CROSS JOIN (SELECT $e_year AS year UNION ALL SELECT $p_year) y
    LEFT JOIN province_components pc ON pc.component = m.component AND pc.year = y.year
    GROUP BY m.cs, y.year
),
comp_ratio AS (
    SELECT cs,
        max(CASE WHEN year = $e_year AND n_found = n_members AND mx > 0 THEN ratio_centi(s, mx) END) AS comp_end_centi,
        max(CASE WHEN year = $p_year AND n_found = n_members AND mx > 0 THEN ratio_centi(s, mx) END) AS comp_prev_centi
    FROM comp_year GROUP BY cs
)"""


UNIT_MEASURES = """
u AS (
    SELECT unit_id, name, block, advised_components, a_from, a_to FROM active_units($yb, $y1)
),
cand AS (
    SELECT * FROM u WHERE block IS NOT NULL AND a_from <= $e_year AND a_to >= $e_year
),
read_years AS (
    SELECT DISTINCT year FROM (SELECT unnest($window_years) AS year UNION ALL SELECT $p_year)
    WHERE year IS NOT NULL
),
sources AS (
    -- per candidate and year read: the unit itself when active, else the nearest primary
    -- predecessor active that year (rules.md §11)
    SELECT c.unit_id, y.year, arg_min(h.source_id, h.depth) AS source_id, min(h.depth) AS depth
    FROM cand c
    JOIN history_chain($yb) h ON h.unit_id = c.unit_id AND (h.depth = 0 OR NOT $own_history)
    JOIN u s ON s.unit_id = h.source_id
    JOIN read_years y ON y.year BETWEEN s.a_from AND s.a_to
    GROUP BY c.unit_id, y.year
),
yr AS (
    -- the window's years (one reader: streamed into agg, not stored)
    SELECT src.unit_id, src.year, src.depth, src.source_id, su.name AS source_name,
        centi(s.ratio_pct) AS r,
        centi(sa.satisfaction_pct) AS sat,
        centi(f.tasks_completed_pct) AS tasks
    FROM sources src
    JOIN u su ON su.unit_id = src.source_id
    LEFT JOIN unit_scores s ON s.unit_id = src.source_id AND s.year = src.year
    LEFT JOIN satisfaction sa ON sa.unit_id = src.source_id AND sa.year = src.year
    LEFT JOIN unit_facts f ON f.unit_id = src.source_id AND f.year = src.year
    WHERE list_contains($window_years, src.year)
),
agg AS (
    SELECT unit_id, min(year) AS w_from, max(year) AS w_to,
        count(*) AS n_years, count(r) AS n_scored, sum(r) AS r_sum, min(r) AS r_min,
        count(sat) AS n_sat, sum(sat) AS sat_sum,
        count(tasks) AS n_tasks,
        -- in year order by sorting each unit's short list (every text starts with its year):
        -- an aggregate's own ORDER BY buffers and sorts all rows, several times slower;
        -- each text built under CASE, only for the rows its FILTER keeps
        list_sort(list({'year': year, 'r': r}) FILTER (WHERE r IS NOT NULL)) AS ratios,
        array_to_string(list_sort(list(CASE WHEN r IS NULL THEN year::VARCHAR END)
            FILTER (WHERE r IS NULL)), ', ') AS missing_ratio_years,
        array_to_string(list_sort(list(CASE WHEN sat IS NULL THEN year::VARCHAR END)
            FILTER (WHERE sat IS NULL)), ', ') AS missing_sat_years,
        array_to_string(list_sort(list(CASE WHEN tasks IS NULL THEN year::VARCHAR END)
            FILTER (WHERE tasks IS NULL)), ', ') AS missing_tasks_years,
        array_to_string(list_sort(list(CASE WHEN tasks < 10000
            THEN year || ' (' || centi_text(tasks) || ' %)' END)
            FILTER (WHERE tasks < 10000)), ', ') AS tasks_short_years,
        array_to_string(list_sort(list(CASE WHEN depth > 0 THEN year || ': '
            || coalesce(centi_text(r) || ' %', 'chưa có') || ' (' || source_name || ')' END)
            FILTER (WHERE depth > 0)), ', ') AS inherited_ratios,
        array_to_string(list_sort(list(CASE WHEN depth > 0 THEN year || ' của ' || source_name END)
            FILTER (WHERE depth > 0)), ', ') AS inherited_years
    FROM yr GROUP BY unit_id
),
prev AS (
    SELECT src.unit_id, centi(s.ratio_pct) AS prev_ratio_centi,
        CASE WHEN src.depth > 0 THEN su.name END AS prev_source
    FROM sources src
    JOIN u su ON su.unit_id = src.source_id
    LEFT JOIN unit_scores s ON s.unit_id = src.source_id AND s.year = src.year
    WHERE src.year = $p_year
),
ceasing AS (SELECT * FROM unit_ceasing($yb, $y1)),
hops AS (SELECT * FROM recipient_hops($yb, $y1, $decided_on)),
recipients AS (
    SELECT c.unit_id, coalesce(h.at_id, c.unit_id) AS last_id, x.ceasing_date AS last_ceasing,
        coalesce(h.depth, 0) AS depth,
        CASE WHEN $decided_on IS NULL THEN
                 CASE WHEN coalesce(h.depth, 0) = 0 AND x0.n_out = 0 AND x0.ceased_on IS NULL
                      THEN 'self' ELSE 'unknown' END
             WHEN x.ceasing_date IS NULL OR x.ceasing_date > $decided_on THEN
                 CASE WHEN h.depth IS NULL THEN 'self' ELSE 'other' END
             ELSE 'none' END AS recipient_state
    FROM cand c
    LEFT JOIN (SELECT unit_id, arg_max(at_id, depth) AS at_id, max(depth) AS depth FROM hops
               GROUP BY unit_id) h ON h.unit_id = c.unit_id
    JOIN ceasing x0 ON x0.unit_id = c.unit_id
    JOIN ceasing x ON x.unit_id = coalesce(h.at_id, c.unit_id)
),
m_units AS MATERIALIZED (
    SELECT c.unit_id AS subject_id, c.name AS subject_name, c.block, c.advised_components,
        'unit' AS subject_kind, 'any' AS variant, 'any' AS base_variant, a.w_from, a.w_to,
        a.n_years, a.n_scored, a.r_min, a.ratios, a.missing_ratio_years,
        a.missing_sat_years, a.missing_tasks_years, a.tasks_short_years, a.n_tasks,
        a.inherited_ratios, a.inherited_years,
        CASE WHEN a.n_scored = a.n_years THEN mean_centi(a.r_sum, a.n_years) END AS window_avg_centi,
        CASE WHEN a.n_sat = a.n_years THEN mean_centi(a.sat_sum, a.n_years) END AS satisfaction_avg_centi,
        centi(se.ratio_pct) AS end_ratio_centi,
        pv.prev_ratio_centi, pv.prev_source,
        coalesce(j.discipline, fe.discipline, 'none') AS discipline,
        j.head_directs, j.outstanding, j.has_initiative, j.proposed_form,
        NULL::BOOLEAN AS initiative_recognized, NULL::BOOLEAN AS good_conduct,
        NULL::BIGINT AS votes_centi, NULL::VARCHAR AS gender,
        cr.comp_end_centi, cr.comp_prev_centi,
        rc.recipient_state,
        CASE WHEN rc.recipient_state IN ('self', 'other') THEN rc.last_id END AS recipient_id,
        CASE WHEN rc.recipient_state IN ('self', 'other') THEN ru.name END AS recipient_name,
        CASE WHEN rc.recipient_state = 'none' THEN ru.name END AS dissolved_name,
        CASE WHEN rc.recipient_state = 'none' THEN rc.last_ceasing END AS dissolved_on
    FROM cand c
    JOIN agg a USING (unit_id)
    LEFT JOIN prev pv USING (unit_id)
    LEFT JOIN unit_scores se ON se.unit_id = c.unit_id AND se.year = $e_year
    LEFT JOIN unit_facts fe ON fe.unit_id = c.unit_id AND fe.year = $e_year
    LEFT JOIN unit_judgments j ON j.unit_id = c.unit_id AND j.review = $review
    LEFT JOIN comp_ratio cr ON cr.cs = c.advised_components
    LEFT JOIN recipients rc ON rc.unit_id = c.unit_id
    LEFT JOIN units ru ON ru.unit_id = rc.last_id
)"""


PERSON_MEASURES = """
m_people AS MATERIALIZED (
    SELECT pj.person_id AS subject_id, p.full_name AS subject_name, NULL::VARCHAR AS block,
        p.advised_components, 'person' AS subject_kind,
        CASE WHEN p.advised_components IS NOT NULL THEN 'advisor'
             WHEN p.unit_id IS NOT NULL THEN 'staff' ELSE 'citizen' END AS variant,
        CASE WHEN p.unit_id IS NOT NULL THEN 'staff' ELSE 'citizen' END AS base_variant,
        NULL::INTEGER AS w_from, NULL::INTEGER AS w_to,
        NULL::BIGINT AS n_years, NULL::BIGINT AS n_scored, NULL::BIGINT AS r_min,
        NULL::STRUCT("year" BIGINT, r BIGINT)[] AS ratios, NULL::VARCHAR AS missing_ratio_years,
        NULL::VARCHAR AS missing_sat_years, NULL::VARCHAR AS missing_tasks_years,
        NULL::VARCHAR AS tasks_short_years, NULL::BIGINT AS n_tasks,
        NULL::VARCHAR AS inherited_ratios, NULL::VARCHAR AS inherited_years,
        NULL::BIGINT AS window_avg_centi, NULL::BIGINT AS satisfaction_avg_centi,
        NULL::BIGINT AS end_ratio_centi, NULL::BIGINT AS prev_ratio_centi,
        NULL::VARCHAR AS prev_source,
        coalesce(pj.discipline, 'none') AS discipline,
        NULL::BOOLEAN AS head_directs, pj.outstanding, pj.has_initiative, pj.proposed_form,
        pj.initiative_recognized, pj.good_conduct,
        centi(pj.votes_pct) AS votes_centi, p.gender,
        cr.comp_end_centi, cr.comp_prev_centi,
        NULL::VARCHAR AS recipient_state, NULL::VARCHAR AS recipient_id, NULL::VARCHAR AS recipient_name,
        NULL::VARCHAR AS dissolved_name, NULL::DATE AS dissolved_on
    FROM person_judgments pj
    JOIN people p USING (person_id)
    LEFT JOIN comp_ratio cr ON cr.cs = p.advised_components
    WHERE pj.review = $review AND coalesce(pj.is_nominated, true)
)"""


def measures_ctes(*, people: bool) -> str:
    """The WITH-clause bodies defining ``m_units`` (and ``m_people``)."""
    parts = [COMPONENT_RATIOS, UNIT_MEASURES]
    if people:
        parts.append(PERSON_MEASURES)
    return ",\n".join(p.strip() for p in parts)
