"""The codes a plan may use: review kinds, discipline statuses, judgments, ranking keys.

Every code here is part of the data contract or the plan format; their Vietnamese
labels live in ``analytics.labels``.
"""

from __future__ import annotations

from typing import Literal, get_args

ReviewKind = Literal["annual", "midterm", "final"]
REVIEW_KINDS: tuple[str, ...] = get_args(ReviewKind)

Discipline = Literal[
    "none",
    "disciplined",
    "under_review",
    "under_inspection",
    "complaint_pending",
    "press_unverified",
]
DISCIPLINE_VALUES: tuple[str, ...] = get_args(Discipline)

UnitJudgment = Literal["head_directs", "outstanding", "has_initiative"]
UNIT_JUDGMENTS: tuple[str, ...] = get_args(UnitJudgment)
PersonJudgment = Literal["outstanding", "has_initiative", "initiative_recognized", "good_conduct"]
PERSON_JUDGMENTS: tuple[str, ...] = get_args(PersonJudgment)

RankingKey = Literal[
    "window_avg_pct",
    "end_ratio_pct",
    "satisfaction_avg_pct",
    "component_delta_pct",
    "component_end_pct",
    "votes_pct",
    "women_first",
]
RANKING_KEYS: tuple[str, ...] = get_args(RankingKey)

PersonVariant = Literal["advisor", "staff", "citizen"]
PERSON_VARIANTS: tuple[str, ...] = get_args(PersonVariant)

LinkKind = Literal["renamed", "absorbed", "merged", "split"]
LINK_KINDS: tuple[str, ...] = get_args(LinkKind)
# Links whose primary one carries the predecessor's history to the new unit (rules.md §11):
# an absorbed unit's history is not inherited by the absorbing unit.
HISTORY_LINK_KINDS: tuple[str, ...] = ("renamed", "merged", "split")

Gender = Literal["nu", "nam"]
GENDERS: tuple[str, ...] = get_args(Gender)

SubjectKind = Literal["unit", "person", "group"]
SUBJECT_KINDS: tuple[str, ...] = get_args(SubjectKind)

History = Literal["primary_chain", "own"]
