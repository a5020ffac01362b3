"""Revenue and capital kept apart: the schedule's arithmetic per stream, the
split of a draft's Hub grant (its gate), the dashboard's panel and the
360Giving export (still valid against the standard)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from agreements import payments
from agreements import services as ag
from agreements import variations as svc
from agreements.models import Agreement, InstalmentStatus, PaymentBasis
from agreements.payments import PlannedInstalment as P
from agreements.rules_streams import streams_refusal
from demo.variations_demo import decide_through, sign_through
from hubs.refusals import Refused
from oversight import giving
from oversight.models import HubAllocation
from tests.auth_helpers import sign_in
from tests.factories import signed_agreement, variation_change
from tests.oversight.giving_schema import csv_to_grants, errors

pytestmark = pytest.mark.django_db
SIGN = "signature"


def test_each_stream_pays_its_own_part():
    rows = [
        P(percent=Decimal(50), milestone=SIGN),
        P(percent=Decimal(50), milestone=SIGN),
        P(percent=Decimal(100), milestone=SIGN, stream="capital"),
    ]
    assert payments.values(rows, Decimal(1000), Decimal(400)) == [300, 300, 400]
    pct = PaymentBasis.PERCENTAGES
    assert (
        payments.schedule_problems(
            basis=pct, instalments=rows, grant=Decimal(1000), capital=Decimal(400)
        )
        == []
    )
    short = rows[:2]
    assert payments.schedule_problems(
        basis=pct, instalments=short, grant=Decimal(1000), capital=Decimal(400)
    ) == ["Add an instalment paying the capital grant of £400.00."]
    # Without a capital part, a capital instalment is refused; all as before otherwise.
    problems = payments.schedule_problems(basis=pct, instalments=rows, grant=Decimal(1000))
    assert problems == ["Instalment 3: this Hub grant has no capital part; pay it from revenue."]
    amounts = [
        P(amount=Decimal(600), milestone=SIGN),
        P(amount=Decimal(300), milestone=SIGN, stream="capital"),
    ]
    problems = payments.schedule_problems(
        basis=PaymentBasis.AMOUNTS, instalments=amounts, grant=Decimal(1000), capital=Decimal(400)
    )
    assert problems == [
        "The capital instalments add up to £300.00; they must add up to the capital grant of "
        "£400.00."
    ]


@pytest.fixture
def kent(build):
    return build("kent")


def _draft(pipeline, cast, title="Instruments for schools"):
    p = pipeline(cast)
    c = p._open(title)
    p.identify(c)
    p.award(c)
    return Agreement.objects.select_related("commission").get(commission=c, period_number=1)


def test_a_drafts_grant_is_split_and_the_schedule_must_pay_each_part(kent, pipeline):
    draft = _draft(pipeline, kent)
    grant = draft.grant_amount
    with pytest.raises(Refused) as caught:
        ag.grant_streams_save(agreement=draft, user=kent.officer, capital=grant + 1)
    assert caught.value.rule == "capital_over_grant" and caught.value.field == "hub_grant_capital"
    refusal = streams_refusal(draft, kent.approver, capital=Decimal(1))
    assert refusal.rule == "officer_only"
    ag.grant_streams_save(agreement=draft, user=kent.officer, capital=Decimal(1500))
    draft.refresh_from_db()
    draft.commission.refresh_from_db()
    assert draft.commission.hub_grant_revenue == grant - 1500
    assert draft.versions.order_by("-number").first().note.startswith("Hub grant split")
    # The old schedule pays only revenue now: it no longer adds up.
    with pytest.raises(Refused) as caught:
        ag.schedule_save(
            agreement=draft,
            user=kent.officer,
            basis=PaymentBasis.PERCENTAGES,
            instalments=[P(percent=Decimal(100), milestone=SIGN)],
        )
    assert "capital grant of £1,500.00" in caught.value.message
    ag.schedule_save(
        agreement=draft,
        user=kent.officer,
        basis=PaymentBasis.PERCENTAGES,
        instalments=[
            P(percent=Decimal(100), milestone=SIGN),
            P(percent=Decimal(100), milestone=SIGN, stream="capital", description="Instruments"),
        ],
    )
    draft.refresh_from_db()
    rows = payments.as_rows(draft.instalments.all(), draft.grant_amount, draft.capital_amount)
    assert [value for _, value in rows] == [grant - 1500, Decimal(1500)]


def test_the_page_splits_the_grant_and_keeps_what_was_typed(client, kent, pipeline):
    draft = _draft(pipeline, kent)
    sign_in(client, kent.officer)
    url = reverse("agreements:streams", args=[kent.hub.slug, draft.commission.reference, 1])
    response = client.post(url, {"capital": str(draft.grant_amount + 5)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "cannot be more than the whole Hub grant" in page
    assert f'value="{draft.grant_amount + 5}"' in page
    response = client.post(url, {"capital": "700"})
    assert response.status_code == 302


def _vary_to_capital(cast, pipeline, capital=Decimal(4500)):
    live = signed_agreement(pipeline, cast, "Instruments bought from the capital grant")
    c = live.commission
    variation = svc.variation_propose(
        agreement=live,
        user=cast.officer,
        change=variation_change(
            hub_grant_amount=c.hub_grant_amount + capital, hub_grant_capital=capital
        ),
    )
    variation = decide_through(variation, cast.officer)
    sign_through(variation, cast.contacts[c.partner_id], cast.officer)
    c.refresh_from_db()
    return c


def test_a_variation_adds_a_capital_part_paid_apart(kent, pipeline):
    c = _vary_to_capital(kent, pipeline)
    agreement = c.agreements.get()
    capital = [i for i in agreement.instalments.all() if i.stream == "capital"]
    assert [i.amount for i in capital] == [Decimal(4500)]
    assert capital[0].status == InstalmentStatus.DUE  # on the variation's signature
    assert sum(i.amount for i in agreement.instalments.all()) == c.hub_grant_amount


def test_the_dashboard_and_the_360giving_export_keep_the_streams_apart(client, kent, pipeline):
    c = _vary_to_capital(kent, pipeline)
    year = c.need.analysis.cycle
    HubAllocation.objects.update_or_create(
        hub=kent.hub,
        year=year,
        defaults={"amount": Decimal(500000), "capital_amount": Decimal(60000)},
    )
    sign_in(client, kent.officer)
    url = reverse("oversight:dashboard", args=[kent.hub.slug]) + f"?year={year}"
    client.get(url)
    page = client.get(url).content.decode()
    assert "Revenue and capital, " in page
    assert 'data-stream="capital"' in page and "£60,000.00" in page and "£4,500.00" in page
    grants = {g["id"]: g for g in giving.grants(kent.hub)}
    prefix = giving.Publisher(kent.hub).prefix
    revenue, capital = grants[f"{prefix}-{c.reference}"], grants[f"{prefix}-{c.reference}-CAPITAL"]
    assert revenue["amountAwarded"] == giving._money(c.hub_grant_revenue)
    assert capital["amountAwarded"] == 4500
    assert capital["fundingType"][0]["code"] == "capital"
    assert revenue["relatedActivity"] == [capital["id"]]
    package = json.loads("".join(giving.package_json(kent.hub)))
    assert errors(package) == []
    rows = csv_to_grants("".join(giving.package_csv(kent.hub)))
    assert errors({**package, "grants": rows}) == []
    assert {r["fundingType"][0]["code"] for r in rows} == {"revenue", "capital"}
