"""A plan's award parts: blocks, reviews, awards and their categories, deadlines, exclusions."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from analytics.plan_rules import RANKING_KEYS, REVIEW_KINDS, FrozenModel, Source


class Block(FrozenModel):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    expected_units: int | None = Field(default=None, ge=0)
    source: Source


class Review(FrozenModel):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    kind: Literal["annual", "midterm", "final"]
    label: str
    window_start: int
    window_end: int
    dossier_due: dt.date | None = None
    highlight: bool = False
    source: Source

    @model_validator(mode="after")
    def _window_ordered(self) -> Review:
        if self.window_start > self.window_end:
            raise ValueError(f"review {self.id}: window_start is after window_end")
        return self


class Variant(FrozenModel):
    """For person categories: which criteria set applies to which kind of person."""

    when: Literal["advisor", "staff", "citizen", "any"]
    criteria_set: str


class Category(FrozenModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    members: str = Field(description="'block:<code>', 'advisory' or 'nominated'")
    criteria_set: str | None = None
    variants: tuple[Variant, ...] = ()
    quota: dict[str, int] | None = None
    ranking: tuple[str, ...] = ()
    superseded_by: str | None = None
    source: Source

    @model_validator(mode="after")
    def _shape(self) -> Category:
        if (self.criteria_set is None) == (not self.variants):
            raise ValueError(f"category {self.id}: give exactly one of criteria_set or variants")
        if self.quota is not None:
            for kind, n in self.quota.items():
                if kind not in REVIEW_KINDS:
                    raise ValueError(f"category {self.id}: quota for unknown review kind {kind!r}")
                if n < 0:
                    raise ValueError(f"category {self.id}: quota {kind} = {n} is negative")
        for key in self.ranking:
            if key not in RANKING_KEYS:
                raise ValueError(
                    f"category {self.id}: unknown ranking key {key!r} (known: {', '.join(RANKING_KEYS)})"
                )
        if not (self.members in ("advisory", "nominated") or self.members.startswith("block:")):
            raise ValueError(
                f"category {self.id}: members must be 'block:<code>', 'advisory' or 'nominated'"
            )
        return self

    @property
    def subject(self) -> str:
        return "person" if self.members == "nominated" else "unit"

    def variant_sets(self) -> tuple[Variant, ...]:
        if self.variants:
            return self.variants
        return (Variant(when="any", criteria_set=self.criteria_set or ""),)


class Award(FrozenModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    review_kinds: tuple[Literal["annual", "midterm", "final"], ...] = Field(min_length=1)
    categories: tuple[Category, ...] = Field(min_length=1)
    source: Source


class Deadlines(FrozenModel):
    dossier_days_after_publication: int | None = Field(default=None, ge=0)
    dossier_due: dt.date | None = None
    registration_due: dt.date | None = None
    source: Source


class Dossier(FrozenModel):
    """Who compiles and signs the proposal list (the Word form's letterhead and signature)."""

    body: str = Field(min_length=1)
    parent: str | None = None  # the body's parent authority (letterhead); default: jurisdiction
    source: Source


class ExcludingDiscipline(FrozenModel):
    values: tuple[str, ...]
    source: Source
