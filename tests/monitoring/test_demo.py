"""The demo: every hub's live commissions have schedules and an accepted
report; across each hub's reports are all the states an officer meets (due,
overdue, a partner's saved draft, submitted, returned, accepted, and closed
when a partnership ended); loading twice changes nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from commissioning.models import Commission
from commissioning.workflow import Stage
from hubs.models import Hub
from monitoring.models import Report, ReportStatus

pytestmark = pytest.mark.django_db


def test_every_demo_hub_has_reports_in_each_state():
    call_command("load_demo", "--quiet")
    live = Commission.objects.filter(status=Stage.MONITORING)
    assert live.values("hub").distinct().count() == 5
    for commission in live:
        statuses = set(
            Report.objects.filter(commission=commission).values_list("status", flat=True)
        )
        assert ReportStatus.ACCEPTED in statuses, commission
    today = timezone.localdate()
    for hub in Hub.objects.all():
        reports = Report.objects.filter(commission__hub=hub)
        statuses = set(reports.values_list("status", flat=True))
        assert set(ReportStatus.values) <= statuses, hub
        due = reports.filter(status=ReportStatus.DUE)
        assert due.exclude(activities="").exists(), f"{hub}: no draft saved by a partner"
        assert due.filter(due_on__lt=today).exists(), f"{hub}: nothing overdue"
        assert due.filter(due_on__gte=today).exists(), f"{hub}: nothing still to come"
    before = list(Report.objects.order_by("pk").values_list("pk", "status", "updated_at"))
    call_command("load_demo", "--quiet")
    assert list(Report.objects.order_by("pk").values_list("pk", "status", "updated_at")) == before
