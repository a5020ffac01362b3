"""Who may make an account for themself: one gate, `registration_refusal`,
which the registration page asks before it saves and the service raises.

An address has one account: a second registration with it is refused beside
the email field, pointing to the sign-in page (an invitation's link, or a
signed-in person, adds organisations to the account they have). A hub that
signs the address in through its own provider (single sign-on with passwords
off) makes no password account for it. The password follows Django's
validators, as everywhere else (accounts.invitations.rules.password_refusal).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from accounts.invitations.rules import normalise_email, password_refusal
from accounts.invitations.services import account_for
from accounts.sso_models import HubSignOn
from hubs.refusals import Refusal, first


def address_refusal(email: str, missing: str = "Enter your email address.") -> Refusal | None:
    """An address given, and shaped like one (beside the email field)."""
    if not email:
        return Refusal("email_required", missing, "email")
    try:
        validate_email(email)
    except ValidationError:
        return Refusal(
            "email_invalid",
            f"'{email}' is not an email address. Enter it as name@example.org.",
            "email",
        )
    return None


def _taken_refusal(email: str) -> Refusal | None:
    if account_for(email) is None:
        return None
    return Refusal(
        "account_exists",
        f"There is already an account for {email}. Sign in with it instead (or reset its "
        "password); once signed in you can register your organisation with any hub.",
        "email",
    )


def _sso_refusal(email: str) -> Refusal | None:
    """An address a hub signs in through its provider only: no password account."""
    for sign_on in HubSignOn.objects.filter(passwords_allowed=False).select_related("hub"):
        if sign_on.allows_email(email):
            return Refusal(
                "sso_passwords_off",
                f"{sign_on.hub.name} signs in people at this address with "
                f"{sign_on.provider_name}: sign in with it instead of making a password.",
                "email",
            )
    return None


def registration_refusal(
    *, email: str, password: str | None = None, first_name: str = "", last_name: str = ""
) -> Refusal | None:
    """The first reason someone may not make an account with `email` (and,
    when given, `password`), or None."""
    email = normalise_email(email)
    refusal = first(address_refusal(email), _taken_refusal(email), _sso_refusal(email))
    if refusal is not None or password is None:
        return refusal
    return password_refusal(password=password, user=would_be(email, first_name, last_name))


def would_be(email: str, first_name: str, last_name: str) -> Any:
    """The account as the password validators see it (not like its name or address)."""
    from django.contrib.auth import get_user_model

    email = normalise_email(email)
    return get_user_model()(username=email, email=email, first_name=first_name, last_name=last_name)
