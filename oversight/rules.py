"""Oversight's rule on commissioning's award: where the policy says so (Kent
commissions "within the funding that has been allocated"), an award may not
take the year's Hub grant commitments past the year's allocation.

Commissioning sits below oversight, so the rule is added to the award's
gate through commissioning's hooks (oversight/apps.py)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from commissioning.models import Commission
from commissioning.rules import needs_input
from hubs.refusals import Refusal
from oversight.models import HubAllocation
from oversight.selectors import AWARDED_STAGES

ZERO = Decimal(0)


def _pounds(amount: Decimal) -> str:
    return f"£{amount:,.2f}".removesuffix(".00")


def _grant(ctx) -> Decimal:
    proposal = ctx.params.get("proposal")
    if proposal is not None:
        return Decimal(proposal.hub_grant_requested)
    grant = ctx.params.get("hub_grant_amount")
    return Decimal(ctx.commission.hub_grant_amount if grant is None else grant)


@needs_input
def award_within_allocation(ctx) -> Refusal | None:
    if not ctx.policy.awards_within_allocation:
        return None
    c = ctx.commission
    year = c.need.analysis.cycle
    allocated = (
        HubAllocation.objects.filter(hub_id=c.hub_id, year=year)
        .values_list("amount", flat=True)
        .first()
    )
    field = "proposal" if ctx.params.get("proposal") is not None else "hub_grant_amount"
    if allocated is None:
        return Refusal(
            "allocation_not_recorded",
            f"{ctx.hub_name} commissions within the Hub grant allocated for the year, and no "
            f"allocation is recorded for {year}: record it under Hub grant allocations first.",
            field=field,
        )
    committed = (
        Commission.objects.filter(
            hub_id=c.hub_id, need__analysis__cycle=year, status__in=AWARDED_STAGES
        )
        .exclude(pk=c.pk)
        .aggregate(total=Sum("hub_grant_amount"))["total"]
        or ZERO
    )
    grant = _grant(ctx)
    if committed + grant > allocated:
        left = max(allocated - committed, ZERO)
        return Refusal(
            "past_allocation",
            f"{ctx.hub_name} commissions within the funding allocated: {_pounds(committed)} of "
            f"the {_pounds(allocated)} allocated for {year} is already committed, so "
            f"{_pounds(left)} is left and this award of {_pounds(grant)} would go "
            f"{_pounds(committed + grant - allocated)} past it.",
            field=field,
        )
    return None
