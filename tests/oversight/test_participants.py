"""Participant-data summaries and SMART target progress, from partners'
accepted monitoring reports, small numbers suppressed."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from commissioning.models import Commission, SmartTarget
from commissioning.workflow import Stage
from monitoring.models import Report, ReportKind, ReportStatus, TargetProgress
from tests.auth_helpers import sign_in

pytestmark = pytest.mark.django_db


def _report(commission, due_on, status=ReportStatus.ACCEPTED, **figures) -> Report:
    return Report.objects.create(
        hub=commission.hub,
        commission=commission,
        kind=ReportKind.TERMLY_SURVEY,
        title=f"Report due {due_on}",
        due_on=due_on,
        status=status,
        **figures,
    )


@pytest.fixture
def leics(build, pipeline):
    cast = build("leics")
    pipeline(cast).run()
    # The demo's own accepted reports (the completed partnership's final
    # evaluation) are set aside: each test accepts its own.
    Report.objects.filter(hub=cast.hub, status=ReportStatus.ACCEPTED).update(
        status=ReportStatus.SUBMITTED
    )
    return cast


def _rows(client, slug) -> dict[str, dict]:
    response = client.get(reverse("oversight:export", args=[slug, "participants"]))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return {row["Measure"]: row for row in csv.DictReader(io.StringIO(text))}


def test_each_partnership_counts_once_with_its_latest_report_and_small_numbers_hidden(
    client, leics
):
    live = Commission.objects.filter(
        hub=leics.hub,
        status__in=[Stage.MONITORING, Stage.COMPLETED],
        need__analysis__cycle="2025/26",  # the demo's story spans two years
    )
    first, second = live.order_by("pk")[:2]
    _report(first, date(2025, 12, 1), participants=100, send=10, schools=6)
    _report(first, date(2026, 4, 1), participants=120, send=12, schools=7)  # the latest
    _report(second, date(2026, 4, 1), participants=30, send=3, schools=0)
    _report(second, date(2026, 7, 1), status=ReportStatus.SUBMITTED, participants=999)
    sign_in(client, leics.officer)
    rows = _rows(client, "leics")
    assert rows["Participants"]["Total"] == "150"  # 120 + 30, not 100 + 120 + 30 or 999
    assert rows["Participants"]["Academic year"] == "2025/26"
    assert rows["Participants"]["Partnerships reporting"] == "2"
    # 12 + 3: beside the export of reports, which shows 12 and "fewer than 5",
    # a total of 15 would give the 3 away, so it is held back.
    assert rows["With special educational needs (SEND)"]["Total"] == "held back"
    assert rows["Schools reached"]["Total"] == "7"
    assert rows["Pupil premium or free school meals"]["Total"] == ""  # nobody gave it
    _report(first, date(2026, 6, 1), participants=2, send=1)
    _report(second, date(2026, 6, 1), participants=1, send=0)
    rows = _rows(client, "leics")
    assert rows["Participants"]["Total"] == "fewer than 5"  # 2 + 1
    assert rows["With special educational needs (SEND)"]["Total"] == "fewer than 5"


def test_the_board_may_not_export_participant_data(client, leics):
    sign_in(client, leics.board[0])
    url = reverse("oversight:export", args=["leics", "participants"])
    assert client.get(url).status_code == 404


def test_smart_target_progress_comes_from_the_latest_accepted_report(client, leics):
    commission = (
        Commission.objects.filter(
            hub=leics.hub, status=Stage.MONITORING, need__analysis__cycle="2025/26"
        )
        .order_by("pk")
        .first()
    )
    target = SmartTarget.objects.get(need=commission.need)  # baseline 40, target 120
    older = _report(commission, date(2025, 12, 1))
    newer = _report(commission, date(2026, 4, 1))
    pending = _report(commission, date(2026, 6, 1), status=ReportStatus.SUBMITTED)
    TargetProgress.objects.create(report=older, target=target, value=Decimal(60))
    TargetProgress.objects.create(report=newer, target=target, value=Decimal(80))
    TargetProgress.objects.create(report=pending, target=target, value=Decimal(119))
    sign_in(client, leics.board[0])
    page = client.get(reverse("oversight:dashboard", args=["leics"]) + "?year=2025/26")
    assert "80 reported: 50% of the way from the baseline" in page.content.decode()
