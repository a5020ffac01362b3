"""Making an account for oneself, and what signing in asks of it until its
address is verified.

`account_register` asks the one gate (accounts.registration.rules) and makes
the account with its address not yet verified; the page then signs the
person in through allauth with email verification mandatory, which sends
allauth's confirmation email (Django's mail backend) and stops at "check your
email" until the link is followed. Every later sign-in of an account whose
address is still unverified stops there too (accounts.adapters.pre_login),
so nobody acts for an organisation from an address they have not shown is
theirs.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from accounts.invitations.rules import normalise_email
from accounts.registration.rules import registration_refusal
from hubs.refusals import raise_first

User = get_user_model()


@transaction.atomic
def account_register(*, email: str, first_name: str, last_name: str, password: str) -> Any:
    """A new account for `email`, its address waiting to be verified."""
    email = normalise_email(email)
    names = {"first_name": first_name.strip(), "last_name": last_name.strip()}
    raise_first(registration_refusal(email=email, password=password, **names))
    user = User(username=email, email=email, **names)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # registered a moment ago, in another tab
        raise_first(registration_refusal(email=email))
        raise
    EmailAddress.objects.create(user=user, email=email, verified=False, primary=True)
    return user


def awaits_verification(user: Any) -> bool:
    """An account that registered itself and has not yet followed the link:
    its addresses are all unverified and it holds no role anywhere (it gets
    one only by registering an organisation, once verified). Accounts made by
    invitation, a provider or a hub admin have a verified address, no address
    row, or a role; allauth adds an unverified row to one that resets its
    password, which a role keeps from counting."""
    if user.is_superuser:
        return False
    addresses = list(EmailAddress.objects.filter(user=user).values_list("verified", flat=True))
    if not addresses or any(addresses):
        return False
    return not user.memberships.exists()
