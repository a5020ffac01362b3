"""A joint partnership in the public register and the 360Giving files: every
partner shown, one grant per partner with its own share and recipient (the
standard has one recipient to a grant), still valid against the schema, and
the register's queries the same for one partnership or several."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commissioning.models import Commission
from oversight import giving
from tests.agreements.test_joint_signing import issued
from tests.oversight.giving_schema import csv_to_grants, errors

pytestmark = pytest.mark.django_db


def _streamed(response) -> str:
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


def test_the_register_shows_every_partner_with_its_share(build, pipeline):
    cast = build("consortium")
    issued(cast, pipeline)
    page = Client().get(reverse("oversight:register", args=[cast.hub.slug]))
    text = page.content.decode()
    assert "Circuit Music Tech" in text
    assert "jointly with Tiny Tunes Early Years (£2,000.00)" in text
    assert "(lead, £3,000.00)" in text


def test_the_register_reads_every_partnership_in_the_same_queries(
    build, pipeline, django_assert_num_queries
):
    cast = build("consortium")
    issued(cast, pipeline)
    url = reverse("oversight:register", args=[cast.hub.slug])
    client = Client()
    client.get(url)  # the first request warms what is cached
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    few = len(one)  # now: the log it slices keeps only the latest queries
    issued(cast, pipeline, lead="uni", co="northms")
    with django_assert_num_queries(few):
        assert b"jointly with North District Music Service" in client.get(url).content


def test_360giving_has_a_grant_for_each_partner_and_still_validates(build, pipeline):
    cast = build("consortium")
    agreement = issued(cast, pipeline)
    reference = agreement.commission.reference
    client = Client()
    package = json.loads(
        _streamed(client.get(reverse("oversight:giving_json", args=["consortium"])))
    )
    assert errors(package) == []
    prefix = giving.Publisher(cast.hub).prefix
    mine = [g for g in package["grants"] if g["id"].startswith(f"{prefix}-{reference}")]
    by_name = {g["recipientOrganization"][0]["name"]: g for g in mine}
    assert set(by_name) == {"Circuit Music Tech", "Tiny Tunes Early Years"}
    lead, co = by_name["Circuit Music Tech"], by_name["Tiny Tunes Early Years"]
    assert lead["id"] == f"{prefix}-{reference}"  # the commission's id is the lead's
    assert co["id"] == f"{prefix}-{reference}-P{cast.partners['earlyyears'].pk}"
    assert (lead["amountAwarded"], co["amountAwarded"]) == (3000, 2000)
    assert co["recipientOrganization"][0]["id"] == "GB-CHC-1100008"
    assert "A joint partnership led by Circuit Music Tech" in co["description"]

    rows = csv_to_grants(
        _streamed(client.get(reverse("oversight:giving_csv", args=["consortium"])))
    )
    assert errors({"grants": rows}) == []
    assert [g["id"] for g in rows] == [g["id"] for g in package["grants"]]


def test_a_joint_partnerships_capital_part_is_shared_as_its_revenue_is(build, pipeline):
    """A commission with a capital part is published as two grants; each is
    shared between the partners, and together they add up to the award."""
    cast = build("consortium")
    c = issued(cast, pipeline).commission
    Commission.objects.filter(pk=c.pk).update(hub_grant_capital=Decimal(1000))
    package = json.loads("".join(giving.package_json(cast.hub)))
    assert errors(package) == []
    base = f"{giving.Publisher(cast.hub).prefix}-{c.reference}"
    mine = {g["id"]: g["amountAwarded"] for g in package["grants"] if g["id"].startswith(base)}
    co = cast.partners["earlyyears"].pk
    assert mine == {
        base: 2400,  # the revenue, £4,000, three fifths to the lead
        f"{base}-P{co}": 1600,
        f"{base}-CAPITAL": 600,
        f"{base}-CAPITAL-P{co}": 400,
    }
    assert sum(mine.values()) == 5000
