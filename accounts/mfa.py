"""Who must use a second factor, and whether this session has used one.

Approving partnerships and configuring a hub (and running the whole site)
reach children's data and public money, so these roles sign in with an
authenticator app as well as a password. allauth asks anyone who has an
authenticator for a code at sign-in; accounts.middleware makes sure the people
below have one, and have used it in the current session.
"""

from __future__ import annotations

import time
from typing import Any

from allauth.account.authentication import get_authentication_records

# allauth keeps no public API for these; the version is pinned in pyproject.
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.http import HttpRequest

from hubs.models import Membership, Role

# The one place that says which roles need a second factor.
MFA_ROLES = frozenset({Role.APPROVER, Role.HUB_ADMIN})

_UNSET = object()


def mfa_role(user: Any) -> str | None:
    """The role, in words, that obliges this person to use a second factor,
    or None when nothing does. One query at most."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return "site administrator"
    role = (
        Membership.objects.filter(user=user, role__in=MFA_ROLES)
        .order_by("role")
        .values_list("role", flat=True)
        .first()
    )
    return Role(role).label.lower() if role else None


def needs_mfa(user: Any) -> bool:
    return mfa_role(user) is not None


def request_mfa_role(request: HttpRequest) -> str | None:
    """mfa_role for the signed-in person, asked once per request."""
    cached = getattr(request, "_mfa_role", _UNSET)
    if cached is _UNSET:
        cached = request._mfa_role = mfa_role(request.user)
    return cached


def has_totp(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def session_used_mfa(request: HttpRequest) -> bool:
    """Whether this session proved a second factor (at sign-in, on
    re-authentication, or by setting up an authenticator just now)."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def session_record_mfa(request: HttpRequest, authenticator: Authenticator, **extra: Any) -> None:
    """Note in the session that the signed-in person proved `authenticator`,
    the way allauth does after a code is entered at sign-in."""
    record_authentication(
        request, authenticator.user, "mfa", id=authenticator.pk, type=authenticator.type, **extra
    )


def totp_code(secret: str, at: float | None = None) -> str:
    """The six-digit code an authenticator app shows for `secret` at `at`."""
    counter = int(time.time() if at is None else at) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def seconds_left_for_code(at: float | None = None) -> int:
    now = int(time.time() if at is None else at)
    return mfa_settings.TOTP_PERIOD - now % mfa_settings.TOTP_PERIOD
