"""Plan models: an emulation plan (kế hoạch thi đua) as validated, frozen data.

A plan file (``data/plans/*.toml``) declares everything the award rules need: the
classification bands, blocks, reviews and their windows, awards, categories, criteria
(chosen from the vocabulary in ``analytics.criteria``), quotas, ranking keys,
precedence, excluding discipline statuses and deadlines. Each value cites its source.
A typo in a key fails loudly, naming the key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

PLANS_DIR = Path(__file__).resolve().parent.parent / "data" / "plans"
DEFAULT_PLAN_ID = "soc-trang-2021-2030"

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
CRITERION_IDS = (
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
)
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


class PlanError(ValueError):
    """A plan file that cannot be used; the message names the file and the key."""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Band(_Model):
    code: str = Field(min_length=1)
    label: str
    min_ratio_pct: float = Field(ge=0, le=100)
    source: Source


class Classification(_Model):
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


class Block(_Model):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    expected_units: int | None = Field(default=None, ge=0)
    source: Source


class SatisfactionThreshold(_Model):
    until_year: int
    min_pct: float = Field(ge=0, le=100)
    source: Source


class Review(_Model):
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


class Criterion(_Model):
    id: Literal[
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


class Variant(_Model):
    """For person categories: which criteria set applies to which kind of person."""

    when: Literal["advisor", "staff", "citizen", "any"]
    criteria_set: str


class Category(_Model):
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


class Award(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    review_kinds: tuple[Literal["annual", "midterm", "final"], ...] = Field(min_length=1)
    categories: tuple[Category, ...] = Field(min_length=1)
    source: Source


class Deadlines(_Model):
    dossier_days_after_publication: int | None = Field(default=None, ge=0)
    dossier_due: dt.date | None = None
    registration_due: dt.date | None = None
    source: Source


class ExcludingDiscipline(_Model):
    values: tuple[str, ...]
    source: Source


class Plan(_Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    jurisdiction: str
    source: Source
    first_year: int = Field(ge=1990, le=2100)
    last_year: int = Field(ge=1990, le=2100)
    classification: Classification
    blocks: tuple[Block, ...] = Field(min_length=1)
    satisfaction_thresholds: tuple[SatisfactionThreshold, ...] = ()
    excluding_discipline: ExcludingDiscipline
    deadlines: Deadlines
    reviews: tuple[Review, ...] = Field(min_length=1)
    criteria_sets: dict[str, tuple[Criterion, ...]]
    awards: tuple[Award, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Plan:
        errors: list[str] = []
        if self.first_year > self.last_year:
            errors.append("first_year is after last_year")
        block_codes = [b.code for b in self.blocks]
        if len(set(block_codes)) != len(block_codes):
            errors.append(f"duplicate block codes in {block_codes}")
        review_ids = [r.id for r in self.reviews]
        if len(set(review_ids)) != len(review_ids):
            errors.append("duplicate review ids")
        for r in self.reviews:
            if not (self.first_year <= r.window_start and r.window_end <= self.last_year):
                errors.append(
                    f"review {r.id}: window {r.window_start}-{r.window_end} is outside the plan's years"
                )
        for value in self.excluding_discipline.values:
            if value not in DISCIPLINE_VALUES or value == "none":
                errors.append(f"excluding_discipline: unknown status {value!r}")
        years = [t.until_year for t in self.satisfaction_thresholds]
        if years != sorted(years) or len(set(years)) != len(years):
            errors.append("satisfaction_thresholds: until_year must strictly increase")
        band_codes = {b.code for b in self.classification.bands}
        for set_id, criteria in self.criteria_sets.items():
            if not criteria:
                errors.append(f"criteria_sets.{set_id}: empty")
            keys = [c.key for c in criteria]
            if len(set(keys)) != len(keys):
                errors.append(f"criteria_sets.{set_id}: a criterion is listed twice")
            for c in criteria:
                if c.band is not None and c.band not in band_codes:
                    errors.append(f"criteria_sets.{set_id}: {c.id} names unknown band {c.band!r}")
        award_ids = [a.id for a in self.awards]
        if len(set(award_ids)) != len(award_ids):
            errors.append("duplicate award ids")
        for award in self.awards:
            cat_ids = [c.id for c in award.categories]
            if len(set(cat_ids)) != len(cat_ids):
                errors.append(f"award {award.id}: duplicate category ids")
            for cat in award.categories:
                where = f"award {award.id}, category {cat.id}"
                if cat.members.startswith("block:") and cat.members[6:] not in block_codes:
                    errors.append(f"{where}: unknown block {cat.members[6:]!r}")
                if cat.subject == "unit" and cat.variants:
                    errors.append(
                        f"{where}: variants are for person categories (members = 'nominated')"
                    )
                for v in cat.variant_sets():
                    errors.extend(self._check_set(where, cat, v.criteria_set))
                if cat.superseded_by is not None:
                    target = next((c for c in award.categories if c.id == cat.superseded_by), None)
                    if target is None or target.id == cat.id or target.subject != "unit":
                        errors.append(
                            f"{where}: superseded_by names no other unit category of the award"
                        )
                    elif target.superseded_by is not None:
                        errors.append(
                            f"{where}: precedence may not chain ({target.id} is itself superseded)"
                        )
                if cat.quota is not None:
                    for kind in cat.quota:
                        if kind not in award.review_kinds:
                            errors.append(
                                f"{where}: quota for {kind!r}, a review kind the award is not given in"
                            )
        if errors:
            raise ValueError("; ".join(errors))
        return self

    def _check_set(self, where: str, cat: Category, set_id: str) -> list[str]:
        if set_id not in self.criteria_sets:
            return [f"{where}: unknown criteria_set {set_id!r}"]
        errors = []
        allowed = PERSON_JUDGMENTS if cat.subject == "person" else UNIT_JUDGMENTS
        for c in self.criteria_sets[set_id]:
            if cat.subject == "person" and c.id in UNIT_ONLY_CRITERIA:
                errors.append(f"{where}: criterion {c.id} applies to units, not people")
            for f in (c.field,) + c.fields if c.field else c.fields:
                if f not in allowed:
                    errors.append(f"{where}: unknown judgment {f!r} (known: {', '.join(allowed)})")
        return errors

    # --- look-ups ---------------------------------------------------------------------
    def review(self, review_id: str) -> Review:
        for r in self.reviews:
            if r.id == review_id:
                return r
        known = ", ".join(r.id for r in self.reviews)
        raise KeyError(f"plan {self.id} has no review {review_id!r} (reviews: {known})")

    def satisfaction_threshold(self, review: Review) -> float | None:
        for t in self.satisfaction_thresholds:
            if review.window_end <= t.until_year:
                return t.min_pct
        return None

    def awards_for(self, review: Review) -> tuple[Award, ...]:
        return tuple(a for a in self.awards if review.kind in a.review_kinds)

    def block(self, code: str) -> Block:
        for b in self.blocks:
            if b.code == code:
                return b
        raise KeyError(code)


def plan_path(plan: str) -> Path:
    """Resolve a plan id (``soc-trang-2021-2030``) or a file path to the TOML file."""
    p = Path(plan)
    if p.suffix == ".toml" or p.exists():
        return p
    return PLANS_DIR / f"{plan}.toml"


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _describe(err: ValidationError, path: Path) -> str:
    lines = []
    for e in err.errors():
        loc = ".".join(str(x) for x in e["loc"]) or "(top level)"
        msg = e["msg"].removeprefix("Value error, ")
        if e["type"] == "extra_forbidden":
            msg = "unknown key (typo?)"
        lines.append(f"  {loc}: {msg}")
    return f"plan file {path}: invalid\n" + "\n".join(lines)


def load_plan(plan: str | Path) -> Plan:
    """Load and validate a plan by id or path; raises PlanError with a clear message."""
    path = plan_path(str(plan))
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in PLANS_DIR.glob("*.toml")))
        raise PlanError(f"plan {plan!r} not found (no file {path}); known plans: {known}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PlanError(f"plan file {path}: not valid TOML: {exc}") from exc
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        raise PlanError(_describe(exc, path)) from exc


def list_plans() -> list[Plan]:
    """The plans shipped in data/plans, in file-name order."""
    return [load_plan(p) for p in sorted(PLANS_DIR.glob("*.toml"))]
