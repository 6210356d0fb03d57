"""The criteria vocabulary: each criterion id of a plan compiles to two SQL expressions
over a measures row ``m``: its state (TRUE = pass, FALSE = fail, NULL = unknown; SQL's
three-valued AND/OR is exactly the rules' combination) and its evidence (Vietnamese
text with the numbers it used).
"""

from __future__ import annotations

from dataclasses import dataclass

from analytics import labels
from analytics.measures import Params, centi_text
from analytics.plans import Criterion, Plan, Review


@dataclass(frozen=True)
class CompiledCriterion:
    key: str
    label: str
    state: str
    evidence: str


def _yes_no(col: str) -> str:
    return f"CASE WHEN m.{col} IS NULL THEN 'chưa đánh giá' WHEN m.{col} THEN 'có' ELSE 'không' END"


def _band_label_sql(plan: Plan, expr: str, p: Params) -> str:
    whens = " ".join(
        f"WHEN {expr} >= {p(int(round(b.min_ratio_pct * 100)))} THEN {p(b.label)}"
        for b in plan.classification.bands
    )
    return f"CASE {whens} END"


def _pct(expr: str) -> str:
    return f"{centi_text(expr)} || ' %'"


def compile_criterion(c: Criterion, plan: Plan, review: Review, p: Params) -> CompiledCriterion:
    """SQL for one criterion of a plan, for the given review."""
    label = c.label or _default_label(c, plan)
    if c.id == "judgment":
        return CompiledCriterion(c.key, label, f"m.{c.field}", _yes_no(c.field))
    if c.id in ("any_judgment", "all_judgments"):
        op = " OR " if c.id == "any_judgment" else " AND "
        state = "(" + op.join(f"m.{f}" for f in c.fields) + ")"
        evidence = " || '; ' || ".join(
            f"{p(labels.JUDGMENTS[f])} || ': ' || {_yes_no(f)}" for f in c.fields
        )
        return CompiledCriterion(c.key, label, state, evidence)
    if c.id == "tasks_on_time":
        state = (
            "CASE WHEN m.tasks_short_years IS NOT NULL THEN false "
            "WHEN m.missing_tasks_years IS NOT NULL THEN NULL ELSE true END"
        )
        evidence = (
            "CASE WHEN m.tasks_short_years IS NOT NULL THEN 'dưới 100% năm ' || m.tasks_short_years "
            "WHEN m.missing_tasks_years IS NOT NULL THEN 'thiếu số liệu năm ' || m.missing_tasks_years "
            "ELSE '100% các năm ' || m.w_from || '–' || m.w_to END"
        )
        return CompiledCriterion(c.key, label, state, evidence)
    if c.id == "window_avg_band":
        band = plan.classification.bands[plan.classification.band_index(c.band)]
        thr = p(int(round(band.min_ratio_pct * 100)))
        state = (
            f"CASE WHEN m.window_avg_centi IS NULL THEN NULL ELSE m.window_avg_centi >= {thr} END"
        )
        need = f"{p(f'yêu cầu ≥ {_vn(band.min_ratio_pct)} % ({band.label} trở lên)')}"
        evidence = (
            f"CASE WHEN m.window_avg_centi IS NULL THEN 'thiếu Chỉ số năm ' || m.missing_ratio_years "
            f"ELSE 'trung bình ' || m.w_from || '–' || m.w_to || ': ' || {_pct('m.window_avg_centi')} "
            f"|| ' (' || {_band_label_sql(plan, 'm.window_avg_centi', p)} || '), ' || {need} END"
        )
        return CompiledCriterion(c.key, label, state, evidence)
    if c.id == "no_year_in_band":
        i = plan.classification.band_index(c.band)
        band = plan.classification.bands[i]
        # "in band i" = below the lower bound of the band above it (or any value for the best band)
        thr = p(int(round(plan.classification.bands[i - 1].min_ratio_pct * 100)) if i else 100_01)
        state = (
            f"CASE WHEN m.r_min < {thr} THEN false "
            f"WHEN m.n_scored < m.n_years THEN NULL ELSE true END"
        )
        bad = (
            f"array_to_string(list_transform(list_filter(m.ratios, lambda x: x.r < {thr}), "
            f"lambda x: x.year || ': ' || {centi_text('x.r')} || ' %'), ', ')"
        )
        evidence = (
            f"CASE WHEN m.r_min < {thr} THEN {p(band.label + ' năm ')} || {bad} "
            f"WHEN m.n_scored < m.n_years THEN 'thiếu Chỉ số năm ' || m.missing_ratio_years "
            f"ELSE 'thấp nhất ' || {_pct('m.r_min')} END"
        )
        return CompiledCriterion(c.key, label, state, evidence)
    if c.id == "satisfaction_avg":
        threshold = c.min_pct if c.min_pct is not None else plan.satisfaction_threshold(review)
        if threshold is None:
            return CompiledCriterion(
                c.key, label, "NULL::BOOLEAN", "'kế hoạch chưa quy định ngưỡng cho đợt xét này'"
            )
        thr = p(int(round(threshold * 100)))
        state = f"CASE WHEN m.satisfaction_avg_centi IS NULL THEN NULL ELSE m.satisfaction_avg_centi >= {thr} END"
        evidence = (
            f"CASE WHEN m.satisfaction_avg_centi IS NULL THEN 'thiếu tỷ lệ hài lòng năm ' || m.missing_sat_years "
            f"ELSE 'trung bình ' || m.w_from || '–' || m.w_to || ': ' || {_pct('m.satisfaction_avg_centi')} "
            f"|| ', yêu cầu ≥ ' || {p(_vn(threshold))} || ' %' END"
        )
        return CompiledCriterion(c.key, label, state, evidence)
    if c.id in ("component_improved", "component_improved_or_max"):
        at_max = c.id == "component_improved_or_max"
        state = (
            ("CASE WHEN m.comp_end_centi = 10000 THEN true " if at_max else "CASE ")
            + "WHEN m.comp_end_centi IS NULL OR m.comp_prev_centi IS NULL THEN NULL "
            "ELSE m.comp_end_centi > m.comp_prev_centi END"
        )
        evidence = (
            "CASE WHEN m.advised_components IS NULL THEN 'không có chỉ số thành phần tham mưu' "
            "ELSE 'chỉ số thành phần ' || replace(m.advised_components, ';', ', ') || ': ' || "
            f"$end || ' = ' || coalesce({_pct('m.comp_end_centi')}, 'chưa có') || ', ' || "
            f"($end - 1) || ' = ' || coalesce({_pct('m.comp_prev_centi')}, 'chưa có') END"
        )
        return CompiledCriterion(c.key, label, state, evidence)
    if c.id == "ratio_improved":
        state = (
            "CASE WHEN m.end_ratio_centi IS NULL OR m.prev_ratio_centi IS NULL THEN NULL "
            "ELSE m.end_ratio_centi > m.prev_ratio_centi END"
        )
        evidence = (
            f"$end || ': ' || coalesce({_pct('m.end_ratio_centi')}, 'chưa có') || ', ' || ($end - 1) "
            f"|| ': ' || coalesce({_pct('m.prev_ratio_centi')}, 'chưa có')"
        )
        return CompiledCriterion(c.key, label, state, evidence)
    raise ValueError(f"criterion {c.id!r} is not in the vocabulary")


def _vn(x: float) -> str:
    """80.0 -> '80', 82.5 -> '82,5' (Vietnamese decimal comma)."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _default_label(c: Criterion, plan: Plan) -> str:
    if c.id == "judgment":
        return labels.JUDGMENTS[c.field]
    if c.id == "any_judgment":
        return " hoặc ".join(labels.JUDGMENTS[f] for f in c.fields)
    if c.id == "all_judgments":
        return " và ".join(labels.JUDGMENTS[f] for f in c.fields)
    if c.id == "window_avg_band":
        band = plan.classification.bands[plan.classification.band_index(c.band)]
        return f"{labels.CRITERIA[c.id]} đạt {band.label} trở lên"
    if c.id == "no_year_in_band":
        band = plan.classification.bands[plan.classification.band_index(c.band)]
        return f"{labels.CRITERIA[c.id]} xếp loại {band.label}"
    return labels.CRITERIA[c.id]
