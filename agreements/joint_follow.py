"""A signed variation that changes a joint partnership's Hub grant shares
the new grant between its partners in the proportions they agreed at the
award (the lead takes the pennies, as with each instalment), so the
partners' grants still add up to the commission's and the instalments, the
register and 360Giving share the new figure. A follower of
agreements.variations, run in the transaction that signs the variation."""

from __future__ import annotations

from typing import Any

from commissioning.joint import split
from commissioning.models import CommissionPartner


def reshare_grant(variation: Any, agreement: Any) -> None:
    new = variation.hub_grant_amount
    if new is None or new == variation.grant_before:
        return
    commission = agreement.commission
    partners = list(
        CommissionPartner.objects.select_for_update()
        .filter(commission_id=commission.pk)
        .order_by("-is_lead", "partner__name")
    )
    agreed = sum(cp.grant_amount for cp in partners)
    if not partners or not agreed:
        return
    for cp, amount in split(new, partners, agreed):
        cp.grant_amount = amount
    CommissionPartner.objects.bulk_update(partners, ["grant_amount"])
    commission.__dict__.pop("_joint_partners", None)  # commissioning.joint.partners_of's
