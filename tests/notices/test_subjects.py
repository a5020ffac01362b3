"""A subject is one line, at most as long as the subject columns hold,
whoever typed it (issue 13: a line break in a report title stopped every
hub's email; a 200-character title answered 500 on PostgreSQL)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from monitoring import services as monitoring
from monitoring.models import Report
from notices.models import Notification, OutboxMessage, OutboxStatus
from notices.services import notify, outbox_deliver, subject_line
from tests.auth_helpers import sign_in
from tests.factories import HubFactory, UserFactory
from tests.notices.helpers import POISON, ask_for_report, signed

pytestmark = pytest.mark.django_db

LONGEST = OutboxMessage._meta.get_field("subject").max_length


def test_a_subject_is_one_line():
    assert subject_line(POISON) == "Quarterly KPI Bcc: x@example.org"
    assert subject_line("  Report\n\n\tdue \x0b now\u2028 ") == "Report due now"
    assert subject_line("Bell\x07 rings") == "Bell rings"


def test_a_long_subject_is_cut_with_an_ellipsis():
    assert subject_line("x" * LONGEST) == "x" * LONGEST
    cut = subject_line("word " * 100)
    assert len(cut) == LONGEST and cut.endswith("word…")


def test_the_feed_and_the_email_get_the_cleaned_subject(mailoutbox):
    person = UserFactory()
    notify(hub=HubFactory(), recipients=[person], kind="t", subject=POISON + " " + "y" * 400)
    assert outbox_deliver() == 1
    line = Notification.objects.get(user=person).subject
    assert line.startswith("Quarterly KPI Bcc: x@example.org y") and len(line) == LONGEST
    assert mailoutbox[0].subject == line
    assert mailoutbox[0].bcc == [] and "Bcc" not in mailoutbox[0].message()


def test_a_line_break_in_a_report_title_adds_no_header(
    build, pipeline, django_capture_on_commit_callbacks
):
    cast, commission = signed(build, pipeline)
    client = Client()
    sign_in(client, cast.officer)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = ask_for_report(client, commission, POISON)

    assert response.status_code == 302
    asked = [m for m in mail.outbox if "asks for a report" in m.subject]
    assert asked, "the partner was told"
    for message in asked:
        assert message.subject.endswith("asks for a report: Quarterly KPI Bcc: x@example.org")
        assert message.bcc == [] and "x@example.org" not in message.recipients()
        assert message.message()["Bcc"] is None
    assert not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite does not enforce lengths")
def test_a_200_character_report_title_still_lets_everyone_be_told(
    build, pipeline, django_capture_on_commit_callbacks
):
    cast, commission = signed(build, pipeline)
    # A partner with a long name, so "<partner> submitted <title> (<ref>)" is long.
    commission.partner.name = "The " + "Very Long Name " * 5 + "Music Trust"
    commission.partner.save(update_fields=["name"])
    title = ("Annual impact and inclusion evaluation " * 6)[:200]
    client = Client()
    sign_in(client, cast.officer)
    with django_capture_on_commit_callbacks(execute=True):
        assert ask_for_report(client, commission, title).status_code == 302
    report = Report.objects.get(commission=commission, title=title)
    contact = cast.contacts[commission.partner_id]

    with django_capture_on_commit_callbacks(execute=True):
        monitoring.report_save(
            report=report,
            user=contact,
            answers={"activities": "a", "outcomes": "b", "participants": 30, "send": 1},
        )
        monitoring.report_submit(report=report, user=contact)

    report.refresh_from_db()
    assert report.submitted_by == contact
    told = Notification.objects.filter(kind="report_submitted")
    assert told.exists()
    assert all(len(n.subject) == LONGEST and n.subject.endswith("…") for n in told)
