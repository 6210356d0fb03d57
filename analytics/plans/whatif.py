"""What-if scenarios (mô phỏng): a plan with some parameters changed.

A ``Scenario`` names the parameters a committee wants to try for one review (quotas,
band cut-offs, the satisfaction threshold, the window, the improvement rule);
``apply_scenario`` returns a new, re-validated ``Plan`` (the plan file is never
written). Who enters, leaves or moves is ``analytics.views.whatif_diff``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError

from analytics import fmt
from analytics.errors import PlanError
from analytics.plans.criteria import IMPROVEMENT_KINDS, Criterion
from analytics.plans.models import Plan

WindowMode = Literal["cumulative", "single_year"]
HistoryChoice = Literal["plan", "primary_chain", "own"]
ImprovementRule = Literal["plan", "strict", "improved_or_max"]
_IMPROVEMENT_KINDS = {
    "strict": "component_improved",
    "improved_or_max": "component_improved_or_max",
}
WHATIF_SUFFIX = "what-if"


@dataclass(frozen=True)
class Scenario:
    """Parameters to change for one review; empty fields keep the plan's values.

    ``quotas``: ((award, category, quota or None = no quota), ...) for the review's kind;
    ``band_cutoffs``: ((band code, min_ratio_pct), ...); ``history``: inherited history
    along the primary chain or each unit's own years (rules.md §11); ``award_dissolved``:
    evaluate a unit left without a recipient; ``assessed_years``: the years the index was
    assessed (e.g. every year of the span, "as written").
    """

    review_id: str
    quotas: tuple[tuple[str, str, int | None], ...] = ()
    band_cutoffs: tuple[tuple[str, float], ...] = ()
    satisfaction_min_pct: float | None = None
    window_mode: WindowMode = "cumulative"
    improvement_rule: ImprovementRule = "plan"
    history: HistoryChoice = "plan"
    award_dissolved: bool | None = None
    assessed_years: tuple[int, ...] | None = None

    @classmethod
    def build(
        cls,
        review_id: str,
        *,
        quotas: dict[tuple[str, str], int | None] | None = None,
        band_cutoffs: dict[str, float] | None = None,
        satisfaction_min_pct: float | None = None,
        window_mode: WindowMode = "cumulative",
        improvement_rule: ImprovementRule = "plan",
        history: HistoryChoice = "plan",
        award_dissolved: bool | None = None,
        assessed_years: tuple[int, ...] | None = None,
    ) -> Scenario:
        return cls(
            review_id,
            tuple(sorted((a, c, q) for (a, c), q in (quotas or {}).items())),
            tuple(sorted((band_cutoffs or {}).items())),
            satisfaction_min_pct,
            window_mode,
            improvement_rule,
            history,
            award_dissolved,
            None if assessed_years is None else tuple(sorted(assessed_years)),
        )


@dataclass(frozen=True)
class Defaults:
    """The plan's own values of every scenario parameter, for a review (the widgets' defaults)."""

    review_id: str
    quotas: dict[tuple[str, str], int | None] = field(default_factory=dict)
    category_labels: dict[tuple[str, str], str] = field(default_factory=dict)
    award_labels: dict[str, str] = field(default_factory=dict)
    bands: tuple[tuple[str, str, float], ...] = ()  # (code, label, min) except the last (0)
    satisfaction_min_pct: float | None = None  # None: the review reads no satisfaction
    window: tuple[int, int] = (0, 0)  # the window's first year and its effective end E
    has_window_choice: bool = False
    has_improvement_rule: bool = False
    assessed_years: tuple[int, ...] = ()
    span: tuple[int, int] = (0, 0)
    history: str = "primary_chain"
    award_dissolved: bool = False

    def scenario(self) -> Scenario:
        return Scenario.build(self.review_id)

    def quota_keys(self, award_id: str) -> list[tuple[str, str]]:
        """The (award, category) keys of one award, in plan order."""
        return [k for k in self.quotas if k[0] == award_id]

    @property
    def has_method_choices(self) -> bool:
        """Whether the review has any calculation choice besides quotas and cut-offs."""
        return (
            self.satisfaction_min_pct is not None
            or self.has_window_choice
            or self.has_improvement_rule
        )


def _criteria_of(plan: Plan, review_id: str) -> Iterator[Criterion]:
    review = plan.review(review_id)
    for award in plan.awards_for(review):
        for cat in award.categories:
            for v in cat.variant_sets():
                yield from plan.criteria_sets[v.criteria_set]


def defaults(plan: Plan, review_id: str) -> Defaults:
    """What the plan says for each parameter a scenario can change, for ``review_id``."""
    review = plan.review(review_id)
    quotas: dict[tuple[str, str], int | None] = {}
    cat_labels: dict[tuple[str, str], str] = {}
    award_labels: dict[str, str] = {}
    for award in plan.awards_for(review):
        award_labels[award.id] = award.label
        for cat in award.categories:
            quotas[(award.id, cat.id)] = cat.quota_for(review.kind)
            cat_labels[(award.id, cat.id)] = cat.label
    crits = list(_criteria_of(plan, review_id))
    sat = None
    if any(c.kind == "satisfaction_avg" for c in crits):
        explicit = [
            m for c in crits if c.kind == "satisfaction_avg" and (m := c.min_pct) is not None
        ]
        sat = explicit[0] if explicit else plan.satisfaction_threshold(review)
    return Defaults(
        review_id=review_id,
        quotas=quotas,
        category_labels=cat_labels,
        award_labels=award_labels,
        bands=tuple((b.code, b.label, b.min_ratio_pct) for b in plan.classification.bands[:-1]),
        satisfaction_min_pct=sat,
        window=(review.window_start, plan.effective_end(review) or review.window_end),
        has_window_choice=len(plan.window_years(review)) > 1,
        assessed_years=plan.assessed_years,
        span=(plan.first_year, plan.last_year),
        history=plan.history,
        award_dissolved=plan.award_dissolved,
        has_improvement_rule=any(c.kind in IMPROVEMENT_KINDS for c in crits),
    )


def is_default(plan: Plan, scenario: Scenario) -> bool:
    """True when the scenario changes nothing the plan says."""
    return apply_scenario(plan, scenario).model_dump(exclude={"id", "title"}) == plan.model_dump(
        exclude={"id", "title"}
    )


def assessed_options(d: Defaults, scored_years: Iterable[int]) -> dict[str, tuple[int, ...] | None]:
    """The assessed years the what-if offers (rules.md §12): the plan's own (None), every
    year of its span ("as written"), or the years the store has scores for ("as it
    happened"; None when it has none)."""
    first, last = d.span
    scored = tuple(y for y in scored_years if first <= y <= last)
    return {
        "plan": None,
        "as_written": tuple(range(first, last + 1)),
        "as_happened": scored or None,
    }


def typed_numbers(
    texts: dict[str, str | None], names: dict[str, str]
) -> tuple[dict[str, float | None], list[str]]:
    """The numbers typed in text inputs (decimal comma: '66,5'), by key (blank -> None),
    and one Vietnamese problem per unreadable text, naming its input (``names``)."""
    values: dict[str, float | None] = {}
    problems: list[str] = []
    for key, text in texts.items():
        try:
            values[key] = fmt.parse_number(text or "")
        except ValueError as exc:
            problems.append(f"{names.get(key, key)}: {exc}")
    return values, problems


def scenario_problems(plan: Plan, scenario: Scenario) -> list[str]:
    """What is wrong with a scenario's values, in Vietnamese, naming the input as the page
    labels it (the cut-offs of the groups, the quotas, the satisfaction threshold)."""
    problems: list[str] = []
    cutoffs = dict(scenario.band_cutoffs)
    bands = plan.classification.bands
    mins = [cutoffs.get(b.code, b.min_ratio_pct) for b in bands]
    for band, m in zip(bands, mins, strict=True):
        if not 0 <= m <= 100:
            problems.append(f"ngưỡng {band.label} phải từ 0 đến 100 (đang là {fmt.bound(m)})")
    for upper, lower, m_up, m_low in zip(bands, bands[1:], mins, mins[1:], strict=False):
        if m_up <= m_low:
            problems.append(
                f"ngưỡng {upper.label} ({fmt.bound(m_up)}) phải cao hơn ngưỡng {lower.label} "
                f"({fmt.bound(m_low)}): các {plan.classification.name.lower()} không được chồng nhau"
            )
    for _award, _cat, quota in scenario.quotas:
        if quota is not None and quota < 0:
            problems.append("chỉ tiêu khen thưởng không được âm")
    sat = scenario.satisfaction_min_pct
    if sat is not None and not 0 <= sat <= 100:
        problems.append(f"ngưỡng tỷ lệ hài lòng phải từ 0 đến 100 (đang là {fmt.bound(sat)})")
    return problems


def apply_scenario(plan: Plan, scenario: Scenario) -> Plan:
    """A new validated plan with the scenario's changes (id ``<plan>-what-if``).

    Raises PlanError when the changed plan is invalid (a negative quota, band cut-offs
    that no longer decrease, ...), with pydantic's message naming the key.
    """
    problems = scenario_problems(plan, scenario)
    if problems:
        raise PlanError("; ".join(problems))
    review = plan.review(scenario.review_id)
    data: dict[str, Any] = plan.model_dump()
    data["id"] = f"{plan.id}-{WHATIF_SUFFIX}"
    data["title"] = f"{plan.title} (mô phỏng)"
    quotas = {(a, c): q for a, c, q in scenario.quotas}
    for award in data["awards"]:
        if review.kind not in award["review_kinds"]:
            continue
        for cat in award["categories"]:
            key = (award["id"], cat["id"])
            if key not in quotas:
                continue
            current = dict(cat["quota"] or {})
            if quotas[key] is None:
                current.pop(review.kind, None)
            else:
                current[review.kind] = quotas[key]
            cat["quota"] = current or None
    cutoffs = dict(scenario.band_cutoffs)
    for band in data["classification"]["bands"]:
        if band["code"] in cutoffs:
            band["min_ratio_pct"] = cutoffs[band["code"]]
    new_kind = _IMPROVEMENT_KINDS.get(scenario.improvement_rule)
    for criteria in data["criteria_sets"].values():
        for c in criteria:
            if scenario.satisfaction_min_pct is not None and c["kind"] == "satisfaction_avg":
                c["min_pct"] = scenario.satisfaction_min_pct
            if new_kind and c["kind"] in IMPROVEMENT_KINDS:
                c["kind"] = new_kind
    if scenario.window_mode == "single_year":
        end = plan.effective_end(review) or review.window_end
        for r in data["reviews"]:
            if r["id"] == review.id:
                r["window_start"] = end
                r["window_end"] = max(end, r["window_end"])
    if scenario.history != "plan" or scenario.award_dissolved is not None:
        lineage = dict(data.get("lineage") or {"source": plan.source})
        if scenario.history != "plan":
            lineage["history"] = scenario.history
        if scenario.award_dissolved is not None:
            lineage["award_dissolved"] = scenario.award_dissolved
        data["lineage"] = lineage
    if scenario.assessed_years is not None:
        assessment = dict(data.get("assessment") or {"source": plan.source})
        assessment["assessed_years"] = list(scenario.assessed_years)
        data["assessment"] = assessment
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        msgs = "; ".join(
            f"{'.'.join(str(x) for x in e['loc']) or 'kế hoạch'}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        raise PlanError(f"kịch bản mô phỏng không hợp lệ: {msgs}") from exc
