"""Writes of a policy's life. Each runs in one transaction on the version's
row locked for update, asks its gate (hubs.policy_life.rules) and raises the
refusal; the record (a decision, a comment, a review) and the change to the
version are saved together."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.utils import timezone

from hubs.policy_life import rules
from hubs.policy_life.models import (
    CommentKind,
    PolicyComment,
    PolicyDecision,
    PolicyOutcome,
    PolicyReview,
    PolicyStatus,
    RangeReview,
)
from hubs.policy_life.selectors import Approval, approval_of
from hubs.refusals import raise_first

REVIEW_EVERY = relativedelta(months=12)


def _locked(policy: Any) -> Any:
    from hubs.models import HubPolicy

    return HubPolicy.objects.select_for_update().select_related("hub").get(pk=policy.pk)


@transaction.atomic
def policy_open_for_comment(
    *, policy: Any, user: Any, consultation_closes_on: date | None = None
) -> Any:
    """The hub admin sends a draft to the body the policy in force names: its
    comment window opens (if the route has a comment step), and, with a
    closing date, a public consultation."""
    locked = _locked(policy)
    approval = approval_of(locked, decisions=[])
    raise_first(
        rules.policy_open_refusal(approval, user, consultation_closes_on=consultation_closes_on)
    )
    today = timezone.localdate()
    step = approval.comment
    locked.status = PolicyStatus.OPEN
    locked.opened_at = timezone.now()
    locked.comment_closes_on = today + timedelta(days=step.window_days) if step else None
    locked.consultation_closes_on = consultation_closes_on
    if locked.proposed_by_id is None:
        locked.proposed_by = user
    locked.save(
        update_fields=[
            "status",
            "opened_at",
            "comment_closes_on",
            "consultation_closes_on",
            "proposed_by",
        ]
    )
    return locked


def _once(model, lookup: dict, make: dict) -> Any:
    """Create unless this form was sent already (the form's own token); a
    replay at the same moment on another connection finds the first."""
    if lookup.get("form_key") and (already := model.objects.filter(**lookup).first()):
        return already
    try:
        with transaction.atomic():
            return model.objects.create(**lookup, **make)
    except IntegrityError:
        if not lookup.get("form_key"):
            raise
        return model.objects.get(**lookup)


@transaction.atomic
def policy_comment_add(*, policy: Any, user: Any, body: str, form_key: str = "") -> PolicyComment:
    """A board (or named group) member's comment on a draft. Once every
    member of the comment step has commented, its window closes early."""
    locked = _locked(policy)
    form_key = (form_key or "")[:64]
    if form_key:
        sent = PolicyComment.objects.filter(policy=locked, author=user, form_key=form_key)
        if (already := sent.first()) is not None:
            return already
    approval = approval_of(locked, decisions=[])
    raise_first(rules.policy_comment_refusal(approval, user, body=body))
    return _once(
        PolicyComment,
        {"policy": locked, "form_key": form_key},
        {"kind": CommentKind.BOARD, "author": user, "body": body.strip()},
    )


@transaction.atomic
def public_comment_add(
    *,
    policy: Any,
    name: str,
    body: str,
    organisation: str = "",
    email: str = "",
    form_key: str = "",
) -> PolicyComment:
    """A comment left on the public consultation page (no sign-in)."""
    locked = _locked(policy)
    form_key = (form_key or "")[:64]
    if form_key:
        sent = PolicyComment.objects.filter(policy=locked, form_key=form_key)
        if (already := sent.first()) is not None:
            return already
    raise_first(
        rules.public_comment_refusal(
            locked, name=name, body=body, organisation=organisation, email=email
        )
    )
    return _once(
        PolicyComment,
        {"policy": locked, "form_key": form_key},
        {
            "kind": CommentKind.PUBLIC,
            "name": name.strip(),
            "organisation": organisation.strip(),
            "email": email.strip(),
            "body": body.strip(),
        },
    )


@transaction.atomic
def policy_comment_respond(*, comment: PolicyComment, user: Any, response: str) -> PolicyComment:
    locked = PolicyComment.objects.select_for_update().select_related("policy__hub")
    locked = locked.get(pk=comment.pk)
    raise_first(rules.comment_response_refusal(locked, user, response=response))
    locked.response = response.strip()
    locked.responded_by, locked.responded_at = user, timezone.now()
    locked.save(update_fields=["response", "responded_by", "responded_at"])
    return locked


@transaction.atomic
def policy_decide(
    *,
    policy: Any,
    user: Any,
    outcome: str,
    reason: str = "",
    effective_from: date | None = None,
) -> PolicyDecision:
    """One member's decision. A return ends the round and the version goes
    back to draft; the last approval the route needs approves it, from the
    date that approval gives, and writes 'approved by' from the record."""
    locked = _locked(policy)
    approval = approval_of(locked)
    raise_first(
        rules.policy_decision_refusal(
            approval, user, outcome=outcome, reason=reason, effective_from=effective_from
        )
    )
    position, step = approval.awaited
    decision = PolicyDecision.objects.create(
        policy=locked,
        step_position=position,
        body_name=step.body_name,
        outcome=outcome,
        actor=user,
        reason=reason.strip(),
        effective_from=effective_from if outcome == PolicyOutcome.APPROVE else None,
    )
    approval.decisions.append(decision)
    if outcome == PolicyOutcome.RETURN:
        locked.status = PolicyStatus.DRAFT
        locked.comment_closes_on = locked.consultation_closes_on = None
        locked.save(update_fields=["status", "comment_closes_on", "consultation_closes_on"])
    elif approval.awaited is None:
        _approve(locked, approval, effective_from)
    return decision


def _approve(policy: Any, approval: Approval, effective_from: date) -> None:
    today = timezone.localdate()
    approvals = [d for d in approval.this_round if d.outcome == PolicyOutcome.APPROVE]
    names = ", ".join(d.actor.get_full_name() or d.actor.email for d in approvals)
    body = approval.decides[-1].body_name
    policy.status = PolicyStatus.APPROVED
    policy.effective_from = effective_from
    policy.approved_on = today
    policy.approved_by = f"{body[:1].upper()}{body[1:]} ({names})"[:200]
    if policy.next_review_on is None or policy.next_review_on <= effective_from:
        policy.next_review_on = effective_from + REVIEW_EVERY
    policy.comment_closes_on = policy.consultation_closes_on = None
    policy.save(
        update_fields=[
            "status",
            "effective_from",
            "approved_on",
            "approved_by",
            "next_review_on",
            "comment_closes_on",
            "consultation_closes_on",
        ]
    )


@transaction.atomic
def annual_review_record(
    *, hub: Any, user: Any, outcome: str, reviewed_on: date | None, note: str
) -> PolicyReview:
    """The annual review of the version in force: kept as it is, or to be
    changed. Its next review moves on twelve months from the review."""
    approval = rules.current_approval(hub)
    if approval.current is not None:
        approval.current = approval.policy = _locked(approval.current)
    raise_first(
        rules.annual_review_refusal(
            approval, user, outcome=outcome, reviewed_on=reviewed_on, note=note
        )
    )
    policy = approval.current
    next_review = reviewed_on + REVIEW_EVERY
    review = PolicyReview.objects.create(
        policy=policy,
        outcome=outcome,
        reviewed_on=reviewed_on,
        note=note.strip(),
        next_review_on=next_review,
        recorded_by=user,
    )
    policy.next_review_on = next_review
    policy.save(update_fields=["next_review_on"])
    return review


@transaction.atomic
def range_review_add(
    *, hub: Any, user: Any, body: str, reviewed_on: date | None, form_key: str = ""
) -> RangeReview:
    form_key = (form_key or "")[:64]
    if form_key:
        sent = RangeReview.objects.filter(hub=hub, author=user, form_key=form_key)
        if (already := sent.first()) is not None:
            return already
    raise_first(rules.range_review_refusal(hub, user, body=body, reviewed_on=reviewed_on))
    return _once(
        RangeReview,
        {"hub": hub, "author": user, "form_key": form_key},
        {"reviewed_on": reviewed_on, "body": body.strip()},
    )


@transaction.atomic
def range_review_respond(*, review: RangeReview, user: Any, response: str) -> RangeReview:
    locked = RangeReview.objects.select_for_update().select_related("hub").get(pk=review.pk)
    raise_first(rules.range_response_refusal(locked, user, response=response))
    locked.response = response.strip()
    locked.responded_by, locked.responded_at = user, timezone.now()
    locked.save(update_fields=["response", "responded_by", "responded_at"])
    return locked
