"""Closing a call early or extending it, by HLO staff, with a reason.

Each write has one gate (`call_close_refusal`, `call_extend_refusal`) that the
service raises and the call's page asks before it offers the form. The change
is kept as a `CallChange` (append-only) beside the call's new deadline, and
everyone whose organisation has an expression of interest in progress or
submitted is told the new date through the messenger, in the same
transaction, once per change (its dedupe key).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commissioning.calls.common import when
from commissioning.models import Call, CallChange, CallChangeKind, ProposalStatus
from commissioning.policy import officer_refusal
from commissioning.workflow import Stage
from hubs.models import Membership, Role
from hubs.refusals import Refusal, Refused
from notices.services import notify

# Those told of a change: a draft started, or an expression of interest in.
TOLD = [ProposalStatus.DRAFT, ProposalStatus.SUBMITTED]


def _life_refusal(call: Call, user: Any, doing: str, now: datetime) -> Refusal | None:
    """What closing early and extending share: who, and a call that is open."""
    refusal = officer_refusal(user, call.commission, doing)
    if refusal is not None:
        return refusal
    if call.commission.status != Stage.IDENTIFY:
        return Refusal(
            "call_decided",
            f"This call's commission is '{call.commission.stage.label}'; its call can no "
            "longer be changed.",
        )
    if call.opens_at > now:
        return Refusal(
            "call_not_open",
            f"This call has not opened yet (it opens at {when(call.opens_at)}); it can be "
            "closed early or extended once it is open.",
        )
    if call.closed_at is not None or call.closes_at <= now:
        closed = min(call.closed_at or call.closes_at, call.closes_at)
        return Refusal(
            "call_closed",
            f"This call closed at {when(closed)}; a closed call is not reopened, so that "
            "every applicant met the same deadline.",
        )
    return None


def _reason_refusal(reason: str | None, doing: str) -> Refusal | None:
    if reason is not None and not reason.strip():
        return Refusal(
            "reason_required",
            f"Say why you are {doing}; applicants are told, and it is kept with the call.",
            field="reason",
        )
    return None


def call_close_refusal(
    call: Call, user: Any, *, reason: str | None = None, now: datetime | None = None
) -> Refusal | None:
    """Why this person cannot close this call early now, if so. A page asks it
    without a reason (None) to decide whether to offer the form."""
    now = now or timezone.now()
    return _life_refusal(call, user, "close a call early", now) or _reason_refusal(
        reason, "closing the call early"
    )


def call_extend_refusal(
    call: Call,
    user: Any,
    *,
    closes_at: datetime | None = None,
    reason: str | None = None,
    now: datetime | None = None,
    checking_input: bool = False,
) -> Refusal | None:
    """Why this person cannot extend this call to `closes_at` now, if so. With
    `checking_input` a missing date is refused too (the service's case)."""
    now = now or timezone.now()
    refusal = _life_refusal(call, user, "extend a call", now)
    if refusal is not None:
        return refusal
    if closes_at is None:
        if checking_input:
            return Refusal("closes_at_required", "Give the new closing time.", "closes_at")
        return None
    if closes_at <= now:
        return Refusal(
            "closes_in_future",
            "The new closing time has passed; choose a time in the future.",
            field="closes_at",
        )
    if closes_at <= call.closes_at:
        return Refusal(
            "later_than_deadline",
            f"The call already closes at {when(call.closes_at)}; an extension must close "
            "later. To close it sooner, close it early.",
            field="closes_at",
        )
    return _reason_refusal(reason, "extending the call")


def _locked(call: Call) -> Call:
    return (
        Call.objects.select_for_update(of=("self",))
        .select_related("hub", "commission", "commission__service_area", "commission__hub")
        .get(pk=call.pk)
    )


def _raise(refusal: Refusal | None) -> None:
    if refusal is not None:
        raise Refused(refusal)


def call_close_early(*, call: Call, user: Any, reason: str) -> CallChange:
    """Close an open call now, with the reason; applicants are told."""
    with transaction.atomic():
        c = _locked(call)
        now = timezone.now()
        _raise(call_close_refusal(c, user, reason=reason, now=now))
        change = CallChange.objects.create(
            hub=c.hub,
            call=c,
            kind=CallChangeKind.CLOSE_EARLY,
            closed_before=c.closes_at,
            closes_now=now,
            reason=reason.strip(),
            actor=user,
            created_at=now,
        )
        # The deadline becomes now: every page and rule that reads closes_at
        # (the EOI gate, scoring, the award) sees the call as closed.
        c.closes_at = c.closed_at = now
        c.save(update_fields=["closes_at", "closed_at"])
        _tell_applicants(c, change)
    call.refresh_from_db()
    return change


def call_extend(*, call: Call, user: Any, closes_at: datetime, reason: str) -> CallChange:
    """Move an open call's deadline later, with the reason; applicants are told."""
    with transaction.atomic():
        c = _locked(call)
        now = timezone.now()
        refusal = call_extend_refusal(
            c, user, closes_at=closes_at, reason=reason, now=now, checking_input=True
        )
        _raise(refusal)
        change = CallChange.objects.create(
            hub=c.hub,
            call=c,
            kind=CallChangeKind.EXTEND,
            closed_before=c.closes_at,
            closes_now=closes_at,
            reason=reason.strip(),
            actor=user,
            created_at=now,
        )
        c.closes_at = closes_at
        c.save(update_fields=["closes_at"])
        _tell_applicants(c, change)
    call.refresh_from_db()
    return change


def applicants_of(call: Call) -> list:
    """The contacts of every organisation with a draft or a submitted
    expression of interest in this call."""
    partners = call.proposals.filter(status__in=TOLD).values("partner_id")
    members = Membership.objects.filter(
        hub_id=call.hub_id, role=Role.PARTNER_CONTACT, partner_id__in=partners
    ).select_related("user")
    return sorted({m.user for m in members if m.user.email}, key=lambda u: u.email)


def _tell_applicants(call: Call, change: CallChange) -> int:
    if change.kind == CallChangeKind.CLOSE_EARLY:
        subject = f"[{call.hub.name}] {call.title}: closed early"
        said = f"The call closed early, at {when(change.closes_now)}."
    else:
        subject = f"[{call.hub.name}] {call.title}: now closes at {when(change.closes_now)}"
        said = (
            f"The call has been extended: it now closes at {when(change.closes_now)} "
            f"(it was to close at {when(change.closed_before)})."
        )
    body = f"{call.title}\n{said}\nWhy: {change.reason}"
    return notify(
        hub=call.hub,
        recipients=applicants_of(call),
        kind=f"call_{change.kind}",
        subject=subject,
        body=body,
        url=reverse("calls:detail", args=[call.hub.slug, call.pk]),
        dedupe_key=f"call_change:{change.pk}",
    )
