"""Ends are ends: a partnership is completed only after its final evaluation
is accepted, and once it ends (completed, decommissioned, or terminated at
once for safeguarding) no report is due, no reminder goes out and nothing is
left under "Reports you owe"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.formats import date_format

from commissioning import services as commissioning
from commissioning.workflow import Stage
from hubs.refusals import Refused
from monitoring import services as svc
from monitoring.models import PARTNER_EDITS, Report, ReportKind, ReportStatus
from notices.models import Notification
from notices.reminders import reminders_sweep
from tests.auth_helpers import sign_in
from tests.monitoring.conftest import contact_of, officer_of

pytestmark = pytest.mark.django_db

WRITTEN = {"activities": "Sessions.", "outcomes": "Ensembles.", "participants": 40}
REMINDERS = ["report_due", "report_overdue"]


def _client(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def _submit(report: Report, contact) -> None:
    answers = WRITTEN | ({"recommendations": "Keep going."} if report.is_final else {})
    svc.report_save(report=report, user=contact, answers=answers)
    svc.report_submit(report=report, user=contact)


def _final(c) -> Report:
    return Report.objects.get(commission=c, kind=ReportKind.FINAL_EVALUATION)


def _waits_words(final: Report) -> str:
    due = date_format(final.due_on, "j F Y")
    return (
        f"The final evaluation is due on {due}; the partnership is completed once it has "
        "been accepted."
    )


def test_completing_before_the_final_evaluation_is_accepted_waits_with_its_words(live):
    cast, c = live("herts")
    final = _final(c)
    with pytest.raises(Refused) as info:
        commissioning.commission_complete(commission=c, user=cast.officer)
    assert info.value.rule == "final_evaluation_required"
    assert info.value.refusal.waits and info.value.status == 400
    assert info.value.message == _waits_words(final)
    c.refresh_from_db()
    assert c.status == Stage.MONITORING

    # The commission page shows the move with its reason, not as a button.
    page = _client(cast.officer).get(
        reverse("commissioning:detail", args=[c.hub.slug, c.reference])
    )
    html = page.content.decode()
    assert "Complete after the final evaluation" in html
    assert 'data-waits="complete"' in html and _waits_words(final) in html
    assert 'name="action" value="complete"' not in html

    _submit(final, contact_of(cast, c))
    with pytest.raises(Refused) as info:
        commissioning.commission_complete(commission=c, user=cast.officer)
    assert "is submitted and waits to be accepted" in info.value.message

    svc.report_accept(report=final, user=cast.officer)
    commissioning.commission_complete(commission=c, user=cast.officer)
    c.refresh_from_db()
    assert c.status == Stage.COMPLETED


def _complete(cast, c) -> None:
    final = _final(c)
    _submit(final, contact_of(cast, c))
    svc.report_accept(report=final, user=officer_of(cast, c))
    commissioning.commission_complete(commission=c, user=officer_of(cast, c))


def _decommission(cast, c) -> None:
    officer = officer_of(cast, c)
    review = svc.review_open(commission=c, user=officer, trigger="standards", findings="Poor.")
    svc.review_recommend(review=review, user=officer, grounds="quality", reason="Visits.")
    svc.review_move(review=review, user=officer, action="submit_decommission_for_decision")
    svc.review_move(review=review, user=cast.approver, action="approve_decommission", reason="Ok")
    svc.review_move(review=review, user=officer, action="end_partnership")


def _terminate(cast, c) -> None:
    review = svc.review_open(
        commission=c, user=cast.officer, trigger="safeguarding", findings="A breach."
    )
    svc.review_terminate(review=review, user=cast.chair, reason="Breach on 3 March.")


ENDINGS = {
    "completed": ("herts", _complete, Stage.COMPLETED),
    "decommissioned": ("blmk", _decommission, Stage.DECOMMISSIONED),
    "terminated": ("leics", _terminate, Stage.DECOMMISSIONED),
}


@pytest.mark.parametrize("ending", sorted(ENDINGS))
def test_once_a_partnership_ends_nothing_more_is_owed(live, ending):
    slug, end, stage = ENDINGS[ending]
    cast, c = live(slug)
    contact = contact_of(cast, c)
    reports = list(Report.objects.filter(commission=c).order_by("due_on"))
    returned, submitted = reports[0], reports[1]
    _submit(returned, contact)
    svc.report_return(report=returned, user=officer_of(cast, c), comments="Add the schools.")
    _submit(submitted, contact)
    dashboard = reverse("commissioning:dashboard", args=[c.hub.slug])
    partner = _client(contact)
    assert returned.title in partner.get(dashboard).content.decode(), "owed before the end"

    end(cast, c)
    c.refresh_from_db()
    assert c.status == stage

    # No report is due: what was with the partner is closed; a submitted one
    # stays with the officer.
    assert not Report.objects.filter(commission=c, status__in=PARTNER_EDITS).exists()
    returned.refresh_from_db()
    assert returned.status == ReportStatus.CLOSED
    assert returned.get_status_display() == "Closed: the partnership ended"
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED
    with pytest.raises(Refused) as info:
        svc.report_save(report=returned, user=contact, answers={"schools": 3})
    assert info.value.rule == "not_editable" and "partnership has ended" in info.value.message

    # No reminder is sent by the sweep, before or after any due date.
    for report in reports:
        for day in (report.due_on - timedelta(days=3), report.due_on + timedelta(days=9)):
            assert reminders_sweep(today=day, kinds=REMINDERS) == 0
    assert not Notification.objects.filter(kind__in=REMINDERS).exists()

    # Nothing is left under "Reports you owe".
    html = partner.get(dashboard).content.decode()
    owed = html[html.index('id="reports-heading"') :]
    assert owed.startswith('id="reports-heading">Reports you owe</h2>')
    assert "None at the moment." in owed[:200]
    assert not any(r.title in owed[:400] for r in reports)


def test_after_the_end_a_submitted_report_can_be_accepted_but_not_returned(live):
    cast, c = live("blmk")
    officer = officer_of(cast, c)
    report = Report.objects.filter(commission=c).order_by("due_on").first()
    _submit(report, contact_of(cast, c))
    _decommission(cast, c)
    with pytest.raises(Refused) as info:
        svc.report_return(report=report, user=officer, comments="Add more.")
    assert info.value.rule == "partnership_ended"
    page = _client(officer).get(reverse("monitoring:report", args=[c.hub.slug, report.pk]))
    html = page.content.decode()
    assert 'value="accept"' in html and 'value="return"' not in html
    svc.report_accept(report=report, user=officer)
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED


def test_no_report_can_be_asked_for_once_the_partnership_has_ended(live):
    cast, c = live("herts")
    _complete(cast, c)
    with pytest.raises(Refused) as info:
        svc.report_request(
            commission=c,
            user=cast.officer,
            title="One more",
            due_on=c.stage_entered_at.date() + timedelta(days=7),
        )
    assert info.value.rule == "not_live"
    page = _client(cast.officer).get(
        reverse("monitoring:partnership", args=[c.hub.slug, c.reference])
    )
    assert "Ask for a report" not in page.content.decode()
