"""Who must use a second factor, and whether this session has used one.

Everyone who can take a decision signs in with an authenticator app as well
as a password: awarding and running commissions (HLO staff, and service leads
in their area), countersigning agreements for the HLO (HLO staff), approving
(approvers), deciding terminations (the chair), configuring a hub (hub
admins) and running the whole site (superusers). Their decisions reach
children's data and public money. Board members who only comment, and partner
contacts, need not. allauth asks anyone who has an authenticator for a code
at sign-in; accounts.middleware makes sure the people below have one, and
have used it in the current session.
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
from django.db.models import Q
from django.http import HttpRequest

from hubs.models import Membership, Role
from hubs.services import AREA_PERMISSION, CHAIR_PERMISSIONS, ROLE_PERMISSIONS

# The hub permissions that decide something: whoever holds one of them needs a
# second factor. Which roles hold them is hubs.services' to say.
DECIDING_PERMISSIONS = frozenset(
    {
        "run_commissions",  # award, withdraw, recommend; countersign for the HLO
        AREA_PERMISSION,  # the same, in a service lead's own area
        "approve_commissions",
        "decide_terminations",
        "configure_hub",
    }
)
# Service leads hold AREA_PERMISSION on their area, not through ROLE_PERMISSIONS.
_AREA_ROLES = {Role.SERVICE_LEAD}
# The roles that need a second factor, and the chair (any role with is_chair).
MFA_ROLES = frozenset(
    {role for role, perms in ROLE_PERMISSIONS.items() if perms & DECIDING_PERMISSIONS} | _AREA_ROLES
)
CHAIR_NEEDS_MFA = bool(CHAIR_PERMISSIONS & DECIDING_PERMISSIONS)
# What the request to use a second factor calls each role.
ROLE_WORDS = {
    Role.HLO_STAFF: "HLO staff",
    Role.APPROVER: "approver",
    Role.BOARD_MEMBER: "board member",
    Role.SERVICE_LEAD: "service lead",
    Role.PARTNER_CONTACT: "partner contact",
    Role.HUB_ADMIN: "hub admin",
}

_UNSET = object()


def mfa_role(user: Any) -> str | None:
    """The role, in words, that obliges this person to use a second factor,
    or None when nothing does. One query at most."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return "site administrator"
    obliging = Q(role__in=MFA_ROLES)
    if CHAIR_NEEDS_MFA:
        obliging |= Q(is_chair=True)
    found = (
        Membership.objects.filter(obliging, user=user)
        .order_by("-is_chair", "role")
        .values_list("role", "is_chair")
        .first()
    )
    if found is None:
        return None
    role, is_chair = found
    return "chair" if is_chair else ROLE_WORDS[role]


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
