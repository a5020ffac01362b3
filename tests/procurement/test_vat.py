"""The VAT that cannot be recovered, recorded per contract (£0 unless
given), in the Transparency Code's contracts list; HLO staff record it and
the gate (procurement/rules.py vat_refusal) keeps it £0 or more and no more
than the VAT charged or the contract's value."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Commission
from hubs.refusals import Refused
from procurement import services, transparency
from procurement.models import CommissionKind
from tests.auth_helpers import sign_in
from tests.procurement.test_transparency import _awarded, _quarter_after_the_award, _rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def kent(build, pipeline):
    cast = build("kent")
    return cast, pipeline(cast)


def _refused(rule, record, cast, **values):
    with pytest.raises(Refused) as refused:
        services.procurement_record(commission=record.commission, user=cast.officer, **values)
    assert refused.value.refusal.rule == rule
    return refused.value.refusal


def test_it_is_nothing_unless_recorded_and_the_csv_shows_what_is_recorded(kent):
    cast, p = kent
    record = _awarded(cast, p, "Strings", "40000")
    assert record.vat_not_recoverable == 0
    q = _quarter_after_the_award()
    [row] = _rows(transparency.contract_rows(cast.hub, q))
    assert row["VAT that cannot be recovered (£)"] == 0
    services.procurement_record(
        commission=record.commission,
        user=cast.officer,
        vat_amount=Decimal(8000),
        vat_not_recoverable=Decimal("1250.50"),
    )
    [row] = _rows(transparency.contract_rows(cast.hub, q))
    assert row["VAT that cannot be recovered (£)"] == Decimal("1250.50")


def test_the_gate_refuses_negative_vat_and_more_than_the_vat_or_the_value(kent):
    cast, p = kent
    record = _awarded(cast, p, "Strings", "40000", vat_amount=Decimal(8000))
    refusal = _refused("vat_negative", record, cast, vat_not_recoverable=Decimal(-1))
    assert refusal.message == "Give the VAT that cannot be recovered as £0 or more."
    assert refusal.field == "vat_not_recoverable"
    _refused("vat_negative", record, cast, vat_amount=Decimal(-5))
    _refused("vat_more_than_charged", record, cast, vat_not_recoverable=Decimal(8001))
    refusal = _refused(
        "vat_more_than_value",
        record,
        cast,
        vat_amount=Decimal(50000),
        vat_not_recoverable=Decimal(40001),
    )
    assert "more than the contract's value (£40,000" in refusal.message
    record.refresh_from_db()
    assert record.vat_not_recoverable == 0


def test_hlo_staff_record_it_on_the_procurement_page_and_see_the_refusal_beside_it(kent, client):
    cast, p = kent
    c = p._open("Brass", amount=Decimal(20000))
    p.identify(c)
    c = Commission.objects.get(pk=c.pk)
    sign_in(client, cast.officer)
    url = reverse("procurement:record", args=[cast.hub.slug, c.reference])
    body = {
        "kind": CommissionKind.CONTRACT,
        "route_taken": "three_quotes",
        "quotes_received": "3",
        "started_on": timezone.localdate().isoformat(),
        "vat_amount": "4000",
        "vat_not_recoverable": "4500",
    }
    page = client.post(url, body)
    assert page.status_code == 400
    assert "more than the VAT charged" in page.content.decode()
    body["vat_not_recoverable"] = "600"
    assert client.post(url, body).status_code == 302
    c.procurement.refresh_from_db()
    assert c.procurement.vat_not_recoverable == Decimal(600)
