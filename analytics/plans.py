"""Plan models: an emulation plan (kế hoạch thi đua) as validated, frozen data.

A plan file (``data/plans/*.toml``) declares everything the award rules need: the
classification bands, blocks, reviews and their windows, awards, categories, criteria
(chosen from the vocabulary in ``analytics.criteria``), quotas, ranking keys,
precedence, excluding discipline statuses and deadlines. Each value cites its source.
A typo in a key fails loudly, naming the key.

Here: ``Plan`` (the checks across its parts) and loading. The parts live in
``analytics.plan_rules`` and ``analytics.plan_awards``, re-exported so that every plan
name is imported from ``analytics.plans``.
"""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

from pydantic import Field, ValidationError, model_validator

from analytics.plan_awards import (
    Award,
    Block,
    Category,
    Deadlines,
    Dossier,
    ExcludingDiscipline,
    Review,
    Variant,
)
from analytics.plan_rules import (
    CRITERION_IDS,
    DISCIPLINE_VALUES,
    PERSON_JUDGMENTS,
    PERSON_VARIANTS,
    RANKING_KEYS,
    REVIEW_KINDS,
    UNIT_JUDGMENTS,
    UNIT_ONLY_CRITERIA,
    Band,
    Classification,
    Criterion,
    CriterionId,
    FrozenModel,
    SatisfactionThreshold,
    Source,
)

__all__ = [
    "CRITERION_IDS",
    "CriterionId",
    "DEFAULT_PLAN_ID",
    "DISCIPLINE_VALUES",
    "PERSON_JUDGMENTS",
    "PERSON_VARIANTS",
    "PLANS_DIR",
    "RANKING_KEYS",
    "REVIEW_KINDS",
    "UNIT_JUDGMENTS",
    "UNIT_ONLY_CRITERIA",
    "Award",
    "Band",
    "Block",
    "Category",
    "Classification",
    "Criterion",
    "Deadlines",
    "Dossier",
    "ExcludingDiscipline",
    "Plan",
    "PlanError",
    "Review",
    "SatisfactionThreshold",
    "Source",
    "Variant",
    "file_sha256",
    "list_plans",
    "load_plan",
    "plan_path",
]

PLANS_DIR = Path(__file__).resolve().parent.parent / "data" / "plans"
DEFAULT_PLAN_ID = "soc-trang-2021-2030"


class PlanError(ValueError):
    """A plan file that cannot be used; the message names the file and the key."""


class Plan(FrozenModel):
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
    dossier: Dossier | None = None
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
