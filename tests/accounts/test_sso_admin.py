"""A hub's single sign-on in the Django admin: its hub admin (owner) sees and
edits only their own hub's; another hub's admin (outsider) cannot see it; the
client secret is stored encrypted and never shown back."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.sso import client_secret
from accounts.sso_models import HubSignOn
from hubs.models import Role
from hubs.services import membership_grant
from tests.auth_helpers import sign_in
from tests.factories import HubFactory, HubPolicyFactory, UserFactory

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:accounts_hubsignon_changelist")
ADD = reverse("admin:accounts_hubsignon_add")


def change_url(sign_on: HubSignOn) -> str:
    return reverse("admin:accounts_hubsignon_change", args=[sign_on.pk])


@pytest.fixture
def avon(db):
    return HubPolicyFactory(hub=HubFactory(name="Avon Music Hub", slug="avon")).hub


@pytest.fixture
def brent(db):
    return HubPolicyFactory(hub=HubFactory(name="Brent Music Hub", slug="brent")).hub


@pytest.fixture
def owner(avon):
    user = UserFactory(username="ada@avon.gov.uk", is_staff=True)
    membership_grant(hub=avon, user=user, role=Role.HUB_ADMIN)
    return user


@pytest.fixture
def outsider(brent):
    user = UserFactory(username="oscar@brent.gov.uk", is_staff=True)
    membership_grant(hub=brent, user=user, role=Role.HUB_ADMIN)
    return user


def form_data(hub, **overrides) -> dict:
    return {
        "hub": hub.pk,
        "provider_name": "Avon Council",
        "server_url": "https://login.microsoftonline.com/avon-tenant/v2.0",
        "client_id": "avon-client",
        "client_secret": "the-first-secret",
        "email_domains": "avon.gov.uk\nAVONSCHOOLS.org.uk",
        "passwords_allowed": "on",
        **overrides,
    }


def test_the_owner_adds_their_hubs_sign_on_and_the_secret_is_kept_encrypted(client, owner, avon):
    sign_in(client, owner)

    response = client.post(ADD, form_data(avon))

    assert response.status_code == 302, response.context["adminform"].form.errors
    sign_on = HubSignOn.objects.get(hub=avon)
    assert sign_on.domains == ["avon.gov.uk", "avonschools.org.uk"]
    assert "the-first-secret" not in sign_on.client_secret_encrypted
    assert client_secret(sign_on) == "the-first-secret"
    page = client.get(change_url(sign_on))
    assert "the-first-secret" not in page.text
    assert "http://localhost:8000/accounts/oidc/hub-avon/login/callback/" in page.text


def test_a_blank_secret_keeps_the_stored_one(client, owner, avon):
    sign_in(client, owner)
    client.post(ADD, form_data(avon))
    sign_on = HubSignOn.objects.get(hub=avon)

    client.post(change_url(sign_on), form_data(avon, client_secret="", provider_name="Avon CC"))

    sign_on.refresh_from_db()
    assert sign_on.provider_name == "Avon CC"
    assert client_secret(sign_on) == "the-first-secret"


def test_bad_domains_are_refused_beside_the_field(client, owner, avon):
    sign_in(client, owner)

    response = client.post(ADD, form_data(avon, email_domains="@avon.gov.uk https://x/"))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "email_domains" in errors
    assert not HubSignOn.objects.exists()


def test_the_owner_cannot_add_one_for_another_hub(client, owner, brent):
    sign_in(client, owner)

    response = client.post(ADD, form_data(brent))

    assert response.status_code == 200
    assert "hub" in response.context["adminform"].form.errors
    assert not HubSignOn.objects.exists()


def test_another_hubs_admin_sees_none_of_it(client, owner, outsider, avon):
    sign_in(client, owner)
    client.post(ADD, form_data(avon))
    sign_on = HubSignOn.objects.get(hub=avon)
    client.logout()
    sign_in(client, outsider)

    listing = client.get(CHANGELIST)
    page = client.get(change_url(sign_on))
    posted = client.post(change_url(sign_on), form_data(avon, provider_name="Taken over"))

    assert listing.status_code == 200
    assert "Avon Council" not in listing.text
    assert page.status_code == 302  # the admin's "doesn't exist" redirect
    assert posted.status_code == 302
    sign_on.refresh_from_db()
    assert sign_on.provider_name == "Avon Council"


def test_a_member_who_is_not_a_hub_admin_has_no_such_page(client, avon):
    member = UserFactory(username="hal@avon.gov.uk", is_staff=True)
    membership_grant(hub=avon, user=member, role=Role.HLO_STAFF)
    sign_in(client, member)

    assert client.get(CHANGELIST).status_code == 403
