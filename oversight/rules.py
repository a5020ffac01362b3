"""Oversight's rule on commissioning's award: where the policy says so (Kent
commissions "within the funding that has been allocated"), an award may not
take the year's Hub grant commitments past the year's allocation.

Commissioning sits below oversight, so the rule is added to the award's
gate through commissioning's hooks (oversight/apps.py)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import F, Sum

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
        .aggregate(total=Sum(F("hub_grant_amount") - F("hub_grant_capital")))["total"]
        or ZERO
    )
    # The allocation above is the revenue Hub grant; a capital part counts
    # against the capital allocation (funding_within_allocation).
    grant = _grant(ctx) - c.hub_grant_capital
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


def funding_within_allocation(commission, grant: Decimal, capital: Decimal) -> Refusal | None:
    """A change of a commission's funding (its revenue and capital split on a
    draft agreement, or a variation of a signed one): where the policy
    commissions within the funding allocated, each stream stays within the
    year's allocation of it. Registered with agreements' funding checks."""
    if not commission.policy.awards_within_allocation:
        return None
    year = commission.need.analysis.cycle
    allocation = HubAllocation.objects.filter(hub_id=commission.hub_id, year=year).first()
    hub = commission.hub.name
    if allocation is None:
        return Refusal(
            "allocation_not_recorded",
            f"{hub} commissions within the Hub grant allocated for the year, and no "
            f"allocation is recorded for {year}: record it under Hub grant allocations first.",
            field="hub_grant_amount",
        )
    others = (
        Commission.objects.filter(
            hub_id=commission.hub_id, need__analysis__cycle=year, status__in=AWARDED_STAGES
        )
        .exclude(pk=commission.pk)
        .aggregate(
            revenue=Sum(F("hub_grant_amount") - F("hub_grant_capital")),
            capital=Sum("hub_grant_capital"),
        )
    )
    streams = (
        ("revenue Hub grant", others["revenue"] or ZERO, grant - capital, allocation.amount,
         "hub_grant_amount"),
        ("capital grant", others["capital"] or ZERO, capital, allocation.capital_amount,
         "hub_grant_capital"),
    )  # fmt: skip
    for name, committed, asked, allocated, field in streams:
        if asked and committed + asked > allocated:
            left = max(allocated - committed, ZERO)
            return Refusal(
                "past_allocation",
                f"{hub} commissions within the funding allocated: {_pounds(committed)} of the "
                f"{_pounds(allocated)} {name} allocated for {year} is committed to other "
                f"partnerships, so {_pounds(left)} is left and {_pounds(asked)} here would go "
                f"{_pounds(committed + asked - allocated)} past it.",
                field=field,
            )
    return None
