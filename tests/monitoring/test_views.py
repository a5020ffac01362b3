"""Monitoring pages: who reaches what (the access matrix), the partner's
form that loses nothing, the officer's decision, suppression on the page and
in the export, and query counts that stay flat as rows grow."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, Instalment, InstalmentStatus
from monitoring import services as svc
from monitoring.models import Report, ReportKind, ReportStatus
from monitoring.suppression import SUPPRESSED
from tests.access import assert_matrix, members, personas
from tests.auth_helpers import sign_in
from tests.monitoring.conftest import contact_of, officer_of

pytestmark = pytest.mark.django_db

NOT_PARTNER = {"partner_contact": 404, "other_partner": 404}
ONLY_CONTACT = members(404, partner_contact=200)
OFFICER_POST = members(
    302,
    approver=403,
    board_member=403,
    hub_admin=403,
    other_area_lead=404,
    **NOT_PARTNER,
)

# url name: (method, expected status per persona), in BLMK (Luton's partnership)
ACCESS_MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "monitoring:reports": ("get", members(200)),
    "monitoring:report_export": ("get", members(200, **NOT_PARTNER)),
    "monitoring:report": ("get", members(200, other_area_lead=404, other_partner=404)),
    "monitoring:report_edit": ("get", ONLY_CONTACT),
    "monitoring:report_autosave": ("post", ONLY_CONTACT),
    "monitoring:report_decide": ("post", OFFICER_POST),
    "monitoring:partnership": ("get", members(200, other_area_lead=404, other_partner=404)),
    "monitoring:report_request": ("post", OFFICER_POST),
    "monitoring:review_open": ("post", OFFICER_POST),
    # BLMK sets each agreement's term itself: officers are told there is no annual review.
    "monitoring:annual_review": (
        "post",
        {**OFFICER_POST, "hlo_staff": 400, "service_lead": 400, "superuser": 400},
    ),
    "monitoring:complaint_log": ("post", OFFICER_POST),
    "monitoring:review": ("get", members(200, other_area_lead=404, **NOT_PARTNER)),
    "monitoring:review_act": ("post", OFFICER_POST),
    "monitoring:complaints": ("get", members(200, board_member=404, **NOT_PARTNER)),
    "monitoring:complaint": (
        "get",
        members(200, board_member=404, other_area_lead=404, **NOT_PARTNER),
    ),
}


@pytest.fixture
def world(build, live, django_user_model):
    herts = build("herts")
    blmk, c = live("blmk")
    officer, contact = officer_of(blmk, c), contact_of(blmk, c)
    due, submitted = Report.objects.filter(commission=c).order_by("due_on")[:2]
    svc.report_save(
        report=submitted,
        user=contact,
        answers={"activities": "a", "outcomes": "b", "participants": 30},
    )
    svc.report_submit(report=submitted, user=contact)
    review = svc.review_open(commission=c, user=officer, trigger="targets", findings="Behind.")
    complaint = svc.complaint_log(
        commission=c,
        user=officer,
        kind="complaint",
        raised_by="A school",
        received_on=timezone.localdate(),
        summary="Late.",
    )
    slug, ref = blmk.hub.slug, c.reference
    args = {
        "monitoring:reports": [slug],
        "monitoring:report_export": [slug],
        "monitoring:report": [slug, due.pk],
        "monitoring:report_edit": [slug, due.pk],
        "monitoring:report_autosave": [slug, due.pk],
        "monitoring:report_decide": [slug, submitted.pk],
        "monitoring:partnership": [slug, ref],
        "monitoring:report_request": [slug, ref],
        "monitoring:review_open": [slug, ref],
        "monitoring:annual_review": [slug, ref],
        "monitoring:complaint_log": [slug, ref],
        "monitoring:review": [slug, review.pk],
        "monitoring:review_act": [slug, review.pk],
        "monitoring:complaints": [slug],
        "monitoring:complaint": [slug, complaint.pk],
    }
    soon = (timezone.localdate() + timedelta(days=10)).isoformat()
    bodies = {
        "monitoring:report_autosave": {"activities": "Saved by autosave"} | _version(due),
        "monitoring:report_decide": {"decision": "accept"},
        "monitoring:report_request": {"title": "Concert", "due_on": soon},
        "monitoring:review_open": {"trigger": "targets", "findings": "Enrolment low."},
        "monitoring:annual_review": {"decision": "renew", "reason": "Going well."},
        "monitoring:complaint_log": {
            "kind": "complaint",
            "raised_by": "A parent",
            "received_on": timezone.localdate().isoformat(),
            "summary": "Cancelled.",
        },
        "monitoring:review_act": {"action": "close", "reason": "Action plan agreed."},
    }
    return personas(blmk, herts, django_user_model), args, bodies


@pytest.mark.parametrize("url_name", sorted(ACCESS_MATRIX))
def test_access_matrix(world, url_name):
    people, args, bodies = world
    method, expected = ACCESS_MATRIX[url_name]
    assert_matrix(people, url_name, args[url_name], method, expected, bodies.get(url_name))


def _client(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


# ── the partner's form ──────────────────────────────────────────────────────


def _version(report: Report) -> dict[str, str]:
    """The draft version the form carries: the one saved now (hubs/drafts.py)."""
    report.refresh_from_db(fields=["draft_version"])
    return {"draft_version": str(report.draft_version)}


def test_a_mistake_loses_nothing_and_keeps_what_could_be_read(live):
    cast, c = live("herts")
    report = Report.objects.filter(commission=c).order_by("due_on").first()
    client = _client(contact_of(cast, c))
    url = reverse("monitoring:report_edit", args=[c.hub.slug, report.pk])
    page = client.get(url)
    assert page.status_code == 200 and b"data-autosave-url" in page.content
    body = {"activities": "Twelve sessions in Stevenage.", "participants": "lots", "send": "7"}
    response = client.post(url, body | {"action": "save"} | _version(report))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Twelve sessions in Stevenage." in html and 'value="lots"' in html
    assert "There is a problem" in html and "Enter a whole number." in html
    report.refresh_from_db()
    assert report.activities == "Twelve sessions in Stevenage." and report.send == 7
    assert report.participants is None


def test_autosave_answers_in_json(live):
    cast, c = live("kent")
    report = Report.objects.filter(commission=c).order_by("due_on").first()
    client = _client(contact_of(cast, c))
    url = reverse("monitoring:report_autosave", args=[c.hub.slug, report.pk])
    response = client.post(url, {"challenges": "Venue closed in March."} | _version(report))
    assert response.status_code == 200 and response.json()["saved"] is True
    report.refresh_from_db()
    assert report.challenges == "Venue closed in March."


def test_autosave_after_submitting_is_refused_in_words(live):
    cast, c = live("kent")
    report = Report.objects.filter(commission=c).order_by("due_on").first()
    contact = contact_of(cast, c)
    svc.report_save(
        report=report, user=contact, answers={"activities": "a", "outcomes": "b", "participants": 5}
    )
    svc.report_submit(report=report, user=contact)
    url = reverse("monitoring:report_autosave", args=[c.hub.slug, report.pk])
    response = _client(contact).post(url, {"activities": "late edit"} | _version(report))
    assert response.status_code == 409 and response.json()["saved"] is False


def test_submitting_an_incomplete_report_puts_each_refusal_beside_its_field(live):
    cast, c = live("herts")
    report = Report.objects.filter(commission=c).order_by("due_on").first()
    client = _client(contact_of(cast, c))
    url = reverse("monitoring:report_edit", args=[c.hub.slug, report.pk])
    body = {"activities": "Sessions.", "action": "submit"} | _version(report)
    response = client.post(url, body)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Describe the outcomes achieved." in html
    assert 'href="#id_outcomes"' in html
    report.refresh_from_db()
    assert report.status == ReportStatus.DUE and report.activities == "Sessions."


def test_partner_submits_officer_accepts_and_the_instalment_falls_due(live):
    cast, c = live("herts")
    report = Report.objects.filter(commission=c).order_by("due_on").first()
    partner, officer = _client(contact_of(cast, c)), _client(cast.officer)
    edit = reverse("monitoring:report_edit", args=[c.hub.slug, report.pk])
    target = c.need.targets.first()
    body = {
        "activities": "Weekly ensemble.",
        "outcomes": "New players.",
        "participants": "48",
        "send": "3",
        f"target_{target.pk}": "65",
        "action": "submit",
    }
    assert partner.post(edit, body | _version(report)).status_code == 302
    agreement = Agreement.objects.get(commission=c, period_number=1)
    instalment = Instalment.objects.create(
        agreement=agreement, position=9, percent=Decimal(10), milestone="report_accepted"
    )
    detail = reverse("monitoring:report", args=[c.hub.slug, report.pk])
    page = officer.get(detail).content.decode()
    table = page[page.index('id="participants-heading"') :]
    table = table[: table.index("</table>")]
    assert SUPPRESSED in table and ">3<" not in table
    decide = reverse("monitoring:report_decide", args=[c.hub.slug, report.pk])
    response = officer.post(decide, {"decision": "accept", "instalment": instalment.pk})
    assert response.status_code == 302
    instalment.refresh_from_db()
    assert instalment.status == InstalmentStatus.DUE
    commission_page = officer.get(reverse("commissioning:detail", args=[c.hub.slug, c.reference]))
    assert "Progress against the SMART targets" in commission_page.content.decode()
    assert ">65<" in commission_page.content.decode()
    csv = officer.get(reverse("monitoring:report_export", args=[c.hub.slug])).content.decode()
    assert SUPPRESSED in csv and ",3," not in csv and "48" in csv


def test_returning_without_comments_is_refused_beside_the_field(live):
    cast, c = live("herts")
    report = Report.objects.filter(commission=c).order_by("due_on").first()
    svc.report_save(
        report=report,
        user=contact_of(cast, c),
        answers={"activities": "a", "outcomes": "b", "participants": 9},
    )
    svc.report_submit(report=report, user=contact_of(cast, c))
    decide = reverse("monitoring:report_decide", args=[c.hub.slug, report.pk])
    response = _client(cast.officer).post(decide, {"decision": "return", "comments": ""})
    assert response.status_code == 400
    assert "Say what the partner needs to change." in response.content.decode()


def test_review_page_recommends_decommissioning_through_the_policy(live):
    cast, c = live("leics")
    review = svc.review_open(commission=c, user=cast.officer, trigger="targets", findings="Low.")
    url = reverse("monitoring:review_act", args=[c.hub.slug, review.pk])
    client = _client(cast.officer)
    response = client.post(url, {"action": "recommend", "grounds": "", "reason": "x"})
    assert response.status_code == 400
    assert "Choose the grounds for decommissioning" in response.content.decode()
    response = client.post(url, {"action": "recommend", "grounds": "quality", "reason": "Poor."})
    assert response.status_code == 302
    page = client.get(reverse("monitoring:review", args=[c.hub.slug, review.pk])).content.decode()
    assert "Submit the recommendation for decision" in page
    assert "Send the recommendation to the board" not in page, "Leicestershire has no board step"


# ── query counts ────────────────────────────────────────────────────────────


def _more_reports(c, n: int) -> None:
    day = timezone.localdate()
    Report.objects.bulk_create(
        Report(
            hub_id=c.hub_id,
            commission=c,
            kind=ReportKind.AD_HOC,
            title=f"Extra {i}",
            due_on=day + timedelta(days=i),
        )
        for i in range(n)
    )


def _count(client, url, django_assert_max_num_queries, limit=15) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm: the person's standing and unread count are then cached
    with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "page",
    [
        "reports",
        "partnership",
        "complaints",
        "dashboard",
        "commission",
        "report",
        "review",
        "complaint",
        "partner_dashboard",
        "partner_reports",
    ],
)
def test_pages_take_the_same_queries_as_rows_grow(live, django_assert_max_num_queries, page):
    cast, c = live("leics")
    slug, ref = c.hub.slug, c.reference
    report = Report.objects.filter(commission=c).first()
    urls = {
        "reports": reverse("monitoring:reports", args=[slug]),
        "partnership": reverse("monitoring:partnership", args=[slug, ref]),
        "complaints": reverse("monitoring:complaints", args=[slug]),
        "dashboard": reverse("commissioning:dashboard", args=[slug]),
        "commission": reverse("commissioning:detail", args=[slug, ref]),
        "report": reverse("monitoring:report", args=[slug, report.pk]),
        "partner_dashboard": reverse("commissioning:dashboard", args=[slug]),
        "partner_reports": reverse("monitoring:reports", args=[slug]),
    }
    review = svc.review_open(commission=c, user=cast.officer, trigger="targets", findings="x")
    complaint = svc.complaint_log(
        commission=c,
        user=cast.officer,
        kind="complaint",
        raised_by="A parent",
        received_on=timezone.localdate(),
        summary="x",
    )
    urls["review"] = reverse("monitoring:review", args=[slug, review.pk])
    urls["complaint"] = reverse("monitoring:complaint", args=[slug, complaint.pk])

    def grow(n):
        _more_reports(c, n)
        for i in range(n):
            svc.complaint_log(
                commission=c,
                user=cast.officer,
                kind="complaint",
                raised_by=f"Parent {i}",
                received_on=timezone.localdate(),
                summary="x",
            )
            svc.review_open(commission=c, user=cast.officer, trigger="targets", findings="x")

    # The partnership page brings five lists together (reports, targets,
    # reviews, annual reviews, complaints) and the agreement in force, and
    # asks the annual review's gate (is the period decided; is the next
    # period's agreement drafted): 11 queries of its own, 4 for who is
    # asking, 3 for the session's save. A page that offers to recommend
    # decommissioning reads the policy's grounds once, and one with complaints
    # the policy's words for who hears them. The schedule the partnership
    # follows, in words, reads its agreement's type and the policy's
    # schedules with their terms (3). Contract management's panel reads the
    # KPIs with their values and ratings (3), value for money (2), and for the
    # hub's people the open risks and the hub's threshold for a high one (2).
    limit = {"partnership": 30, "commission": 16}.get(page, 15)
    partner = page in ("partner_dashboard", "partner_reports")
    client = _client(contact_of(cast, c) if partner else cast.officer)
    grow(2)
    few = _count(client, urls[page], django_assert_max_num_queries, limit)
    grow(8)
    many = _count(client, urls[page], django_assert_max_num_queries, limit)
    assert few == many, f"{page}: {few} queries with few rows, {many} with more"


def test_leics_partnership_page_offers_the_annual_review_until_decided(live):
    cast, c = live("leics")
    client = _client(cast.officer)
    url = reverse("monitoring:partnership", args=[c.hub.slug, c.reference])
    assert "Decide the annual review" in client.get(url).content.decode()
    post = reverse("monitoring:annual_review", args=[c.hub.slug, c.reference])
    response = client.post(post, {"decision": "lapse", "reason": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert client.post(post, {"decision": "renew", "reason": "Met its targets."}).status_code == 302
    page = client.get(url).content.decode()
    assert "Decide the annual review" not in page
    assert "Renew for a new agreement period" in page and "next period" in page


# ── no lost input: draft versions (hubs/drafts.py) ──────────────────────────


def test_a_report_autosave_carrying_an_older_version_is_refused(live):
    cast, c = live("kent")
    report = Report.objects.filter(commission=c).order_by("due_on").first()
    client = _client(contact_of(cast, c))
    url = reverse("monitoring:report_autosave", args=[c.hub.slug, report.pk])
    loaded = _version(report)
    assert client.post(url, {"challenges": "Newer words."} | loaded).status_code == 200
    late = client.post(url, {"challenges": "Older words."} | loaded)
    assert late.status_code == 409
    assert "was saved from another page" in late.json()["message"]
    report.refresh_from_db()
    assert report.challenges == "Newer words."
    nothing = client.post(url, {"challenges": "No version at all."})
    assert nothing.status_code == 409


def test_a_stale_report_page_shows_what_is_saved_and_keeps_what_was_typed(live):
    cast, c = live("herts")
    report = Report.objects.filter(commission=c).order_by("due_on").first()
    client = _client(contact_of(cast, c))
    autosave = reverse("monitoring:report_autosave", args=[c.hub.slug, report.pk])
    edit = reverse("monitoring:report_edit", args=[c.hub.slug, report.pk])
    loaded = _version(report)
    assert client.post(autosave, {"activities": "From the other tab."} | loaded).status_code == 200

    typed = {"activities": "Typed on this page.", "action": "submit"}
    response = client.post(edit, typed | loaded)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Typed on this page." in page and "What is saved now" in page
    assert "From the other tab." in page and "not yet saved" in page
    report.refresh_from_db()
    assert report.activities == "From the other tab." and report.status == ReportStatus.DUE

    again = client.post(edit, typed | {"action": "save"} | _version(report))
    assert again.status_code == 302
    report.refresh_from_db()
    assert report.activities == "Typed on this page."


def test_a_report_submit_moves_the_version_on(live):
    cast, c = live("kent")
    report = Report.objects.filter(commission=c).order_by("due_on").first()
    contact = contact_of(cast, c)
    loaded = _version(report)
    answers = {"activities": "a", "outcomes": "b", "participants": 5}
    svc.report_save(
        report=report, user=contact, answers=answers, version=int(loaded["draft_version"])
    )
    svc.report_submit(report=report, user=contact)
    report.refresh_from_db()
    assert report.draft_version == int(loaded["draft_version"]) + 2


def test_another_hubs_report_is_not_found(live):
    _, c = live("kent")
    theirs = Report.objects.filter(commission=c).order_by("due_on").first()
    other, mine = live("leics")
    client = _client(contact_of(other, mine))
    body = {"activities": "Not mine."} | _version(theirs)
    for slug in (mine.hub.slug, c.hub.slug):
        for name in ("monitoring:report_autosave", "monitoring:report_edit"):
            response = client.post(reverse(name, args=[slug, theirs.pk]), body)
            assert response.status_code == 404, (slug, name)
    theirs.refresh_from_db()
    assert theirs.activities == ""
