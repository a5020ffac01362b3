"""Contract management in the browser, on the demo: Kent's partner gives its
KPI values for the quarter still due (a refused value kept beside its field),
the officer rates a quarter; BLMK's Luton lead records a risk (refused, then
kept), reviews it and closes it. Every page checked by axe."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from commissioning.models import Commission
from demo.contracts_demo import KENT
from monitoring.models import Report, ReportStatus
from tests.browser.axe import assert_accessible
from tests.browser.helpers import assert_no_csp_violations
from tests.browser.test_roles import sign_in_as

pytestmark = pytest.mark.usefixtures("demo")


def check(page, context: str) -> None:
    assert_no_csp_violations(page)
    assert_accessible(page, context=context)


def click_and_load(page, locator) -> None:
    with page.expect_navigation(wait_until="load"):
        locator.click()


def _kent() -> Commission:
    return Commission.objects.get(hub__slug="kent", title=KENT.title)


def test_the_partner_gives_kpi_values_and_the_officer_rates_them(page, live_server, browser):
    c = _kent()
    due = Report.objects.filter(commission=c, status=ReportStatus.DUE).order_by("due_on").first()
    sign_in_as(page, live_server, "swaleband@kent.demo")
    page.goto(live_server.url + reverse("monitoring:partnership", args=["kent", c.reference]))
    assert page.get_by_role("heading", name="Key performance indicators").is_visible()
    assert "Requires improvement" in page.locator("main").inner_text()
    check(page, "partner's partnership page with its KPIs")

    page.goto(live_server.url + reverse("monitoring:report_edit", args=["kent", due.pk]))
    check(page, "report form with the KPI prompt")
    click_and_load(page, page.get_by_role("link", name="Give the KPI values"))
    page.get_by_label(re.compile("^Participant satisfaction: ")).fill("-4")
    page.get_by_label(re.compile("^Learning outcomes achieved: ")).fill("66")
    page.get_by_label(re.compile("^Children and young people taking part: ")).fill("88")
    click_and_load(page, page.get_by_role("button", name="Save the KPI values"))
    summary = page.locator(".error-summary")
    assert "Give a number of 0 or more." in summary.inner_text()
    assert page.get_by_label(re.compile("^Learning outcomes achieved: ")).input_value() == "66"
    check(page, "KPI values refused")
    page.get_by_label(re.compile("^Participant satisfaction: ")).fill("93")
    click_and_load(page, page.get_by_role("button", name="Save the KPI values"))
    assert "saved" in page.locator(".messages").inner_text()
    assert "Not given" not in page.locator("table").inner_text()
    check(page, "KPI values saved")

    officer = browser.new_context(locale="en-GB").new_page()
    sign_in_as(officer, live_server, "officer@kent.demo")
    officer.goto(live_server.url + reverse("monitoring:partnership", args=["kent", c.reference]))
    second = officer.locator("#kpis-heading + .table-wrap thead a").nth(1)
    click_and_load(officer, second)
    check(officer, "officer's KPI page for a quarter")
    officer.get_by_label("Rating of learning outcomes achieved").select_option("inadequate")
    officer.get_by_label("Why (for learning outcomes achieved)").fill("No grade entries at all.")
    click_and_load(officer, officer.get_by_role("button", name="Record the ratings"))
    assert "KPIs rated" in officer.locator(".messages").inner_text()
    assert "No grade entries at all." in officer.locator("table").inner_text()
    check(officer, "KPIs rated")
    officer.goto(live_server.url + reverse("oversight:dashboard", args=["kent"]))
    assert officer.get_by_role("heading", name="KPIs of live partnerships").is_visible()
    check(officer, "dashboard with KPI ratings, high risks and value for money")
    officer.context.close()


def test_the_luton_lead_records_reviews_and_closes_a_risk(page, live_server):
    sign_in_as(page, live_server, "lead-luton@blmk.demo")
    page.goto(live_server.url + reverse("contracts:risk_register", args=["blmk"]))
    assert "Too few specialist tutors" in page.locator("table").inner_text()
    check(page, "BLMK's risk register")
    click_and_load(
        page, page.get_by_role("link", name="Too few specialist tutors for the new schools")
    )
    check(page, "a high risk with its review")
    click_and_load(page, page.get_by_role("link", name=re.compile("^Risks of ")))
    check(page, "a partnership's risks")

    page.locator("#risk_title").fill("Minibus contract ends in March")
    page.get_by_label("Likelihood").select_option("3")
    page.get_by_label("Impact").select_option("5")
    page.get_by_label("Mitigation").fill("Book the council's fleet for the summer term.")
    click_and_load(page, page.get_by_role("button", name="Record the risk"))
    assert "Say who manages this risk." in page.locator(".error-summary").inner_text()
    assert page.locator("#risk_title").input_value() == "Minibus contract ends in March"
    check(page, "risk refused, what was typed kept")
    page.get_by_label("Owner").fill("Luton service lead")
    page.get_by_label("Next review").fill("2099-01-31")
    click_and_load(page, page.get_by_role("button", name="Record the risk"))
    assert "Risk recorded" in page.locator(".messages").inner_text()
    assert "a high risk" in page.locator("dl.summary").inner_text()  # 3 x 5 = 15

    page.get_by_label("What the review found").fill("The council extended the contract.")
    page.get_by_label("Likelihood now").select_option("1")
    page.get_by_label("Close the risk: it has passed or is fully managed").check()
    click_and_load(page, page.get_by_role("button", name="Record the review"))
    assert "Risk closed." in page.locator(".messages").inner_text()
    assert "Closed" in page.locator("dl.summary").inner_text()
    assert page.get_by_role("button", name="Record the review").count() == 0
    check(page, "a closed risk")
