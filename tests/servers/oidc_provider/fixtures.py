"""Shared set-up for the single sign-on tests: two hubs (Hertfordshire and
Kent) whose sign-ons both use one real OpenID Connect provider started on this
machine (tests/servers/oidc_provider), and the people it knows."""

from __future__ import annotations

import pytest

from accounts.sso import set_client_secret
from accounts.sso_models import HubSignOn
from tests.servers.oidc_provider.server import OIDCProvider

PROVIDER_PASSWORD = "provider-password-1"
HUB_SLUGS = ("herts", "kent")
# (username, email, first name, last name): the provider says a last name of
# "unverified" did not have its address checked.
PEOPLE = [
    ("olivia", "olivia@herts.gov.uk", "Olivia", "Hart"),
    ("ursula", "ursula@herts.gov.uk", "Ursula", "Nobody"),
    ("nina", "nina@herts.gov.uk", "Nina", "New"),
    ("kim", "kim@kent.gov.uk", "Kim", "Kent"),
    ("vic", "vic@herts.gov.uk", "Vic", "unverified"),
    ("max", "max@herts.gov.uk", "Max", "Many"),
    ("root", "root@herts.gov.uk", "Root", "Admin"),
]


def provider_users() -> list[dict]:
    return [
        {"username": u, "email": e, "first_name": f, "last_name": la, "password": PROVIDER_PASSWORD}
        for u, e, f, la in PEOPLE
    ]


def callback_uris(base: str) -> list[str]:
    return [f"{base}/accounts/oidc/hub-{slug}/login/callback/" for slug in HUB_SLUGS]


@pytest.fixture(scope="session")
def oidc_provider():
    with OIDCProvider(
        redirect_uris=callback_uris("http://testserver"), users=provider_users()
    ) as p:
        yield p


def sign_on_for_hub(hub, provider, *, domain: str, name: str, **extra) -> HubSignOn:
    sign_on = HubSignOn(
        hub=hub,
        provider_name=name,
        server_url=provider.server_url,
        client_id=provider.client_id,
        email_domains=domain,
        **extra,
    )
    set_client_secret(sign_on, provider.client_secret)
    sign_on.save()
    return sign_on
