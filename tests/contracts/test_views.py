"""Contract management's pages: who reaches what (the access matrix, in
BLMK's Luton partnership), refusals beside their fields with what was typed
kept, and query counts that stay flat as KPIs, ratings and risks grow."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements import services as ag
from contracts import services as svc
from contracts.models import Risk
from monitoring import services as monitoring
from monitoring.models import Report, ReportStatus
from tests.access import assert_matrix, members, personas
from tests.auth_helpers import sign_in
from tests.factories import risk_raised
from tests.monitoring.conftest import contact_of, officer_of

pytestmark = pytest.mark.django_db

NOT_PARTNER = {"partner_contact": 404, "other_partner": 404}
SEES_PARTNERSHIP = members(200, other_area_lead=404, other_partner=404)
INTERNAL = members(200, other_area_lead=404, **NOT_PARTNER)
OFFICER_POST = members(
    302, approver=403, board_member=403, hub_admin=403, other_area_lead=404, **NOT_PARTNER
)
# On the next period's draft: the board and the partner do not see a draft.
DRAFT_POST = members(
    302, approver=403, hub_admin=403, board_member=404, other_area_lead=404, **NOT_PARTNER
)
RATE = members(
    302,
    approver=403,
    board_member=403,
    hub_admin=403,
    partner_contact=403,
    other_area_lead=404,
    other_partner=404,
)
VALUES = members(403, partner_contact=302, other_area_lead=404, other_partner=404)

ACCESS_MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "contracts:agreement_kpis": ("get", SEES_PARTNERSHIP),
    "contracts:kpi_add": ("post", DRAFT_POST),
    "contracts:kpi_remove": ("post", DRAFT_POST),
    "contracts:report_kpis": ("get", SEES_PARTNERSHIP),
    "contracts:kpi_returns": ("post", VALUES),
    "contracts:kpi_rate": ("post", RATE),
    "contracts:commission_risks": ("get", INTERNAL),
    "contracts:risk_raise": ("post", OFFICER_POST),
    "contracts:risk_register": ("get", members(200, **NOT_PARTNER)),
    "contracts:risk": ("get", INTERNAL),
    "contracts:risk_review": ("post", OFFICER_POST),
}


def soon(days: int = 30) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


RISK_FORM = {
    "title": "Tutors leaving",
    "likelihood": "4",
    "impact": "4",
    "owner": "Head of ensembles",
    "mitigation": "Recruit two tutors.",
}


def _submitted(c, contact, kpis) -> tuple[Report, Report]:
    due, submitted = Report.objects.filter(commission=c).order_by("due_on")[:2]
    svc.kpi_returns_save(
        report=submitted, user=contact, values={k.pk: (Decimal(80), "") for k in kpis}
    )
    monitoring.report_save(
        report=submitted,
        user=contact,
        answers={"activities": "a", "outcomes": "b", "participants": 30},
    )
    monitoring.report_submit(report=submitted, user=contact)
    return due, submitted


@pytest.fixture
def world(build, with_kpis, django_user_model):
    herts = build("herts")
    blmk, c, kpis = with_kpis("blmk")
    lead, contact = officer_of(blmk, c), contact_of(blmk, c)
    due, submitted = _submitted(c, contact, kpis)
    renewal = ag.agreement_renew(agreement=c.agreements.get(period_number=1), user=lead)
    risk = risk_raised(c, lead)
    slug, ref = blmk.hub.slug, c.reference
    args = {
        "contracts:agreement_kpis": [slug, ref, 1],
        "contracts:kpi_add": [slug, ref, renewal.period_number],
        "contracts:kpi_remove": [slug, ref, renewal.period_number, kpis[0].pk],
        "contracts:report_kpis": [slug, due.pk],
        "contracts:kpi_returns": [slug, due.pk],
        "contracts:kpi_rate": [slug, submitted.pk],
        "contracts:commission_risks": [slug, ref],
        "contracts:risk_raise": [slug, ref],
        "contracts:risk_register": [slug],
        "contracts:risk": [slug, risk.pk],
        "contracts:risk_review": [slug, risk.pk],
    }
    bodies = {
        "contracts:kpi_add": {
            "measure": "sessions",
            "description": "Sessions delivered",
            "target": "30",
            "frequency": "quarterly",
        },
        "contracts:kpi_returns": {f"value_{k.pk}": "75" for k in kpis},
        "contracts:kpi_rate": {f"rating_{k.pk}": "good" for k in kpis},
        "contracts:risk_raise": RISK_FORM | {"review_on": soon()},
        "contracts:risk_review": {
            "note": "Reviewed.",
            "likelihood": "2",
            "impact": "3",
            "review_on": soon(40),
        },
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


# ── refusals beside their fields, nothing lost ──────────────────────────────


def test_a_risk_refused_keeps_what_was_typed_with_the_reason_beside_its_field(live):
    cast, c = live("blmk")
    client = _client(officer_of(cast, c))
    url = reverse("contracts:risk_raise", args=[c.hub.slug, c.reference])
    response = client.post(url, RISK_FORM | {"owner": "", "review_on": soon()})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Say who manages this risk." in page
    assert 'href="#risk_owner"' in page  # the error summary links to the field
    assert 'value="Tutors leaving"' in page and "Recruit two tutors." in page
    assert not Risk.objects.exists()
    response = client.post(url, RISK_FORM | {"review_on": soon()})
    risk = Risk.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/risks/{risk.pk}/")


def test_a_kpi_refused_keeps_what_was_typed(drafted):
    cast, c, _ = drafted("kent")
    client = _client(cast.officer)
    url = reverse("contracts:kpi_add", args=[c.hub.slug, c.reference, 1])
    typed = {
        "measure": "learning_outcomes",
        "description": "Grades",
        "target": "",
        "frequency": "termly",
    }
    response = client.post(url, typed)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the target, a number of 0 or more." in page and 'value="Grades"' in page
    assert client.post(url, typed | {"target": "75"}).status_code == 302
    page = client.get(reverse("contracts:agreement_kpis", args=[c.hub.slug, c.reference, 1]))
    assert "Learning outcomes achieved" in page.content.decode()


def test_the_partner_gives_values_and_the_officer_rates_on_the_report_page(with_kpis):
    cast, c, kpis = with_kpis("kent")
    contact, officer = contact_of(cast, c), officer_of(cast, c)
    report = Report.objects.filter(commission=c).order_by("due_on").first()
    url = reverse("contracts:report_kpis", args=[c.hub.slug, report.pk])
    partner = _client(contact)
    page = partner.get(url).content.decode()
    assert "Save the KPI values" in page and "Record the ratings" not in page
    values = reverse("contracts:kpi_returns", args=[c.hub.slug, report.pk])
    bad = partner.post(values, {f"value_{kpis[0].pk}": "-3", f"value_{kpis[1].pk}": "70"})
    assert bad.status_code == 400
    assert "Give a number of 0 or more." in bad.content.decode()
    assert 'value="70"' in bad.content.decode()
    good = {f"value_{kpis[0].pk}": "93", f"value_{kpis[1].pk}": "70"}
    assert partner.post(values, good).status_code == 302
    monitoring.report_save(
        report=report, user=contact, answers={"activities": "a", "outcomes": "b", "participants": 9}
    )
    monitoring.report_submit(report=report, user=contact)
    hub = _client(officer)
    page = hub.get(url).content.decode()
    assert "Record the ratings" in page and "Save the KPI values" not in page
    rate = reverse("contracts:kpi_rate", args=[c.hub.slug, report.pk])
    assert hub.post(rate, {f"rating_{kpis[0].pk}": "good"}).status_code == 400
    ratings = {f"rating_{kpis[0].pk}": "good", f"rating_{kpis[1].pk}": "inadequate"}
    assert hub.post(rate, ratings).status_code == 302
    page = partner.get(url).content.decode()
    assert "Inadequate" in page  # the partner sees how it was rated
    assert partner.post(rate, ratings).status_code == 403  # but may not rate


# ── queries ─────────────────────────────────────────────────────────────────


def _count(client, url, limit: int) -> int:
    client.get(url)  # warm: the person's standing and unread count are then cached
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) <= limit, [q["sql"] for q in queries.captured_queries]
    return len(queries)


@pytest.mark.parametrize(
    ("page", "limit"),
    [
        ("risk_register", 10),
        ("commission_risks", 12),
        ("risk", 12),
        ("report_kpis", 14),
        ("agreement_kpis", 12),
        ("partnership", 30),
        ("report", 21),
        ("dashboard", 30),
    ],
)
def test_pages_take_the_same_queries_as_rows_grow(with_kpis, page, limit):
    cast, c, kpis = with_kpis("kent")
    officer, contact = officer_of(cast, c), contact_of(cast, c)
    slug, ref = c.hub.slug, c.reference
    reports = list(Report.objects.filter(commission=c).order_by("due_on"))
    risk = risk_raised(c, officer, title="First", likelihood=5)
    urls = {
        "risk_register": reverse("contracts:risk_register", args=[slug]),
        "commission_risks": reverse("contracts:commission_risks", args=[slug, ref]),
        "risk": reverse("contracts:risk", args=[slug, risk.pk]),
        "report_kpis": reverse("contracts:report_kpis", args=[slug, reports[0].pk]),
        "agreement_kpis": reverse("contracts:agreement_kpis", args=[slug, ref, 1]),
        "partnership": reverse("monitoring:partnership", args=[slug, ref]),
        "report": reverse("monitoring:report", args=[slug, reports[0].pk]),
        "dashboard": reverse("oversight:dashboard", args=[slug]),
    }
    done = []

    def grow(n):
        for report in reports[len(done) : len(done) + n]:
            svc.kpi_returns_save(
                report=report, user=contact, values={k.pk: (Decimal(50), "") for k in kpis}
            )
            Report.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)
            report.refresh_from_db()
            svc.kpi_ratings_save(
                report=report, user=officer, ratings={k.pk: ("good", "") for k in kpis}
            )
            done.append(report)
        for i in range(n):
            other = risk_raised(c, officer, title=f"Risk {i}")
            svc.risk_review(
                risk=other,
                user=officer,
                note="n",
                likelihood=4,
                impact=4,
                review_on=timezone.localdate() + timedelta(days=20),
            )
            svc.risk_review(
                risk=risk,
                user=officer,
                note=f"n{i}",
                likelihood=5,
                impact=4,
                review_on=timezone.localdate() + timedelta(days=20),
            )

    client = _client(officer)
    grow(1)
    few = _count(client, urls[page], limit)
    grow(2)
    many = _count(client, urls[page], limit)
    assert few == many, f"{page}: {few} queries with few rows, {many} with more"
