"""Oversight's demo data: each hub's Hub grant allocation for the demo's
academic year (the needs analyses are for 2025/26). Idempotent."""

from __future__ import annotations

from decimal import Decimal

from oversight.models import HubAllocation

YEAR = "2025/26"
ALLOCATIONS = {
    "herts": Decimal("450000"),
    "kent": Decimal("520000"),
    "blmk": Decimal("380000"),
    "leics": Decimal("300000"),
    "consortium": Decimal("260000"),
}


def load(cast) -> None:
    amount = ALLOCATIONS.get(cast.hub.slug)
    if amount is not None:
        HubAllocation.objects.get_or_create(hub=cast.hub, year=YEAR, defaults={"amount": amount})
