"""Hertfordshire's next policy version in a real browser: the hub admin saves
a change in the admin, which makes a draft and leaves version 1 in force, and
opens it for comment with a public consultation; a member of the public finds
it from the public policy page and comments (a blank form refused beside its
fields, what was typed kept); once the consultation has closed, each board
member finds the draft from their dashboard, comments, and approves it, the
second approval bringing it into force; then a board member records the annual
review and the board's review of the range of partnerships. Every new page
passes axe-core and its Content-Security-Policy. This module changes its
demo, so it has its own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hubs.models import HubPolicy, PolicyComment, PolicyStatus
from hubs.services import policy_current
from tests.browser.axe import assert_accessible
from tests.browser.helpers import assert_no_csp_violations, assert_no_horizontal_scroll, visit
from tests.browser.test_roles import sign_in_as

pytestmark = pytest.mark.usefixtures("demo")

BOARD = "Hertfordshire Music Hub board"
PUBLIC = "20% match funding would shut out small community groups like ours."


def check(page, context: str) -> None:
    assert_no_csp_violations(page)
    assert_accessible(page, context=context)


def press(page, locator) -> None:
    with page.expect_navigation(wait_until="load"):
        locator.click()


def message(page) -> str:
    return page.locator(".messages").inner_text()


def new_page(browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(10_000)
    return context, context.new_page()


def _propose(page, live_server) -> str:
    """The hub admin changes the policy in the admin and opens the draft for
    comment, with a public consultation; the draft's page address."""
    sign_in_as(page, live_server, "hubadmin@herts.demo")
    v1 = policy_current(hub=HubPolicy.objects.get(hub__slug="herts", version=1).hub)
    visit(page, f"{live_server}/admin/hubs/hubpolicy/{v1.pk}/change/")
    page.locator("#id_min_match_funding_percent").fill("20")
    press(page, page.locator("#content").get_by_role("button", name="Save", exact=True))
    assert "Saved as draft version 2; version 1 stays in force" in page.inner_text("body")
    press(page, page.get_by_role("link", name="Open the draft for comment"))
    check(page, "the draft's page, as a draft")
    assert "Where it is\nDraft" in page.locator("#life").inner_text()
    closes = timezone.localdate() + timedelta(days=14)
    page.get_by_label("Public consultation closes (optional)").fill(closes.isoformat())
    press(page, page.get_by_role("button", name="Open version 2 for comment"))
    assert "Version 2 is open for comment and decision." in message(page)
    assert "public consultation is open until" in message(page)
    check(page, "the draft's page, open for comment")
    return page.url


def _public_comment(browser, live_server) -> None:
    context, page = new_page(browser)
    try:
        visit(page, f"{live_server}/hubs/herts/policy/")
        press(page, page.get_by_role("link", name="Read the draft and comment on it"))
        check(page, "the public consultation")
        text = page.locator("main").inner_text()
        assert "Minimum match funding (%)" in text and "What changes from version 1" in text
        page.get_by_label("Email address (optional)").fill("not an address")
        press(page, page.get_by_role("button", name="Send your comment"))
        summary = page.locator("#error-summary").inner_text()
        assert "Give your name." in summary
        assert page.get_by_label("Email address (optional)").input_value() == "not an address"
        check(page, "the public consultation, a comment refused")
        page.get_by_label("Your name").fill("Priya Shah")
        page.get_by_label("Organisation (optional)").fill("Stevenage Community Choir")
        page.get_by_label("Email address (optional)").fill("priya@example.org")
        page.get_by_label("Your comment").fill(PUBLIC)
        press(page, page.get_by_role("button", name="Send your comment"))
        assert "your comment is recorded" in message(page)
        check(page, "the public consultation, after commenting")
        page.set_viewport_size({"width": 320, "height": 800})
        assert_no_horizontal_scroll(page)
    finally:
        context.close()


def _comment(browser, live_server, email: str, comment: str) -> None:
    """A board member finds the draft on their dashboard, reads the public's
    comment and comments."""
    context, page = new_page(browser)
    try:
        sign_in_as(page, live_server, email)
        check(page, f"{email}: dashboard")
        press(page, page.get_by_role("link", name="Comment on the draft policy (version 2)"))
        assert PUBLIC in page.locator("main").inner_text()
        page.get_by_label("Your comment").fill(comment)
        press(page, page.get_by_role("button", name="Add your comment"))
        assert "Your comment is recorded." in message(page)
        check(page, f"{email}: the draft, after commenting")
    finally:
        context.close()


def _approve(browser, live_server, email: str) -> str:
    """Once every member has commented, a board member approves from their
    dashboard; the message after approving."""
    context, page = new_page(browser)
    try:
        sign_in_as(page, live_server, email)
        press(page, page.get_by_role("link", name="Approve the draft policy (version 2)"))
        assert "Every member has commented" in page.locator("#life").inner_text()
        page.get_by_label("Approve this version").check()
        press(page, page.get_by_role("button", name="Record your decision"))
        check(page, f"{email}: the draft, after deciding")
        return message(page)
    finally:
        context.close()


def _reviews(browser, live_server) -> None:
    """A board member records the annual review and the board's review of the
    range of partnerships on the reviews page."""
    context, page = new_page(browser)
    try:
        sign_in_as(page, live_server, "board1@herts.demo")
        visit(page, f"{live_server}/h/herts/policy/reviews/")
        check(page, "the reviews page")
        annual = page.locator("form", has=page.get_by_role("button", name="Record the review"))
        annual.get_by_label("Kept as it is").check()
        press(page, annual.get_by_role("button", name="Record the review"))
        assert "Write a note of the review" in page.locator("#error-summary").inner_text()
        check(page, "the reviews page, a review refused")
        annual = page.locator("form", has=page.get_by_role("button", name="Record the review"))
        annual.get_by_label("Note of the review").fill("Spring term meeting: kept as it is.")
        press(page, annual.get_by_role("button", name="Record the review"))
        assert "The annual review is recorded." in message(page)
        board = page.get_by_label("The board's view of the range of partnerships")
        board.fill("Good spread; too little in the east of the county.")
        press(page, page.get_by_role("button", name="Record the board's review"))
        assert "is recorded" in message(page)
        check(page, "the reviews page, after both reviews")
    finally:
        context.close()


def test_the_hub_admin_proposes_the_public_comments_and_the_board_approves(
    page, browser, live_server
):
    draft_url = _propose(page, live_server)
    draft = HubPolicy.objects.get(hub__slug="herts", version=2)
    assert draft.status == PolicyStatus.OPEN
    assert policy_current(hub=draft.hub).version == 1

    _public_comment(browser, live_server)
    assert PolicyComment.objects.filter(policy=draft, kind="public").count() == 1

    # A fortnight on, the consultation has closed.
    yesterday = timezone.localdate() - timedelta(days=1)
    HubPolicy.objects.filter(pk=draft.pk).update(consultation_closes_on=yesterday)

    _comment(browser, live_server, "board1@herts.demo", "Content, with the choir's point.")
    _comment(browser, live_server, "board2@herts.demo", "Agreed.")
    said = _approve(browser, live_server, "board1@herts.demo")
    assert "Your approval is recorded; version 2 waits for another approval." in said
    said = _approve(browser, live_server, "board2@herts.demo")
    assert f"Version 2 is approved: it is in force from {timezone.localdate():%-d %B %Y}." in said
    draft.refresh_from_db()
    assert draft.status == PolicyStatus.APPROVED
    assert draft.approved_by == f"{BOARD} (Bea Board, Bob Boardman)"
    assert policy_current(hub=draft.hub) == draft

    # The hub admin reads the record: version 2 in force, with both decisions.
    visit(page, f"{live_server}/h/herts/oversight/policy-versions/")
    check(page, "the policy record")
    record = page.locator("#version-2").locator("..").inner_text()
    assert "In force" in record and "Bea Board" in record and "Bob Boardman" in record
    visit(page, draft_url)
    check(page, "the draft's page, approved")
    _reviews(browser, live_server)
