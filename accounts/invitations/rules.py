"""The rules of invitations: who may invite whom, and when a link can be used.

Who may invite is one rule, `invitation_refusal`, which the service raises and
the admin asks before it offers or saves anything: a site administrator may
invite anyone to any hub in any role; a hub admin may invite to their own hub
only, never themself (the rule for adding a membership: no one decides their
own powers). A hub admin may invite another hub admin, as they may add one
today. The role's details follow Membership.clean, asked of the membership
the invitation would make.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Invitation, InvitationState
from hubs.models import Hub, Membership, Role, ServiceArea
from hubs.refusals import Refusal, first

SELF_INVITE = (
    "You cannot invite yourself: another hub admin or a site administrator must give you "
    "a role, so that no one decides their own powers over public money."
)
# How a role reads in a sentence ("invited you to join ... as an approver").
ROLE_PHRASES = {
    Role.HLO_STAFF: "HLO staff",
    Role.APPROVER: "an approver",
    Role.BOARD_MEMBER: "a board member",
    Role.SERVICE_LEAD: "a service lead",
    Role.PARTNER_CONTACT: "a partner contact",
    Role.HUB_ADMIN: "a hub admin",
}


def expiry_days() -> int:
    return int(getattr(settings, "INVITATION_EXPIRY_DAYS", 7))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def role_in_words(invitation: Invitation | Membership) -> str:
    words = ROLE_PHRASES[invitation.role]
    if invitation.service_area_id:
        words += f" for {invitation.service_area.name}"
    if invitation.partner_id:
        words += f" for {invitation.partner.name}"
    if invitation.is_chair:
        words += ", and the chair"
    return words


def when(moment) -> str:
    return f"{timezone.localtime(moment):%-d %B %Y at %H:%M}"


# ── who may invite ───────────────────────────────────────────────────────────


def inviter_refusal(*, by: Any, hub: Hub, role: str | None = None) -> Refusal | None:
    """Whether `by` may invite people to `hub` as `role` (or resend and
    withdraw its invitations): a site administrator, or one of the hub's own
    admins; for a partner organisation's contact, also the hub's HLO staff,
    who keep its partners (the partner directory's "add contact")."""
    if by is not None and by.is_active and by.is_superuser:
        return None
    inviters = [Role.HUB_ADMIN] + ([Role.HLO_STAFF] if role == Role.PARTNER_CONTACT else [])
    if (
        by is not None
        and by.is_active
        and Membership.objects.filter(hub=hub, user=by, role__in=inviters).exists()
    ):
        return None
    return Refusal(
        "hub_admin_only",
        f"Only {hub.name}'s hub admins{', HLO staff' if role == Role.PARTNER_CONTACT else ''} "
        "or a site administrator can invite people to it.",
        "hub",
    )


def _role_details_refusal(
    *, hub: Hub, role: str, service_area: ServiceArea | None, partner: Any, is_chair: bool
) -> Refusal | None:
    """Membership.clean, asked of the membership the invitation would make."""
    would_be = Membership(
        hub=hub, role=role, service_area=service_area, partner=partner, is_chair=is_chair
    )
    try:
        would_be.clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        return Refusal("role_details", messages[0], field)
    return None


def invitation_refusal(
    *,
    by: Any,
    hub: Hub,
    email: str,
    role: str,
    service_area: ServiceArea | None = None,
    partner: Any = None,
    is_chair: bool = False,
) -> Refusal | None:
    """The first reason `by` may not invite `email` to `hub` as `role`, or None."""
    refusal = inviter_refusal(by=by, hub=hub, role=role)
    if refusal:
        return refusal
    email = normalise_email(email)
    if not by.is_superuser and email == normalise_email(by.email):
        return Refusal("self_grant", SELF_INVITE, "email")
    refusal = _role_details_refusal(
        hub=hub, role=role, service_area=service_area, partner=partner, is_chair=is_chair
    )
    if refusal:
        return refusal
    sample = Invitation(hub=hub, role=role, service_area=service_area, partner=partner)
    held = Membership.objects.filter(
        hub=hub, user__email__iexact=email, role=role, service_area=service_area, partner=partner
    )
    if held.exists():
        return Refusal(
            "already_member", f"{email} is already {role_in_words(sample)} in {hub.name}.", "email"
        )
    if _open(hub=hub, email=email, role=role).exists():
        return Refusal(
            "already_invited",
            f"{email} has already been invited to be {ROLE_PHRASES[role]}: resend that "
            "invitation, or withdraw it first.",
            "email",
        )
    return None


def _open(*, hub: Hub, email: str, role: str):
    return Invitation.objects.filter(
        hub=hub, email=email, role=role, accepted_at__isnull=True, revoked_at__isnull=True
    )


def resend_refusal(*, by: Any, invitation: Invitation) -> Refusal | None:
    return first(
        inviter_refusal(by=by, hub=invitation.hub, role=invitation.role),
        _closed_refusal(invitation),
    )


def revoke_refusal(*, by: Any, invitation: Invitation) -> Refusal | None:
    return first(
        inviter_refusal(by=by, hub=invitation.hub, role=invitation.role),
        _closed_refusal(invitation),
    )


def _closed_refusal(invitation: Invitation) -> Refusal | None:
    if invitation.accepted_at:
        return Refusal(
            "invitation_accepted",
            f"{invitation.email} accepted this invitation on {when(invitation.accepted_at)}.",
        )
    if invitation.revoked_at:
        return Refusal(
            "invitation_revoked",
            f"This invitation was withdrawn on {when(invitation.revoked_at)}; invite "
            f"{invitation.email} again instead.",
        )
    return None


def acceptance_refusal(*, invitation: Invitation, user: Any = None) -> Refusal | None:
    """Why this invitation cannot be accepted (by `user`, if signed in), or None."""
    state = invitation.state()
    hub = invitation.hub.name
    if state == InvitationState.ACCEPTED:
        return Refusal(
            "invitation_used",
            f"This invitation has already been used: it was accepted on "
            f"{when(invitation.accepted_at)}. A link works once.",
        )
    if state == InvitationState.REVOKED:
        return Refusal(
            "invitation_revoked",
            f"This invitation was withdrawn on {when(invitation.revoked_at)}. If you still "
            f"need to join {hub}, ask its hub admin to invite you again.",
        )
    if state == InvitationState.EXPIRED:
        return Refusal(
            "invitation_expired",
            f"This invitation expired on {when(invitation.expires_at)}. Ask {hub}'s hub "
            "admin to send you a new one.",
        )
    if user is not None and normalise_email(user.email) != invitation.email:
        return Refusal(
            "invitation_elsewhere",
            f"This invitation is for {invitation.email}, but you are signed in as "
            f"{user.email}. Sign out, then open the link again.",
        )
    inviter = invitation.invited_by
    if inviter_refusal(by=inviter, hub=invitation.hub, role=invitation.role) is not None:
        return Refusal(
            "inviter_gone",
            f"The person who invited you can no longer give roles in {hub}, so this "
            "invitation cannot be used. Ask the hub admin to invite you again.",
        )
    if user is not None and not inviter.is_superuser and inviter.pk == user.pk:
        return Refusal("self_grant", SELF_INVITE)
    return None


def password_refusal(*, password: str, user: Any) -> Refusal | None:
    """Django's password validators, in their own words."""
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        return Refusal("weak_password", " ".join(exc.messages), "password")
    return None
