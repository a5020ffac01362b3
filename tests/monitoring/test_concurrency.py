"""Two officers deciding one report at once: the row lock lets one decision
through and refuses the other in words; the instalment falls due once.
PostgreSQL only (row locks and concurrent connections)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connections

from agreements.models import Agreement, Instalment, InstalmentStatus
from hubs.models import Role
from hubs.services import membership_grant
from monitoring import services as svc
from monitoring.models import Report, ReportStatus
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
        except svc.TransitionRefused as refused:
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
