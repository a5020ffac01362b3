"""Oversight's demo data: each hub's Hub grant allocation for the demo's two
academic years, last year's and this one's (the years of its needs
analyses, demo.stories.cycles). Idempotent."""

from __future__ import annotations

from decimal import Decimal

from demo import stories
from oversight.models import HubAllocation

ALLOCATIONS = {
    "herts": Decimal("450000"),
    "kent": Decimal("520000"),
    "blmk": Decimal("380000"),
    "leics": Decimal("300000"),
    "consortium": Decimal("260000"),
}


def load(cast) -> None:
    amount = ALLOCATIONS.get(cast.hub.slug)
    if amount is None:
        return
    previous, current = stories.cycles()
    HubAllocation.objects.get_or_create(hub=cast.hub, year=previous, defaults={"amount": amount})
    # This year's grant is a little higher, as the hubs' investment programmes set out.
    HubAllocation.objects.get_or_create(
        hub=cast.hub, year=current, defaults={"amount": amount * Decimal("1.04")}
    )
