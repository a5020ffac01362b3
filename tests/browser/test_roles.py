"""Each role signs in through the real form (a code too, where the role needs
one), lands on its dashboard, and works through the pages it uses; every page
visited is checked with axe-core. Read-only: the demo is shared by the module."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache

from accounts.mfa import totp_code
from demo.data import DEMO_PASSWORD, DEMO_TOTP_SECRET
from tests.browser.axe import assert_accessible
from tests.browser.helpers import (
    assert_no_csp_violations,
    assert_no_horizontal_scroll,
    signed_in,
    visit,
)

pytestmark = pytest.mark.usefixtures("demo")

# role: (login, hub, a task on their to-do list, or None when nothing waits)
ROLES = {
    "HLO staff": ("officer@herts.demo", "herts", "Start identifying a partner"),
    "approver": ("approver@kent.demo", "kent", "Approve or return the draft"),
    "board member": ("board1@herts.demo", "herts", "Comment as the board"),
    "chair": ("chair@leics.demo", "leics", "Decide on decommissioning (chair)"),
    "service lead": ("lead-luton@blmk.demo", "blmk", "Start identifying a partner"),
    "partner contact": ("medway@kent.demo", "kent", "Sign the partnership agreement"),
    "hub admin": ("hubadmin@leics.demo", "leics", None),
}


def sign_in_as(page, live_server, email: str) -> None:
    signed_in(page, live_server, email, DEMO_PASSWORD)
    if urlsplit(page.url).path.startswith("/accounts/2fa/authenticate"):
        assert_accessible(page, context="second-factor code")
        for attempt in range(2):
            if attempt:
                # The code was refused: its 30-second window closed on a slow
                # machine, or this person used it a moment ago (each code works
                # once). A person waits for the next code; so does the test.
                time.sleep(30.5 - time.time() % 30)
                cache.clear()
            page.locator('input[name="code"]').fill(totp_code(DEMO_TOTP_SECRET))
            with page.expect_navigation(wait_until="load"):
                page.get_by_role("button", name="Continue").click()
            if not urlsplit(page.url).path.startswith("/accounts/2fa/authenticate"):
                return


def check(page, context: str) -> None:
    assert_no_csp_violations(page)
    assert_accessible(page, context=context)


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_signs_in_and_works_through_its_pages(page, live_server, role):
    email, slug, task = ROLES[role]
    sign_in_as(page, live_server, email)
    assert urlsplit(page.url).path == f"/h/{slug}/", f"{role} lands on their hub's dashboard"
    assert page.locator("h1").inner_text() == "Dashboard"
    check(page, f"{role}: dashboard")
    if task:
        assert page.get_by_role("cell", name=task).count() >= 1, f"{role} sees '{task}'"

    page.get_by_role("link", name="Commissions", exact=True).click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Commissions"
    check(page, f"{role}: commission list")

    first = page.locator("table tbody th a").first
    if first.count():
        first.click()
        page.wait_for_load_state("load")
        assert page.locator(".stage-badge").count() == 1
        check(page, f"{role}: a commission")

    visit(page, live_server + f"/hubs/{slug}/policy/")
    check(page, f"{role}: the hub's policy")


def test_a_refused_move_shows_its_reason_beside_the_field(page, live_server):
    """Read-only too: the refusal leaves the commission where it was."""
    sign_in_as(page, live_server, "officer@herts.demo")
    page.get_by_role("link", name="Commissions", exact=True).click()
    page.get_by_label("Stage").select_option("needs")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state("load")
    page.locator("table tbody th a").first.click()
    page.wait_for_load_state("load")
    form = page.locator("form").filter(has=page.locator('input[value="begin_identification"]'))
    form.get_by_label("How will the partner be found?").select_option("open_call")
    with page.expect_navigation(wait_until="load"):
        form.get_by_role("button", name="Start identifying a partner").click()
    reason = page.get_by_label("Reason").first
    assert reason.get_attribute("aria-invalid") == "true"
    assert "approaches existing partners first" in page.locator(".field-error").first.inner_text()
    assert page.locator("#id_begin_identification_route").input_value() == "open_call", (
        "the choice is kept"
    )
    check(page, "a refusal beside its field")


def test_the_dashboard_fits_a_phone(phone_page, live_server):
    sign_in_as(phone_page, live_server, "officer@herts.demo")
    check(phone_page, "dashboard on a phone")
    assert_no_horizontal_scroll(phone_page)
