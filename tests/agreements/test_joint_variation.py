"""A signed variation that changes a joint partnership's Hub grant shares the
new grant between the partners as they agreed at the award: their grants
still add up to the commission's, and each instalment is shared anew."""

from __future__ import annotations

from decimal import Decimal

import pytest

from agreements import variations as variation_svc
from agreements.models import Agreement, Variation
from agreements.payments import partner_parts
from commissioning import joint
from commissioning.models import CommissionPartner
from demo import agreements_demo
from demo.variations_demo import decide_through, sign_through, variation_route
from tests.agreements.test_joint_signing import co_sign, issued
from tests.factories import variation_change

pytestmark = pytest.mark.django_db


def _signed_joint(cast, pipeline) -> Agreement:
    agreement = issued(cast, pipeline)
    agreements_demo.partner_signs(cast, agreement.commission)
    co_sign(Agreement.objects.get(pk=agreement.pk), cast)
    agreements_demo.countersigns(cast, agreement.commission)
    return Agreement.objects.select_related("commission__hub", "commission__policy").get(
        pk=agreement.pk
    )


def _grants(commission) -> dict[str, Decimal]:
    return {
        cp.partner.name: cp.grant_amount
        for cp in CommissionPartner.objects.filter(commission=commission).select_related("partner")
    }


def test_a_varied_joint_grant_is_shared_as_the_partners_agreed(build, pipeline):
    cast = build("consortium")
    agreement = _signed_joint(cast, pipeline)
    c = agreement.commission
    before = _grants(c)
    assert len(before) == 2 and sum(before.values()) == c.hub_grant_amount
    variation_route(c.policy, "Consortium Board")
    new_total = c.hub_grant_amount + Decimal("1000.01")
    officer = cast.officer
    variation = variation_svc.variation_propose(
        agreement=agreement,
        user=officer,
        change=variation_change(hub_grant_amount=new_total, reason="Two more schools join."),
    )
    # Nothing moves until the variation is signed.
    assert _grants(c) == before
    variation = decide_through(variation, officer)
    variation = Variation.objects.get(pk=variation.pk)
    lead_contact = cast.contacts[c.partner_id]
    sign_through(variation, lead_contact, cast.approver)

    assert Variation.objects.get(pk=variation.pk).status == "signed"
    c.refresh_from_db()
    assert c.hub_grant_amount == new_total
    after = _grants(c)
    assert sum(after.values()) == new_total
    lead = c.partner.name
    (co,) = [name for name in before if name != lead]
    # The co-applicant keeps its proportion, rounded down; the lead the rest.
    share = (new_total * before[co] / sum(before.values())).quantize(Decimal("0.01"), "ROUND_DOWN")
    assert after[co] == share
    assert after[lead] == new_total - share
    # Each instalment is shared by the new grants.
    parts = partner_parts(Decimal(100), joint.partners_of(c))
    assert sum(amount for _, amount in parts) == Decimal(100)
