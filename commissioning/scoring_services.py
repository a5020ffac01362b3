"""Every write of scoring a call: the panel, declarations of interest, scores,
moderation, feedback and the award.

Each function runs in one transaction and refuses, naming the rule, what the
panel's process does not allow. The award itself is commission_award (the
policy engine's rules apply); the partners hear the outcome from a Celery
task enqueued only after the award commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from commissioning import services as commission_services
from commissioning.models import (
    SCORE_MAX,
    Call,
    CallCriterion,
    ConflictDeclaration,
    Moderation,
    PanelMember,
    Proposal,
    ProposalStatus,
    Score,
    TransitionLog,
)
from commissioning.policy import Refusal, is_officer
from commissioning.scoring_selectors import (
    SCORED_STATUSES,
    declaration_of,
    is_closed,
    is_decided,
    panel_eligible,
    proposals_of,
)
from hubs.models import Membership, Role
from notices.services import notify

# Refusals about who someone is, rather than what they typed: a 403.
ROLE_RULES = {"officer_only", "not_on_panel", "recused"}


class ScoringRefused(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal

    @property
    def rule(self) -> str:
        return self.refusal.rule

    @property
    def field(self) -> str | None:
        return self.refusal.field


def _refuse(rule: str, message: str, field: str | None = None) -> ScoringRefused:
    return ScoringRefused(Refusal(rule, message, field))


def _require_officer(call: Call, user: Any, doing: str) -> None:
    if not is_officer(user, call.commission):
        area = call.commission.service_area
        who = f"HLO staff or the service lead for {area}" if area else "HLO staff"
        raise _refuse("officer_only", f"Only {who} can {doing} for this call.")


def _require_panel(call: Call, user: Any) -> None:
    if not PanelMember.objects.filter(call=call, user=user).exists():
        raise _refuse(
            "not_on_panel",
            "Only members of this call's scoring panel declare interests and score its "
            "proposals; ask the commissioning officer to add you to the panel.",
        )


def _require_closed(call: Call) -> None:
    if not is_closed(call):
        when = date_format(timezone.localtime(call.closes_at), "j F Y, H:i")
        raise _refuse(
            "call_open",
            f"The call is open until {when}; proposals are scored once it has closed, so "
            "that every proposal is judged as submitted.",
        )


def _require_undecided(call: Call) -> None:
    if is_decided(call):
        raise _refuse(
            "decided",
            "The award has been made: the scores and moderation of this call are final.",
        )


def _require_in_call(call: Call, proposal: Proposal) -> None:
    if proposal.call_id != call.pk or proposal.status not in SCORED_STATUSES:
        raise _refuse("proposal_not_in_call", "That is not a proposal submitted to this call.")


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
    except ScoringRefused as refused:
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
        for cc in criteria:
            score, comment = scores.get(cc.criterion_id, (None, ""))
            if score is None or not 0 <= int(score) <= SCORE_MAX:
                raise _refuse(
                    "score_required",
                    f"Score {cc.criterion.name} from 0 to {SCORE_MAX}.",
                    f"score_{cc.criterion_id}",
                )
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
        for criterion_id, (score, rationale) in agreed.items():
            cc = weights.get(criterion_id)
            if cc is None:
                raise _refuse("criterion_not_in_call", "That criterion is not one of this call's.")
            if score is None or not 0 <= int(score) <= SCORE_MAX:
                raise _refuse(
                    "agreed_score_required",
                    f"Give the agreed score for {cc.criterion.name}, from 0 to {SCORE_MAX}.",
                    f"agreed_{criterion_id}",
                )
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


# ── feedback and the award ───────────────────────────────────────────────────


def feedback_save(*, call: Call, user: Any, feedback: dict[int, str]) -> int:
    """Store the feedback each partner will receive with the outcome."""
    with transaction.atomic():
        _require_officer(call, user, "write feedback")
        _require_undecided(call)
        proposals = list(proposals_of(call).filter(pk__in=feedback))
        for p in proposals:
            p.feedback = feedback[p.pk].strip()
        Proposal.objects.bulk_update(proposals, ["feedback"])
        return len(proposals)


def call_award(
    *,
    call: Call,
    user: Any,
    proposal: Proposal,
    conflict_declaration: str = "",
    reason: str = "",
    feedback: dict[int, str] | None = None,
) -> TransitionLog:
    """Award the call's commission to one of its proposals, with the feedback
    for every proposal, in one transaction; the partners are told after it
    commits. The commission moves to drafting the agreement."""
    feedback = {pk: text.strip() for pk, text in (feedback or {}).items()}
    with transaction.atomic():
        _require_officer(call, user, "award the commission")
        _require_closed(call)
        _require_in_call(call, proposal)
        others = proposals_of(call).filter(status=ProposalStatus.SUBMITTED).exclude(pk=proposal.pk)
        for other in others:
            if not (feedback.get(other.pk) or other.feedback.strip()):
                raise _refuse(
                    "feedback_required",
                    f"Write the feedback for {other.partner}: every unsuccessful partner is "
                    "told why.",
                    f"feedback_{other.pk}",
                )
        if feedback:
            feedback_save(call=call, user=user, feedback=feedback)
        log = commission_services.commission_award(
            commission=call.commission,
            user=user,
            partner=proposal.partner,
            proposal=proposal,
            conflict_declaration=conflict_declaration,
            reason=reason.strip() or f"Awarded to {proposal.partner} after the call '{call}'.",
        )
        outcomes_notify(call=call)
    call.commission.refresh_from_db()
    return log


# ── telling the partners ─────────────────────────────────────────────────────


@dataclass(frozen=True)
class Outcome:
    proposal: Proposal
    recipients: list[Any]  # people (users)


def outcomes_for(call: Call) -> list[Outcome]:
    """Each settled proposal of the call, with its partner's contacts (and
    whoever submitted it)."""
    proposals = list(
        Proposal.objects.filter(
            call=call, status__in=[ProposalStatus.SUCCESSFUL, ProposalStatus.UNSUCCESSFUL]
        )
        .select_related("partner", "submitted_by")
        .order_by("partner__name")
    )
    contacts = Membership.objects.filter(
        hub_id=call.hub_id,
        role=Role.PARTNER_CONTACT,
        partner_id__in=[p.partner_id for p in proposals],
        user__is_active=True,
    ).select_related("user")
    by_partner: dict[int, dict[int, Any]] = {}
    for m in contacts:
        by_partner.setdefault(m.partner_id, {})[m.user.pk] = m.user
    outcomes = []
    for p in proposals:
        people = dict(by_partner.get(p.partner_id, {}))
        if p.submitted_by is not None and p.submitted_by.is_active:
            people[p.submitted_by.pk] = p.submitted_by
        outcomes.append(Outcome(p, [people[pk] for pk in sorted(people)]))
    return outcomes


def outcomes_notify(*, call: Call) -> int:
    """Tell each partner the outcome of its proposal, with its feedback, through
    the messenger (in the award's transaction: sent after commit, or once the
    broker is back)."""
    told = 0
    for outcome in outcomes_for(call):
        p = outcome.proposal
        successful = p.status == ProposalStatus.SUCCESSFUL
        context = {"call": call, "hub": call.hub, "proposal": p, "policy": call.commission.policy}
        subject = f"[{call.hub.name}] {call.title}: " + (
            "your proposal was successful" if successful else "the outcome of your proposal"
        )
        template = f"emails/outcome_{'successful' if successful else 'unsuccessful'}.txt"
        told += notify(
            hub=call.hub,
            recipients=outcome.recipients,
            kind="proposal_outcome",
            subject=subject,
            body=render_to_string(template, context),
            url=reverse("calls:proposal", args=[call.hub.slug, p.pk]),
        )
    return told


def _name(user: Any) -> str:
    return user.get_full_name() or user.email


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")
