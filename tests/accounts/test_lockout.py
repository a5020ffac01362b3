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


def test_failures_for_made_up_accounts_do_not_lock_out_others_at_that_address(client, officer):
    # One client, one address: the shared address of a school, a council, or
    # everyone at once when the proxy's address is all the app sees.
    made_up = [attempt(client, f"nobody{i}@example.org", "guess") for i in range(11)]

    response = attempt(client, "olivia@example.org", PASSWORD)

    assert [r.status_code for r in made_up] == [200] * 11
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_five_failures_lock_the_account_from_another_address_too(client, officer):
    for _ in range(5):
        client.post(
            LOGIN, {"login": "olivia@example.org", "password": "wrong"}, REMOTE_ADDR="192.0.2.1"
        )

    elsewhere = client.post(
        LOGIN, {"login": "olivia@example.org", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )

    assert elsewhere.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lock_outs_count_the_client_behind_the_proxy(client, officer, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        client.post(
            LOGIN,
            {"login": "olivia@example.org", "password": "wrong"},
            REMOTE_ADDR="10.0.0.2",  # the proxy
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )

    attempt_row = AccessAttempt.objects.get()

    assert attempt_row.ip_address == "203.0.113.9"
    assert attempt_row.failures_since_start == 5


def test_nothing_locks_by_address_alone(settings):
    for parameter in settings.AXES_LOCKOUT_PARAMETERS:
        assert "username" in ([parameter] if isinstance(parameter, str) else parameter)
    for rate in settings.ACCOUNT_RATE_LIMITS["login_failed"].split(","):
        assert not rate.endswith("/ip"), rate
