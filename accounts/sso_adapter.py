"""allauth's social accounts, as single sign-on per hub: each hub's
HubSignOn is an OpenID Connect app (accounts.sso.social_app), nobody signs
up, and a sign-in goes ahead only when accounts.sso.sso_refusal has nothing
to say; otherwise the person is sent back to the sign-in page with the reason.

We join the provider's identity to the account ourselves, after our checks,
rather than through allauth's email authentication: that would take any
provider's word for any address, and wipe the password of an account whose
address allauth had not itself seen verified.
"""

from __future__ import annotations

import logging
from typing import Any

from allauth.account.internal.flows.login import record_authentication
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from accounts.invitations.services import account_for
from accounts.sso import provider_claims, sign_on_for, social_app, sso_refusal, verified_email
from accounts.sso_models import PROVIDER_PREFIX, HubSignOn
from accounts.sso_services import sso_account_join
from hubs.refusals import Refusal, Refused

log = logging.getLogger(__name__)


def _back_to_sign_in(request: HttpRequest, refusal: Refusal) -> ImmediateHttpResponse:
    messages.error(request, refusal.message)
    return ImmediateHttpResponse(HttpResponseRedirect(reverse("account_login")))


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return False

    def list_apps(self, request: HttpRequest, provider=None, client_id=None) -> list:
        """Every hub's sign-on, as allauth apps (and nothing from allauth's
        own table or settings)."""
        sign_ons = HubSignOn.objects.select_related("hub")
        if provider and provider.startswith(PROVIDER_PREFIX):
            sign_ons = sign_ons.filter(hub__slug=provider.removeprefix(PROVIDER_PREFIX))
        elif provider and provider != "openid_connect":
            return []
        if client_id:
            sign_ons = sign_ons.filter(client_id=client_id)
        return [social_app(sign_on) for sign_on in sign_ons]

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        sign_on = sign_on_for(sociallogin.account.provider)
        if sign_on is None:  # a provider that is no hub's: never
            raise _back_to_sign_in(
                request, Refusal("sso_unknown", "That sign-in is not set up for any hub.")
            )
        if sociallogin.state.get("process") == "connect":
            # An identity joins an account only by signing in to it, after
            # the checks below; never by being added to whoever is signed in.
            raise _back_to_sign_in(
                request,
                Refusal(
                    "sso_connect",
                    f'Sign out first, then use "Sign in with {sign_on.provider_name}".',
                ),
            )
        claims = provider_claims(sociallogin.account.extra_data)
        email = verified_email(claims)
        connected = sociallogin.user if sociallogin.is_existing else None
        refusal = sso_refusal(
            sign_on=sign_on,
            email=email,
            user=account_for(email) if email else None,
            connected_user=connected,
        )
        if refusal:
            log.info("Single sign-on refused (%s) for %s", refusal.rule, sign_on.hub.slug)
            raise _back_to_sign_in(request, refusal)
        try:
            user = sso_account_join(
                sign_on=sign_on,
                email=email,
                first_name=claims.get("given_name") or "",
                last_name=claims.get("family_name") or "",
            )
        except Refused as exc:  # lost a race with a change to the hub
            raise _back_to_sign_in(request, exc.refusal) from exc
        if connected is None:
            sociallogin.connect(request, user)
        if sign_on.provider_requires_mfa:
            # accounts.mfa.session_used_mfa reads this record: the hub says
            # its provider asked for a second factor on the way in.
            record_authentication(
                request, user, "mfa", type="provider", provider=sign_on.provider_id
            )
