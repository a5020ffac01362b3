"""The score scale of a commission's policy, as scoring reads it.

Scores run from 0 to the policy's highest score (5 in every published
policy); a scorer's total is the sum of score / highest x weight, so out of
100 whatever the scale. A policy without a row (made by a script) reads the
standard 0-5. The one check of a typed score is `score_value_refusal`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from commissioning.models import SCORE_MAX, ScoreScale
from hubs.refusals import Refusal


@dataclass(frozen=True)
class Scale:
    max: int = SCORE_MAX
    words: dict[int, str] = field(default_factory=dict)

    def choices(self) -> list[tuple[int, str]]:
        return [(i, f"{i} {self.words[i]}" if i in self.words else str(i)) for i in self.scores]

    @property
    def scores(self) -> range:
        return range(self.max + 1)

    @property
    def hint(self) -> str:
        """'0 (no evidence) to 5 (excellent evidence).', or the policy's words."""
        if not self.words:
            return f"0 (no evidence) to {self.max} (excellent evidence)."
        return ", ".join(f"{i} {w}" for i, w in sorted(self.words.items())) + "."


def _of_row(row: ScoreScale | None) -> Scale:
    return Scale() if row is None else Scale(row.max_score, row.parsed_words())


def scale_of(policy: Any) -> Scale:
    """The policy's scale, read once per policy object (none when the row
    came with it: select_related('policy__score_scale'))."""
    cached = getattr(policy, "_score_scale_cache", None)
    if cached is None:
        if "score_scale" in policy._state.fields_cache:
            row = policy._state.fields_cache["score_scale"]
        else:
            row = ScoreScale.objects.filter(policy_id=policy.pk).first()
        cached = policy._score_scale_cache = _of_row(row)
    return cached


def scale_of_call(call: Any) -> Scale:
    """The scale of the call's commission's policy (one query at most)."""
    from commissioning.models import Commission

    if "commission" in call._state.fields_cache:
        return scale_of(call.commission.policy)
    commission = (
        Commission.objects.select_related("policy__score_scale").only("policy").get(call=call)
    )
    return scale_of(commission.policy)


def score_value_refusal(scale: Scale, score: Any, what: str, field_name: str, *, agreed=False):
    """A typed score must be a whole number from 0 to the scale's highest."""
    try:
        ok = score is not None and int(score) in scale.scores
    except (TypeError, ValueError):
        ok = False
    if ok:
        return None
    if agreed:
        return Refusal(
            "agreed_score_required",
            f"Give the agreed score for {what}, from 0 to {scale.max}.",
            field_name,
        )
    return Refusal("score_required", f"Score {what} from 0 to {scale.max}.", field_name)


def score_scale_start(policy: Any) -> None:
    """A hub's first policy starts with the standard 0-5."""
    ScoreScale.objects.create(policy=policy, max_score=SCORE_MAX)
    policy._score_scale_cache = None


def score_scale_copy(*, source_id: int, target: Any) -> None:
    row = ScoreScale.objects.filter(policy_id=source_id).first()
    if row is not None:
        ScoreScale.objects.create(policy=target, max_score=row.max_score, words=row.words)
    target._score_scale_cache = None


def score_scale_words(policy: Any) -> list[str]:
    """The policy's score scale in short plain lines, for the policy page."""
    scale = scale_of(policy)
    lines = [
        f"Each criterion is scored from 0 to {scale.max}; a proposal's total is out of 100 "
        "(each score's share of the highest score, times the criterion's weight)."
    ]
    if scale.words:
        lines.append("What the scores mean: " + scale.hint)
    return lines
