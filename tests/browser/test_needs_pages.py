"""HLO staff work from the needs analysis to a commission in the browser: open
the needs list and an analysis, add a need with a SMART target (after a
target equal to its baseline is refused), and open a commission to meet it.
Every page visited passes axe-core and its Content-Security-Policy. This
module changes its demo, so it has its own."""

from __future__ import annotations

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.helpers import assert_no_csp_violations, visit
from tests.browser.test_roles import sign_in_as

pytestmark = pytest.mark.usefixtures("demo")


def check(page, context: str) -> None:
    assert_no_csp_violations(page)
    assert_accessible(page, context=context)


def submit(page, button: str) -> None:
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=button).click()


def test_hlo_staff_go_from_a_need_to_a_commission(page, live_server):
    sign_in_as(page, live_server, "officer@herts.demo")
    visit(page, live_server + "/h/herts/needs/")
    assert page.locator("h1").inner_text() == "Needs analyses"
    check(page, "needs analyses")

    page.get_by_role("link", name="Annual needs analysis").click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "2025/26 Annual needs analysis"
    assert "Arts Council England" in page.locator("dl.summary").inner_text()
    check(page, "a needs analysis")

    page.get_by_role("link", name="Add a need").click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Add a need"
    check(page, "the form for a need")

    page.get_by_label("Need", exact=True).fill("Too few young people sing in choirs")
    page.get_by_label("Priority").select_option(label="High")
    page.get_by_label("Specific target").fill("Young people singing in a Hub choir each week")
    page.get_by_label("Measured by").fill("singers registered")
    page.get_by_label("Baseline").fill("300")
    page.get_by_label("Target", exact=True).fill("300")
    page.get_by_label("Achieved by").fill("31/07/2026")
    submit(page, "Add the need")
    summary = page.get_by_role("alert")
    assert "A target must differ from its baseline" in summary.inner_text()
    target = page.get_by_label("Target", exact=True)
    assert target.get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Need", exact=True).input_value() == (
        "Too few young people sing in choirs"
    ), "what was typed is kept"
    check(page, "a target refused beside its field")

    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_target-target_value"
    target.fill("450")
    submit(page, "Add the need")
    assert page.locator("h1").inner_text() == "Too few young people sing in choirs"
    assert page.get_by_role("cell", name="singers registered").count() == 1
    check(page, "a need with its SMART target")

    opening = page.locator("section").filter(
        has=page.get_by_role("heading", name="Open a commission to meet this need")
    )
    opening.get_by_label("Title").fill("Hub choirs in every district")
    opening.get_by_label("Hub grant amount (£)").fill("15000")
    submit(page, "Open the commission")
    assert "Hub choirs in every district" in page.locator("h1").inner_text()
    assert page.locator(".stage-badge").inner_text() == "Stage: Need identified"
    history = page.get_by_role("region", name="History")
    assert "Opened to meet the need: Too few young people sing in choirs" in history.inner_text()
    check(page, "the commission opened for the need")


def test_hlo_staff_record_and_edit_a_needs_analysis(page, live_server):
    sign_in_as(page, live_server, "officer@herts.demo")
    visit(page, live_server + "/h/herts/needs/")
    page.get_by_role("link", name="Record a needs analysis").click()
    page.wait_for_load_state("load")
    check(page, "the form for a needs analysis")

    page.get_by_label("Title").fill("Singing strategy consultation")
    page.get_by_label("Schools").check()
    page.get_by_label("Young people").check()
    submit(page, "Record the needs analysis")
    assert page.get_by_label("Cycle").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Title").input_value() == "Singing strategy consultation"
    assert page.get_by_label("Schools").is_checked(), "the ticks are kept"
    check(page, "a needs analysis refused for want of a cycle")

    page.get_by_label("Cycle").fill("2026/27")
    submit(page, "Record the needs analysis")
    assert page.locator("h1").inner_text() == "2026/27 Singing strategy consultation"
    assert "Schools, Young people" in page.locator("dl.summary").inner_text()

    page.get_by_role("link", name="Edit this needs analysis").click()
    page.wait_for_load_state("load")
    check(page, "editing a needs analysis")
    page.get_by_label("Date completed (optional)").fill("20/03/2027")
    submit(page, "Save the needs analysis")
    assert "20 March 2027" in page.locator("dl.summary").inner_text()
    check(page, "the edited needs analysis")
