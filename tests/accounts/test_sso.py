"""Single sign-on through a real OpenID Connect provider run on this machine.

Personas: Olivia, HLO staff in Hertfordshire (herts.gov.uk signs in with the
council's provider); Ursula, at the same council but invited nowhere; Nina,
invited to Hertfordshire with no account yet; Kim, in Kent (kent.gov.uk).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

from accounts.models import Invitation
from hubs.models import Membership, Role
from hubs.services import membership_grant
from tests.factories import HubFactory, HubPolicyFactory, InvitationFactory, UserFactory
from tests.servers.oidc_provider.fixtures import (
    PROVIDER_PASSWORD,
    oidc_provider,  # noqa: F401 (a fixture)
    sign_on_for_hub,
)
from tests.servers.oidc_provider.flow import through_provider

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def herts(db):
    return HubPolicyFactory(hub=HubFactory(name="Hertfordshire Music Hub", slug="herts")).hub


@pytest.fixture
def kent(db):
    return HubPolicyFactory(hub=HubFactory(name="Kent Music Hub", slug="kent")).hub


@pytest.fixture
def herts_sign_on(herts, oidc_provider):  # noqa: F811
    return sign_on_for_hub(
        herts,
        oidc_provider,
        domain="herts.gov.uk",
        name="Hertfordshire County Council",
        provider_requires_mfa=True,
    )


@pytest.fixture
def kent_sign_on(kent, oidc_provider):  # noqa: F811
    return sign_on_for_hub(kent, oidc_provider, domain="kent.gov.uk", name="Kent County Council")


@pytest.fixture
def olivia(herts):
    user = UserFactory(username="olivia@herts.gov.uk", first_name="Olivia")
    membership_grant(hub=herts, user=user, role=Role.HLO_STAFF)
    return user


def sso_sign_in(client, slug: str, username: str) -> object:
    """Press "Sign in with ..." for hub `slug`, sign in at the provider as
    `username`, consent, and come back: the response of our callback."""
    start = client.post(
        reverse("openid_connect_login", kwargs={"provider_id": f"hub-{slug}"}),
        {"next": reverse("commissioning:dashboard", args=[slug])},
    )
    assert start.status_code == 302, start.content[:300]
    back = through_provider(start.url, username=username, password=PROVIDER_PASSWORD)
    parts = urlsplit(back)
    assert parts.netloc == "testserver"
    return client.get(f"{parts.path}?{parts.query}")


def signed_in_id(client) -> str | None:
    return client.session.get("_auth_user_id")


def refusal_on_sign_in_page(client, response) -> str:
    assert response.status_code == 302
    assert response.url == reverse("account_login")
    page = client.get(response.url)
    return page.text


def test_an_invited_officer_signs_in_and_lands_on_their_hub(client, herts_sign_on, olivia):
    response = sso_sign_in(client, "herts", "olivia")

    assert response.status_code == 302
    assert response.url == reverse("commissioning:dashboard", args=["herts"])
    assert signed_in_id(client) == str(olivia.pk)
    # The provider's second factor counts: HLO staff land on the hub, not on
    # the page to set up an authenticator app.
    assert client.get(response.url).status_code == 200
    account = SocialAccount.objects.get(user=olivia)
    assert account.provider == "hub-herts"


def test_a_second_sign_in_uses_the_joined_identity(client, herts_sign_on, olivia):
    sso_sign_in(client, "herts", "olivia")
    client.post(reverse("account_logout"))
    assert signed_in_id(client) is None

    response = sso_sign_in(client, "herts", "olivia")

    assert response.status_code == 302
    assert signed_in_id(client) == str(olivia.pk)
    assert SocialAccount.objects.filter(user=olivia).count() == 1


def test_without_the_providers_second_factor_our_authenticator_is_still_asked(
    client, herts_sign_on, olivia
):
    herts_sign_on.provider_requires_mfa = False
    herts_sign_on.save()

    response = sso_sign_in(client, "herts", "olivia")
    landing = client.get(response.url)

    assert signed_in_id(client) == str(olivia.pk)
    assert landing.status_code == 302
    assert landing.url.startswith(reverse("mfa_activate_totp"))


def test_an_uninvited_account_from_the_same_domain_is_refused_and_nothing_is_created(
    client, herts_sign_on, olivia
):
    users_before = User.objects.count()

    response = sso_sign_in(client, "herts", "ursula")

    text = refusal_on_sign_in_page(client, response)
    assert (
        "ursula@herts.gov.uk has not been invited to Hertfordshire Music Hub. "
        "Ask your hub&#x27;s administrator for an invitation."
    ) in text
    assert signed_in_id(client) is None
    assert User.objects.count() == users_before
    assert not SocialAccount.objects.exists()


def test_an_open_invitation_makes_the_account_and_takes_up_the_role(client, herts_sign_on, olivia):
    admin = UserFactory(username="ada@herts.gov.uk")
    membership_grant(hub=herts_sign_on.hub, user=admin, role=Role.HUB_ADMIN)
    invitation = InvitationFactory(
        hub=herts_sign_on.hub, email="nina@herts.gov.uk", role=Role.BOARD_MEMBER, invited_by=admin
    )

    response = sso_sign_in(client, "herts", "nina")

    nina = User.objects.get(email="nina@herts.gov.uk")
    assert signed_in_id(client) == str(nina.pk)
    assert response.url == reverse("commissioning:dashboard", args=["herts"])
    assert not nina.has_usable_password()
    assert Membership.objects.filter(
        user=nina, hub=herts_sign_on.hub, role=Role.BOARD_MEMBER
    ).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == nina


def test_a_withdrawn_invitation_does_not_let_anyone_in(client, herts_sign_on, olivia):
    InvitationFactory(
        hub=herts_sign_on.hub, email="nina@herts.gov.uk", revoked_at="2026-01-01T00:00Z"
    )

    response = sso_sign_in(client, "herts", "nina")

    assert "nina@herts.gov.uk has not been invited" in refusal_on_sign_in_page(client, response)
    assert not User.objects.filter(email="nina@herts.gov.uk").exists()


def test_another_hubs_sign_on_cannot_get_into_a_hub(client, herts_sign_on, kent_sign_on, olivia):
    kim = UserFactory(username="kim@kent.gov.uk")
    membership_grant(hub=kent_sign_on.hub, user=kim, role=Role.BOARD_MEMBER)

    # Kim (kent.gov.uk) through Hertfordshire's sign-on: not its domain.
    response = sso_sign_in(client, "herts", "kim")
    text = refusal_on_sign_in_page(client, response)
    assert "kim@kent.gov.uk is not one of the addresses Hertfordshire Music Hub signs in" in text

    # Olivia (herts.gov.uk) through Kent's: not Kent's domain either.
    response = sso_sign_in(client, "kent", "olivia")
    assert "olivia@herts.gov.uk is not one of the addresses Kent Music Hub" in (
        refusal_on_sign_in_page(client, response)
    )
    assert signed_in_id(client) is None

    # Kent allowing herts.gov.uk does not make Olivia Kent's: she was not invited.
    kent_sign_on.email_domains = "kent.gov.uk\nherts.gov.uk"
    kent_sign_on.save()
    response = sso_sign_in(client, "kent", "olivia")
    assert "olivia@herts.gov.uk has not been invited to Kent Music Hub" in (
        refusal_on_sign_in_page(client, response)
    )
    assert signed_in_id(client) is None
    assert not SocialAccount.objects.exists()


def test_an_account_in_a_hub_that_does_not_trust_the_provider_is_refused(
    client, herts_sign_on, kent
):
    max_ = UserFactory(username="max@herts.gov.uk")
    membership_grant(hub=herts_sign_on.hub, user=max_, role=Role.BOARD_MEMBER)
    membership_grant(hub=kent, user=max_, role=Role.BOARD_MEMBER)

    response = sso_sign_in(client, "herts", "max")

    text = refusal_on_sign_in_page(client, response)
    assert "You also hold a role in Kent Music Hub" in text
    assert signed_in_id(client) is None


def test_an_address_the_provider_did_not_verify_is_refused(client, herts_sign_on):
    vic = UserFactory(username="vic@herts.gov.uk")
    membership_grant(hub=herts_sign_on.hub, user=vic, role=Role.BOARD_MEMBER)

    response = sso_sign_in(client, "herts", "vic")

    assert "did not confirm an email address" in refusal_on_sign_in_page(client, response)
    assert signed_in_id(client) is None


def test_a_site_administrator_never_signs_in_through_a_hubs_provider(client, herts_sign_on):
    UserFactory(username="root@herts.gov.uk", is_superuser=True, is_staff=True)

    response = sso_sign_in(client, "herts", "root")

    assert "Site administrators sign in with their password" in (
        refusal_on_sign_in_page(client, response)
    )
    assert signed_in_id(client) is None


def test_the_sign_in_page_offers_each_hubs_button(client, herts_sign_on, kent_sign_on):
    page = client.get(reverse("account_login"))

    assert "Sign in with Hertfordshire County Council" in page.text
    assert "Sign in with Kent County Council" in page.text
    assert 'action="/accounts/oidc/hub-herts/login/"' in page.text
    # The page's forms may lead to the provider (its origin), and nowhere else.
    policy = page["Content-Security-Policy"]
    assert "form-action 'self' http://127.0.0.1:" in policy


def test_a_hub_without_sign_on_has_no_provider(client, herts):
    response = client.post(reverse("openid_connect_login", kwargs={"provider_id": "hub-herts"}))
    assert response.status_code == 404


def test_an_invitation_to_another_hub_is_not_taken_up_by_a_refusal(client, herts_sign_on, kent):
    InvitationFactory(hub=kent, email="ursula@herts.gov.uk")

    response = sso_sign_in(client, "herts", "ursula")

    refusal_on_sign_in_page(client, response)
    assert Invitation.objects.get(email="ursula@herts.gov.uk").accepted_at is None
    assert not Membership.objects.filter(user__email="ursula@herts.gov.uk").exists()


def test_an_identity_is_never_added_to_whoever_is_signed_in(client, herts_sign_on, olivia):
    someone = UserFactory(username="kim@kent.gov.uk")
    client.force_login(someone)
    start = client.post(
        reverse("openid_connect_login", kwargs={"provider_id": "hub-herts"}),
        {"process": "connect"},
    )
    back = through_provider(start.url, username="olivia", password=PROVIDER_PASSWORD)
    parts = urlsplit(back)

    response = client.get(f"{parts.path}?{parts.query}")

    assert response.status_code == 302
    assert not SocialAccount.objects.exists()
