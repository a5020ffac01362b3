"""The demo: every hub's live commissions have schedules, a submitted and an
accepted report; loading twice changes nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from commissioning.models import Commission
from commissioning.workflow import Stage
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
        assert {ReportStatus.SUBMITTED, ReportStatus.ACCEPTED} <= statuses, commission
    before = list(Report.objects.order_by("pk").values_list("pk", "status", "updated_at"))
    call_command("load_demo", "--quiet")
    assert list(Report.objects.order_by("pk").values_list("pk", "status", "updated_at")) == before
