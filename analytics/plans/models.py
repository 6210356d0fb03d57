"""The plan model: everything a plan file declares, validated and frozen.

A plan (``data/plans/*.toml``) declares its documents, the classification bands, blocks,
satisfaction thresholds, the discipline statuses that exclude, deadlines, reviews and
their windows, criteria sets (``analytics.plans.criteria``) and awards with their
categories, quotas, ranking keys and precedence. Each value cites its source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from pydantic import Field, model_validator

from analytics.errors import UnknownReview
from analytics.plans.base import FrozenModel, Sourced, cited_documents
from analytics.plans.criteria import UNIT_ONLY_KINDS, Criterion
from analytics.plans.vocabulary import (
    DISCIPLINE_VALUES,
    PERSON_JUDGMENTS,
    UNIT_JUDGMENTS,
    History,
    RankingKey,
    ReviewKind,
)

CODE = r"^[a-z][a-z0-9_]*$"
PLAN_ID = r"^[a-z0-9][a-z0-9-]*$"


class Document(FrozenModel):
    """A document the plan's values cite: the plan itself, a decree, a law."""

    id: str = Field(pattern=PLAN_ID)
    title: str = Field(min_length=3)
    short: str = Field(min_length=3, description="the name used in 'Căn cứ' lines")
    number: str | None = None
    date: dt.date | None = None
    issuer: str | None = None


class Band(Sourced):
    code: str = Field(min_length=1)
    label: str
    min_ratio_pct: float = Field(ge=0, le=100)


class Classification(Sourced):
    kind: Literal["group", "grade"]
    name: str
    bands: tuple[Band, ...] = Field(min_length=2)

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

    @property
    def mins_centi(self) -> list[int]:
        """The lower bounds in hundredths, best band first (the band macros' argument)."""
        return [int(round(b.min_ratio_pct * 100)) for b in self.bands]


class SatisfactionThreshold(Sourced):
    until_year: int
    min_pct: float = Field(ge=0, le=100)


class Block(Sourced):
    code: str = Field(pattern=CODE)
    label: str
    expected_units: int | None = Field(default=None, ge=0)


class Review(Sourced):
    id: str = Field(pattern=PLAN_ID)
    kind: ReviewKind
    label: str
    window_start: int
    window_end: int
    dossier_due: dt.date | None = None
    highlight: bool = False
    held: bool = True  # a review not held stays in the plan; the dashboard shows the reason
    reason: str | None = None
    decided_on: dt.date | None = None  # recipients are resolved then (blank: the dossier due)

    @model_validator(mode="after")
    def _window_ordered(self) -> Review:
        if self.window_start > self.window_end:
            raise ValueError(f"review {self.id}: window_start is after window_end")
        if not self.held and not self.reason:
            raise ValueError(f"review {self.id}: a review that is not held needs a reason")
        if self.held and self.reason:
            raise ValueError(f"review {self.id}: a reason is only for a review not held")
        return self


class Code(Sourced):
    """A code the plan declares with its label: a form of award, a title, a component;
    ``registration_column``: the column of the registration form (đăng ký thi đua) that
    marks this title or form, as the plan's annex numbers it."""

    code: str = Field(pattern=CODE)
    label: str = Field(min_length=1)
    registration_column: int | None = Field(default=None, ge=3, le=60)


class Assessment(Sourced):
    """Which years the index was assessed (default: every year of the span), and the
    baseline year whose rows serve only as a comparison year (rules.md §3)."""

    baseline_year: int | None = Field(default=None, ge=1990, le=2100)
    assessed_years: tuple[int, ...] | None = None


class Lineage(Sourced):
    """How units that change are read (rules.md §11): inherited history along the primary
    chain (or each unit's own years only), and whether a unit dissolved without a
    recipient is still evaluated."""

    history: History = "primary_chain"
    award_dissolved: bool = False


class Variant(FrozenModel):
    """For person categories: which criteria set applies to which kind of person.

    ``fallback``: a person of this kind who is not eligible here is judged under the variant
    they would have without it (an advisor of the provincial index also works in an assessed
    unit: rules.md §5); ``label`` names the variant in the reasons.
    """

    when: Literal["advisor", "staff", "citizen", "any"]
    criteria_set: str
    fallback: bool = False
    label: str | None = None


class Category(Sourced):
    id: str = Field(pattern=CODE)
    label: str
    members: str = Field(description="'block:<code>', 'advisory' or 'nominated'")
    criteria_set: str | None = None
    variants: tuple[Variant, ...] = ()
    quota: dict[ReviewKind, int] | None = None
    ranking: tuple[RankingKey, ...] = ()
    superseded_by: str | None = None
    # "award:category": a unit proposed there is superseded here (one form per achievement)
    one_form_with: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*:[a-z][a-z0-9_]*$")

    @model_validator(mode="after")
    def _shape(self) -> Category:
        if (self.criteria_set is None) == (not self.variants):
            raise ValueError(f"category {self.id}: give exactly one of criteria_set or variants")
        for kind, n in (self.quota or {}).items():
            if n < 0:
                raise ValueError(f"category {self.id}: quota {kind} = {n} is negative")
        if not (self.members in ("advisory", "nominated") or self.members.startswith("block:")):
            raise ValueError(
                f"category {self.id}: members must be 'block:<code>', 'advisory' or 'nominated'"
            )
        return self

    @property
    def subject(self) -> Literal["unit", "person"]:
        return "person" if self.members == "nominated" else "unit"

    @property
    def block(self) -> str | None:
        """The block code of a block category (``members = 'block:<code>'``)."""
        return self.members.removeprefix("block:") if self.members.startswith("block:") else None

    def variant_sets(self) -> tuple[Variant, ...]:
        if self.variants:
            return self.variants
        return (Variant(when="any", criteria_set=self.criteria_set or ""),)

    def quota_for(self, kind: ReviewKind) -> int | None:
        """The quota in a review of ``kind``; None = no quota (every eligible is proposed)."""
        return None if self.quota is None else self.quota.get(kind)


class Award(Sourced):
    id: str = Field(pattern=CODE)
    label: str
    review_kinds: tuple[ReviewKind, ...] = Field(min_length=1)
    categories: tuple[Category, ...] = Field(min_length=1)
    forms: tuple[str, ...] = ()  # the forms (plan codes) the committee may propose
    default_form: str | None = None  # a blank proposed_form means this form


class Deadlines(Sourced):
    dossier_days_after_publication: int | None = Field(default=None, ge=0)
    dossier_due: dt.date | None = None
    registration_due: dt.date | None = None


class Dossier(Sourced):
    """Who compiles and signs the proposal list (the Word form's letterhead and signature)."""

    body: str = Field(min_length=1)
    parent: str | None = None  # the body's parent authority (letterhead); default: jurisdiction
    place: str | None = None  # the place written before the date ("Như Quỳnh, ngày …")


class DisciplineRules(Sourced):
    """Which discipline statuses exclude ("không khen thưởng") and which defer ("chưa xét
    khen thưởng": not ranked, reconsidered once cleared) — rules.md §6."""

    excluding: tuple[str, ...] = ()
    deferring: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """One (award, category) of a review, in plan order."""

    award_id: str
    award_label: str
    category_id: str
    category_label: str
    quota: int | None


class Plan(Sourced):
    id: str = Field(pattern=PLAN_ID)
    title: str
    jurisdiction: str
    extends: str | None = Field(default=None, pattern=PLAN_ID)  # the plan this one amends
    documents: tuple[Document, ...] = Field(min_length=1)
    first_year: int = Field(ge=1990, le=2100)
    last_year: int = Field(ge=1990, le=2100)
    assessment: Assessment | None = None
    lineage: Lineage | None = None
    classification: Classification
    blocks: tuple[Block, ...] = Field(min_length=1)
    satisfaction_thresholds: tuple[SatisfactionThreshold, ...] = ()
    discipline: DisciplineRules
    deadlines: Deadlines
    forms: tuple[Code, ...] = ()
    titles: tuple[Code, ...] = ()
    unit_components: tuple[Code, ...] = ()
    dossier: Dossier | None = None
    reviews: tuple[Review, ...] = Field(min_length=1)
    criteria_sets: dict[str, tuple[Criterion, ...]]
    awards: tuple[Award, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Plan:
        errors = (
            self._check_documents()
            + self._check_years_and_codes()
            + self._check_criteria_sets()
            + self._check_awards()
        )
        if errors:
            raise ValueError("; ".join(errors))
        return self

    def _sourced_parts(self) -> list[tuple[str, Sourced]]:
        parts: list[tuple[str, Sourced]] = [
            ("(plan)", self),
            ("classification", self.classification),
        ]
        parts += [(f"classification.bands.{b.code}", b) for b in self.classification.bands]
        parts += [(f"blocks.{b.code}", b) for b in self.blocks]
        parts += [
            (f"satisfaction_thresholds.{t.until_year}", t) for t in self.satisfaction_thresholds
        ]
        parts += [("discipline", self.discipline), ("deadlines", self.deadlines)]
        parts += [("assessment", self.assessment)] if self.assessment else []
        parts += [("lineage", self.lineage)] if self.lineage else []
        for name in ("forms", "titles", "unit_components"):
            parts += [(f"{name}.{c.code}", c) for c in getattr(self, name)]
        parts += [("dossier", self.dossier)] if self.dossier else []
        parts += [(f"reviews.{r.id}", r) for r in self.reviews]
        for set_id, criteria in self.criteria_sets.items():
            parts += [(f"criteria_sets.{set_id}.{c.key}", c) for c in criteria]
        for a in self.awards:
            parts.append((f"awards.{a.id}", a))
            parts += [(f"awards.{a.id}.{c.id}", c) for c in a.categories]
        return parts

    def _check_documents(self) -> list[str]:
        ids = [d.id for d in self.documents]
        errors = [f"duplicate document ids in {ids}"] if len(set(ids)) != len(ids) else []
        for where, part in self._sourced_parts():
            for doc in cited_documents(part.source):
                if doc not in ids:
                    errors.append(f"{where}: source cites unknown document {doc!r}")
        return errors

    def _check_years_and_codes(self) -> list[str]:
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
        rules = self.discipline
        for value in rules.excluding + rules.deferring:
            if value not in DISCIPLINE_VALUES or value == "none":
                errors.append(f"discipline: unknown status {value!r}")
        if set(rules.excluding) & set(rules.deferring):
            errors.append("discipline: a status may not both exclude and defer")
        if self.assessment is not None:
            errors += self._check_assessment(self.assessment)
        for name in ("forms", "titles", "unit_components"):
            codes = [c.code for c in getattr(self, name)]
            if len(set(codes)) != len(codes):
                errors.append(f"{name}: duplicate codes in {codes}")
        columns = [
            c.registration_column
            for c in (*self.titles, *self.forms)
            if c.registration_column is not None
        ]
        if len(set(columns)) != len(columns):
            errors.append(f"titles/forms: two codes in one registration_column ({columns})")
        years = [t.until_year for t in self.satisfaction_thresholds]
        if years != sorted(years) or len(set(years)) != len(years):
            errors.append("satisfaction_thresholds: until_year must strictly increase")
        return errors

    def _check_assessment(self, a: Assessment) -> list[str]:
        errors = []
        if a.baseline_year is not None and a.baseline_year >= self.first_year:
            errors.append("assessment.baseline_year must be before first_year")
        years = a.assessed_years
        if years is not None:
            if list(years) != sorted(set(years)):
                errors.append("assessment.assessed_years must strictly increase")
            if any(not (self.first_year <= y <= self.last_year) for y in years):
                errors.append("assessment.assessed_years must lie within the plan's years")
        return errors

    def _check_criteria_sets(self) -> list[str]:
        """Every set: non-empty, no criterion twice, known bands; every set used by an award."""
        errors: list[str] = []
        band_codes = {b.code for b in self.classification.bands}
        used = {v.criteria_set for a in self.awards for c in a.categories for v in c.variant_sets()}
        for set_id, criteria in self.criteria_sets.items():
            if not criteria:
                errors.append(f"criteria_sets.{set_id}: empty")
            if set_id not in used:
                errors.append(f"criteria_sets.{set_id}: not used by any award category")
            keys = [c.key for c in criteria]
            if len(set(keys)) != len(keys):
                errors.append(f"criteria_sets.{set_id}: a criterion is listed twice")
            for c in criteria:
                band = getattr(c, "band", None)
                if band is not None and band not in band_codes:
                    errors.append(f"criteria_sets.{set_id}: {c.kind} names unknown band {band!r}")
        return errors

    def _check_awards(self) -> list[str]:
        errors: list[str] = []
        block_codes = {b.code for b in self.blocks}
        award_ids = [a.id for a in self.awards]
        if len(set(award_ids)) != len(award_ids):
            errors.append("duplicate award ids")
        form_codes = {f.code for f in self.forms}
        for award in self.awards:
            for form in award.forms + ((award.default_form,) if award.default_form else ()):
                if form not in form_codes:
                    errors.append(f"award {award.id}: unknown form {form!r}")
            cat_ids = [c.id for c in award.categories]
            if len(set(cat_ids)) != len(cat_ids):
                errors.append(f"award {award.id}: duplicate category ids")
            for cat in award.categories:
                where = f"award {award.id}, category {cat.id}"
                if cat.block is not None and cat.block not in block_codes:
                    errors.append(f"{where}: unknown block {cat.block!r}")
                if cat.subject == "unit" and cat.variants:
                    errors.append(
                        f"{where}: variants are for person categories (members = 'nominated')"
                    )
                for v in cat.variant_sets():
                    errors.extend(self._check_set(where, cat, v.criteria_set))
                errors.extend(self._check_precedence(where, award, cat))
                errors.extend(self._check_one_form(where, award, cat))
                if "women_first" in cat.ranking and cat.subject != "person":
                    errors.append(f"{where}: women_first ranks people, not units")
                if any(v.fallback and v.when != "advisor" for v in cat.variants):
                    errors.append(f"{where}: only the advisor variant may fall back")
                for kind in cat.quota or {}:
                    if kind not in award.review_kinds:
                        errors.append(
                            f"{where}: quota for {kind!r}, a review kind the award is not given in"
                        )
        return errors

    def _check_precedence(self, where: str, award: Award, cat: Category) -> list[str]:
        if cat.superseded_by is None:
            return []
        target = next((c for c in award.categories if c.id == cat.superseded_by), None)
        if target is None or target.id == cat.id or target.subject != "unit":
            return [f"{where}: superseded_by names no other unit category of the award"]
        if target.superseded_by is not None:
            return [f"{where}: precedence may not chain ({target.id} is itself superseded)"]
        return []

    def _check_one_form(self, where: str, award: Award, cat: Category) -> list[str]:
        if cat.one_form_with is None:
            return []
        award_id, cat_id = cat.one_form_with.split(":")
        target_award = next((a for a in self.awards if a.id == award_id), None)
        target = (
            next((c for c in target_award.categories if c.id == cat_id), None)
            if target_award
            else None
        )
        if target_award is None or target is None or target_award.id == award.id:
            return [f"{where}: one_form_with names no category of another award"]
        if target.subject != "unit" or cat.subject != "unit":
            return [f"{where}: one_form_with is for unit categories"]
        if target.one_form_with is not None:
            return [f"{where}: one_form_with may not chain ({cat.one_form_with} has its own)"]
        return []

    def _check_set(self, where: str, cat: Category, set_id: str) -> list[str]:
        if set_id not in self.criteria_sets:
            return [f"{where}: unknown criteria_set {set_id!r}"]
        errors = []
        allowed = PERSON_JUDGMENTS if cat.subject == "person" else UNIT_JUDGMENTS
        for c in self.criteria_sets[set_id]:
            if cat.subject == "person" and c.kind in UNIT_ONLY_KINDS:
                errors.append(f"{where}: criterion {c.kind} applies to units, not people")
            for f in c.judgments:
                if f not in allowed:
                    errors.append(f"{where}: unknown judgment {f!r} (known: {', '.join(allowed)})")
        return errors

    # --- look-ups ---------------------------------------------------------------------
    def review(self, review_id: str) -> Review:
        for r in self.reviews:
            if r.id == review_id:
                return r
        known = ", ".join(r.id for r in self.reviews)
        raise UnknownReview(
            f"kế hoạch {self.id} không có đợt xét {review_id!r} (các đợt xét: {known})"
        )

    # --- years (rules.md §3, v2) ---------------------------------------------------------
    @property
    def assessed_years(self) -> tuple[int, ...]:
        """The years the index was assessed (default: every year of the span)."""
        if self.assessment is not None and self.assessment.assessed_years is not None:
            return self.assessment.assessed_years
        return tuple(range(self.first_year, self.last_year + 1))

    @property
    def baseline_year(self) -> int | None:
        return self.assessment.baseline_year if self.assessment is not None else None

    @property
    def history(self) -> History:
        return self.lineage.history if self.lineage is not None else "primary_chain"

    @property
    def award_dissolved(self) -> bool:
        return self.lineage.award_dissolved if self.lineage is not None else False

    @property
    def earliest_year(self) -> int:
        """The first year data may be imported for: the baseline year, else the first year."""
        return self.baseline_year if self.baseline_year is not None else self.first_year

    def window_years(self, review: Review) -> tuple[int, ...]:
        """The review's window ∩ the assessed years."""
        return tuple(
            y for y in self.assessed_years if review.window_start <= y <= review.window_end
        )

    def effective_end(self, review: Review) -> int | None:
        """E: the last assessed year of the window; None when there are no candidates (no
        assessed year, or an annual review whose own year was not assessed)."""
        years = self.window_years(review)
        if not years:
            return None
        if review.kind == "annual" and years[-1] != review.window_end:
            return None
        return years[-1]

    def comparison_year(self, review: Review) -> int | None:
        """P: the latest assessed year before E, else the baseline year (before E)."""
        end = self.effective_end(review)
        if end is None:
            return None
        earlier = [y for y in self.assessed_years if y < end]
        if earlier:
            return earlier[-1]
        base = self.baseline_year
        return base if base is not None and base < end else None

    def form(self, code: str) -> Code:
        for f in self.forms:
            if f.code == code:
                return f
        raise KeyError(code)

    def satisfaction_threshold(self, review: Review) -> float | None:
        for t in self.satisfaction_thresholds:
            if review.window_end <= t.until_year:
                return t.min_pct
        return None

    def awards_for(self, review: Review) -> tuple[Award, ...]:
        return tuple(a for a in self.awards if review.kind in a.review_kinds)

    def sections(self, review: Review) -> list[Section]:
        """Every (award, category) given in ``review``, in plan order, with its quota."""
        return [
            Section(award.id, award.label, cat.id, cat.label, cat.quota_for(review.kind))
            for award in self.awards_for(review)
            for cat in award.categories
        ]

    def block(self, code: str) -> Block:
        for b in self.blocks:
            if b.code == code:
                return b
        raise KeyError(code)

    def document(self, doc_id: str) -> Document:
        for d in self.documents:
            if d.id == doc_id:
                return d
        raise KeyError(doc_id)


def group_by_award(sections: list[Section]) -> list[tuple[str, str, list[Section]]]:
    """Sections grouped by award, keeping plan order: (award id, label, its sections)."""
    out: list[tuple[str, str, list[Section]]] = []
    for s in sections:
        if not out or out[-1][0] != s.award_id:
            out.append((s.award_id, s.award_label, []))
        out[-1][2].append(s)
    return out
