"""Our choices for django-allauth: allauth's own sign-up page stays closed
(people register from a hub's call, accounts.registration, or accept an
invitation), an account that registered itself signs in only once its
address is verified, and authenticator secrets are stored encrypted."""

from __future__ import annotations

import base64
import time
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.email_verification import send_verification_email_for_user
from allauth.account.internal.stagekit import clear_login
from allauth.account.utils import user_email, user_username
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes

from accounts.mfa import needs_mfa


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        # Having just signed in counts as having just confirmed who you are, as
        # a password entered on the "confirm it is you" page would: someone
        # sent to set up an authenticator app straight after signing in is not
        # asked for their password a second time.
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = context.request
        records = get_authentication_records(request, request.user)
        latest = max((record.get("at", 0) for record in records), default=0)
        return time.time() - latest >= account_settings.REAUTHENTICATION_TIMEOUT

    def pre_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> Any:
        # Someone who registered themself and has not yet followed the link
        # emailed to them is sent it again and stops at "check your email",
        # whichever way they sign in (the registration page asks allauth for
        # this itself, with verification mandatory).
        response = super().pre_login(request, user, **kwargs)
        if response or kwargs.get("email_verification") == EmailVerificationMethod.MANDATORY:
            return response
        from accounts.registration.services import awaits_verification

        if not awaits_verification(user):
            return None
        clear_login(request)
        request.registration_next = kwargs.get("redirect_url") or ""
        send_verification_email_for_user(request, user)
        return self.respond_email_verification_sent(request, user)

    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation: Any) -> str:
        # The link goes on to where the person was heading (the hub's page
        # for registering their organisation), also from another browser.
        url = super().get_email_confirmation_url(request, emailconfirmation)
        next_url = getattr(request, "registration_next", "")
        return f"{url}?{urlencode({'next': next_url})}" if next_url else url

    def populate_username(self, request: HttpRequest, user: Any) -> None:
        # Every account's username is its email address.
        user_username(user, user_email(user))


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(
                    salted_hmac(
                        "hubcommission.accounts.mfa",
                        "authenticator secrets",
                        secret=key,
                        algorithm="sha256",
                    ).digest()
                )
            )
            for key in keys
        ]
    )


def secret_box() -> MultiFernet:
    """Encrypts with a key derived from SECRET_KEY; decrypts with it or any of
    SECRET_KEY_FALLBACKS, so rotating the secret key keeps authenticators."""
    return _fernet((settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS))


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return secret_box().encrypt(force_bytes(text)).decode("ascii")

    def decrypt(self, encrypted_text: str) -> str:
        return secret_box().decrypt(force_bytes(encrypted_text)).decode("utf-8")

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # Someone whose role needs a second factor keeps their authenticator
        # app for as long as they hold the role.
        if authenticator.type == Authenticator.Type.TOTP:
            return not needs_mfa(authenticator.user)
        return True
