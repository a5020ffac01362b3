"""Idle sessions end after SESSION_COOKIE_AGE; the warning can keep them alive."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from tests.auth_helpers import sign_in

pytestmark = pytest.mark.django_db

KEEP_ALIVE = reverse("accounts:keep_alive")
PUBLIC_PAGE = reverse("hubs:index")


def session_row(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_sessions_last_30_minutes_idle_and_end_with_the_browser():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_keep_alive_needs_sign_in(client):
    response = client.post(KEEP_ALIVE)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_keep_alive_rejects_get(client, officer):
    sign_in(client, officer)

    assert client.get(KEEP_ALIVE).status_code == 405


def test_keep_alive_extends_the_session(client, approver):
    sign_in(client, approver)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )

    response = client.post(KEEP_ALIVE)

    assert response.status_code == 204
    assert response.content == b""
    left = session_row(client).expire_date - timezone.now()
    assert timedelta(minutes=29) < left <= timedelta(minutes=30)


def test_an_idle_session_is_signed_out(client, officer):
    sign_in(client, officer)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    page = client.get(PUBLIC_PAGE)
    keep_alive = client.post(KEEP_ALIVE)

    assert page.wsgi_request.user.is_anonymous
    assert keep_alive.status_code == 302
    assert keep_alive.url.startswith(reverse("account_login"))


def test_the_sign_in_page_says_when_a_session_timed_out(client):
    response = client.get(reverse("account_login"), {"timed_out": "1", "next": "/hubs/"})

    assert "You were signed out after 30 minutes without activity" in response.text
    assert 'name="next" value="/hubs/"' in response.text


def test_the_warning_carries_what_its_script_needs(officer, client):
    sign_in(client, officer)
    request = RequestFactory().get("/")
    request.session = client.session
    request.user = officer

    html = render_to_string("accounts/_session_warning.html", request=request)

    assert 'role="alertdialog"' in html
    assert 'aria-modal="true"' in html
    assert 'data-timeout-seconds="1800"' in html
    assert 'data-warning-seconds="120"' in html
    assert f'data-keep-alive-url="{KEEP_ALIVE}"' in html
    assert 'data-csrf-token="' in html
    assert "You will be signed out in 2 minutes to protect your data" in html
    assert "Stay signed in" in html
    assert "<script" not in html
    assert finders.find("js/session.js")
