"""An officer reads their notifications from the header, marks one read, and
chooses a daily digest; every page passes axe-core and its Content-Security-
Policy, and the feed fits a phone. This module changes its demo, so it has
its own."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from hubs.models import Hub
from notices.models import Delivery, NoticePreference
from notices.services import notify
from tests.browser.axe import assert_accessible
from tests.browser.helpers import assert_no_csp_violations, assert_no_horizontal_scroll, visit
from tests.browser.test_roles import sign_in_as

pytestmark = pytest.mark.usefixtures("demo")

OFFICER = "officer@herts.demo"


def check(page, context: str) -> None:
    assert_no_csp_violations(page)
    assert_accessible(page, context=context)


def told(subject: str) -> None:
    officer = get_user_model().objects.get(email=OFFICER)
    hub = Hub.objects.get(slug="herts")
    notify(
        hub=hub,
        recipients=[officer],
        kind="test",
        subject=subject,
        body="Two board members have commented.",
        url="/h/herts/commissions/",
    )


def test_an_officer_reads_the_feed_and_chooses_a_digest(page, live_server):
    told("Board comments are in on HERTS-0001")
    sign_in_as(page, live_server, OFFICER)
    header = page.get_by_role("navigation", name="Main")
    link = header.get_by_role("link", name="Notifications")
    assert "unread" in link.inner_text()

    link.click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Notifications"
    item = page.locator(".feed-item").filter(has_text="Board comments are in on HERTS-0001")
    assert "Unread" in item.inner_text()
    check(page, "the activity feed")

    with page.expect_navigation(wait_until="load"):
        item.get_by_role("button", name="Mark as read").click()
    item = page.locator(".feed-item").filter(has_text="Board comments are in on HERTS-0001")
    assert "Unread" not in item.inner_text()

    page.get_by_role("link", name="Change how you are told").click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Notification preferences"
    check(page, "notification preferences")
    page.get_by_label("Email me one daily digest").check()
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Save preferences").click()
    assert "Saved. Email me one daily digest." in page.get_by_role("status").inner_text()
    assert page.get_by_label("Email me one daily digest").is_checked()
    check(page, "preferences saved")
    saved = NoticePreference.objects.get(user__email=OFFICER, hub__slug="herts")
    assert saved.delivery == Delivery.DIGEST


def test_the_feed_fits_a_phone(phone_page, live_server):
    told("A reminder for the phone")
    sign_in_as(phone_page, live_server, OFFICER)
    visit(phone_page, live_server + "/h/herts/notifications/")
    check(phone_page, "the activity feed on a phone")
    assert_no_horizontal_scroll(phone_page)
