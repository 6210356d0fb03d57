"""The codes a plan may use: review kinds, discipline statuses, judgments, ranking keys.

Every code here is part of the data contract or the plan format; their Vietnamese
labels live in ``analytics.labels``.
"""

from __future__ import annotations

from typing import Literal, get_args

ReviewKind = Literal["annual", "midterm", "final"]
REVIEW_KINDS: tuple[str, ...] = get_args(ReviewKind)

Discipline = Literal["none", "disciplined", "under_review", "complaint_pending", "press_unverified"]
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
]
RANKING_KEYS: tuple[str, ...] = get_args(RankingKey)

PersonVariant = Literal["advisor", "staff", "citizen"]
PERSON_VARIANTS: tuple[str, ...] = get_args(PersonVariant)
