"""No list costs a query per row: each list answers in the same number of
queries for 3 rows as for 30 (a page of 25), as the officer and as the
partner contact."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commissioning.models import Call, Commission
from commissioning.workflow import Stage
from monitoring.models import Report, ReportKind
from tests.api.conftest import url
from tests.factories import AgreementFactory, InstalmentFactory, PartnerFactory

pytestmark = pytest.mark.django_db

LISTS = ["commissions", "partners", "calls", "agreements", "payments", "reports", "register"]


def grow(side, n: int, start: int) -> None:
    """`n` more live partnerships like the side's own (each with its signed
    agreement, an instalment, a report and a call), and `n` more partners."""
    live = side.commission
    now = timezone.now()
    for i in range(start, start + n):
        c = Commission.objects.create(
            hub=live.hub,
            policy=live.policy,
            reference=f"GROW-{i:04d}",
            title=f"Partnership {i}",
            need=live.need,
            service_area=live.service_area,
            service_category=live.service_category,
            partner=live.partner,
            hub_grant_amount=1000,
            status=Stage.MONITORING,
            created_by=side.officer,
        )
        agreement = AgreementFactory(commission=c, status="signed", created_by=side.officer)
        InstalmentFactory(agreement=agreement, position=1)
        Report.objects.create(
            hub=live.hub,
            commission=c,
            kind=ReportKind.PROGRESS,
            title=f"Report {i}",
            due_on=date.today() + timedelta(days=i),
        )
        Call.objects.create(
            hub=live.hub,
            commission=c,
            title=f"Call {i}",
            summary="Ensembles.",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=i + 1),
            created_by=side.officer,
        )
        PartnerFactory(hub=live.hub, name=f"Grown partner {i}")


def _count(api, path: str) -> tuple[int, int]:
    api.get(path)  # the token's first use is recorded once; count what follows
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path)
    assert response.status_code == 200, response.content
    return len(queries), len(response.json()["results"])


@pytest.mark.parametrize("who", ["officer", "partner"])
def test_each_list_costs_the_same_for_3_rows_as_for_30(world, who):
    side = world.herts
    api = world.client(side, getattr(side, who))
    grow(side, 3, 0)
    few = {name: _count(api, url(name, "herts")) for name in LISTS}
    grow(side, 27, 3)
    many = {name: _count(api, url(name, "herts")) for name in LISTS}

    for name in LISTS:
        (q_few, rows_few), (q_many, rows_many) = few[name], many[name]
        assert rows_many > rows_few or (who == "partner" and name in ("partners", "calls")), name
        assert q_few == q_many, (name, few[name], many[name])
        assert q_many <= 12, (name, q_many)
    print(who, {name: q for name, (q, _) in many.items()})
