"""Passwords turned off by a hub (accounts.sso.password_refusal), enforced
where every password sign-in passes: the authentication backends. Our sign-in
page, the Django admin's form, re-authentication and any other caller of
django.contrib.auth.authenticate() meet it alike."""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest

from accounts.sso import password_refusal
from accounts.sso_models import HubSignOn

REFUSAL_ATTRIBUTE = "_sso_password_refusal"


class PasswordsOffBackend:
    """Runs before the password backends. When the account the credentials
    name has the right password but one of its hubs turned passwords off,
    authentication stops here (PermissionDenied ends Django's loop) and the
    reason is left on the request for the sign-in form to show. Someone who
    does not know the password learns nothing: the answer is the usual one.

    It has no get_user and grants no permissions: it never signs anyone in,
    so no session names it (and the test client's force_login passes it by)."""

    def authenticate(self, request: HttpRequest | None, **credentials: Any) -> None:
        password = credentials.get("password")
        login = credentials.get("email") or credentials.get("username")
        if not password or not login:
            return None
        if not HubSignOn.objects.filter(passwords_allowed=False).exists():
            return None
        user = self._account(login)
        if user is None:
            return None
        refusal = password_refusal(user)
        if refusal is None:
            return None
        checked = ModelBackend().authenticate(
            request, username=user.get_username(), password=password
        ) or AuthenticationBackend().authenticate(request, **credentials)
        if checked is None:
            return None
        if request is not None:
            setattr(request, REFUSAL_ATTRIBUTE, refusal)
        raise PermissionDenied(refusal.message)

    def _account(self, login: str) -> Any:
        from django.contrib.auth import get_user_model

        return (
            get_user_model()
            .objects.filter(Q(email__iexact=login) | Q(username__iexact=login))
            .first()
        )
