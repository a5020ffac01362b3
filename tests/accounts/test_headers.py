"""Security headers: a strict Content-Security-Policy and no framing."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.accounts.conftest import PASSWORD
from tests.auth_helpers import sign_in

pytestmark = pytest.mark.django_db


def test_home_has_a_strict_content_security_policy(client):
    response = client.get("/")

    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
    }
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)


@pytest.mark.parametrize(
    "url_name", ["account_login", "account_reset_password", "account_signup", "mfa_activate_totp"]
)
def test_sign_in_pages_need_no_inline_script_or_style(client, officer, url_name):
    if url_name == "mfa_activate_totp":
        client.post(reverse("account_login"), {"login": officer.email, "password": PASSWORD})
    response = client.get(reverse(url_name))
    html = response.text

    assert response.status_code == 200

    assert not INLINE_SCRIPT.search(html)
    assert not INLINE_STYLE.search(html)


def test_the_admin_needs_no_inline_script_or_style(client, django_user_model):
    root = django_user_model.objects.create_superuser("root@example.org", "root@example.org")
    sign_in(client, root)

    for url in (reverse("admin:index"), reverse("admin:hubs_hub_add")):
        html = client.get(url).text
        assert not INLINE_SCRIPT.search(html), url
        assert not INLINE_STYLE.search(html), url


# ── caching: nothing private is kept ─────────────────────────────────────────


def test_public_pages_for_anonymous_visitors_keep_their_caching(client):
    for url in (reverse("hubs:index"), reverse("accessibility")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.has_header("Cache-Control"), url


def test_pages_for_signed_in_people_are_not_stored(client, officer):
    sign_in(client, officer)

    for url in (reverse("hubs:index"), "/"):
        response = client.get(url)
        assert response["Cache-Control"] == "no-store, private", url


def test_exports_are_not_stored(client, build):
    cast = build("herts")
    sign_in(client, cast.officer)

    response = client.get(reverse("monitoring:report_export", args=[cast.hub.slug]))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store, private"


def test_a_view_s_own_cache_control_is_kept(client, officer):
    sign_in(client, officer)

    response = client.post(reverse("accounts:keep_alive"))

    assert response.status_code == 204
    assert "max-age=0" in response["Cache-Control"]  # never_cache's own
