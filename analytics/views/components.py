"""The provincial PAR Index components by year, and the advisory units' combined ratios."""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.plans.models import Plan
from analytics.rules.measures import COMPONENT_RATIOS
from analytics.views.sql import ACTIVE_UNITS, plan_params, query_df, trend_sql


def component_table(
    con: duckdb.DuckDBPyConnection, plan: Plan, year: int | None = None
) -> pd.DataFrame:
    """Each component's score, max and ratio per year (all years, or only ``year``).

    ratio_pct = round_half_up(100 · score / max, 2), exact (as the award rule computes
    it); prev_ratio_pct and change_pct against the year before; trend 'up', 'down',
    'same', 'max' (ratio 100.00) or empty when the year before has no row; advisors =
    the units active that year whose advised_components contain the code (names, sorted
    the Vietnamese way).
    """
    p = plan_params(plan, year=year)
    sql = f"""
    WITH {ACTIVE_UNITS.strip()},
    pc AS (
        SELECT year, component, component_name, score, max_score,
            CASE WHEN max_score > 0 THEN ratio_centi(score, max_score) END AS r
        FROM province_components
    ),
    adv AS (
        SELECT pc.year, pc.component,
            string_agg(u.name, '; ' ORDER BY u.name COLLATE vi) AS advisors,
            list(u.unit_id ORDER BY u.name COLLATE vi) AS advisor_ids
        FROM pc JOIN u ON list_contains(string_split(u.advised_components, ';'), pc.component)
            AND pc.year BETWEEN u.a_from AND u.a_to
        GROUP BY pc.year, pc.component
    )
    SELECT c.year, c.component, c.component_name,
        c.component || ' — ' || coalesce(c.component_name, '') AS component_label,
        c.score, c.max_score,
        centi_dec(c.r) AS ratio_pct,
        centi_dec(pv.r) AS prev_ratio_pct,
        centi_dec(c.r - pv.r) AS change_pct,
        {trend_sql("c.r", "pv.r")} AS trend,
        a.advisors, a.advisor_ids
    FROM pc c
    LEFT JOIN pc pv ON pv.component = c.component AND pv.year = c.year - 1
    LEFT JOIN adv a ON a.component = c.component AND a.year = c.year
    WHERE $year IS NULL OR c.year = $year
    ORDER BY c.year, length(c.component), c.component
    """
    return query_df(con, sql, p)


def advisory_table(con: duckdb.DuckDBPyConnection, plan: Plan, year: int) -> pd.DataFrame:
    """Each advisory unit active in ``year``: the combined ratio of the components it
    advises in ``year`` and the year before, the same measure the award rule reads
    (Σscore / Σmax, unknown if an advised component has no row that year; rules.md §3).

    Columns: unit_id, name, advised_components, ratio_pct, prev_ratio_pct, change_pct,
    trend ('up', 'down', 'same', 'max' or empty), is_improved (True / False / None =
    unknown: end year strictly above the year before), missing_end, missing_prev
    (codes of the advised components without a row that year).
    """
    p = plan_params(plan, end=year, e_year=year, p_year=year - 1)
    sql = f"""
    WITH {COMPONENT_RATIOS.strip()},
    {ACTIVE_UNITS.strip()},
    miss AS (
        SELECT m.cs,
            string_agg(m.component, ', ' ORDER BY m.component) FILTER (WHERE e.component IS NULL)
                AS missing_end,
            string_agg(m.component, ', ' ORDER BY m.component) FILTER (WHERE v.component IS NULL)
                AS missing_prev
        FROM comp_members m
        LEFT JOIN province_components e ON e.component = m.component AND e.year = $end
        LEFT JOIN province_components v ON v.component = m.component AND v.year = $end - 1
        GROUP BY m.cs
    )
    SELECT u.unit_id, u.name, replace(u.advised_components, ';', ', ') AS advised_components,
        centi_dec(cr.comp_end_centi) AS ratio_pct,
        centi_dec(cr.comp_prev_centi) AS prev_ratio_pct,
        centi_dec(cr.comp_end_centi - cr.comp_prev_centi) AS change_pct,
        {trend_sql("cr.comp_end_centi", "cr.comp_prev_centi")} AS trend,
        cr.comp_end_centi > cr.comp_prev_centi AS is_improved,
        ms.missing_end, ms.missing_prev
    FROM u
    LEFT JOIN comp_ratio cr ON cr.cs = u.advised_components
    LEFT JOIN miss ms ON ms.cs = u.advised_components
    WHERE u.advised_components IS NOT NULL AND $end BETWEEN u.a_from AND u.a_to
    ORDER BY u.name COLLATE vi
    """
    return query_df(con, sql, p)
