"""Feedback, the award and telling the partners their outcome.

The award itself is commission_award (the policy engine's rules apply); the
partners hear the outcome from a Celery task enqueued only after the award
commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from commissioning import services as commission_services
from commissioning.models import Call, Proposal, ProposalStatus, TransitionLog
from commissioning.scoring.common import (
    _require_in_call,
    _require_officer,
    _require_undecided,
)
from commissioning.scoring.selectors import proposals_of
from hubs.models import Membership, Role
from notices.services import notify

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
    # The award's own gate holds the rules (the call closed, the proposal the
    # call's, feedback for every partner not chosen), as on any other route.
    with transaction.atomic():
        _require_in_call(call, proposal)
        log = commission_services.commission_award(
            commission=call.commission,
            user=user,
            partner=proposal.partner,
            proposal=proposal,
            conflict_declaration=conflict_declaration,
            reason=reason.strip() or f"Awarded to {proposal.partner} after the call '{call}'.",
            feedback=feedback,
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
