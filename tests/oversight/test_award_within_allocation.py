"""Kent's optional requirement, on its own: where the policy says so, an
award may not take the year's Hub grant commitments past the year's
allocation, and the refusal gives the figures. Off for the five demo hubs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from commissioning import services as cs
from commissioning.models import Commission
from commissioning.policy_text import rule_table
from commissioning.workflow import Stage
from hubs.models import HubPolicy
from hubs.refusals import Refused
from oversight.models import HubAllocation
from tests.auth_helpers import sign_in

pytestmark = pytest.mark.django_db


def _kent(build, pipeline, *, on: bool = True):
    cast = build("kent")
    HubPolicy.objects.filter(hub=cast.hub).update(awards_within_allocation=on)
    return cast, pipeline(cast)


def _identified(p, title: str) -> Commission:
    c = p._open(title)
    p.identify(c)
    return Commission.objects.select_related("hub", "policy", "need__analysis").get(pk=c.pk)


def _award(cast, p, c, grant: str):
    return cs.commission_award(
        commission=c,
        user=cast.officer,
        partner=p._plan()["partner"],
        hub_grant_amount=Decimal(grant),
    )


def test_no_award_until_the_years_allocation_is_recorded(build, pipeline):
    cast, p = _kent(build, pipeline)
    c = _identified(p, "Brass")
    with pytest.raises(Refused) as info:
        _award(cast, p, c, "5000")
    assert info.value.rule == "allocation_not_recorded"
    year = c.need.analysis.cycle
    assert f"no allocation is recorded for {year}" in str(info.value)


def test_an_award_past_the_allocation_is_refused_with_the_figures(build, pipeline):
    cast, p = _kent(build, pipeline)
    first = _identified(p, "Brass")
    year = first.need.analysis.cycle
    allocation = HubAllocation.objects.create(hub=cast.hub, year=year, amount=Decimal(20000))
    _award(cast, p, first, "15000")
    second = _identified(p, "Strings")
    with pytest.raises(Refused) as info:
        _award(cast, p, second, "6000")
    assert info.value.rule == "past_allocation"
    assert info.value.refusal.field == "hub_grant_amount"
    assert str(info.value) == (
        "Kent & Medway Music Hub commissions within the funding allocated: £15,000 of the "
        f"£20,000 allocated for {year} is already committed, so £5,000 is left and this award "
        "of £6,000 would go £1,000 past it."
    )
    assert Commission.objects.get(pk=second.pk).status == Stage.IDENTIFY
    _award(cast, p, second, "5000")  # exactly what is left
    allocation.refresh_from_db()
    assert Commission.objects.get(pk=second.pk).status == Stage.DRAFT


def test_the_page_says_it_beside_the_grant_and_keeps_what_was_typed(build, pipeline, client):
    cast, p = _kent(build, pipeline)
    c = _identified(p, "Brass")
    HubAllocation.objects.create(hub=cast.hub, year=c.need.analysis.cycle, amount=Decimal(1000))
    sign_in(client, cast.officer)
    url = reverse("commissioning:move", args=[cast.hub.slug, c.reference])
    partner = p._plan()["partner"]
    response = client.post(
        url,
        {"action": "award", "partner": partner.pk, "hub_grant_amount": "4000", "reason": "Kept."},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "this award of £4,000 would go £3,000 past it" in body
    assert 'value="4000"' in body and "Kept.</textarea>" in body


def test_the_five_hubs_do_not_ask_it_today(build, pipeline):
    cast, p = _kent(build, pipeline, on=False)
    c = _identified(p, "Brass")
    _award(cast, p, c, "5000")  # no allocation recorded, and none needed
    assert Commission.objects.get(pk=c.pk).status == Stage.DRAFT
    said = " ".join(" ".join(row.rules) for row in rule_table(c.policy))
    assert "within the year's allocation" not in said
    c.policy.awards_within_allocation = True
    said = " ".join(" ".join(row.rules) for row in rule_table(c.policy))
    assert "keeps the year's Hub grant commitments within the year's allocation" in said
