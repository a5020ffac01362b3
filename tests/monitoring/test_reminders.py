"""Monitoring's reminder sources: each reminder sent once, to the right
people, from a constant number of queries however many rows are due."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Agreement
from monitoring import reminders as sources
from monitoring import services as svc
from monitoring.models import Report
from notices.delivery import outbox_deliver
from notices.models import Notification
from notices.reminders import registered, reminders_sweep
from tests.monitoring.conftest import contact_of

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
KINDS = ["report_due", "report_overdue", "agreement_expiring"]


def test_sources_are_registered():
    assert set(KINDS) <= set(registered())


def test_report_due_then_overdue_each_sent_once(live):
    cast, c = live("herts")
    report = Report.objects.filter(commission=c).order_by("due_on").first()
    contact = contact_of(cast, c)
    before = report.due_on - timedelta(days=3)
    assert reminders_sweep(today=before, kinds=["report_due"]) == 1
    assert reminders_sweep(today=before, kinds=["report_due"]) == 0, "never twice"
    told = Notification.objects.filter(kind="report_due")
    assert [n.user for n in told] == [contact]

    late = report.due_on + timedelta(days=2)
    assert reminders_sweep(today=late, kinds=["report_overdue"]) == 1
    assert reminders_sweep(today=late + timedelta(days=1), kinds=["report_overdue"]) == 0
    users = set(Notification.objects.filter(kind="report_overdue").values_list("user", flat=True))
    assert {contact.pk, cast.officer.pk} <= users
    a_week_on = report.due_on + timedelta(days=8)
    assert reminders_sweep(today=a_week_on, kinds=["report_overdue"]) == 1, "again each week"

    svc.report_save(
        report=report,
        user=contact,
        answers={"activities": "a", "outcomes": "b", "participants": 8},
    )
    svc.report_submit(report=report, user=contact)
    assert reminders_sweep(today=report.due_on + timedelta(days=15), kinds=["report_overdue"]) == 0


def test_agreement_expiring_until_the_annual_review_is_decided(live):
    cast, c = live("leics")
    agreement = Agreement.objects.get(commission=c, period_number=1)
    today = agreement.ends_on - timedelta(days=30)
    due = sources.agreement_expiring(today)
    assert [d.recipients for d in due] == [[cast.officer]]
    svc.annual_review_decide(commission=c, user=cast.chair, decision="lapse", reason="Done.")
    assert sources.agreement_expiring(today) == []


@pytest.mark.parametrize("kind", KINDS)
def test_each_source_takes_the_same_queries_however_many_are_due(live, kind):
    source = registered()[kind]
    _, first = live("blmk", title="First")
    agreement = Agreement.objects.get(commission=first, period_number=1)
    report = Report.objects.filter(commission=first).order_by("due_on").first()
    today = {
        "report_due": report.due_on - timedelta(days=1),
        "report_overdue": report.due_on + timedelta(days=1),
        "agreement_expiring": agreement.ends_on - timedelta(days=1),
    }[kind]

    def run() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            found = source(today)
        return len(found), len(queries)

    few, few_queries = run()
    for title in ("Second", "Third"):
        live("kent" if title == "Second" else "leics", title=title)
    for commission_id in Report.objects.values_list("commission", flat=True).distinct():
        earliest = Report.objects.filter(commission=commission_id).order_by("due_on").first()
        Report.objects.filter(pk=earliest.pk).update(due_on=report.due_on)
    Agreement.objects.update(ends_on=agreement.ends_on)
    many, many_queries = run()
    assert many > few >= 1
    assert many_queries == few_queries <= 3


def test_a_reminder_email_says_how_far_off_the_date_is_when_it_is_sent(live, mailoutbox):
    _, c = live("herts")
    report = Report.objects.filter(commission=c).order_by("due_on").first()
    assert reminders_sweep(today=report.due_on - timedelta(days=3), kinds=["report_due"]) == 1
    # Queued days ago and sent the day before it is due: the email says so.
    day_before = datetime.combine(report.due_on - timedelta(days=1), time(12), tzinfo=LONDON)
    assert outbox_deliver(now=day_before) >= 1
    (email,) = [m for m in mailoutbox if report.title in m.subject and "is due on" in m.subject]
    assert f"is due on {report.due_on:%-d %B %Y} (due tomorrow)." in email.body
    assert "[[deadline" not in email.body
    # The activity feed keeps what was true when it was told, in words too.
    feed = Notification.objects.get(kind="report_due")
    assert f"is due on {report.due_on:%-d %B %Y} (due in " in feed.body
