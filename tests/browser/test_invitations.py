"""A new hub's people arrive by invitation, in the browser: a site administrator
invites the hub's admin; she makes her account from the link, sets up her
authenticator app, signs in again, and invites an approver from the admin,
who accepts the same way. Every page of ours on the way is checked with axe.

No demo: one hub with a policy and a site administrator are all it needs.
"""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from accounts.mfa import totp_code
from hubs.models import Membership, Role
from notices.models import OutboxMessage
from tests.auth_helpers import TEST_TOTP_SECRET, give_authenticator
from tests.browser.axe import assert_accessible
from tests.browser.helpers import (
    assert_no_csp_violations,
    assert_no_horizontal_scroll,
    signed_in,
    visit,
)
from tests.factories import HubPolicyFactory

ROOT = "root@sixth.example.org"
ADMIN = "hana.admin@sixth.example.org"
APPROVER = "abi.approver@sixth.example.org"
PASSWORD = "sixth-hub-passphrase-2026"
LINK = re.compile(r"https?://[^/\s]+(/accounts/invitation/[\w-]+/)")


def check(page, context: str) -> None:
    assert_no_csp_violations(page)
    assert_accessible(page, context=context)


def enter_code(page, secret: str, button: str) -> None:
    """Type the authenticator's code and press `button`; a code refused
    because its window closed (or it was just used) is retried with the next."""
    asked_on = urlsplit(page.url).path
    for attempt in range(2):
        if attempt:
            time.sleep(30.5 - time.time() % 30)
            cache.clear()
        page.locator('input[name="code"]').fill(totp_code(secret))
        with page.expect_navigation(wait_until="load"):
            page.get_by_role("button", name=button).click()
        if urlsplit(page.url).path != asked_on:
            return
    raise AssertionError(f"the code was refused twice on {page.url}")


def sign_in(page, live_server, email: str, password: str, secret: str) -> None:
    signed_in(page, live_server, email, password)
    assert urlsplit(page.url).path.startswith("/accounts/2fa/authenticate")
    enter_code(page, secret, "Continue")


def sign_out(page, live_server) -> None:
    visit(page, live_server + "/accounts/logout/")
    with page.expect_navigation(wait_until="load"):
        page.locator("main").get_by_role("button", name="Sign out").click()


def invite_in_admin(page, live_server, email: str, role: str, hub_name: str) -> str:
    """Send an invitation from the admin; the link from its email."""
    visit(page, live_server + "/admin/accounts/invitation/add/")
    page.locator("#id_hub").select_option(label=hub_name)
    page.locator("#id_email").fill(email)
    page.locator("#id_role").select_option(label=role)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Save", exact=True).click()
    assert f"Invitation sent to {email}. The link works until" in page.inner_text("body")
    body = OutboxMessage.objects.filter(to_email=email).latest("pk").body
    return LINK.search(body).group(1)


def accept_as_newcomer(page, live_server, link: str, first: str, last: str, role: str) -> str:
    """Open the link, make the account, set up the authenticator app; its key."""
    visit(page, live_server + link)
    assert f"has invited you to join Sixth Music Hub as {role}." in page.inner_text("main")
    check(page, "an invitation, for someone without an account")
    desktop = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    assert_no_horizontal_scroll(page)
    page.set_viewport_size(desktop)

    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Choose a password").fill("too-short")
    page.get_by_label("Type the password again").fill("too-short")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Create my account and accept").click()
    assert "This password is too short" in page.inner_text("main")
    assert page.get_by_label("First name").input_value() == first
    check(page, "an invitation's form with an error")

    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Create my account and accept").click()
    # The role needs a second factor: straight on to setting one up.
    assert urlsplit(page.url).path == "/accounts/2fa/totp/activate/"
    assert "needs a second factor: set up an authenticator app" in page.inner_text("main")
    check(page, "setting up an authenticator app after accepting")
    secret = page.locator("#authenticator-secret").inner_text().strip()
    enter_code(page, secret, "Turn on two-step sign-in")
    return secret


@pytest.fixture
def sixth(live_db):
    hub = HubPolicyFactory(hub__name="Sixth Music Hub", hub__slug="sixth").hub
    root = get_user_model().objects.create_superuser(ROOT, ROOT, PASSWORD)
    give_authenticator(root, TEST_TOTP_SECRET)
    return hub


def test_a_hub_admin_invited_by_a_superuser_invites_an_approver(page, live_server, sixth):
    sign_in(page, live_server, ROOT, PASSWORD, TEST_TOTP_SECRET)
    admin_link = invite_in_admin(page, live_server, ADMIN, "Hub admin", sixth.name)
    sign_out(page, live_server)

    secret = accept_as_newcomer(page, live_server, admin_link, "Hana", "Admin", "a hub admin")
    hana = get_user_model().objects.get(email=ADMIN)
    assert Membership.objects.filter(hub=sixth, user=hana, role=Role.HUB_ADMIN).exists()
    assert page.goto(live_server + admin_link).status == 410
    assert "This invitation has already been used" in page.inner_text("main")
    assert page.locator("main form").count() == 0
    check(page, "an invitation already used")
    sign_out(page, live_server)

    # She signs in with her own password and authenticator app, and invites.
    sign_in(page, live_server, ADMIN, PASSWORD, secret)
    visit(page, live_server + "/admin/accounts/invitation/add/")
    hubs = page.locator("#id_hub").locator("option").all_inner_texts()
    assert [h for h in hubs if h.strip("- ")] == ["Sixth Music Hub"]
    approver_link = invite_in_admin(page, live_server, APPROVER, "Approver", sixth.name)
    visit(page, live_server + "/admin/accounts/invitation/")
    assert APPROVER in page.inner_text("#result_list")
    sign_out(page, live_server)

    accept_as_newcomer(page, live_server, approver_link, "Abi", "Approver", "an approver")
    visit(page, live_server + "/")
    assert urlsplit(page.url).path == "/h/sixth/"
    check(page, "the new approver's dashboard")
    abi = get_user_model().objects.get(email=APPROVER)
    assert Membership.objects.filter(hub=sixth, user=abi, role=Role.APPROVER).exists()
