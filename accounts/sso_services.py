"""What a permitted single sign-on writes: joining the provider's identity to
the account, and, for someone whose invitation to the hub is open, taking it
up as its link would (making the account first if there is none). Asked of
accounts.sso.sso_refusal again inside the transaction, so no route skips it.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.invitations.services import account_for, invitation_accept
from accounts.sso import open_invitations, sso_refusal
from accounts.sso_models import HubSignOn
from hubs.refusals import raise_first

User = get_user_model()


@transaction.atomic
def sso_account_join(
    *, sign_on: HubSignOn, email: str, first_name: str = "", last_name: str = ""
) -> Any:
    """The account `email` signs in to through `sign_on`: the existing one,
    or, with an open invitation to the hub and no account yet, a new one with
    no password. Open invitations to the hub are accepted."""
    user = account_for(email)
    raise_first(sso_refusal(sign_on=sign_on, email=email, user=user))
    if user is None:
        user = User(
            username=email, email=email, first_name=first_name[:150], last_name=last_name[:150]
        )
        user.set_unusable_password()
        user.save()
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    for invitation in open_invitations(sign_on=sign_on, email=email, user=user):
        invitation_accept(invitation=invitation, user=user)
    return user
