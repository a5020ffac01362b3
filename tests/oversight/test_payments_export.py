"""The payments export values each agreement's instalments as its schedule
page does: the last percentage instalment of a stream takes the pennies, so
the rows add up to the Hub grant exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest

from agreements import payments
from agreements.models import Agreement
from oversight.exports import payment_rows
from tests.factories import AgreementFactory, CommissionFactory, InstalmentFactory

pytestmark = pytest.mark.django_db


def _rows(hub) -> list[dict]:
    header, *rows = list(payment_rows(hub))
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_two_halves_of_an_odd_penny_grant_add_up_to_the_grant(build):
    cast = build("herts")
    c = CommissionFactory(
        need__analysis__hub=cast.hub,
        hub_grant_amount=Decimal("8000.01"),
        partner=next(iter(cast.partners.values())),
    )
    agreement = AgreementFactory(commission=c)
    for position in (1, 2):
        InstalmentFactory(agreement=agreement, position=position, percent=Decimal(50))
    # A second agreement right after it is valued on its own.
    other = CommissionFactory(
        need__analysis__hub=cast.hub,
        hub_grant_amount=Decimal("100.00"),
        partner=next(iter(cast.partners.values())),
    )
    InstalmentFactory(agreement=AgreementFactory(commission=other), percent=Decimal(100))

    rows = [r for r in _rows(cast.hub) if r["Commission"] == c.reference]
    assert [r["Amount (£)"] for r in rows] == [Decimal("4000.00"), Decimal("4000.01")]
    assert sum(r["Amount (£)"] for r in rows) == c.hub_grant_amount
    # The very figures the agreement's schedule shows.
    schedule = Agreement.objects.get(pk=agreement.pk).instalments.order_by("position")
    assert [r["Amount (£)"] for r in rows] == payments.values(list(schedule), c.hub_grant_amount)
    assert [r["Amount (£)"] for r in _rows(cast.hub) if r["Commission"] == other.reference] == [
        Decimal("100.00")
    ]
