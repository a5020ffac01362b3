"""Signing in by email, signing out, resetting a password, and no sign-up.

Personas: `officer` (HLO staff) and `approver`, who also need a second
factor, and `board_member`, who does not."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")


def sign_in_form(client, email: str, password: str = PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password})


def signed_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


def test_it_signs_in_by_email_and_lands_on_the_home_page(client, officer):
    response = sign_in_form(client, "olivia@example.org")

    assert response.status_code == 302
    assert response.url == "/"
    assert signed_in_user_id(client) == str(officer.pk)


def test_email_is_matched_whatever_its_case(client, officer):
    response = sign_in_form(client, "Olivia@Example.org")

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(officer.pk)


def test_the_form_asks_for_email_and_password_only(client):
    response = client.get(LOGIN)

    assert response.status_code == 200
    assert set(response.context["form"].fields) == {"login", "password"}
    assert 'autocomplete="email"' in response.text
    assert 'autocomplete="current-password"' in response.text
    assert '<label for="id_login">Email address</label>' in response.text
    assert response.text.count("<h1") == 1


def test_a_wrong_password_shows_the_error_and_keeps_the_email(client, officer):
    response = sign_in_form(client, "olivia@example.org", "not-the-password")

    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in response.text
    assert 'value="olivia@example.org"' in response.text
    assert 'aria-describedby="form-errors"' in response.text
    assert "not-the-password" not in response.text
    assert "<title>Error: Sign in" in response.text
    assert signed_in_user_id(client) is None


def test_sign_out_needs_a_post(client, officer):
    client.force_login(officer)

    asked = client.get(reverse("account_logout"))

    assert asked.status_code == 200
    assert signed_in_user_id(client) == str(officer.pk)

    done = client.post(reverse("account_logout"))

    assert done.status_code == 302
    assert done.url == "/"
    assert signed_in_user_id(client) is None


def test_nobody_can_sign_up(client):
    page = client.get(reverse("account_signup"))
    posted = client.post(
        reverse("account_signup"),
        {"email": "new@example.org", "password1": "a long new password", "password2": ""},
    )

    assert page.status_code == 200
    assert "Accounts are set up by hub admins" in page.text
    assert "Accounts are set up by hub admins" in posted.text
    assert not get_user_model().objects.filter(email="new@example.org").exists()


def test_a_password_reset_link_works_end_to_end(client, officer):
    asked = client.post(reverse("account_reset_password"), {"email": "olivia@example.org"})

    assert asked.status_code == 302
    assert asked.url == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["olivia@example.org"]
    assert message.subject == "hubcommission: Reset your password"
    link = re.search(r"https?://testserver(/\S+)", message.body).group(1)

    opened = client.get(link)
    assert opened.status_code == 302  # allauth moves the key into the session
    form = client.get(opened.url)
    assert form.status_code == 200
    assert 'autocomplete="new-password"' in form.text
    changed = client.post(
        opened.url, {"password1": "a brand new passphrase", "password2": "a brand new passphrase"}
    )

    assert changed.status_code == 302
    assert changed.url == reverse("account_reset_password_from_key_done")
    notice = mail.outbox[1]  # so a reset nobody asked for does not go unnoticed
    assert notice.to == ["olivia@example.org"]
    assert "Your password has been reset." in notice.body
    assert "If you did not make it, reset your password at once" in notice.body
    assert sign_in_form(client, "olivia@example.org", "a brand new passphrase").status_code == 302
    assert signed_in_user_id(client) == str(officer.pk)


def test_a_used_reset_link_is_refused(client, officer):
    client.post(reverse("account_reset_password"), {"email": "olivia@example.org"})
    link = re.search(r"https?://testserver(/\S+)", mail.outbox[0].body).group(1)
    set_url = client.get(link).url
    client.post(
        set_url, {"password1": "a brand new passphrase", "password2": "a brand new passphrase"}
    )

    again = client.get(link, follow=True)

    assert "This link has expired" in again.text


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, officer):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert response.url == reverse("account_reset_password_done")
    assert mail.outbox == []


def test_the_admins_sign_in_page_sends_people_to_ours(client):
    response = client.get("/admin/login/?next=/admin/hubs/")

    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next=/admin/hubs/"


def test_someone_signed_in_without_admin_access_is_told_so_not_sent_round(client, board_member):
    client.force_login(board_member)

    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 200
    assert "not authorized to access this page" in response.text
