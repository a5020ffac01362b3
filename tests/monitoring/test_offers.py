"""One gate for every write: on each monitoring page a role uses, as each of
the demo's personas, under each of the five policies, the page offers
exactly the actions whose refusal function (the one the service raises)
returns None, and shows an action that only waits with its reason.

Expected offers are asked of the gates with the person (as the services ask
them), never of the page's own code, and over every step a page could hold,
whatever state the review or complaint is in."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Commission
from monitoring import services as svc
from monitoring.models import Report
from monitoring.rules.complaints import (
    complaint_escalate_refusal,
    complaint_log_refusal,
    complaint_resolve_refusal,
)
from monitoring.rules.reports import (
    report_decide_refusal,
    report_request_refusal,
    report_write_refusal,
)
from monitoring.rules.reviews import (
    DECOMMISSION_MOVES,
    REVIEW_STEPS,
    annual_review_refusal,
    review_open_refusal,
    review_step_refusal,
)
from tests.auth_helpers import sign_in
from tests.monitoring.conftest import contact_of, officer_of

pytestmark = pytest.mark.django_db

SLUGS = ["blmk", "consortium", "herts", "kent", "leics"]
STEPS = [*REVIEW_STEPS, *DECOMMISSION_MOVES]
DECISIONS = ["accept", "return"]


def _people(cast, c) -> dict[str, Any]:
    people = {
        "officer": officer_of(cast, c),
        "hlo_staff": cast.officer,
        "approver": cast.approver,
        "board_member": cast.board[0],
        "hub_admin": cast.admin,
        "partner_contact": contact_of(cast, c),
    }
    if cast.chair is not None:
        people["chair"] = cast.chair
    other_leads = [lead for lead in cast.leads.values() if lead != people["officer"]]
    if other_leads:
        people["other_area_lead"] = other_leads[0]
    return people


class Pages:
    def __init__(self, people: dict[str, Any]) -> None:
        self.clients = {}
        for name, user in people.items():
            self.clients[name] = Client()
            sign_in(self.clients[name], user)

    def get(self, persona: str, url: str) -> str | None:
        """The page's HTML, or None where this person cannot open it (404)."""
        response = self.clients[persona].get(url)
        if response.status_code == 404:
            return None
        assert response.status_code == 200, (persona, url, response.status_code)
        return response.content.decode()


def _forms(html: str | None) -> set[str]:
    return set(re.findall(r'name="action" value="([a-z_]+)"', html or ""))


def _waits(html: str | None) -> set[str]:
    return set(re.findall(r'data-waits="([a-z_]+)"', html or ""))


def _offers(refusals: dict[str, Any]) -> tuple[set[str], set[str]]:
    """(offered as forms, shown as waiting) from each action's refusal."""
    forms = {name for name, refusal in refusals.items() if refusal is None}
    waits = {
        name
        for name, refusal in refusals.items()
        if refusal is not None and refusal.waits and not refusal.is_role
    }
    return forms, waits


def check_partnership(pages, people, c) -> None:
    slug, ref = c.hub.slug, c.reference
    c = Commission.objects.get(pk=c.pk)
    urls = {
        "request": reverse("monitoring:report_request", args=[slug, ref]),
        "review": reverse("monitoring:review_open", args=[slug, ref]),
        "annual": reverse("monitoring:annual_review", args=[slug, ref]),
        "complaint": reverse("monitoring:complaint_log", args=[slug, ref]),
    }
    for persona, user in people.items():
        html = pages.get(persona, reverse("monitoring:partnership", args=[slug, ref]))
        shown = {name for name, url in urls.items() if f'action="{url}"' in (html or "")}
        gates = {
            "request": report_request_refusal(commission=c, who=user, offering=True),
            "review": review_open_refusal(commission=c, who=user, offering=True),
            "annual": annual_review_refusal(commission=c, who=user, offering=True),
            "complaint": complaint_log_refusal(commission=c, who=user, offering=True),
        }
        assert shown == _offers(gates)[0], (c.hub.slug, "partnership", persona)
        renewal = set(re.findall(r'name="decision" value="([a-z]+)"', html or ""))
        assert renewal == {
            d
            for d in ("renew", "lapse")
            if annual_review_refusal(commission=c, who=user, decision=d, offering=True) is None
        }, (c.hub.slug, "annual review", persona)


def check_review(pages, people, review) -> None:
    review.refresh_from_db()
    review.commission.refresh_from_db()
    url = reverse("monitoring:review", args=[review.commission.hub.slug, review.pk])
    for persona, user in people.items():
        html = pages.get(persona, url)
        gates = {
            step: review_step_refusal(review=review, who=user, step=step, offering=True)
            for step in STEPS
        }
        forms, waits = _offers(gates)
        where = (review.commission.hub.slug, "review", review.status, persona)
        if html is None:
            assert not forms and not waits, where
            continue
        assert (_forms(html), _waits(html)) == (forms, waits), where


def check_report(pages, people, report) -> None:
    report.refresh_from_db()
    slug = report.commission.hub.slug
    edit = reverse("monitoring:report_edit", args=[slug, report.pk])
    for persona, user in people.items():
        html = pages.get(persona, reverse("monitoring:report", args=[slug, report.pk])) or ""
        writes = f'href="{edit}"' in html
        decisions = set(re.findall(r'name="decision" value="([a-z]+)"', html))
        assert writes == (report_write_refusal(report=report, who=user) is None), persona
        expected = {
            d
            for d in DECISIONS
            if report_decide_refusal(report=report, who=user, decision=d, offering=True) is None
        }
        assert decisions == expected, (slug, "report", report.status, persona)


def check_complaint(pages, people, complaint) -> None:
    complaint.refresh_from_db()
    url = reverse("monitoring:complaint", args=[complaint.commission.hub.slug, complaint.pk])
    for persona, user in people.items():
        html = pages.get(persona, url)
        gates = {
            "resolve": complaint_resolve_refusal(complaint=complaint, who=user, offering=True),
            "escalate": complaint_escalate_refusal(complaint=complaint, who=user, offering=True),
        }
        expected = _offers(gates)[0]
        where = (complaint.commission.hub.slug, "complaint", complaint.status, persona)
        if html is None:
            assert not expected, where
            continue
        assert _forms(html) == expected, where


@pytest.mark.parametrize("slug", SLUGS)
def test_each_page_offers_exactly_what_its_gates_accept(live, slug):
    cast, c = live(slug)
    people = _people(cast, c)
    pages = Pages(people)
    officer, contact = people["officer"], people["partner_contact"]
    due, submitted = Report.objects.filter(commission=c).order_by("due_on")[:2]
    answers = {"activities": "a", "outcomes": "b", "participants": 12, "recommendations": "c"}
    svc.report_save(report=submitted, user=contact, answers=answers)
    svc.report_submit(report=submitted, user=contact)
    complaints = [
        svc.complaint_log(
            commission=c,
            user=officer,
            kind="complaint",
            raised_by=who,
            received_on=timezone.localdate(),
            summary="Sessions cancelled.",
        )
        for who in ("A parent", "A school")
    ]
    svc.complaint_escalate(complaint=complaints[1], user=officer, reason="Not satisfied.")
    review = svc.review_open(
        commission=c, user=officer, trigger="safeguarding", findings="A concern was raised."
    )

    check_partnership(pages, people, c)
    for report in (due, submitted):
        check_report(pages, people, report)
    for complaint in complaints:
        check_complaint(pages, people, complaint)
    check_review(pages, people, review)  # open: recommend, terminate where allowed, close

    svc.review_recommend(review=review, user=officer, grounds="quality", reason="Poor quality.")
    check_review(pages, people, review)  # the policy's next steps
    board = c.policy.board_comment_on_decommission != "skipped"
    step = "send_decommission_to_board" if board else "submit_decommission_for_decision"
    svc.review_move(review=review, user=officer, action=step)
    check_review(pages, people, review)  # with the board (a step that waits), or to decide
    check_partnership(pages, people, c)

    # Not vacuous: the officer is offered the steps the policy has next.
    html = pages.get("officer", reverse("monitoring:review", args=[c.hub.slug, review.pk]))
    if board:
        assert _waits(html) == {"close_decommission_comment"}
        assert "withdraw_decommission" in _forms(html)
    else:
        decider = people.get("chair") if c.policy.decommission_decided_by == "chair" else None
        url = reverse("monitoring:review", args=[c.hub.slug, review.pk])
        persona = "chair" if decider else "approver"
        assert {"approve_decommission", "reject_decommission"} <= _forms(pages.get(persona, url))


def test_hertfordshire_elt_is_not_offered_an_immediate_termination(live):
    cast, c = live("herts")
    review = svc.review_open(
        commission=c, user=cast.officer, trigger="safeguarding", findings="A concern."
    )
    client = Client()
    sign_in(client, cast.approver)
    html = client.get(reverse("monitoring:review", args=[c.hub.slug, review.pk])).content
    assert b"Terminate at once" not in html
    assert "terminate" not in _forms(html.decode())


def test_leicestershire_chair_is_offered_the_immediate_termination(live):
    cast, c = live("leics")
    review = svc.review_open(
        commission=c, user=cast.officer, trigger="safeguarding", findings="A concern."
    )
    client = Client()
    sign_in(client, cast.chair)
    html = client.get(reverse("monitoring:review", args=[c.hub.slug, review.pk])).content.decode()
    assert _forms(html) == {"terminate"}
