"""Single sign-on in the browser, through a real OpenID Connect provider
started on this machine (tests/servers/oidc_provider): Olivia, HLO staff in
Hertfordshire, presses "Sign in with Hertfordshire County Council", signs in
on the provider's own page, consents, and lands on her hub; Ursula, at the
same council but invited nowhere, is sent back with the reason; and once the
hub turns passwords off, Olivia's password is refused on the sign-in page.
Our pages on the way are checked with axe.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

from accounts.sso_models import HubSignOn
from hubs.models import Role
from hubs.services import membership_grant
from tests.browser.axe import assert_accessible
from tests.browser.helpers import LOGIN_PATH, assert_no_csp_violations, visit
from tests.factories import HubFactory, HubPolicyFactory, UserFactory
from tests.servers.oidc_provider.fixtures import (
    PROVIDER_PASSWORD,
    callback_uris,
    provider_users,
    sign_on_for_hub,
)
from tests.servers.oidc_provider.server import OIDCProvider

BUTTON = "Sign in with Hertfordshire County Council"


@pytest.fixture(scope="module")
def herts(live_db, live_server):
    with OIDCProvider(redirect_uris=callback_uris(live_server.url), users=provider_users()) as p:
        hub = HubPolicyFactory(hub=HubFactory(name="Hertfordshire Music Hub", slug="herts")).hub
        sign_on_for_hub(
            hub,
            p,
            domain="herts.gov.uk",
            name="Hertfordshire County Council",
            provider_requires_mfa=True,
        )
        olivia = UserFactory(username="olivia@herts.gov.uk", first_name="Olivia")
        membership_grant(hub=hub, user=olivia, role=Role.HLO_STAFF)
        yield hub


def check(page, context: str) -> None:
    assert_no_csp_violations(page)
    assert_accessible(page, context=context)


def through_provider(page, live_server, username: str) -> None:
    cache.clear()
    visit(page, live_server + LOGIN_PATH)
    check(page, "sign-in page with a hub's single sign-on")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=BUTTON).click()
    # The provider's own sign-in page, then its consent page.
    assert urlsplit(page.url).hostname == "127.0.0.1"
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PROVIDER_PASSWORD)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Sign in to the test council").click()
    if page.get_by_role("button", name="Authorize").count():
        with page.expect_navigation(wait_until="load"):
            page.get_by_role("button", name="Authorize").click()


def test_an_invited_officer_signs_in_through_the_provider_and_lands_on_her_hub(
    page, live_server, herts
):
    through_provider(page, live_server, "olivia")

    assert urlsplit(page.url).path == reverse("commissioning:dashboard", args=["herts"])
    assert page.get_by_role("heading", level=1).count() == 1
    check(page, "Hertfordshire's dashboard after single sign-on")
    page.context.clear_cookies()


def test_an_uninvited_account_is_sent_back_with_the_reason(page, live_server, herts):
    users_before = get_user_model().objects.count()

    through_provider(page, live_server, "ursula")

    assert urlsplit(page.url).path == LOGIN_PATH
    assert page.get_by_text(
        "ursula@herts.gov.uk has not been invited to Hertfordshire Music Hub. "
        "Ask your hub's administrator for an invitation."
    ).is_visible()
    assert get_user_model().objects.count() == users_before
    check(page, "sign-in page refusing an uninvited single sign-on")


def test_with_passwords_off_the_password_is_refused_pointing_to_the_provider(
    page, live_server, herts
):
    HubSignOn.objects.filter(hub=herts).update(passwords_allowed=False)
    cache.clear()
    visit(page, live_server + LOGIN_PATH)
    form = page.locator("form").filter(has=page.locator('input[name="login"]'))
    form.locator('input[name="login"]').fill("olivia@herts.gov.uk")
    form.locator('input[name="password"]').fill("correct-horse-battery")
    with page.expect_navigation(wait_until="load"):
        form.get_by_role("button", name="Sign in").click()

    assert urlsplit(page.url).path == LOGIN_PATH
    summary = page.locator(".error-summary")
    assert "not with a password" in summary.inner_text()
    assert f'Use "{BUTTON}" instead.' in summary.inner_text()
    check(page, "sign-in page refusing a password for a hub's people")
