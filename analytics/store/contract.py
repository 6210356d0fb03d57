"""The data contract as data: the tables a user imports, their keys, types and references.

Column kinds:
  id       trimmed NFC text, never blank where it is a key
  text     trimmed NFC text (blank = no value)
  year     an integer year within the plan's span
  int      an integer
  number   a decimal number >= 0 (scores)
  pct      a percentage 0-100, rounded half-up to 2 decimals on import
  bool     true/1/x/có, false/0/không, blank = unknown
  date     YYYY-MM-DD
  discipline  one of the five discipline statuses (blank = none)
  block    a block code the plan declares
  review   a review id the plan declares
  units    ';'-separated unit ids          components  ';'-separated component codes
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
                _c("block", "block", True),
                _c("advised_components", "components", ref="components"),
                _c("active_from", "year"),
                _c("active_to", "year"),
                _c("predecessors", "units", ref="units"),
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
        ),
        Table(
            "satisfaction",
            ("year", "unit_id"),
            (
                _c("year", "year", True),
                _c("unit_id", "id", True, ref="units"),
                _c("satisfaction_pct", "pct"),
            ),
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
            ),
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
    )
}

# Processing order: tables that others reference come first (only matters for messages).
ORDER = tuple(TABLES)
# The data tables of a store (one per contract table).
DATA_TABLES: tuple[str, ...] = tuple(TABLES)
