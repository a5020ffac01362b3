"""The payment schedule's arithmetic: what each instalment is worth and
whether the schedule adds up to the award. Nothing here writes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from agreements.models import Instalment, Milestone, PaymentBasis


@dataclass(frozen=True)
class PlannedInstalment:
    """One row of a schedule as typed, before it is saved."""

    amount: Decimal | None = None
    percent: Decimal | None = None
    due_on: date | None = None
    milestone: str = ""
    description: str = ""


def values(instalments: Sequence[Instalment | PlannedInstalment], grant: Decimal) -> list[Decimal]:
    """Each instalment in pounds. With percentages the last instalment takes
    the pennies rounding leaves, so the schedule pays exactly the grant."""
    pounds = []
    for item in instalments:
        if item.amount is not None:
            pounds.append(item.amount)
        else:
            pounds.append((grant * item.percent / 100).quantize(Decimal("0.01")))
    all_percent = instalments and all(item.amount is None for item in instalments)
    if all_percent and sum(item.percent for item in instalments) == 100:
        pounds[-1] += grant - sum(pounds)
    return pounds


def schedule_problems(
    *, basis: str, instalments: Sequence[Instalment | PlannedInstalment], grant: Decimal
) -> list[str]:
    """Why this schedule cannot stand, in words; empty when it adds up."""
    if not instalments:
        return ["Add at least one instalment: the Hub grant is paid in instalments."]
    problems = []
    for number, item in enumerate(instalments, start=1):
        problems += _row_problems(number, item, basis)
    if problems:
        return problems
    if basis == PaymentBasis.PERCENTAGES:
        total = sum(item.percent for item in instalments)
        if total != 100:
            problems.append(
                f"The percentages add up to {_number(total)}%; they must add up to 100%."
            )
    else:
        total = sum(item.amount for item in instalments)
        if total != grant:
            problems.append(
                f"The instalments add up to £{total:,.2f}; they must add up to the Hub grant "
                f"of £{grant:,.2f}."
            )
    return problems


def _row_problems(number: int, item, basis: str) -> list[str]:
    problems = []
    if basis == PaymentBasis.PERCENTAGES and (item.percent is None or item.amount is not None):
        problems.append(f"Instalment {number}: give a percentage of the grant.")
    if basis == PaymentBasis.AMOUNTS and (item.amount is None or item.percent is not None):
        problems.append(f"Instalment {number}: give an amount in pounds.")
    if item.amount is not None and item.amount <= 0:
        problems.append(f"Instalment {number}: the amount must be more than £0.")
    if item.percent is not None and not (0 < item.percent <= 100):
        problems.append(f"Instalment {number}: the percentage must be between 0 and 100.")
    if item.due_on is None and not item.milestone:
        problems.append(f"Instalment {number}: give a date or a milestone it is due at.")
    if item.milestone and item.milestone not in Milestone.values:
        problems.append(f"Instalment {number}: choose one of the milestones offered.")
    return problems


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def as_rows(instalments: Iterable[Instalment], grant: Decimal) -> list[tuple[Instalment, Decimal]]:
    items = list(instalments)
    return list(zip(items, values(items, grant), strict=True))


def snapshot(instalments: Iterable[Instalment]) -> list[dict]:
    """The schedule as kept in a version."""
    return [
        {
            "position": item.position,
            "description": item.description,
            "amount": None if item.amount is None else str(item.amount),
            "percent": None if item.percent is None else str(item.percent),
            "due_on": item.due_on.isoformat() if item.due_on else None,
            "milestone": item.milestone,
        }
        for item in instalments
    ]
