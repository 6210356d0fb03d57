"""Measures over a review's window, for all units and all nominated people at once (SQL).

Percentages travel as integer hundredths (``*_centi``) so that means and ratios are
exact; the building blocks (``ratio_centi``, ``mean_centi``, ``centi``, ``centi_text``,
``active_units``) are the store's macros (``analytics.store.schema``).
"""

from __future__ import annotations

from analytics.plans.models import Plan, Review
from analytics.rules.params import Params


def review_params(plan: Plan, review: Review) -> Params:
    return Params(
        review=review.id,
        start=review.window_start,
        end=review.window_end,
        y0=plan.first_year,
        y1=plan.last_year,
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
    CROSS JOIN (SELECT $end AS year UNION ALL SELECT $end - 1) y
    LEFT JOIN province_components pc ON pc.component = m.component AND pc.year = y.year
    GROUP BY m.cs, y.year
),
comp_ratio AS (
    SELECT cs,
        max(CASE WHEN year = $end AND n_found = n_members AND mx > 0 THEN ratio_centi(s, mx) END) AS comp_end_centi,
        max(CASE WHEN year = $end - 1 AND n_found = n_members AND mx > 0 THEN ratio_centi(s, mx) END) AS comp_prev_centi
    FROM comp_year GROUP BY cs
)"""


UNIT_MEASURES = """
u AS (
    SELECT unit_id, name, block, advised_components, a_from, a_to FROM active_units($y0, $y1)
),
cand AS (
    SELECT *, greatest(a_from, $start) AS w_from, least(a_to, $end) AS w_to
    FROM u WHERE a_from <= $end AND a_to >= $end
),
wy AS (
    SELECT c.unit_id, y.year FROM cand c
    JOIN (SELECT range AS year FROM range($start, $end + 1)) y ON y.year BETWEEN c.w_from AND c.w_to
),
yr AS (
    SELECT wy.unit_id, wy.year,
        centi(s.ratio_pct) AS r,
        centi(sa.satisfaction_pct) AS sat,
        centi(f.tasks_completed_pct) AS tasks
    FROM wy
    LEFT JOIN unit_scores s ON s.unit_id = wy.unit_id AND s.year = wy.year
    LEFT JOIN satisfaction sa ON sa.unit_id = wy.unit_id AND sa.year = wy.year
    LEFT JOIN unit_facts f ON f.unit_id = wy.unit_id AND f.year = wy.year
),
agg AS (
    SELECT unit_id, count(*) AS n_years, count(r) AS n_scored, sum(r) AS r_sum, min(r) AS r_min,
        count(sat) AS n_sat, sum(sat) AS sat_sum,
        count(tasks) AS n_tasks,
        list({'year': year, 'r': r} ORDER BY year) FILTER (WHERE r IS NOT NULL) AS ratios,
        string_agg(year::VARCHAR, ', ' ORDER BY year) FILTER (WHERE r IS NULL) AS missing_ratio_years,
        string_agg(year::VARCHAR, ', ' ORDER BY year) FILTER (WHERE sat IS NULL) AS missing_sat_years,
        string_agg(year::VARCHAR, ', ' ORDER BY year) FILTER (WHERE tasks IS NULL) AS missing_tasks_years,
        string_agg(year || ' (' || centi_text(tasks) || ' %)', ', ' ORDER BY year)
            FILTER (WHERE tasks < 10000) AS tasks_short_years
    FROM yr GROUP BY unit_id
),
m_units AS MATERIALIZED (
    SELECT c.unit_id AS subject_id, c.name AS subject_name, c.block, c.advised_components,
        'unit' AS subject_kind, 'any' AS variant, c.w_from, c.w_to,
        a.n_years, a.n_scored, a.r_min, a.ratios, a.missing_ratio_years,
        a.missing_sat_years, a.missing_tasks_years, a.tasks_short_years, a.n_tasks,
        CASE WHEN a.n_scored = a.n_years THEN mean_centi(a.r_sum, a.n_years) END AS window_avg_centi,
        CASE WHEN a.n_sat = a.n_years THEN mean_centi(a.sat_sum, a.n_years) END AS satisfaction_avg_centi,
        centi(se.ratio_pct) AS end_ratio_centi,
        CASE WHEN $end - 1 >= c.a_from THEN centi(sp.ratio_pct) END AS prev_ratio_centi,
        coalesce(fe.discipline, 'none') AS discipline,
        j.head_directs, j.outstanding, j.has_initiative,
        NULL::BOOLEAN AS initiative_recognized, NULL::BOOLEAN AS good_conduct,
        NULL::BIGINT AS votes_centi,
        cr.comp_end_centi, cr.comp_prev_centi
    FROM cand c
    JOIN agg a USING (unit_id)
    LEFT JOIN unit_scores se ON se.unit_id = c.unit_id AND se.year = $end
    LEFT JOIN unit_scores sp ON sp.unit_id = c.unit_id AND sp.year = $end - 1
    LEFT JOIN unit_facts fe ON fe.unit_id = c.unit_id AND fe.year = $end
    LEFT JOIN unit_judgments j ON j.unit_id = c.unit_id AND j.review = $review
    LEFT JOIN comp_ratio cr ON cr.cs = c.advised_components
)"""


PERSON_MEASURES = """
m_people AS MATERIALIZED (
    SELECT pj.person_id AS subject_id, p.full_name AS subject_name, NULL::VARCHAR AS block,
        p.advised_components, 'person' AS subject_kind,
        CASE WHEN p.advised_components IS NOT NULL THEN 'advisor'
             WHEN p.unit_id IS NOT NULL THEN 'staff' ELSE 'citizen' END AS variant,
        NULL::INTEGER AS w_from, NULL::INTEGER AS w_to,
        NULL::BIGINT AS n_years, NULL::BIGINT AS n_scored, NULL::BIGINT AS r_min,
        NULL::STRUCT("year" BIGINT, r BIGINT)[] AS ratios, NULL::VARCHAR AS missing_ratio_years,
        NULL::VARCHAR AS missing_sat_years, NULL::VARCHAR AS missing_tasks_years,
        NULL::VARCHAR AS tasks_short_years, NULL::BIGINT AS n_tasks,
        NULL::BIGINT AS window_avg_centi, NULL::BIGINT AS satisfaction_avg_centi,
        NULL::BIGINT AS end_ratio_centi, NULL::BIGINT AS prev_ratio_centi,
        coalesce(pj.discipline, 'none') AS discipline,
        NULL::BOOLEAN AS head_directs, pj.outstanding, pj.has_initiative,
        pj.initiative_recognized, pj.good_conduct,
        centi(pj.votes_pct) AS votes_centi,
        cr.comp_end_centi, cr.comp_prev_centi
    FROM person_judgments pj
    JOIN people p USING (person_id)
    LEFT JOIN comp_ratio cr ON cr.cs = p.advised_components
    WHERE pj.review = $review
)"""


def measures_ctes(*, people: bool) -> str:
    """The WITH-clause bodies defining ``m_units`` (and ``m_people``)."""
    parts = [COMPONENT_RATIOS, UNIT_MEASURES]
    if people:
        parts.append(PERSON_MEASURES)
    return ",\n".join(p.strip() for p in parts)
