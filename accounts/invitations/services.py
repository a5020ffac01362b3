"""Inviting people into a hub by email, and accepting.

Every write asks its rule (accounts.invitations.rules) and raises what it
refuses. Accepting grants the role through hubs.services.membership_grant,
the one place that grants, and marks the invitation used, in one transaction
on the locked invitation row. The link carries a random token; only its
SHA-256 is stored, and the email goes through the notices outbox, written
with the invitation and sent after commit.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.invitations.rules import (
    acceptance_refusal,
    expiry_days,
    invitation_refusal,
    normalise_email,
    password_refusal,
    resend_refusal,
    revoke_refusal,
    role_in_words,
    token_hash,
    when,
)
from accounts.models import Invitation
from hubs.models import Hub, Membership, ServiceArea
from hubs.refusals import Refusal, Refused, raise_first
from hubs.services import membership_grant
from notices.models import OutboxMessage
from notices.services import deliver_after_commit, notify, subject_line

User = get_user_model()


# ── inviting ─────────────────────────────────────────────────────────────────


def _new_token(invitation: Invitation, now) -> str:
    token = secrets.token_urlsafe(32)
    invitation.token_hash = token_hash(token)
    invitation.sent_at = now
    invitation.expires_at = now + timedelta(days=expiry_days())
    return token


@transaction.atomic
def invitation_create(
    *,
    by: Any,
    hub: Hub,
    email: str,
    role: str,
    service_area: ServiceArea | None = None,
    partner: Any = None,
    title: str = "",
    is_chair: bool = False,
) -> tuple[Invitation, str]:
    """Invite `email` to `hub` as `role` and email them the link; returns the
    invitation and the link's token (which is stored nowhere)."""
    email = normalise_email(email)
    details = {"role": role, "service_area": service_area, "partner": partner}
    raise_first(invitation_refusal(by=by, hub=hub, email=email, is_chair=is_chair, **details))
    now = timezone.now()
    invitation = Invitation(
        hub=hub, email=email, title=title, is_chair=is_chair, invited_by=by, created_at=now
    )
    for name, value in details.items():
        setattr(invitation, name, value)
    token = _new_token(invitation, now)
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:  # invited a moment ago by someone else
        raise_first(invitation_refusal(by=by, hub=hub, email=email, is_chair=is_chair, **details))
        raise
    _send(invitation, token)
    return invitation, token


@transaction.atomic
def invitation_resend(*, by: Any, invitation: Invitation) -> tuple[Invitation, str]:
    """A new link with a new expiry; the old link stops working."""
    invitation = _lock(invitation)
    raise_first(resend_refusal(by=by, invitation=invitation))
    token = _new_token(invitation, timezone.now())
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
    _send(invitation, token)
    return invitation, token


@transaction.atomic
def invitation_revoke(*, by: Any, invitation: Invitation) -> Invitation:
    invitation = _lock(invitation)
    raise_first(revoke_refusal(by=by, invitation=invitation))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


def _lock(invitation: Invitation) -> Invitation:
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("hub", "invited_by", "service_area", "partner")
        .get(pk=invitation.pk)
    )


def invitation_link(token: str) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return base + reverse("accounts:invitation", args=[token])


def _send(invitation: Invitation, token: str) -> None:
    """The invitation's email, through the outbox: written with the
    invitation, sent after commit."""
    hub, inviter = invitation.hub, invitation.invited_by
    who = (inviter.get_full_name() or inviter.email) if inviter else "A site administrator"
    body = "\n".join(
        [
            f"{who} has invited you to join {hub.name} on hubcommission as "
            f"{role_in_words(invitation)}.",
            "",
            "To accept, open this link:",
            invitation_link(token),
            "",
            f"The link works until {when(invitation.expires_at)} (UK time), once.",
            "If you were not expecting this invitation, you can ignore this email.",
        ]
    )
    OutboxMessage.objects.create(
        hub=hub,
        user=User.objects.filter(email__iexact=invitation.email).first(),
        to_email=invitation.email,
        subject=subject_line(f"You are invited to join {hub.name} on hubcommission"),
        body=body + "\n",
        dedupe_key=f"invitation:{invitation.pk}:{invitation.token_hash[:16]}",
    )
    deliver_after_commit()


# ── accepting ────────────────────────────────────────────────────────────────


def invitation_for_token(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("hub", "invited_by", "service_area", "partner")
        .filter(token_hash=token_hash(token))
        .first()
    )


def account_for(email: str) -> Any:
    return User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).first()


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: Any) -> Membership:
    """`user` (signed in, with the invitation's email) takes up the role."""
    invitation = _lock(invitation)
    raise_first(acceptance_refusal(invitation=invitation, user=user))
    membership = membership_grant(
        hub=invitation.hub,
        user=user,
        role=invitation.role,
        service_area=invitation.service_area,
        partner=invitation.partner,
        title=invitation.title,
        is_chair=invitation.is_chair,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if invitation.invited_by and invitation.invited_by.pk != user.pk:
        name = user.get_full_name() or user.email
        notify(
            hub=invitation.hub,
            recipients=[invitation.invited_by],
            kind="invitation_accepted",
            subject=f"{name} accepted your invitation to be {role_in_words(invitation)}",
            dedupe_key=f"invitation_accepted:{invitation.pk}",
        )
    return membership


@transaction.atomic
def invitation_accept_new_account(
    *, invitation: Invitation, first_name: str, last_name: str, password: str
) -> Any:
    """Someone without an account: the account is made with the invitation's
    email (verified, since the link reached it) and takes up the role."""
    from accounts.sso import new_password_account_refusal  # sso reads invitations

    invitation = _lock(invitation)
    raise_first(acceptance_refusal(invitation=invitation))
    email = invitation.email
    raise_first(new_password_account_refusal(hub=invitation.hub, email=email))
    if account_for(email) is not None:
        raise Refused(
            Refusal(
                "account_exists",
                f"There is already an account for {email}: sign in, then open the link again.",
            )
        )
    user = User(username=email, email=email, first_name=first_name, last_name=last_name)
    raise_first(password_refusal(password=password, user=user))
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    invitation_accept(invitation=invitation, user=user)
    return user
