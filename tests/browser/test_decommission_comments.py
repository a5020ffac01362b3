"""Hertfordshire in a real browser: the board comments on a recommendation to
decommission on the review's page, the officer responds, the window closes
early once every member has commented, and the Executive Leadership Team
decides with the comments on the page.

The officer recommends and sends the recommendation to the board; each of the
two board members finds it from their dashboard and comments; the officer
responds to the first; once the second has commented the window has closed,
so the officer submits it for decision without waiting out the 14 days; an
approver reads the comments and the response above the decision and
approves. Every page visited passes axe-core and its Content-Security-Policy,
and the review page fits a 320px screen. This module changes its demo, so it
has its own."""

from __future__ import annotations

import re

import pytest

from commissioning.models import Commission
from commissioning.workflow import Stage
from demo.stories import title as demo_title
from monitoring.models import ReviewComment
from tests.browser.axe import assert_accessible
from tests.browser.helpers import assert_no_csp_violations, assert_no_horizontal_scroll, visit
from tests.browser.test_roles import sign_in_as

pytestmark = pytest.mark.usefixtures("demo")

LIVE = "Signed and active"  # the demo commission at this stage (demo.stories.title)
BOARD = "Hertfordshire Music Hub board"
COMMENTS = {
    "board1@herts.demo": "Has the partner seen the action plan in writing? If so, I support this.",
    "board2@herts.demo": "Agreed; please make sure the schools hear before the end of term.",
}
RESPONSE = "Yes: the plan went to them in January and again in March."


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


def _recommend(page, live_server, commission) -> str:
    """The officer opens a review, recommends decommissioning and sends it to
    the board; the review page's address."""
    sign_in_as(page, live_server, "officer@herts.demo")
    visit(page, f"{live_server}/h/herts/commissions/{commission.reference}/")
    press(page, page.get_by_role("link", name=re.compile("Reports, reviews")))
    page.get_by_text("Open a review", exact=True).click()
    page.get_by_label("Why open a review").select_option("targets")
    page.get_by_label("Findings").fill("Enrolment 45 against a target of 120 at the spring review.")
    press(page, page.get_by_role("button", name="Open the review"))
    recommend = page.locator(
        "section", has=page.locator("h3", has_text="Recommend decommissioning")
    )
    recommend.get_by_label("Grounds").select_option("unmet_objectives")
    recommend.get_by_label("Reason").fill("Targets missed for two terms despite an action plan.")
    press(page, recommend.get_by_role("button", name="Recommend decommissioning"))
    press(page, page.get_by_role("button", name="Send the recommendation to the board for comment"))
    assert "with the board for comment" in message(page)
    window = page.locator("#comment-window").inner_text()
    assert "The comment window closes on" in window and "0 of 2 members have commented." in window
    # The officer cannot move on yet: the window is open.
    waits = page.locator('[data-waits="close_decommission_comment"]').inner_text()
    assert "or once every member has commented" in waits
    check(page, "the review, with the board")
    return page.url


def _comment(browser, live_server, email: str, review_url: str) -> str:
    """A board member finds the recommendation from their dashboard and
    comments; what the comment window says afterwards."""
    context, page = new_page(browser)
    try:
        sign_in_as(page, live_server, email)
        link = page.get_by_role(
            "link", name="Comment as the board on the recommendation to decommission"
        )
        assert link.count() == 1, f"{email} is led to the recommendation"
        check(page, f"{email}: dashboard")
        press(page, link)
        assert page.url == review_url
        form = page.locator("section", has=page.locator("h2", has_text=f"Comment as the {BOARD}"))
        # A blank comment is refused beside its field, in words.
        press(page, form.get_by_role("button", name="Add your comment"))
        assert page.locator("#error-summary").inner_text().count("Write your comment.") == 1
        check(page, f"{email}: a blank comment refused")
        form.get_by_label("Your comment").fill(COMMENTS[email])
        press(page, form.get_by_role("button", name="Add your comment"))
        assert "Your comment is recorded" in message(page)
        assert page.get_by_text(COMMENTS[email]).count() == 1
        check(page, f"{email}: after commenting")
        page.set_viewport_size({"width": 320, "height": 800})
        assert_no_horizontal_scroll(page)
        return page.locator("#comment-window").inner_text()
    finally:
        context.close()


def test_the_board_comments_the_officer_responds_and_the_elt_decides(page, browser, live_server):
    commission = Commission.objects.get(hub__slug="herts", title=demo_title("herts", LIVE))
    assert commission.status == Stage.MONITORING
    review_url = _recommend(page, live_server, commission)

    window = _comment(browser, live_server, "board1@herts.demo", review_url)
    assert "The comment window closes on" in window and "1 of 2 members have commented." in window

    # The officer responds to the first comment, on the same page.
    visit(page, review_url)
    respond = page.locator("article.comment", has_text=COMMENTS["board1@herts.demo"])
    respond.get_by_label("Your response").fill(RESPONSE)
    press(page, respond.get_by_role("button", name="Respond to Bea Board"))
    assert "Your response is recorded" in message(page)
    answered = page.locator("article.comment", has_text=COMMENTS["board1@herts.demo"])
    assert "Response from Olivia Officer" in answered.inner_text()
    check(page, "the review, after responding")

    window = _comment(browser, live_server, "board2@herts.demo", review_url)
    assert "Every member has commented, so the comment window closed on" in window
    assert "2 of 2 members have commented." in window
    assert ReviewComment.objects.filter(commission=commission).count() == 2

    # The window has closed early: the officer sends it on for decision now.
    visit(page, review_url)
    press(page, page.get_by_role("button", name="Close board comment and submit for decision"))
    assert "Now Decommissioning: awaiting decision" in message(page)
    commission.refresh_from_db()
    assert commission.status == Stage.DECOMMISSION_DECISION

    context, deciding = new_page(browser)
    try:
        sign_in_as(deciding, live_server, "approver@herts.demo")
        visit(deciding, review_url)
        check(deciding, "the ELT's decision, with the board's comments")
        text = deciding.locator("main").inner_text()
        decision = text.index("Approve decommissioning")
        for words in (*COMMENTS.values(), RESPONSE):
            assert text.index(words) < decision, f"'{words}' is read before the decision"
        assert deciding.get_by_role("button", name="Add your comment").count() == 0
        form = deciding.locator("form").filter(
            has=deciding.locator('input[value="approve_decommission"]')
        )
        form.get_by_label("Reason").fill("Agreed, with the board: the objectives are not met.")
        press(deciding, form.get_by_role("button", name="Approve decommissioning"))
        assert "Now Decommissioning approved" in message(deciding)
        check(deciding, "decommissioning approved")
    finally:
        context.close()
    commission.refresh_from_db()
    assert commission.status == Stage.DECOMMISSION_APPROVED
