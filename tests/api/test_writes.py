"""The API's two writes go through the pages' services and gates: a partner
submits its report (monitoring.services.report_submit), HLO staff record an
instalment paid (agreements.services.instalment_mark_paid). A refusal comes
back in its own words with its rule; a replay changes nothing."""

from __future__ import annotations

import pytest

from agreements import services as ag
from agreements.models import InstalmentStatus
from monitoring.models import Report, ReportStatus
from notices.models import Notification
from tests.api.conftest import url

pytestmark = pytest.mark.django_db

ANSWERS = {
    "activities": "Weekly inclusive ensemble sessions in four schools.",
    "outcomes": "Forty pupils played in the spring concert.",
    "participants": 40,
    "age_5_10": 25,
    "age_11_15": 15,
}


def _due_report(side) -> Report:
    return side.commission.reports.filter(status=ReportStatus.DUE).order_by("due_on", "pk").first()


def _submit(api, report, body=None):
    return api.post_json(url("report_submit", "herts", report.pk), body)


def test_a_partner_submits_its_report_and_a_replay_does_not_submit_twice(world):
    side = world.herts
    report = _due_report(side)
    api = world.client(side, side.partner)

    first = _submit(api, report, ANSWERS)
    report.refresh_from_db()
    told = Notification.objects.filter(kind="report_submitted").count()
    replay = _submit(api, report, ANSWERS)

    assert first.status_code == 200, first.json()
    assert first.json()["status"] == "submitted"
    assert first.json()["participants"]["participants"] == "40"
    assert (report.status, report.submitted_by) == (ReportStatus.SUBMITTED, side.partner)
    assert told >= 1
    assert replay.status_code == 409
    assert replay.json()["rule"] == "not_editable"
    assert "can no longer be changed" in replay.json()["detail"]
    after = Report.objects.get(pk=report.pk)
    assert after.submitted_at == report.submitted_at
    assert Notification.objects.filter(kind="report_submitted").count() == told


def test_a_refused_submission_says_why_and_keeps_what_was_sent(world):
    side = world.herts
    report = _due_report(side)
    api = world.client(side, side.partner)

    response = _submit(api, report, {"activities": "Sessions in two schools."})

    assert response.status_code == 400
    body = response.json()
    assert (body["rule"], body["field"]) == ("required", "outcomes")
    assert body["detail"] == "Describe the outcomes achieved."
    assert "Give the number of participants (0 if none)." in [p["detail"] for p in body["problems"]]
    report.refresh_from_db()
    assert report.status == ReportStatus.DUE
    assert report.activities == "Sessions in two schools."  # nothing lost


def test_small_numbers_and_sums_are_checked_as_on_the_form(world):
    side = world.herts
    report = _due_report(side)
    api = world.client(side, side.partner)

    sums = _submit(api, report, ANSWERS | {"participants": 10})
    negative = _submit(api, report, {"participants": -1})

    assert sums.status_code == 400 and sums.json()["rule"] == "ages_exceed"
    assert "more than the 10 participants" in sums.json()["detail"]
    assert negative.status_code == 400 and negative.json()["field"] == "participants"


def test_a_submission_from_an_old_copy_is_refused(world):
    side = world.herts
    report = _due_report(side)
    api = world.client(side, side.partner)
    old = report.draft_version
    assert _submit(api, report, {"activities": "First", "version": old}).status_code == 400

    stale = _submit(api, report, ANSWERS | {"version": old})

    assert stale.status_code == 409 and stale.json()["rule"] == "draft_changed"
    report.refresh_from_db()
    assert report.activities == "First" and report.status == ReportStatus.DUE


def test_only_the_partners_contacts_submit_its_report(world):
    side = world.herts
    report = _due_report(side)

    for api in (
        world.client(side, side.officer),
        world.client(side, side.other_partner),
        world.client(world.kent, world.kent.officer),
    ):
        assert _submit(api, report, ANSWERS).status_code == 404
    report.refresh_from_db()
    assert report.status == ReportStatus.DUE


# ── payments ─────────────────────────────────────────────────────────────────


def _due_instalment(side):
    agreement = side.commission.agreements.get(period_number=1)
    return agreement.instalments.get(status=InstalmentStatus.DUE)


def _paid(api, instalment, slug="herts", **body):
    return api.post_json(url("payment_paid", slug, instalment.pk), body)


def test_finance_marks_an_approved_instalment_paid_once(world):
    side = world.herts
    instalment = _due_instalment(side)
    officer = world.client(side, side.officer)

    too_soon = _paid(officer, instalment)
    ag.instalment_approve(instalment=instalment, user=side.cast.approver)
    paid = _paid(officer, instalment, reference="BACS 1234")
    instalment.refresh_from_db()
    replay = _paid(officer, instalment, reference="BACS 1234")

    assert too_soon.status_code == 409
    assert too_soon.json() | {"problems": None} == {
        "detail": "An instalment is paid once it has been approved for payment.",
        "rule": "wrong_instalment_status",
        "field": None,
        "problems": None,
    }
    assert paid.status_code == 200, paid.json()
    assert paid.json()["status"] == "paid" and paid.json()["payment_reference"] == "BACS 1234"
    assert (instalment.status, instalment.paid_by) == (InstalmentStatus.PAID, side.officer)
    assert replay.status_code == 409
    assert replay.json()["rule"] == "wrong_instalment_status"
    assert type(instalment).objects.get(pk=instalment.pk).paid_at == instalment.paid_at


def test_who_may_record_a_payment_is_the_pages_rule(world, client):
    side = world.herts
    instalment = _due_instalment(side)
    ag.instalment_approve(instalment=instalment, user=side.cast.approver)

    approver = _paid(world.client(side, side.cast.approver), instalment)
    partner = _paid(world.client(side, side.partner), instalment)
    outsider = _paid(world.client(world.kent, world.kent.officer), instalment, slug="kent")
    outsider_here = _paid(world.client(world.kent, world.kent.officer), instalment)

    assert approver.status_code == 403
    assert approver.json()["rule"] == "payments_officer_only"
    assert approver.json()["detail"] == "Only HLO staff record payments."
    assert partner.status_code == 404  # the page offers partners no payment actions
    assert outsider.status_code == outsider_here.status_code == 404
    instalment.refresh_from_db()
    assert instalment.status == InstalmentStatus.APPROVED
    # The page answers the approver the same way.
    from tests.auth_helpers import sign_in

    sign_in(client, side.cast.approver)
    agreement = instalment.agreement
    page = client.post(
        f"/h/herts/commissions/{side.commission.reference}/agreement/"
        f"{agreement.period_number}/payments/{instalment.pk}/",
        {"action": "paid"},
    )
    assert page.status_code == 403
