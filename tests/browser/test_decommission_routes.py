"""Each of the five policies' decommissioning route in a real browser: the
hub's officer opens a review of a live partnership and recommends
decommissioning; the policy then sets the next step.

- Hertfordshire: board comment is required, so the only way on is the board.
- Kent: board comment is advisory; the officer submits straight for decision,
  and the Board of Kent Music's approver decides.
- BLMK, the consortium hub: no board step; the approvers decide.
- Leicestershire: no board step; the chair decides, and an approver is
  refused with the policy's reason.

Every page visited passes axe-core and its Content-Security-Policy. This
module changes its demo, so it has its own."""

from __future__ import annotations

import re

import pytest

from commissioning.models import Commission
from commissioning.workflow import Stage
from demo.stories import title as demo_title
from tests.browser.axe import assert_accessible
from tests.browser.helpers import assert_no_csp_violations, visit
from tests.browser.test_roles import sign_in_as

pytestmark = pytest.mark.usefixtures("demo")

LIVE = "Signed and active"  # the demo commission at this stage (demo.stories.title)
# hub: (officer, board step offered, who decides)
ROUTES = {
    "herts": ("officer@herts.demo", "required", None),
    "kent": ("officer@kent.demo", "advisory", "approver@kent.demo"),
    "blmk": ("lead-luton@blmk.demo", "none", "approver@blmk.demo"),
    "leics": ("officer@leics.demo", "none", "chair@leics.demo"),
    "consortium": ("officer@consortium.demo", "none", "approver@consortium.demo"),
}
TO_BOARD = "Send the recommendation to the board for comment"
FOR_DECISION = "Submit the recommendation for decision"


def check(page, context: str) -> None:
    assert_no_csp_violations(page)
    assert_accessible(page, context=context)


def press(page, locator) -> None:
    with page.expect_navigation(wait_until="load"):
        locator.click()


def stage_of(page) -> str:
    return page.locator(".stage-badge").inner_text()


@pytest.mark.parametrize("slug", sorted(ROUTES))
def test_each_policy_s_decommissioning_route(page, browser, live_server, slug):
    officer, board, decider = ROUTES[slug]
    commission = Commission.objects.get(hub__slug=slug, title=demo_title(slug, LIVE))
    assert commission.status == Stage.MONITORING
    sign_in_as(page, live_server, officer)
    visit(page, f"{live_server}/h/{slug}/commissions/{commission.reference}/")
    press(page, page.get_by_role("link", name=re.compile("Reports, reviews")))
    check(page, f"{slug}: the partnership's monitoring")

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
    assert "Now Decommissioning recommended" in page.locator(".messages").inner_text()
    check(page, f"{slug}: the review after recommending")

    to_board = page.get_by_role("button", name=TO_BOARD)
    for_decision = page.get_by_role("button", name=FOR_DECISION)
    assert to_board.count() == (0 if board == "none" else 1)
    assert for_decision.count() == (0 if board == "required" else 1)
    if board == "required":
        press(page, to_board)
        assert "with the board for comment" in page.locator(".messages").inner_text()
        commission.refresh_from_db()
        assert commission.status == Stage.DECOMMISSION_BOARD_COMMENT
        return
    press(page, for_decision)
    commission.refresh_from_db()
    assert commission.status == Stage.DECOMMISSION_DECISION

    other = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        deciding = other.new_page()
        if slug == "leics":  # an approver is refused: the chair decides here
            sign_in_as(deciding, live_server, "approver@leics.demo")
            visit(deciding, f"{live_server}/h/{slug}/commissions/{commission.reference}/")
            assert deciding.get_by_role("button", name="Approve decommissioning").count() == 0
            deciding.context.clear_cookies()
        sign_in_as(deciding, live_server, decider)
        visit(deciding, f"{live_server}/h/{slug}/commissions/{commission.reference}/")
        check(deciding, f"{slug}: the decision")
        form = deciding.locator("form").filter(
            has=deciding.locator('input[value="approve_decommission"]')
        )
        form.get_by_label("Reason").fill("Agreed: the objectives are not being met.")
        press(deciding, form.get_by_role("button", name="Approve decommissioning"))
        assert stage_of(deciding) == "Stage: Decommissioning approved"
        check(deciding, f"{slug}: decommissioning approved")
    finally:
        other.close()
    commission.refresh_from_db()
    assert commission.status == Stage.DECOMMISSION_APPROVED
