"""A hub that turns passwords off: its people at its single sign-on's domains
sign in only through its provider, whichever password route they try (our
sign-in page, the Django admin's form, re-authentication, a password reset).

Personas: Olivia, HLO staff in Hertfordshire (passwords off for herts.gov.uk);
Pat, a partner contact there at another address; Kim, in Kent, which keeps
passwords.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from accounts.sso import set_client_secret
from accounts.sso_models import HubSignOn
from hubs.models import Role
from hubs.services import membership_grant
from tests.factories import HubFactory, HubPolicyFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"  # UserFactory's
LOGIN = reverse("account_login")
REFUSAL = (
    "Hertfordshire Music Hub signs its people in with Hertfordshire County Council, not with "
    "a password. Use &quot;Sign in with Hertfordshire County Council&quot; instead."
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def herts(db):
    hub = HubPolicyFactory(hub=HubFactory(name="Hertfordshire Music Hub", slug="herts")).hub
    sign_on = HubSignOn(
        hub=hub,
        provider_name="Hertfordshire County Council",
        server_url="https://login.example.org/tenant/v2.0",
        client_id="herts-app",
        email_domains="herts.gov.uk",
        passwords_allowed=False,
    )
    set_client_secret(sign_on, "s3cret")
    sign_on.save()
    return hub


@pytest.fixture
def olivia(herts):
    user = UserFactory(username="olivia@herts.gov.uk")
    membership_grant(hub=herts, user=user, role=Role.BOARD_MEMBER)
    return user


@pytest.fixture
def pat(herts):
    user = UserFactory(username="pat@strings.example.org")
    membership_grant(
        hub=herts, user=user, role=Role.PARTNER_CONTACT, partner=PartnerFactory(hub=herts)
    )
    return user


def signed_in_id(client) -> str | None:
    return client.session.get("_auth_user_id")


def test_the_sign_in_page_refuses_the_password_and_points_to_the_provider(client, olivia):
    response = client.post(LOGIN, {"login": "olivia@herts.gov.uk", "password": PASSWORD})

    assert response.status_code == 200
    assert REFUSAL in response.text
    assert signed_in_id(client) is None


def test_a_wrong_password_gets_the_usual_answer(client, olivia):
    # Someone who does not know the password learns nothing about the account.
    response = client.post(LOGIN, {"login": "olivia@herts.gov.uk", "password": "wrong-one-1"})

    assert "The email address and/or password you specified are not correct." in response.text
    assert "signs its people in with" not in response.text


def test_with_passwords_allowed_again_the_password_works(client, olivia, herts):
    HubSignOn.objects.filter(hub=herts).update(passwords_allowed=True)

    response = client.post(LOGIN, {"login": "olivia@herts.gov.uk", "password": PASSWORD})

    assert response.status_code == 302
    assert signed_in_id(client) == str(olivia.pk)


def test_people_at_other_addresses_keep_their_passwords(client, pat):
    response = client.post(LOGIN, {"login": "pat@strings.example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert signed_in_id(client) == str(pat.pk)


def test_another_hubs_people_at_the_same_domain_keep_their_passwords(client, herts):
    kent = HubPolicyFactory(hub=HubFactory(name="Kent Music Hub", slug="kent")).hub
    kim = UserFactory(username="kim@herts.gov.uk")
    membership_grant(hub=kent, user=kim, role=Role.BOARD_MEMBER)

    response = client.post(LOGIN, {"login": "kim@herts.gov.uk", "password": PASSWORD})

    assert response.status_code == 302


def test_the_admin_login_form_does_not_bypass_it(client, olivia):
    olivia.is_staff = True
    olivia.save()

    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "olivia@herts.gov.uk", "password": PASSWORD, "next": "/admin/"},
    )
    assert signed_in_id(client) is None
    # It sends everyone to our sign-in page, which refuses the same way.
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_every_caller_of_authenticate_meets_it(olivia):
    request = RequestFactory().post(LOGIN)
    request.session = {}

    assert authenticate(request, username="olivia@herts.gov.uk", password=PASSWORD) is None
    assert authenticate(request, email="olivia@herts.gov.uk", password=PASSWORD) is None
    assert authenticate(request, username="pat@x.org", password=PASSWORD) is None


def test_a_password_reset_does_not_open_a_way_in(client, olivia):
    client.post(reverse("account_reset_password"), {"email": "olivia@herts.gov.uk"})
    link = re.search(r"https?://testserver(/\S+)", mail.outbox[0].body).group(1)
    set_url = client.get(link).url
    client.post(
        set_url, {"password1": "a brand new passphrase", "password2": "a brand new passphrase"}
    )
    assert signed_in_id(client) is None

    response = client.post(
        LOGIN, {"login": "olivia@herts.gov.uk", "password": "a brand new passphrase"}
    )

    assert REFUSAL in response.text
    assert signed_in_id(client) is None


def test_site_administrators_keep_their_password(client, herts):
    root = UserFactory(username="root@herts.gov.uk", is_superuser=True, is_staff=True)
    membership_grant(hub=herts, user=root, role=Role.BOARD_MEMBER)

    client.post(LOGIN, {"login": "root@herts.gov.uk", "password": PASSWORD})

    assert signed_in_id(client) == str(root.pk)


# ── an invitation to a hub whose people sign in through its provider ────────


def _invite(herts, email: str) -> str:
    from accounts.invitations.services import invitation_create

    admin = UserFactory(username="admin@herts.gov.uk", is_superuser=True, is_staff=True)
    _, token = invitation_create(by=admin, hub=herts, email=email, role=Role.APPROVER)
    return reverse("accounts:invitation", args=[token])


NEW_ACCOUNT = {
    "first_name": "Nia",
    "last_name": "Okafor",
    "password": "a-long-enough-passphrase",
    "password_again": "a-long-enough-passphrase",
}


def test_an_invitation_at_the_providers_domain_is_taken_up_there_not_with_a_password(client, herts):
    link = _invite(herts, "nia@herts.gov.uk")

    page = client.get(link).text
    assert "Sign in with Hertfordshire County Council" in page
    assert 'name="password"' not in page  # no password account is offered
    assert "to take up this invitation" in page
    # The button's form may lead to the provider (its origin) from this page too.
    policy = client.get(link)["Content-Security-Policy"]
    assert "form-action 'self' https://login.example.org" in policy

    # The form posted all the same: refused by the service, and nothing made.
    client.post(link, NEW_ACCOUNT)
    assert not get_user_model().objects.filter(email="nia@herts.gov.uk").exists()
    assert signed_in_id(client) is None


def test_the_service_refuses_a_password_account_at_the_providers_domain(herts):
    from accounts.invitations.services import invitation_accept_new_account
    from accounts.models import Invitation
    from hubs.refusals import Refused

    _invite(herts, "nia@herts.gov.uk")
    invitation = Invitation.objects.get(email="nia@herts.gov.uk")
    with pytest.raises(Refused, match="not with a password"):
        invitation_accept_new_account(
            invitation=invitation, first_name="Nia", last_name="Okafor", password="x" * 16
        )


def test_an_invitation_at_another_address_still_makes_a_password_account(client, herts):
    link = _invite(herts, "nia@strings.example.org")

    assert 'name="password"' in client.get(link).text
    response = client.post(link, NEW_ACCOUNT)
    assert response.status_code == 302
    assert get_user_model().objects.filter(email="nia@strings.example.org").exists()
