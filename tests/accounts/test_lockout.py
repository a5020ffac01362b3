"""Five wrong passwords lock an account for 30 minutes (django-axes)."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")


def attempt(client, email: str, password: str):
    return client.post(LOGIN, {"login": email, "password": password})


def test_five_failures_lock_the_account_even_against_the_right_password(client, officer):
    first_four = [attempt(client, "olivia@example.org", "wrong") for _ in range(4)]
    fifth = attempt(client, "olivia@example.org", "wrong")
    sixth = attempt(client, "olivia@example.org", PASSWORD)

    assert [r.status_code for r in first_four] == [200] * 4
    assert fifth.status_code == sixth.status_code == 429
    assert "This account is locked" in sixth.text
    assert "You can try again in 30 minutes" in sixth.text
    assert "contact your hub admin" in sixth.text
    assert "Traceback" not in sixth.text
    assert sixth.text.count("<h1") == 1
    assert "_auth_user_id" not in client.session


def test_other_accounts_are_not_locked(client, officer, approver):
    for _ in range(5):
        attempt(client, "olivia@example.org", "wrong")

    response = attempt(client, "amir@example.org", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(approver.pk)


def test_failures_are_counted_per_account_whatever_the_case(client, officer):
    for email in ("olivia@example.org", "OLIVIA@example.org", "Olivia@Example.org"):
        attempt(client, email, "wrong")

    assert AccessAttempt.objects.get().username == "olivia@example.org"
    assert AccessAttempt.objects.get().failures_since_start == 3


def test_a_successful_sign_in_clears_earlier_failures(client, officer):
    for _ in range(4):
        attempt(client, "olivia@example.org", "wrong")
    assert attempt(client, "olivia@example.org", PASSWORD).status_code == 302
    client.post(reverse("account_logout"))

    for _ in range(4):
        attempt(client, "olivia@example.org", "wrong")

    assert attempt(client, "olivia@example.org", PASSWORD).status_code == 302
