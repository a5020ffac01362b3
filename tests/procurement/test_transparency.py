"""The Transparency Code's lists: the quarterly contracts list's columns, a
contract whose value changes within the quarter (the value in force at its
end, the value at its start and each change in words), the £5,000 line, and
the annual list of grants to voluntary and community organisations."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from commissioning import services as cs
from commissioning.models import Commission
from demo import clock
from procurement import services, transparency
from procurement.models import CommissionKind
from tests.auth_helpers import sign_in

pytestmark = pytest.mark.django_db

AWARDED_DAYS_AGO = 200


def _awarded(cast, p, title, grant, kind=CommissionKind.CONTRACT, **more):
    """Awarded AWARDED_DAYS_AGO days ago (the demo's clock plays the day)."""
    with clock.running():
        clock.set_day(AWARDED_DAYS_AGO)
        c = p._open(title, amount=Decimal(grant))
        p.identify(c)
        c = Commission.objects.get(pk=c.pk)
        record = services.procurement_record(
            commission=c,
            user=cast.officer,
            kind=kind,
            route_taken="three_quotes",
            quotes_received=3,
            started_on=timezone.localdate() - timedelta(days=30),
            **more,
        )
        cs.commission_award(commission=c, user=cast.officer, partner=p._plan()["partner"])
    return record


def _quarter_after_the_award() -> transparency.Period:
    """The quarter holding the day 30 days ago: it began after the award."""
    day = timezone.localdate() - timedelta(days=30)
    return transparency.quarter(f"{day.year}-Q{(day.month - 1) // 3 + 1}")


def _rows(rows) -> list[dict]:
    header, *body = list(rows)
    return [dict(zip(header, row, strict=True)) for row in body]


@pytest.fixture
def kent(build, pipeline):
    cast = build("kent")
    return cast, pipeline(cast)


def test_a_contract_whose_value_changes_in_the_quarter(kent):
    cast, p = kent
    record = _awarded(
        cast,
        p,
        "Strings",
        "40000",
        vat_amount=Decimal(8000),
        vat_not_recoverable=Decimal(1500),
        supplier_is_vcs=True,
    )
    q = _quarter_after_the_award()
    for days, value, why in ((10, 46000, "A fourth ensemble."), (20, 52000, "Summer school.")):
        services.procurement_value_change(
            procurement=record,
            user=cast.officer,
            value=Decimal(value),
            effective_on=q.first + timedelta(days=days),
            reason=why,
        )
    [row] = _rows(transparency.contract_rows(cast.hub, q))
    assert row["Value at the start of the quarter (£)"] == Decimal(40000)
    assert row["Value (£)"] == Decimal(52000)
    first, second = (q.first + timedelta(days=d) for d in (10, 20))
    assert row["Value changes in the quarter"] == (
        f"£40,000 to £46,000 from {first:%-d %B %Y}: A fourth ensemble.; "
        f"£46,000 to £52,000 from {second:%-d %B %Y}: Summer school."
    )
    assert row["VAT that cannot be recovered (£)"] == Decimal(1500)
    assert (row["SME"], row["Voluntary or community sector"]) == ("No", "Yes")
    assert row["How it was procured"] == "Three written quotes"
    assert row["Supplier"] == cast.partners["medway"].name

    # The next quarter opens at the new value, with no change in it.
    after = transparency.quarter(
        f"{q.last.year + (q.last.month == 12)}-Q{q.last.month // 3 % 4 + 1}"
    )
    [later] = _rows(transparency.contract_rows(cast.hub, after))
    assert later["Value at the start of the quarter (£)"] == later["Value (£)"] == Decimal(52000)
    assert later["Value changes in the quarter"] == ""


def test_the_five_thousand_pound_line(kent):
    cast, p = kent
    small = _awarded(cast, p, "Small", "4000")
    grows = _awarded(cast, p, "Grows", "4500")
    q = _quarter_after_the_award()
    services.procurement_value_change(
        procurement=grows,
        user=cast.officer,
        value=Decimal(6000),
        effective_on=q.first + timedelta(days=5),
        reason="More sessions.",
    )
    refs = [r["Reference"] for r in _rows(transparency.contract_rows(cast.hub, q))]
    assert refs == [grows.commission.reference]
    assert small.commission.reference not in refs


def test_grants_to_voluntary_organisations_in_the_financial_year(kent):
    cast, p = kent
    grant = _awarded(cast, p, "Grant", "9000", kind=CommissionKind.GRANT, supplier_is_vcs=True)
    _awarded(cast, p, "Not voluntary", "9000", kind=CommissionKind.GRANT, supplier_is_vcs=False)
    contract = _awarded(cast, p, "A contract", "9000", supplier_is_vcs=True)
    awarded = timezone.localdate() - timedelta(days=AWARDED_DAYS_AGO)
    start = awarded.year if awarded.month >= 4 else awarded.year - 1
    year = transparency.financial_year(f"{start}/{(start + 1) % 100:02d}")
    rows = _rows(transparency.grant_rows(cast.hub, year))
    assert [r["Reference"] for r in rows] == [grant.commission.reference]
    assert contract.commission.reference not in {r["Reference"] for r in rows}
    assert list(rows[0]) == transparency.GRANT_COLUMNS
    earlier = transparency.financial_year(f"{start - 1}/{start % 100:02d}")
    assert _rows(transparency.grant_rows(cast.hub, earlier)) == []


def test_periods_are_read_from_their_keys():
    q = transparency.quarter("2026-Q1")
    assert (q.first, q.last, q.label) == (
        date(2026, 1, 1),
        date(2026, 3, 31),
        "January to March 2026",
    )
    assert transparency.quarter("2026-Q4").last == date(2026, 12, 31)
    assert transparency.quarter("2026-Q5") is None
    y = transparency.financial_year("2025/26")
    assert (y.first, y.last) == (date(2025, 4, 1), date(2026, 3, 31))
    assert transparency.financial_year("2025/27") is None


def test_the_csv_is_streamed_with_its_columns_and_refuses_a_period_not_listed(kent, client):
    cast, p = kent
    _awarded(cast, p, "Strings", "40000")
    sign_in(client, cast.officer)
    url = reverse("procurement:transparency_csv", args=[cast.hub.slug, "contracts"])
    response = client.get(url, {"period": _quarter_after_the_award().key})
    assert response.streaming
    text = b"".join(response.streaming_content).decode()
    header = next(csv.reader(io.StringIO(text)))
    assert header == transparency.CONTRACT_COLUMNS
    assert client.get(url, {"period": "last quarter"}).status_code == 404
