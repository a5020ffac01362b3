"""Invitations to respond to a call: the Hub's direct outreach (BLMK's
"specific outreach to underrepresented or emerging organisations"). HLO staff
send a call to chosen organisations of the hub (their contacts are emailed)
or to email addresses; each gets a link that shows the call, makes an account
and registers the organisation (accounts.registration, partners.registration)
and leads on to expressing interest.

One gate per write: `call_invitation_refusal` (who may invite whom to this
call, now) and `call_invitation_use_refusal` (whether a link still works),
raised by the services and asked by the pages. As with invitations to join a
hub, only the SHA-256 of a link's token is kept, and a link expires after
INVITATION_EXPIRY_DAYS; inviting an address or an organisation again sends a
new link and the old one stops working.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.invitations.rules import expiry_days, normalise_email, token_hash
from commissioning.calls.common import when
from commissioning.models import Call, CallInvitation, Proposal
from commissioning.policy import officer_refusal
from commissioning.workflow import Stage
from hubs.models import Membership, Role
from hubs.refusals import Refusal, Refused
from notices.models import OutboxMessage
from notices.services import deliver_after_commit, subject_line
from partners.models import PartnerOrganisation

# ── the rules ────────────────────────────────────────────────────────────────


def _call_closed_refusal(call: Call, now: datetime) -> Refusal | None:
    if call.closed_at is not None or call.closes_at <= now:
        return Refusal(
            "deadline_passed",
            f"This call closed at {when(call.closed_at or call.closes_at)}; it takes no more "
            "expressions of interest.",
        )
    if call.commission.status != Stage.IDENTIFY:
        return Refusal(
            "call_withdrawn",
            "This call no longer takes expressions of interest: the commission is "
            f"'{call.commission.stage.label}'.",
        )
    return None


def _address_refusal(email: str) -> Refusal | None:
    try:
        validate_email(email)
    except ValidationError:
        return Refusal(
            "email_invalid",
            f"'{email}' is not an email address. Put one address a line, like name@example.org.",
            "emails",
        )
    return None


def _partner_refusal(call: Call, partner: PartnerOrganisation) -> Refusal | None:
    if partner.hub_id != call.hub_id:
        return Refusal(
            "partner_elsewhere", "That organisation is not one of this hub's.", "partners"
        )
    if not Membership.objects.filter(partner=partner, role=Role.PARTNER_CONTACT).exists():
        return Refusal(
            "no_contact",
            f"{partner.name} has no contact to email. Invite the person by their email address "
            "instead.",
            "partners",
        )
    if Proposal.objects.filter(commission_id=call.commission_id, partner=partner).exists():
        return Refusal(
            "already_responding",
            f"{partner.name} has already started an expression of interest in this call.",
            "partners",
        )
    return None


def call_invitation_refusal(
    call: Call,
    who: Any,
    *,
    email: str | None = None,
    partner: PartnerOrganisation | None = None,
    now: datetime | None = None,
) -> Refusal | None:
    """Why `who` (a user, or a HubAccess) may not invite `email` or `partner`
    to respond to `call` now; asked with neither, whether they may invite at all."""
    now = now or timezone.now()
    refusal = officer_refusal(who, call.commission, "invite organisations to respond to a call")
    if refusal is not None:
        return refusal
    refusal = _call_closed_refusal(call, now)
    if refusal is not None:
        return refusal
    if email is not None:
        return _address_refusal(normalise_email(email))
    if partner is not None:
        return _partner_refusal(call, partner)
    return None


def call_invitation_use_refusal(
    invitation: CallInvitation, now: datetime | None = None
) -> Refusal | None:
    """Why this link no longer leads anyone to respond, if so."""
    now = now or timezone.now()
    call = invitation.call
    refusal = _call_closed_refusal(call, now)
    if refusal is not None:
        return refusal
    if invitation.is_expired(now):
        also = " You can still register from its public page." if call.is_public else ""
        return Refusal(
            "invitation_expired",
            f"This invitation expired on {when(invitation.expires_at)}. Ask {call.hub.name} "
            f"to send you a new one.{also}",
            "email",
        )
    return None


# ── the writes ───────────────────────────────────────────────────────────────


@transaction.atomic
def call_invitations_send(
    *,
    call: Call,
    by: Any,
    emails: Sequence[str] = (),
    partners: Sequence[PartnerOrganisation] = (),
    access: Any = None,
) -> list[CallInvitation]:
    """Invite each address and each organisation (all, or none if any is
    refused) and email them the link; returns the invitations."""
    who = access if access is not None else by
    addresses = list(dict.fromkeys(normalise_email(e) for e in emails if e.strip()))
    general = call_invitation_refusal(call, who)
    if general is not None:
        raise Refused(general)
    refusals = [
        r
        for r in (
            *(call_invitation_refusal(call, who, email=e) for e in addresses),
            *(call_invitation_refusal(call, who, partner=p) for p in partners),
        )
        if r is not None
    ]
    if not addresses and not partners:
        refusals.append(
            Refusal("nobody_invited", "Choose an organisation or enter an email address.", "emails")
        )
    if refusals:
        raise Refused(refusals)
    locked = Call.objects.select_for_update(of=("self",)).get(pk=call.pk)  # one sender at a time
    now = timezone.now()
    sent = []
    for target in [{"email": e} for e in addresses] + [{"partner": p} for p in partners]:
        invitation = CallInvitation.objects.filter(call=locked, **target).first()
        if invitation is None:
            invitation = CallInvitation(hub_id=call.hub_id, call=locked, **target)
        token = secrets.token_urlsafe(32)
        invitation.token_hash = token_hash(token)
        invitation.invited_by = by
        invitation.sent_at = now
        invitation.expires_at = now + timedelta(days=expiry_days())
        invitation.save()
        _send(call, invitation, token)
        sent.append(invitation)
    return sent


@transaction.atomic
def call_invitation_use(*, invitation: CallInvitation, user: Any) -> CallInvitation:
    """The invitee followed the link and made their account (or signed in)."""
    found = CallInvitation.objects.select_for_update().select_related("call__commission")
    invitation = found.get(pk=invitation.pk)
    refusal = call_invitation_use_refusal(invitation)
    if refusal is not None:
        raise Refused(refusal)
    if invitation.used_at is None:
        invitation.used_at, invitation.used_by = timezone.now(), user
        invitation.save(update_fields=["used_at", "used_by"])
    return invitation


def invitation_link(call: Call, token: str) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return base + reverse("calls:invited", args=[call.hub.slug, call.pk, token])


def _send(call: Call, invitation: CallInvitation, token: str) -> None:
    """Through the outbox: written with the invitation, sent after commit.
    An organisation's invitation goes to each of its contacts."""
    hub = call.hub
    if invitation.partner_id:
        contacts = Membership.objects.filter(
            partner_id=invitation.partner_id, role=Role.PARTNER_CONTACT
        ).select_related("user")
        to = [(m.user, m.user.email) for m in contacts]
        opening = f"{hub.name} invites {invitation.partner.name} to respond to its call"
    else:
        to = [(None, invitation.email)]
        opening = f"{hub.name} invites you to respond to its call"
    body = "\n".join(
        [
            f"{opening} '{call.title}', open until {when(call.closes_at)}.",
            "",
            call.summary.strip(),
            "",
            "To read the call, register and express interest, open this link:",
            invitation_link(call, token),
            "",
            f"The link works until {when(invitation.expires_at)} (UK time). You do not need "
            f"to be a partner of {hub.name} already.",
        ]
    )
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            hub=hub,
            user=user,
            to_email=email,
            subject=subject_line(f"{hub.name} invites you to respond to a call: {call.title}"),
            body=body + "\n",
            dedupe_key=f"call_invitation:{invitation.pk}:{invitation.token_hash[:16]}:{email}"[
                :250
            ],
        )
        for user, email in to
    )
    deliver_after_commit()


def invitation_for(call_id: int, hub_slug: str, token: str) -> CallInvitation | None:
    if not token or len(token) > 100:
        return None
    return (
        CallInvitation.objects.select_related(
            "hub", "partner", "call", "call__hub", "call__commission", "call__commission__policy"
        )
        .filter(call_id=call_id, hub__slug=hub_slug, token_hash=token_hash(token))
        .first()
    )


def invitations_of(call: Call):
    return CallInvitation.objects.filter(call=call).select_related("partner", "used_by")
