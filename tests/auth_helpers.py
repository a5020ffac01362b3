"""Signing people in from tests, second factor included, as cheaply as
`client.force_login`: no password is checked or hashed.

    sign_in(client, approver)   # an approver now passes RequireMFAForRoles

People whose role needs a second factor (accounts.mfa: everyone who can
decide, approve, countersign, terminate or configure, and superusers) are
given an authenticator app with TEST_TOTP_SECRET if they have none, and the
session is marked as having used it, as allauth marks it after a code is
entered at sign-in.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.http import HttpRequest
from django.test import Client

from accounts import mfa

TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def needs_mfa(user: Any) -> bool:
    return mfa.needs_mfa(user)


def give_authenticator(user: Any, secret: str = TEST_TOTP_SECRET) -> Authenticator:
    """The user's authenticator app (TOTP), created with `secret` if missing."""
    authenticator, _ = Authenticator.objects.get_or_create(
        user=user,
        type=Authenticator.Type.TOTP,
        defaults={"data": {"secret": encrypt(secret)}},
    )
    return authenticator


def give_demo_authenticators(secret: str) -> int:
    """Everyone in the database whose role needs a second factor gets an
    authenticator app with `secret` if they have none (the demo's shared one,
    for the browser tests). Returns how many were added."""
    from django.contrib.auth import get_user_model

    added = 0
    for user in get_user_model().objects.all():
        if needs_mfa(user) and not mfa.has_totp(user):
            give_authenticator(user, secret)
            added += 1
    return added


def sign_in(client: Client, user: Any) -> None:
    client.force_login(user)
    if not needs_mfa(user):
        return
    authenticator = give_authenticator(user)
    session = client.session
    request = HttpRequest()
    request.session = session
    mfa.session_record_mfa(request, authenticator)
    session.save()


def totp_code(secret: str = TEST_TOTP_SECRET) -> str:
    """The code an authenticator app with `secret` shows now."""
    return mfa.totp_code(secret)
