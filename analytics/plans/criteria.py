"""The criteria a plan may use, one model per kind (a discriminated union on ``kind``).

Each kind's parameters are checked by its own model; ``analytics.rules.criteria``
compiles each kind to SQL through a dispatch table keyed by the same ``kind``.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import Field

from analytics.plans.base import Sourced


class CriterionBase(Sourced):
    label: str | None = None

    @property
    def key(self) -> str:
        """A stable identifier inside a criteria set (columns, tests, the detail view)."""
        return str(getattr(self, "kind"))  # noqa: B009 (every subclass declares kind)

    @property
    def judgments(self) -> tuple[str, ...]:
        """The judgment fields the criterion reads (none for a measured criterion)."""
        return ()


class TasksOnTime(CriterionBase):
    """Every window year's CCHC tasks completed 100 % (rules.md §3)."""

    kind: Literal["tasks_on_time"]


class Judgment(CriterionBase):
    """One judgment of the committee (blank = unknown)."""

    kind: Literal["judgment"]
    field: str

    @property
    def key(self) -> str:
        return f"judgment:{self.field}"

    @property
    def judgments(self) -> tuple[str, ...]:
        return (self.field,)


class AnyJudgment(CriterionBase):
    """Three-valued OR of judgments."""

    kind: Literal["any_judgment"]
    fields: tuple[str, ...] = Field(min_length=2)

    @property
    def key(self) -> str:
        return f"any_judgment:{'+'.join(self.fields)}"

    @property
    def judgments(self) -> tuple[str, ...]:
        return self.fields


class AllJudgments(CriterionBase):
    """Three-valued AND of judgments."""

    kind: Literal["all_judgments"]
    fields: tuple[str, ...] = Field(min_length=2)

    @property
    def key(self) -> str:
        return f"all_judgments:{'+'.join(self.fields)}"

    @property
    def judgments(self) -> tuple[str, ...]:
        return self.fields


class WindowAvgBand(CriterionBase):
    """The window average in ``band`` or better."""

    kind: Literal["window_avg_band"]
    band: str = Field(min_length=1)

    @property
    def key(self) -> str:
        return f"window_avg_band:{self.band}"


class NoYearInBand(CriterionBase):
    """No known window year in ``band`` or worse."""

    kind: Literal["no_year_in_band"]
    band: str = Field(min_length=1)

    @property
    def key(self) -> str:
        return f"no_year_in_band:{self.band}"


class SatisfactionAvg(CriterionBase):
    """The satisfaction average at least ``min_pct`` (default: the review's threshold)."""

    kind: Literal["satisfaction_avg"]
    min_pct: float | None = Field(default=None, ge=0, le=100)


class ComponentImproved(CriterionBase):
    """The advised components' combined ratio rose from the comparison year."""

    kind: Literal["component_improved"]


class ComponentImprovedOrMax(CriterionBase):
    """Rose, or the end-year combined ratio is 100,00."""

    kind: Literal["component_improved_or_max"]


class RatioImproved(CriterionBase):
    """The unit's own ratio rose from the comparison year."""

    kind: Literal["ratio_improved"]


Criterion = Annotated[
    TasksOnTime
    | Judgment
    | AnyJudgment
    | AllJudgments
    | WindowAvgBand
    | NoYearInBand
    | SatisfactionAvg
    | ComponentImproved
    | ComponentImprovedOrMax
    | RatioImproved,
    Field(discriminator="kind"),
]
CriterionKind = Literal[
    "tasks_on_time",
    "judgment",
    "any_judgment",
    "all_judgments",
    "window_avg_band",
    "no_year_in_band",
    "satisfaction_avg",
    "component_improved",
    "component_improved_or_max",
    "ratio_improved",
]
CRITERION_KINDS: tuple[str, ...] = get_args(CriterionKind)
# Criteria that read a unit's own index data; they make no sense for a person.
UNIT_ONLY_KINDS: tuple[str, ...] = (
    "tasks_on_time",
    "window_avg_band",
    "no_year_in_band",
    "satisfaction_avg",
    "ratio_improved",
)
IMPROVEMENT_KINDS: tuple[str, ...] = ("component_improved", "component_improved_or_max")
