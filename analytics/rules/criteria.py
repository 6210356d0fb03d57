"""Compiling criteria to SQL: each criterion kind of ``analytics.plans.criteria`` has one
compiler in ``COMPILERS`` giving two SQL expressions over a measures row ``m``: its state
(TRUE = pass, FALSE = fail, NULL = unknown; SQL's three-valued AND/OR is exactly the
rules' combination) and its evidence (Vietnamese text with the numbers it used).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from analytics import fmt, labels
from analytics.plans.criteria import (
    AllJudgments,
    AnyJudgment,
    ComponentImproved,
    ComponentImprovedOrMax,
    Criterion,
    Judgment,
    NoYearInBand,
    RatioImproved,
    SatisfactionAvg,
    TasksOnTime,
    WindowAvgBand,
)
from analytics.plans.models import Plan, Review
from analytics.rules.params import Params


@dataclass(frozen=True)
class CompiledCriterion:
    key: str
    label: str
    state: str
    evidence: str


@dataclass(frozen=True)
class Context:
    """What every compiler may read: the plan, the review and the query's parameters."""

    plan: Plan
    review: Review
    p: Params

    def band_mins(self) -> str:
        return self.p(self.plan.classification.mins_centi, "band_mins_centi")

    def band_labels(self) -> str:
        return self.p([b.label for b in self.plan.classification.bands], "band_labels")


# What a window reading adds when some years come from a predecessor (rules.md §11).
INHERITED_RATIOS = "coalesce('; kế thừa: ' || m.inherited_ratios, '')"
INHERITED_YEARS = "coalesce('; số liệu kế thừa năm ' || m.inherited_years, '')"
# The comparison year P in words ("năm trước" when there is none).
P_YEAR = "coalesce($p_year::VARCHAR, 'năm so sánh')"


def _yes_no(col: str) -> str:
    return f"CASE WHEN m.{col} IS NULL THEN 'chưa đánh giá' WHEN m.{col} THEN 'có' ELSE 'không' END"


def _pct(expr: str) -> str:
    return f"centi_text({expr}) || ' %'"


def _judgment(c: Judgment, ctx: Context) -> tuple[str, str]:
    return f"m.{c.field}", _yes_no(c.field)


def _judgments(c: AnyJudgment | AllJudgments, ctx: Context) -> tuple[str, str]:
    op = " OR " if c.kind == "any_judgment" else " AND "
    state = "(" + op.join(f"m.{f}" for f in c.fields) + ")"
    evidence = " || '; ' || ".join(
        f"{ctx.p(labels.JUDGMENTS[f], f'label_{f}')} || ': ' || {_yes_no(f)}" for f in c.fields
    )
    return state, evidence


def _tasks_on_time(c: TasksOnTime, ctx: Context) -> tuple[str, str]:
    state = (
        "CASE WHEN m.tasks_short_years IS NOT NULL THEN false "
        "WHEN m.missing_tasks_years IS NOT NULL THEN NULL ELSE true END"
    )
    evidence = (
        "CASE WHEN m.tasks_short_years IS NOT NULL THEN 'dưới 100% năm ' || m.tasks_short_years "
        "WHEN m.missing_tasks_years IS NOT NULL THEN 'thiếu số liệu năm ' || m.missing_tasks_years "
        "ELSE '100% các năm ' || m.w_from || '–' || m.w_to END"
        f" || {INHERITED_YEARS}"
    )
    return state, evidence


def _window_avg_band(c: WindowAvgBand, ctx: Context) -> tuple[str, str]:
    band = ctx.plan.classification.bands[ctx.plan.classification.band_index(c.band)]
    thr = ctx.p(int(round(band.min_ratio_pct * 100)), f"band_{band.code}_min_centi")
    state = f"CASE WHEN m.window_avg_centi IS NULL THEN NULL ELSE m.window_avg_centi >= {thr} END"
    need = ctx.p(
        f"yêu cầu ≥ {_vn(band.min_ratio_pct)} % ({band.label} trở lên)", f"need_band_{band.code}"
    )
    evidence = (
        f"CASE WHEN m.window_avg_centi IS NULL THEN 'thiếu Chỉ số năm ' || m.missing_ratio_years "
        f"ELSE 'trung bình ' || m.w_from || '–' || m.w_to || ': ' || {_pct('m.window_avg_centi')} "
        f"|| ' (' || band_label(m.window_avg_centi, {ctx.band_mins()}, {ctx.band_labels()}) "
        f"|| '), ' || {need} END || {INHERITED_RATIOS}"
    )
    return state, evidence


def _no_year_in_band(c: NoYearInBand, ctx: Context) -> tuple[str, str]:
    bands = ctx.plan.classification.bands
    i = ctx.plan.classification.band_index(c.band)
    band = bands[i]
    # "in band i" = below the lower bound of the band above it (or any value for the best band)
    thr = ctx.p(
        int(round(bands[i - 1].min_ratio_pct * 100)) if i else 100_01,
        f"band_{band.code}_below_centi",
    )
    state = (
        f"CASE WHEN m.r_min < {thr} THEN false WHEN m.n_scored < m.n_years THEN NULL ELSE true END"
    )
    bad = (
        f"array_to_string(list_transform(list_filter(m.ratios, lambda x: x.r < {thr}), "
        f"lambda x: x.year || ': ' || centi_text(x.r) || ' %'), ', ')"
    )
    evidence = (
        f"CASE WHEN m.r_min < {thr} THEN {ctx.p(band.label + ' năm ', f'band_{band.code}_years')} || {bad} "
        f"WHEN m.n_scored < m.n_years THEN 'thiếu Chỉ số năm ' || m.missing_ratio_years "
        f"ELSE 'thấp nhất ' || {_pct('m.r_min')} END || {INHERITED_RATIOS}"
    )
    return state, evidence


def _satisfaction_avg(c: SatisfactionAvg, ctx: Context) -> tuple[str, str]:
    threshold = c.min_pct if c.min_pct is not None else ctx.plan.satisfaction_threshold(ctx.review)
    if threshold is None:
        return "NULL::BOOLEAN", "'kế hoạch chưa quy định ngưỡng cho đợt xét này'"
    thr = ctx.p(int(round(threshold * 100)), "satisfaction_min_centi")
    state = f"CASE WHEN m.satisfaction_avg_centi IS NULL THEN NULL ELSE m.satisfaction_avg_centi >= {thr} END"
    evidence = (
        f"CASE WHEN m.satisfaction_avg_centi IS NULL THEN 'thiếu tỷ lệ hài lòng năm ' || m.missing_sat_years "
        f"ELSE 'trung bình ' || m.w_from || '–' || m.w_to || ': ' || {_pct('m.satisfaction_avg_centi')} "
        f"|| ', yêu cầu ≥ ' || {ctx.p(_vn(threshold), 'satisfaction_min_text')} || ' %' END"
        f" || {INHERITED_YEARS}"
    )
    return state, evidence


def _component_improved(
    c: ComponentImproved | ComponentImprovedOrMax, ctx: Context
) -> tuple[str, str]:
    at_max = c.kind == "component_improved_or_max"
    state = (
        ("CASE WHEN m.comp_end_centi = 10000 THEN true " if at_max else "CASE ")
        + "WHEN m.comp_end_centi IS NULL OR m.comp_prev_centi IS NULL THEN NULL "
        "ELSE m.comp_end_centi > m.comp_prev_centi END"
    )
    evidence = (
        "CASE WHEN m.advised_components IS NULL THEN 'không có chỉ số thành phần tham mưu' "
        "ELSE 'chỉ số thành phần ' || replace(m.advised_components, ';', ', ') || ': ' || "
        f"$e_year || ' = ' || coalesce({_pct('m.comp_end_centi')}, 'chưa có') || ', ' || "
        f"{P_YEAR} || ' = ' || coalesce({_pct('m.comp_prev_centi')}, 'chưa có') END"
    )
    return state, evidence


def _ratio_improved(c: RatioImproved, ctx: Context) -> tuple[str, str]:
    state = (
        "CASE WHEN m.end_ratio_centi IS NULL OR m.prev_ratio_centi IS NULL THEN NULL "
        "ELSE m.end_ratio_centi > m.prev_ratio_centi END"
    )
    evidence = (
        f"$e_year || ': ' || coalesce({_pct('m.end_ratio_centi')}, 'chưa có') || ', ' || {P_YEAR} "
        f"|| ': ' || coalesce({_pct('m.prev_ratio_centi')}, 'chưa có') "
        "|| coalesce(' (' || m.prev_source || ')', '')"
    )
    return state, evidence


# One compiler per criterion kind (a test checks that every kind of the union has one).
COMPILERS: dict[str, Callable[[Any, Context], tuple[str, str]]] = {
    "judgment": _judgment,
    "any_judgment": _judgments,
    "all_judgments": _judgments,
    "tasks_on_time": _tasks_on_time,
    "window_avg_band": _window_avg_band,
    "no_year_in_band": _no_year_in_band,
    "satisfaction_avg": _satisfaction_avg,
    "component_improved": _component_improved,
    "component_improved_or_max": _component_improved,
    "ratio_improved": _ratio_improved,
}


def compile_criterion(c: Criterion, plan: Plan, review: Review, p: Params) -> CompiledCriterion:
    """SQL for one criterion of a plan, for the given review."""
    state, evidence = COMPILERS[c.kind](c, Context(plan, review, p))
    return CompiledCriterion(c.key, c.label or default_label(c, plan), state, evidence)


def _vn(x: float) -> str:
    """80.0 -> '80', 82.5 -> '82,5' (Vietnamese decimal comma)."""
    return fmt.bound(x)


def default_label(c: Criterion, plan: Plan) -> str:
    """The criterion's Vietnamese label when the plan gives none."""
    if isinstance(c, Judgment):
        return labels.JUDGMENTS[c.field]
    if isinstance(c, AnyJudgment):
        return " hoặc ".join(labels.JUDGMENTS[f] for f in c.fields)
    if isinstance(c, AllJudgments):
        return " và ".join(labels.JUDGMENTS[f] for f in c.fields)
    if isinstance(c, WindowAvgBand | NoYearInBand):
        band = plan.classification.bands[plan.classification.band_index(c.band)]
        word = "đạt" if isinstance(c, WindowAvgBand) else "xếp loại"
        suffix = " trở lên" if isinstance(c, WindowAvgBand) else ""
        return f"{labels.CRITERIA[c.kind]} {word} {band.label}{suffix}"
    return labels.CRITERIA[c.kind]
