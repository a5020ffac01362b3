"""Anyone makes an account for themself to respond to a call: the address is
verified through allauth's confirmation email before the account can do
anything, the password follows the rules, a second registration with the
same address is refused beside the field, and the lock-out still applies."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from accounts.registration.rules import registration_refusal
from accounts.registration.services import account_register, awaits_verification
from accounts.sso import set_client_secret
from accounts.sso_models import HubSignOn
from hubs.refusals import Refused
from tests.access import PERSONAS, assert_matrix, personas
from tests.factories import HubPolicyFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()

# Anyone not signed in may make an account; someone signed in has one, and
# goes on to where they were heading.
ACCESS_MATRIX = {"accounts:register": ("get", {**dict.fromkeys(PERSONAS, 302), "anonymous": 200})}
PASSWORD = "a-long-enough-passphrase-2026"
NEXT = "/hubs/consortium/join/?next=/h/consortium/calls/1/"
LINK = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/[^\s?]+/)(\?next=\S+)?")


def form(**overrides) -> dict[str, str]:
    return {
        "first_name": "Nia",
        "last_name": "Okonkwo",
        "email": "nia@riverside.example.org",
        "password": PASSWORD,
        "password_again": PASSWORD,
        "next": NEXT,
    } | overrides


def register(client: Client, **overrides):
    return client.post(reverse("accounts:register"), form(**overrides))


def confirmation_link() -> tuple[str, str]:
    found = LINK.search(mail.outbox[-1].body)
    return found.group(1), unquote((found.group(2) or "").removeprefix("?next="))


# ── the account ──────────────────────────────────────────────────────────────


def test_registering_makes_an_account_whose_address_waits_to_be_verified(client):
    response = register(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="nia@riverside.example.org")
    assert (user.username, user.first_name, user.last_name) == (user.email, "Nia", "Okonkwo")
    assert awaits_verification(user)
    assert not user.memberships.exists()
    # allauth's confirmation email, through Django's mail backend, leading on to `next`
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nia@riverside.example.org"]
    path, next_url = confirmation_link()
    assert path.startswith("/accounts/confirm-email/")
    assert next_url == NEXT
    # not signed in until the link is followed
    assert client.get(reverse("accounts:keep_alive")).status_code in (302, 405)
    assert "_auth_user_id" not in client.session


def test_following_the_link_in_the_same_browser_signs_in_and_goes_on(client):
    register(client)
    path, _ = confirmation_link()

    page = client.get(path)
    assert page.status_code == 200
    assert "Confirm my email address" in page.content.decode()
    response = client.post(path)

    user = User.objects.get(email="nia@riverside.example.org")
    assert not awaits_verification(user)
    assert response.status_code == 302
    assert response["Location"] == NEXT
    assert client.session["_auth_user_id"] == str(user.pk)


def test_following_the_link_in_another_browser_verifies_then_asks_to_sign_in(client):
    register(client)
    path, next_url = confirmation_link()

    other = Client()
    response = other.post(f"{path}?next={next_url}", {"next": next_url})

    assert response.status_code == 302
    assert response["Location"] == NEXT
    assert not awaits_verification(User.objects.get(email="nia@riverside.example.org"))
    signed = other.post(reverse("account_login"), {"login": form()["email"], "password": PASSWORD})
    assert signed.status_code == 302
    assert signed["Location"] != reverse("account_email_verification_sent")


def test_signing_in_before_verifying_sends_the_link_again_and_stops_there(client):
    register(client)
    mail.outbox.clear()
    other = Client()

    response = other.post(
        reverse("account_login"), {"login": "nia@riverside.example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in other.session
    page = other.get(response["Location"])
    assert "Check your email" in page.content.decode()


def test_accounts_made_by_invitation_or_an_admin_sign_in_as_before(client):
    user = UserFactory(username="old@example.org")  # no address rows at all
    assert not awaits_verification(user)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert response["Location"] != reverse("account_email_verification_sent")


# ── what is refused, beside its field, with everything typed kept ───────────


def test_a_second_registration_with_the_same_email_is_refused_beside_the_field(client):
    register(client)
    again = Client()

    response = register(again, email="NIA@riverside.example.org ", first_name="Nadia")

    assert response.status_code == 400
    body = response.content.decode()
    assert escape("There is already an account for nia@riverside.example.org.") in body
    assert 'id="id_email_error"' in body
    assert 'value="Nadia"' in body and 'value="Okonkwo"' in body
    assert User.objects.filter(email__iexact="nia@riverside.example.org").count() == 1


def test_a_weak_password_is_refused_beside_it_and_the_names_kept(client):
    response = register(client, password="short", password_again="short")

    assert response.status_code == 400
    body = response.content.decode()
    assert "This password is too short" in body
    assert 'id="id_password_error"' in body
    assert 'value="Nia"' in body and 'value="nia@riverside.example.org"' in body
    assert not User.objects.filter(email="nia@riverside.example.org").exists()


def test_the_two_passwords_must_match(client):
    response = register(client, password_again=PASSWORD + "x")
    assert response.status_code == 400
    assert "The two passwords are not the same." in response.content.decode()


def test_the_service_asks_the_same_gate(db):
    UserFactory(username="taken@example.org")
    for email, rule in (
        ("taken@example.org", "account_exists"),
        ("not-an-address", "email_invalid"),
    ):
        assert registration_refusal(email=email).rule == rule
        with pytest.raises(Refused) as refused:
            account_register(email=email, first_name="A", last_name="B", password=PASSWORD)
        assert refused.value.rule == rule
    with pytest.raises(Refused) as refused:
        account_register(email="new@example.org", first_name="A", last_name="B", password="1234")
    assert refused.value.rule == "weak_password"


def test_an_address_a_hub_signs_in_through_its_provider_makes_no_password_account(client):
    hub = HubPolicyFactory().hub
    sign_on = HubSignOn(
        hub=hub,
        provider_name="Herts County Council",
        server_url="https://login.example.org/tenant/v2.0",
        client_id="herts-app",
        email_domains="council.example.org",
        passwords_allowed=False,
    )
    set_client_secret(sign_on, "s3cret")
    sign_on.save()
    response = register(client, email="someone@council.example.org")
    assert response.status_code == 400
    assert "signs in people at this address with Herts County Council" in response.content.decode()


def test_next_must_be_one_of_ours(client):
    page = client.get(reverse("accounts:register") + "?next=https://evil.example.org/")
    assert 'name="next" value="/"' in page.content.decode()


def test_a_locked_out_address_cannot_sign_in_by_registering(client, settings):
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username="nia@riverside.example.org",
        ip_address="127.0.0.1",
        user_agent="",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
    )
    response = register(client)
    assert response.status_code == settings.AXES_HTTP_RESPONSE_CODE
    assert not User.objects.filter(email="nia@riverside.example.org").exists()


@pytest.fixture
def matrix_world(build, django_user_model):
    return personas(build("blmk"), build("herts"), django_user_model)


def test_access_matrix(matrix_world):
    method, expected = ACCESS_MATRIX["accounts:register"]
    assert_matrix(matrix_world, "accounts:register", [], method, expected)
