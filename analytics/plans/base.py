"""The base of every plan model: frozen, strict, and citing where each value comes from.

A ``source`` is one or more citations ``<document id>:<section>`` separated by ``;``
(e.g. ``kh-soc-trang:III.5.b``); the document ids are the plan's ``[[documents]]``. A
value that is the project's reading of an unclear text says so in ``reading`` (shown on
the dashboard as "Quy ước áp dụng").
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

CITATION_PATTERN = r"^[a-z0-9][a-z0-9-]*:[^;]+(;\s*[a-z0-9][a-z0-9-]*:[^;]+)*$"
Citation = Annotated[
    str,
    Field(
        pattern=CITATION_PATTERN,
        description="'<document id>:<section>', several separated by ';'",
    ),
]


class FrozenModel(BaseModel):
    """Immutable, and a key it does not know fails validation (a typo fails loudly)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Sourced(FrozenModel):
    """A part of a plan that names its source (and the reading applied, if any)."""

    source: Citation
    reading: str | None = Field(default=None, min_length=3)


def cited_documents(source: str) -> list[str]:
    """The document ids a source cites: 'a:1; b:2' -> ['a', 'b']."""
    return [part.split(":", 1)[0].strip() for part in source.split(";")]
