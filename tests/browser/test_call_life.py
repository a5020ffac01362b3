"""A call's life in a real browser: the officer extends it with a reason, a
partner asks a question, the officer answers, and the public page shows the
answer without who asked; axe-core on every page. The tests run in order on
one call this module publishes in its own demo."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from commissioning.calls import services as calls
from commissioning.models import Call, CallChange, CallQuestion, Commission, Route
from commissioning.workflow import Stage
from tests.browser.axe import assert_accessible
from tests.browser.helpers import assert_no_csp_violations, visit
from tests.browser.test_roles import sign_in_as

OFFICER, PARTNER = "officer@leics.demo", "leicjazz@leics.demo"
QUESTION = "May sessions run in the school holidays?"
ANSWER = "Yes: up to a quarter of the sessions may run in the holidays."


@pytest.fixture(scope="module")
def call(demo) -> Call:
    commission = Commission.objects.get(
        hub__slug="leics", status=Stage.IDENTIFY, route=Route.OPEN_CALL, call__isnull=True
    )
    now = timezone.now()
    return calls.call_publish(
        commission=commission,
        user=commission.created_by,
        title="Samba bands for primary schools",
        summary="Weekly samba sessions in six primary schools.",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=14),
    )


def check(page, context: str) -> None:
    assert_no_csp_violations(page)
    assert_accessible(page, context=context)


def test_the_officer_extends_the_call_with_a_reason(page, live_server, call):
    sign_in_as(page, live_server, OFFICER)
    visit(page, f"{live_server}/h/leics/calls/{call.pk}/")
    expect(page.locator("#call-status-heading")).to_have_text("Status: Open")
    check(page, "a call, officer")
    # a date before the deadline first: refused beside the field, the reason kept
    page.get_by_label("Why extend it").fill("Schools asked for time after half term.")
    page.get_by_label("New closing time").fill(
        timezone.localtime(call.closes_at - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    )
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Extend the call").click()
    expect(page.locator(".error-summary")).to_contain_text("an extension must close later")
    expect(page.get_by_label("Why extend it")).to_have_value(
        "Schools asked for time after half term."
    )
    check(page, "a refused extension")
    later = timezone.localtime(call.closes_at + timedelta(days=7))
    page.get_by_label("New closing time").fill(later.strftime("%Y-%m-%dT%H:%M"))
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Extend the call").click()
    expect(page.locator("[data-call-status]")).to_contain_text(
        "Schools asked for time after half term."
    )
    check(page, "an extended call")
    change = CallChange.objects.get(call=call)
    assert change.closes_now.replace(second=0, microsecond=0) == later.replace(
        second=0, microsecond=0
    )


def test_a_partner_asks_a_question(page, live_server, call):
    sign_in_as(page, live_server, PARTNER)
    visit(page, f"{live_server}/h/leics/calls/{call.pk}/")
    check(page, "a call, partner")
    page.get_by_label("Your question").fill(QUESTION)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Send the question").click()
    expect(page.locator(".messages")).to_contain_text("Question sent")
    assert CallQuestion.objects.filter(call=call, question=QUESTION).exists()


def test_the_officer_answers_and_the_public_page_shows_it(page, live_server, call):
    sign_in_as(page, live_server, OFFICER)
    visit(page, f"{live_server}/h/leics/calls/{call.pk}/")
    expect(page.locator("#questions")).to_contain_text(QUESTION)
    check(page, "a call with a question waiting, officer")
    page.get_by_label("Answer", exact=True).fill(ANSWER)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Publish the answer").click()
    expect(page.locator(".messages")).to_contain_text("Answer published")

    page.context.clear_cookies()
    visit(page, f"{live_server}/hubs/leics/calls/{call.pk}/")
    questions = page.locator("#questions")
    expect(questions).to_contain_text(QUESTION)
    expect(questions).to_contain_text(ANSWER)
    expect(questions).not_to_contain_text("Leicester Jazz")
    check(page, "a public call with an answer")
