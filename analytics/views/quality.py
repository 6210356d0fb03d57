"""Data-quality warnings for the Dữ liệu page (set-based SQL).

Warnings never change a result: they point at data a person should look at (a missing
year makes a window average unknown; a row outside a unit's active years is kept but
ignored by every measure, rules.md §2; an outlier may be a typing error).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.plans.models import Plan

# A year-on-year change of a unit's ratio larger than this many percentage points (wider
# than any group band of the Sóc Trăng scale) is rare for a PAR Index; it is often a typing error
# or a wrong maximum score, so it is worth a second look. (Threshold set by the project
# brief, not by either seed.)
JUMP_POINTS = 20
# A ratio further than this many sample standard deviations from its block's mean that
# year (the classic 3-sigma rule; also the project brief's figure). Needs at least
# MIN_BLOCK_UNITS ratios in the block-year for the spread to mean anything.
OUTLIER_SD = 3
MIN_BLOCK_UNITS = 3

KINDS: dict[str, str] = {
    "missing_year": "Thiếu Chỉ số CCHC một năm",
    "no_scores": "Chưa có Chỉ số CCHC năm nào",
    "outside_active": "Số liệu ngoài thời gian hoạt động (giữ lại, không dùng)",
    "jump": f"Chỉ số thay đổi hơn {JUMP_POINTS} điểm % so với năm trước",
    "block_outlier": f"Chỉ số cách trung bình khối quá {OUTLIER_SD} độ lệch chuẩn",
    "component_missing": "Thiếu chỉ số thành phần tham mưu của tỉnh",
}

_SQL = """
WITH u AS (
    SELECT unit_id, name, block, advised_components, a_from, a_to FROM active_units($y0, $y1)
),
score_years AS (SELECT DISTINCT year FROM unit_scores),
r AS (
    SELECT s.year, s.unit_id, u.block, s.ratio_pct
    FROM unit_scores s JOIN u USING (unit_id)
    WHERE s.year BETWEEN u.a_from AND u.a_to
),
missing_year AS (
    SELECT 'missing_year' AS kind, u.unit_id, u.name, y.year,
        'không có Chỉ số CCHC năm ' || y.year || ' (đơn vị hoạt động năm đó; các đơn vị khác đã có)'
            AS detail
    FROM u JOIN score_years y ON y.year BETWEEN u.a_from AND u.a_to
    WHERE EXISTS (SELECT 1 FROM unit_scores s WHERE s.unit_id = u.unit_id)
      AND NOT EXISTS (SELECT 1 FROM unit_scores s WHERE s.unit_id = u.unit_id AND s.year = y.year)
),
no_scores AS (
    SELECT 'no_scores', u.unit_id, u.name, NULL::INTEGER,
        'đơn vị chưa có điểm Chỉ số CCHC năm nào (hoạt động ' || u.a_from || '–' || u.a_to || ')'
    FROM u WHERE NOT EXISTS (SELECT 1 FROM unit_scores s WHERE s.unit_id = u.unit_id)
      -- only in blocks that have an index at all (Như Quỳnh's collectives have none)
      AND u.block IN (SELECT DISTINCT block FROM unit_scores JOIN units USING (unit_id))
),
rows_by_year AS (
    SELECT unit_id, year, 'Chỉ số CCHC' AS what FROM unit_scores
    UNION ALL SELECT unit_id, year, 'tỷ lệ hài lòng' FROM satisfaction
    UNION ALL SELECT unit_id, year, 'nhiệm vụ/kỷ luật' FROM unit_facts
),
outside_active AS (
    SELECT 'outside_active', u.unit_id, u.name, x.year,
        'có ' || string_agg(x.what, ', ' ORDER BY x.what) || ' năm ' || x.year
        || ' nhưng đơn vị chỉ hoạt động ' || u.a_from || '–' || u.a_to
        || ' (dòng được giữ nhưng không dùng khi xét)'
    FROM rows_by_year x JOIN u USING (unit_id)
    WHERE x.year NOT BETWEEN u.a_from AND u.a_to
    GROUP BY u.unit_id, u.name, x.year, u.a_from, u.a_to
),
jump AS (
    SELECT 'jump', a.unit_id, u.name, a.year,
        'Chỉ số ' || (a.year - 1) || ': ' || replace(b.ratio_pct::VARCHAR, '.', ',') || ' %, '
        || a.year || ': ' || replace(a.ratio_pct::VARCHAR, '.', ',') || ' % (thay đổi '
        || replace((a.ratio_pct - b.ratio_pct)::VARCHAR, '.', ',') || ' điểm %)'
    FROM r a JOIN r b ON b.unit_id = a.unit_id AND b.year = a.year - 1
    JOIN u ON u.unit_id = a.unit_id
    WHERE abs(a.ratio_pct - b.ratio_pct) > $jump
),
block_stats AS (
    SELECT block, year, avg(ratio_pct) AS mean, stddev_samp(ratio_pct) AS sd, count(*) AS n
    FROM r GROUP BY block, year
),
block_outlier AS (
    SELECT 'block_outlier', r.unit_id, u.name, r.year,
        'Chỉ số ' || replace(r.ratio_pct::VARCHAR, '.', ',') || ' %; trung bình khối năm '
        || r.year || ': ' || replace(round(st.mean, 2)::DECIMAL(6,2)::VARCHAR, '.', ',')
        || ' %, độ lệch chuẩn ' || replace(round(st.sd, 2)::DECIMAL(6,2)::VARCHAR, '.', ',')
    FROM r JOIN block_stats st USING (block, year) JOIN u ON u.unit_id = r.unit_id
    WHERE st.n >= $min_n AND st.sd > 0 AND abs(r.ratio_pct - st.mean) > $sd * st.sd
),
comp_years AS (SELECT DISTINCT year FROM province_components),
advised AS (
    SELECT u.unit_id, u.name, u.a_from, u.a_to, trim(c.component) AS component
    FROM u, unnest(string_split(u.advised_components, ';')) AS c(component)
    WHERE u.advised_components IS NOT NULL AND trim(c.component) <> ''
),
component_missing AS (
    SELECT 'component_missing', a.unit_id, a.name, y.year,
        'chưa có chỉ số thành phần ' || string_agg(a.component, ', ' ORDER BY a.component)
        || ' của tỉnh năm ' || y.year || ' (không tính được chỉ số thành phần tham mưu)'
    FROM advised a JOIN comp_years y ON y.year BETWEEN a.a_from AND a.a_to
    WHERE NOT EXISTS (
        SELECT 1 FROM province_components pc WHERE pc.component = a.component AND pc.year = y.year)
    GROUP BY a.unit_id, a.name, y.year
)
SELECT * FROM missing_year
UNION ALL SELECT * FROM no_scores
UNION ALL SELECT * FROM outside_active
UNION ALL SELECT * FROM jump
UNION ALL SELECT * FROM block_outlier
UNION ALL SELECT * FROM component_missing
"""


def quality_warnings(con: duckdb.DuckDBPyConnection, plan: Plan) -> pd.DataFrame:
    """Every warning as a row: kind, unit_id, name, year (blank if none), detail."""
    rows = con.execute(
        _SQL,
        {
            "y0": plan.first_year,
            "y1": plan.last_year,
            "jump": JUMP_POINTS,
            "sd": OUTLIER_SD,
            "min_n": MIN_BLOCK_UNITS,
        },
    ).fetchall()
    df = pd.DataFrame(rows, columns=["kind", "unit_id", "name", "year", "detail"])
    df["year"] = df["year"].astype("Int64")
    order = {k: i for i, k in enumerate(KINDS)}
    df["_k"] = df["kind"].map(order)
    df = df.sort_values(["_k", "unit_id", "year"], na_position="first").drop(columns="_k")
    return df.reset_index(drop=True)


def warnings_display(df: pd.DataFrame) -> pd.DataFrame:
    """Warnings with Vietnamese headers and kind labels."""
    out = pd.DataFrame(
        {
            "Loại cảnh báo": df["kind"].map(lambda k: KINDS.get(k, k)),
            "Tên đơn vị": df["name"],
            "Năm": ["" if pd.isna(y) else str(int(y)) for y in df["year"]],
            "Chi tiết": df["detail"],
        }
    )
    return out


def warning_counts(df: pd.DataFrame) -> dict[str, int]:
    counts = df["kind"].value_counts()
    return {k: int(counts.get(k, 0)) for k in KINDS}
