"""Every write of scoring a call: the panel, declarations of interest, scores
and moderation here; feedback and the award in award.py (re-exported below).

Each function runs in one transaction and refuses, naming the rule, what the
panel's process does not allow. The award itself is commission_award (the
policy engine's rules apply); the partners hear the outcome from a Celery
task enqueued only after the award commits.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from commissioning.models import (
    Call,
    CallCriterion,
    ConflictDeclaration,
    Moderation,
    PanelMember,
    Proposal,
    Score,
)
from commissioning.policy import Refusal

# Feedback, the award and the outcomes live in commissioning/scoring/award.py;
# re-exported so `services.call_award` and the like keep working.
from commissioning.scoring.award import (
    Outcome,
    call_award,
    feedback_save,
    outcomes_for,
    outcomes_notify,
)
from commissioning.scoring.common import (
    _name,
    _refuse,
    _require_closed,
    _require_in_call,
    _require_officer,
    _require_panel,
    _require_undecided,
    _when,
)
from commissioning.scoring.scale import scale_of_call, score_value_refusal
from commissioning.scoring.selectors import declaration_of, panel_eligible
from hubs.refusals import ROLE_RULES, Refused

__all__ = [
    "ROLE_RULES",
    "Outcome",
    "Refusal",
    "Refused",
    "_name",
    "_refuse",
    "_require_closed",
    "_require_in_call",
    "_require_officer",
    "_require_panel",
    "_require_undecided",
    "_when",
    "call_award",
    "feedback_save",
    "outcomes_for",
    "outcomes_notify",
]


# ── the panel ────────────────────────────────────────────────────────────────


def panel_member_add(*, call: Call, user: Any, member: Any) -> PanelMember:
    """Seat someone on the call's scoring panel."""
    with transaction.atomic():
        _require_officer(call, user, "choose the scoring panel")
        _require_undecided(call)
        if PanelMember.objects.filter(call=call, user=member).exists():
            raise _refuse("already_on_panel", f"{_name(member)} is already on the panel.", "member")
        if not panel_eligible(call).filter(pk=member.pk).exists():
            raise _refuse(
                "not_eligible",
                f"{_name(member)} cannot sit on this panel: panel members are HLO staff, "
                "approvers or board members of the hub, or the service lead for the "
                "commission's area.",
                "member",
            )
        return PanelMember.objects.create(call=call, user=member)


def panel_member_remove(*, call: Call, user: Any, member_id: int) -> Any:
    """Take someone off the panel, before they have declared or scored: once
    they have, what they recorded is part of the call's record and stays."""
    with transaction.atomic():
        _require_officer(call, user, "choose the scoring panel")
        _require_undecided(call)
        seat = (
            PanelMember.objects.select_for_update()
            .filter(call=call, pk=member_id)
            .select_related("user")
            .first()
        )
        if seat is None:
            raise _refuse("no_such_panel_member", "That person is not on this call's panel.")
        member = seat.user
        recorded = (
            ConflictDeclaration.objects.filter(proposal__call=call, member=member).exists()
            or Score.objects.filter(proposal__call=call, scorer=member).exists()
        )
        if recorded:
            raise _refuse(
                "panel_member_has_recorded",
                f"{_name(member)} has already declared interests or scored; what they "
                "recorded is part of the call's record, so they stay on the panel.",
            )
        seat.delete()
        return member


# ── declarations of interest ─────────────────────────────────────────────────


def conflict_declare(
    *, proposal: Proposal, user: Any, has_conflict: bool, details: str = ""
) -> ConflictDeclaration:
    """Record a panel member's declaration for one proposal. A declared
    conflict recuses them from it for good: a later "no conflict" cannot undo
    it, and any scores they gave it stop counting. A "no conflict" may be
    changed to a conflict found later."""
    call = proposal.call
    details = details.strip()
    with transaction.atomic():
        _require_panel(call, user)
        _require_in_call(call, proposal)
        _require_undecided(call)
        if has_conflict and not details:
            raise _refuse(
                "conflict_details_required",
                "Say what the conflict of interest is: it is kept in the call's record.",
                "details",
            )
        existing = (
            ConflictDeclaration.objects.select_for_update()
            .filter(proposal=proposal, member=user)
            .first()
        )
        if existing is None:
            return ConflictDeclaration.objects.create(
                proposal=proposal, member=user, has_conflict=has_conflict, details=details
            )
        if existing.has_conflict:
            raise _refuse(
                "already_recused",
                f"You declared a conflict of interest on {proposal.partner}'s proposal on "
                f"{_when(existing.declared_at)}; that declaration stands.",
                "has_conflict",
            )
        if not has_conflict:
            return existing  # "no conflict" again: nothing to change
        # A conflict found after declaring none: recorded with the time it was declared.
        now = timezone.now()
        ConflictDeclaration.objects.filter(pk=existing.pk).update(
            has_conflict=True, details=details, declared_at=now
        )
        existing.refresh_from_db()
        return existing


# ── scores ───────────────────────────────────────────────────────────────────


def score_refusal(*, proposal: Proposal, user: Any) -> Refusal | None:
    """Why this person may not score this proposal now, or None: for the
    scoring page to say so before anything is typed."""
    try:
        _may_score(proposal, user, declaration_of(proposal, user))
    except Refused as refused:
        return refused.refusal
    return None


def _may_score(proposal: Proposal, user: Any, declaration: ConflictDeclaration | None) -> None:
    call = proposal.call
    _require_panel(call, user)
    _require_in_call(call, proposal)
    _require_closed(call)
    _require_undecided(call)
    if declaration is None:
        raise _refuse(
            "declaration_required",
            f"Declare whether you have a conflict of interest with {proposal.partner} "
            "before you score its proposal.",
        )
    if declaration.has_conflict:
        raise _refuse(
            "recused",
            f"You declared a conflict of interest with {proposal.partner} on "
            f"{_when(declaration.declared_at)}, so you are recused: you cannot score "
            "this proposal.",
        )


def scores_record(
    *, proposal: Proposal, user: Any, scores: dict[int, tuple[int, str]]
) -> list[Score]:
    """A panel member's scores for one proposal: `scores` maps each of the
    call's criteria (by criterion id) to (score, comment). All criteria are
    scored together, so every counted scorecard is complete."""
    with transaction.atomic():
        # Locked, so that a conflict declared meanwhile waits for these scores
        # (and then recuses them) rather than crossing them.
        declaration = (
            ConflictDeclaration.objects.select_for_update()
            .filter(proposal=proposal, member=user)
            .first()
        )
        _may_score(proposal, user, declaration)
        criteria = list(
            CallCriterion.objects.filter(call=proposal.call_id).select_related("criterion")
        )
        scale = scale_of_call(proposal.call)  # the commission's policy's scale
        for cc in criteria:
            score, comment = scores.get(cc.criterion_id, (None, ""))
            refusal = score_value_refusal(
                scale, score, cc.criterion.name, f"score_{cc.criterion_id}"
            )
            if refusal is not None:
                raise Refused(refusal)
            if not str(comment).strip():
                raise _refuse(
                    "comment_required",
                    f"Explain your score for {cc.criterion.name}: the comment supports the "
                    "panel's moderation and the feedback to the partner.",
                    f"comment_{cc.criterion_id}",
                )
        saved = []
        for cc in criteria:
            score, comment = scores[cc.criterion_id]
            row, _ = Score.objects.update_or_create(
                proposal=proposal,
                scorer=user,
                criterion=cc.criterion,
                defaults={"score": int(score), "comment": str(comment).strip()},
            )
            saved.append(row)
        return saved


# ── moderation ───────────────────────────────────────────────────────────────


def moderations_record(
    *, proposal: Proposal, user: Any, agreed: dict[int, tuple[int, str]]
) -> list[Moderation]:
    """The panel's agreed scores for a proposal: `agreed` maps criterion id
    to (agreed score, rationale); criteria left out keep the panel's mean."""
    call = proposal.call
    with transaction.atomic():
        _require_officer(call, user, "record agreed scores")
        _require_in_call(call, proposal)
        _require_closed(call)
        _require_undecided(call)
        if ConflictDeclaration.objects.filter(
            proposal=proposal, member=user, has_conflict=True
        ).exists():
            raise _refuse(
                "recused",
                f"You declared a conflict of interest with {proposal.partner}, so you are "
                "recused: someone else must moderate its scores.",
            )
        weights = {
            cc.criterion_id: cc
            for cc in CallCriterion.objects.filter(call=call).select_related("criterion")
        }
        scale = scale_of_call(call)
        for criterion_id, (score, rationale) in agreed.items():
            cc = weights.get(criterion_id)
            if cc is None:
                raise _refuse("criterion_not_in_call", "That criterion is not one of this call's.")
            field_name = f"agreed_{criterion_id}"
            refusal = score_value_refusal(scale, score, cc.criterion.name, field_name, agreed=True)
            if refusal is not None:
                raise Refused(refusal)
            if not str(rationale).strip():
                raise _refuse(
                    "rationale_required",
                    f"Give the rationale for the agreed score for {cc.criterion.name}: it is "
                    "kept in the call's record.",
                    f"rationale_{criterion_id}",
                )
        saved = []
        for criterion_id, (score, rationale) in agreed.items():
            row, _ = Moderation.objects.update_or_create(
                proposal=proposal,
                criterion=weights[criterion_id].criterion,
                defaults={
                    "agreed_score": int(score),
                    "rationale": str(rationale).strip(),
                    "moderated_by": user,
                },
            )
            saved.append(row)
        return saved
