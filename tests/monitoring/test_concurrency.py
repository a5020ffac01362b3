"""Two officers deciding one report at once: the row lock lets one decision
through and refuses the other in words; the instalment falls due once. One
complaint form sent twice at once logs one complaint. PostgreSQL only (row
locks, unique indexes and concurrent connections)."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connections

from agreements.models import Agreement, Instalment, InstalmentStatus
from hubs.models import Role
from hubs.refusals import Refused
from hubs.services import membership_grant
from monitoring import services as svc
from monitoring.models import Complaint, Report, ReportStatus
from tests.monitoring.conftest import contact_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_officers_accept_one_report_at_once(live, django_user_model):
    cast, c = live("herts")
    second = django_user_model.objects.create_user(
        username="second-officer@herts.demo", email="second-officer@herts.demo"
    )
    membership_grant(hub=cast.hub, user=second, role=Role.HLO_STAFF)
    report = Report.objects.filter(commission=c).order_by("due_on").first()
    contact = contact_of(cast, c)
    svc.report_save(
        report=report, user=contact, answers={"activities": "a", "outcomes": "b", "participants": 9}
    )
    svc.report_submit(report=report, user=contact)
    agreement = Agreement.objects.get(commission=c, period_number=1)
    instalment = Instalment.objects.create(
        agreement=agreement, position=9, percent=Decimal(10), milestone="report_accepted"
    )

    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def accept(user) -> None:
        try:
            mine = Report.objects.get(pk=report.pk)
            barrier.wait(timeout=10)
            svc.report_accept(report=mine, user=user, instalment=instalment)
            result = "accepted"
        except Refused as refused:
            result = refused.rule
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=accept, args=(u,)) for u in (cast.officer, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["accepted", "not_submitted"]
    report.refresh_from_db()
    instalment.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert instalment.status == InstalmentStatus.DUE


def test_one_complaint_form_sent_twice_at_once_logs_one_complaint(live):
    cast, c = live("kent")
    barrier = threading.Barrier(2)
    logged: list[int] = []
    lock = threading.Lock()

    def send() -> None:
        try:
            barrier.wait(timeout=10)
            complaint = svc.complaint_log(
                commission=c,
                user=cast.officer,
                kind="complaint",
                raised_by="A parent",
                received_on=date(2026, 3, 2),
                summary="Sessions cancelled.",
                idempotency_key="same-form-token",
            )
        finally:
            connections.close_all()
        with lock:
            logged.append(complaint.pk)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(logged) == 2 and len(set(logged)) == 1
    assert Complaint.objects.filter(commission=c).count() == 1
