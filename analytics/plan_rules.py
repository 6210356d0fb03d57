"""A plan's rule parts: vocabulary, classification bands, satisfaction thresholds, criteria."""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

REVIEW_KINDS = ("annual", "midterm", "final")
DISCIPLINE_VALUES = ("none", "disciplined", "under_review", "complaint_pending", "press_unverified")
UNIT_JUDGMENTS = ("head_directs", "outstanding", "has_initiative")
PERSON_JUDGMENTS = ("outstanding", "has_initiative", "initiative_recognized", "good_conduct")
RANKING_KEYS = (
    "window_avg_pct",
    "end_ratio_pct",
    "satisfaction_avg_pct",
    "component_delta_pct",
    "component_end_pct",
    "votes_pct",
)
CriterionId = Literal[
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
CRITERION_IDS: tuple[str, ...] = get_args(CriterionId)
# Criteria that read a unit's own index data; they make no sense for a person.
UNIT_ONLY_CRITERIA = (
    "tasks_on_time",
    "window_avg_band",
    "no_year_in_band",
    "satisfaction_avg",
    "ratio_improved",
)
PERSON_VARIANTS = ("advisor", "staff", "citizen")

Source = Annotated[str, Field(min_length=3, description="where the value comes from")]


class FrozenModel(BaseModel):
    """Base of every plan model: immutable, and a key it does not know fails validation."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Band(FrozenModel):
    code: str = Field(min_length=1)
    label: str
    min_ratio_pct: float = Field(ge=0, le=100)
    source: Source


class Classification(FrozenModel):
    kind: Literal["group", "grade"]
    name: str
    bands: tuple[Band, ...] = Field(min_length=2)
    source: Source

    @model_validator(mode="after")
    def _bands_descend(self) -> Classification:
        mins = [b.min_ratio_pct for b in self.bands]
        if any(a <= b for a, b in zip(mins, mins[1:], strict=False)):
            raise ValueError(
                f"classification.bands: lower bounds must strictly decrease (best band "
                f"first) so that bands do not overlap; got {mins}"
            )
        if mins[-1] != 0:
            raise ValueError("classification.bands: the last band must start at 0")
        codes = [b.code for b in self.bands]
        if len(set(codes)) != len(codes):
            raise ValueError(f"classification.bands: duplicate band codes in {codes}")
        return self

    def band_index(self, code: str) -> int:
        """Position of a band (0 = best)."""
        for i, band in enumerate(self.bands):
            if band.code == code:
                return i
        raise KeyError(code)

    def band_of(self, ratio_pct: float | None) -> Band | None:
        if ratio_pct is None:
            return None
        for band in self.bands:
            if ratio_pct >= band.min_ratio_pct:
                return band
        return self.bands[-1]


class SatisfactionThreshold(FrozenModel):
    until_year: int
    min_pct: float = Field(ge=0, le=100)
    source: Source


class Criterion(FrozenModel):
    id: CriterionId
    field: str | None = None
    fields: tuple[str, ...] = ()
    band: str | None = None
    min_pct: float | None = Field(default=None, ge=0, le=100)
    label: str | None = None
    source: Source

    @model_validator(mode="after")
    def _params_fit(self) -> Criterion:
        needs_field = self.id == "judgment"
        needs_fields = self.id in ("any_judgment", "all_judgments")
        needs_band = self.id in ("window_avg_band", "no_year_in_band")
        if needs_field != (self.field is not None):
            raise ValueError(
                f"criterion {self.id}: 'field' is {'required' if needs_field else 'not allowed'}"
            )
        if needs_fields != bool(self.fields):
            raise ValueError(
                f"criterion {self.id}: 'fields' is {'required' if needs_fields else 'not allowed'}"
            )
        if needs_fields and len(self.fields) < 2:
            raise ValueError(f"criterion {self.id}: 'fields' needs at least two judgments")
        if needs_band != (self.band is not None):
            raise ValueError(
                f"criterion {self.id}: 'band' is {'required' if needs_band else 'not allowed'}"
            )
        if self.min_pct is not None and self.id != "satisfaction_avg":
            raise ValueError(f"criterion {self.id}: 'min_pct' is only for satisfaction_avg")
        return self

    @property
    def key(self) -> str:
        """A stable identifier inside a criteria set (used for columns and tests)."""
        if self.field:
            return f"{self.id}:{self.field}"
        if self.fields:
            return f"{self.id}:{'+'.join(self.fields)}"
        if self.band:
            return f"{self.id}:{self.band}"
        return self.id
