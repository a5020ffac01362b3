"""What contract management tells people: the partner hears each period's
KPI ratings; a risk due for review is reminded once per review date."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from contracts import services as svc
from contracts.models import Rating
from notices.models import Notification
from notices.reminders import reminders_sweep
from tests.contracts.test_kpis import quarter
from tests.factories import risk_raised
from tests.monitoring.conftest import contact_of, officer_of

pytestmark = pytest.mark.django_db
RISKS = ["risk_review_due"]


def test_the_partner_is_told_how_the_officer_rated_its_kpis_for_the_period(with_kpis):
    cast, c, (satisfaction, learning) = with_kpis("kent")
    officer, contact = officer_of(cast, c), contact_of(cast, c)
    report = quarter(
        c,
        contact,
        officer,
        {satisfaction.pk: (Decimal(92), ""), learning.pk: (Decimal(40), "")},
        {
            satisfaction.pk: (Rating.GOOD, ""),
            learning.pk: (Rating.REQUIRES_IMPROVEMENT, "Fewer grade exams than planned"),
        },
    )
    told = Notification.objects.filter(kind="kpi_rated")
    assert {n.user_id for n in told} == {contact.pk}  # the partner, not the officer
    notice = told.get()
    assert report.title in notice.subject
    assert "Participant satisfaction (Players rating sessions good or better): Good" in notice.body
    assert "Requires improvement. Fewer grade exams than planned" in notice.body
    # Rated again, told again (the rating changed).
    svc.kpi_ratings_save(
        report=report, user=officer, ratings={learning.pk: (Rating.APPROACHING, "")}
    )
    assert Notification.objects.filter(kind="kpi_rated").count() == 2


def test_a_risk_due_for_review_is_reminded_once_to_whoever_runs_the_commission(with_kpis):
    cast, c, _ = with_kpis("kent")
    officer = officer_of(cast, c)
    risk = risk_raised(c, officer, title="Venue closes for repairs")
    closed = risk_raised(c, officer, title="Tutor leaves")
    svc.risk_review(risk=closed, user=officer, note="Replaced.", likelihood=1, impact=1, close=True)
    day = risk.review_on
    assert reminders_sweep(today=day - timedelta(days=1), kinds=RISKS) == 0  # not yet
    assert reminders_sweep(today=day, kinds=RISKS) == 1
    assert reminders_sweep(today=day + timedelta(days=1), kinds=RISKS) == 0  # once
    told = Notification.objects.filter(kind="risk_review_due")
    assert officer.pk in {n.user_id for n in told}
    assert contact_of(cast, c).pk not in {n.user_id for n in told}
    assert all("Venue closes for repairs" in n.subject for n in told)
    assert "owner: Head of ensembles" in told.first().body
