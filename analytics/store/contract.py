"""The data contract (v2) as data: the tables a user imports, their keys, types and
references (../shared/spec/data-contract.md).

Column kinds:
  id       1–64 ASCII letters, digits, '.', '_', '-' (look-alike ids cannot be told apart)
  text     trimmed NFC text (blank = no value); no control character, nothing XML cannot store
  year     an integer year within the plan's span (the baseline year too where allowed)
  int      an integer >= 0
  number   a decimal number >= 0 (scores)
  pct      a percentage 0-100, rounded half-up to 2 decimals on import
  bool     true/1/x/có, false/0/không, blank = unknown
  date     YYYY-MM-DD or dd/mm/yyyy (or an Excel date), within the plan's span ± 5 years
  discipline  a discipline status (blank = none; or its Vietnamese label)
  block    a block code the plan declares (or its label); blank = outside the plan
  review   a review id the plan declares (or its label)
  award    an award id the plan declares      form   a form code the plan declares
  link_kind   renamed, absorbed, merged, split (or their Vietnamese words)
  gender   nu / nam (nữ / nam, any case)      subject_kind  unit, person or group
  unit_component  a code of the plan's unit_components
  units    ';'-separated unit ids          components  ';'-separated component codes
  titles / forms  ';'-separated codes of the plan's titles / forms
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool = False  # must be present in the header and non-blank
    ref: str | None = None  # "units", "people", "components"


@dataclass(frozen=True)
class Table:
    name: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    # Columns replaced together: a file giving any of them replaces all of them.
    together: tuple[str, ...] = field(default=())
    # Whether rows of the plan's baseline year (before its first year) are accepted.
    allows_baseline: bool = False

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _c(name: str, kind: str, required: bool = False, ref: str | None = None) -> Column:
    return Column(name, kind, required, ref)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "units",
            ("unit_id",),
            (
                _c("unit_id", "id", True),
                _c("name", "text", True),
                _c("block", "block"),
                _c("advised_components", "components", ref="components"),
                _c("active_from", "year"),
                _c("active_to", "year"),
                _c("predecessors", "units", ref="units"),
                _c("ceased_on", "date"),
            ),
        ),
        Table(
            "unit_scores",
            ("year", "unit_id"),
            (
                _c("year", "year", True),
                _c("unit_id", "id", True, ref="units"),
                _c("score", "number"),
                _c("max_score", "number"),
                _c("ratio", "number"),
            ),
            together=("score", "max_score", "ratio"),
            allows_baseline=True,
        ),
        Table(
            "province_components",
            ("year", "component"),
            (
                _c("year", "year", True),
                _c("component", "id", True),
                _c("component_name", "text"),
                _c("score", "number", True),
                _c("max_score", "number", True),
            ),
            allows_baseline=True,
        ),
        Table(
            "satisfaction",
            ("year", "unit_id"),
            (
                _c("year", "year", True),
                _c("unit_id", "id", True, ref="units"),
                _c("satisfaction_pct", "pct"),
            ),
            allows_baseline=True,
        ),
        Table(
            "unit_facts",
            ("year", "unit_id"),
            (
                _c("year", "year", True),
                _c("unit_id", "id", True, ref="units"),
                _c("tasks_completed_pct", "pct"),
                _c("discipline", "discipline"),
            ),
        ),
        Table(
            "unit_judgments",
            ("review", "unit_id"),
            (
                _c("review", "review", True),
                _c("unit_id", "id", True, ref="units"),
                _c("head_directs", "bool"),
                _c("outstanding", "bool"),
                _c("has_initiative", "bool"),
                _c("discipline", "discipline_or_blank"),
                _c("proposed_form", "form"),
            ),
        ),
        Table(
            "people",
            ("person_id",),
            (
                _c("person_id", "id", True),
                _c("full_name", "text", True),
                _c("unit_id", "id", ref="units"),
                _c("position", "text"),
                _c("advised_components", "components", ref="components"),
                _c("gender", "gender"),
            ),
        ),
        Table(
            "person_judgments",
            ("review", "person_id"),
            (
                _c("review", "review", True),
                _c("person_id", "id", True, ref="people"),
                _c("outstanding", "bool"),
                _c("has_initiative", "bool"),
                _c("initiative_recognized", "bool"),
                _c("good_conduct", "bool"),
                _c("discipline", "discipline"),
                _c("votes_pct", "pct"),
                _c("votes_for", "int"),
                _c("council_members", "int"),
                _c("is_nominated", "bool"),
                _c("proposed_form", "form"),
            ),
            together=("votes_pct", "votes_for", "council_members"),
        ),
        Table(
            "publications", ("year",), (_c("year", "year", True), _c("published_on", "date", True))
        ),
        Table(
            "province_results",
            ("year",),
            (
                _c("year", "year", True),
                _c("ratio", "pct"),
                _c("national_rank", "int"),
                _c("sipas_pct", "pct"),
            ),
        ),
        Table(
            "unit_links",
            ("from_unit_id", "to_unit_id"),
            (
                _c("from_unit_id", "id", True, ref="units"),
                _c("to_unit_id", "id", True, ref="units"),
                _c("kind", "link_kind", True),
                _c("effective_on", "date", True),
                _c("is_primary", "bool"),
                _c("note", "text"),
            ),
        ),
        Table(
            "unit_component_scores",
            ("year", "unit_id", "component"),
            (
                _c("year", "year", True),
                _c("unit_id", "id", True, ref="units"),
                _c("component", "unit_component", True),
                _c("score", "number", True),
                _c("max_score", "number", True),
            ),
        ),
        Table(
            "registrations",
            ("year", "subject_kind", "subject"),
            (
                _c("year", "year", True),
                _c("subject_kind", "subject_kind", True),
                _c("subject", "text", True),
                _c("titles", "titles"),
                _c("forms", "forms"),
                _c("registered_on", "date"),
                _c("note", "text"),
            ),
        ),
        Table(
            "awards_granted",
            ("review", "award", "subject_id"),
            (
                _c("review", "review", True),
                _c("award", "award", True),
                _c("subject_id", "id", True, ref="subjects"),
                _c("recipient_id", "id", ref="units"),
                _c("form", "form"),
                _c("decision_no", "text"),
                _c("decided_on", "date"),
                _c("authority", "text"),
            ),
        ),
    )
}

# Processing order: tables that others reference come first (only matters for messages).
ORDER = tuple(TABLES)
# The data tables of a store (one per contract table).
DATA_TABLES: tuple[str, ...] = tuple(TABLES)
