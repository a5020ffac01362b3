"""The gate for splitting a commission's Hub grant into revenue and capital,
and the funding checks other apps add (oversight's "within the year's
allocation", registered from OversightConfig.ready: agreements never
imports oversight). A variation that changes the funding asks the same
checks (agreements/rules_variations.py).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from agreements.models import Agreement
from agreements.rules import draft_refusal
from hubs.refusals import Refusal, first

# (commission, new total grant, new capital part) -> Refusal | None
FundingCheck = Callable[[Any, Decimal, Decimal], Refusal | None]
_funding_checks: list[FundingCheck] = []


def add_funding_check(check: FundingCheck) -> None:
    if check not in _funding_checks:
        _funding_checks.append(check)


def funding_refusal(
    commission: Any, grant: Decimal, capital: Decimal, field: str = "hub_grant_capital"
) -> Refusal | None:
    """A total and its capital part: the part within the total, and every
    registered check (the allocation) content with both."""
    if capital < 0:
        return Refusal("capital_negative", "The capital part cannot be below £0.", field)
    if capital > grant:
        return Refusal(
            "capital_over_grant",
            f"The capital part (£{capital:,.2f}) cannot be more than the whole Hub grant "
            f"(£{grant:,.2f}); the rest of the grant is revenue.",
            field,
        )
    for check in _funding_checks:
        refusal = check(commission, grant, capital)
        if refusal is not None:
            return refusal.at(refusal.field or field)
    return None


def streams_refusal(
    agreement: Agreement, user: Any, checker: Any = None, *, capital: Decimal | None = None
) -> Refusal | None:
    """Saving the capital part of a draft agreement's Hub grant (once signed,
    only a variation changes it)."""
    return first(
        draft_refusal(agreement, user, checker),
        None
        if capital is None
        else funding_refusal(agreement.commission, agreement.grant_amount, capital),
    )
