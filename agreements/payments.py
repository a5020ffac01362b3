"""The payment schedule's arithmetic: what each instalment is worth, whether
the schedule adds up to the award, and, for a joint partnership, each
partner's part of each instalment. Nothing here writes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from agreements.models import Instalment, Milestone, PaymentBasis
from commissioning.joint import split
from commissioning.models import FundingStream

REVENUE, CAPITAL = FundingStream.REVENUE, FundingStream.CAPITAL
ZERO = Decimal(0)


@dataclass(frozen=True)
class PlannedInstalment:
    """One row of a schedule as typed, before it is saved."""

    amount: Decimal | None = None
    percent: Decimal | None = None
    due_on: date | None = None
    milestone: str = ""
    description: str = ""
    stream: str = REVENUE


def stream_of(item) -> str:
    return getattr(item, "stream", "") or REVENUE


def values(
    instalments: Sequence[Instalment | PlannedInstalment], grant: Decimal, capital: Decimal = ZERO
) -> list[Decimal]:
    """Each instalment in pounds, a percentage being of its own stream's part
    of the grant (revenue: the grant less `capital`). With percentages the
    last instalment of a stream takes the pennies rounding leaves, so the
    schedule pays exactly each part."""
    parts = {REVENUE: grant - capital, CAPITAL: capital}
    pounds: list[Decimal] = [ZERO] * len(instalments)
    for stream, part in parts.items():
        index = [i for i, item in enumerate(instalments) if stream_of(item) == stream]
        for i in index:
            item = instalments[i]
            if item.amount is not None:
                pounds[i] = item.amount
            else:
                pounds[i] = (part * item.percent / 100).quantize(Decimal("0.01"))
        mine = [instalments[i] for i in index]
        all_percent = mine and all(item.amount is None for item in mine)
        if all_percent and sum(item.percent for item in mine) == 100:
            pounds[index[-1]] += part - sum(pounds[i] for i in index)
    return pounds


def schedule_problems(
    *,
    basis: str,
    instalments: Sequence[Instalment | PlannedInstalment],
    grant: Decimal,
    capital: Decimal = ZERO,
) -> list[str]:
    """Why this schedule cannot stand, in words; empty when it adds up."""
    if not instalments:
        return ["Add at least one instalment: the Hub grant is paid in instalments."]
    problems = []
    for number, item in enumerate(instalments, start=1):
        problems += _row_problems(number, item, basis)
        if stream_of(item) not in FundingStream.values:
            problems.append(f"Instalment {number}: choose revenue or capital.")
        elif stream_of(item) == CAPITAL and not capital:
            problems.append(
                f"Instalment {number}: this Hub grant has no capital part; pay it from revenue."
            )
    if problems:
        return problems
    if capital:
        return _stream_problems(basis, instalments, grant, capital)
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


def _stream_problems(basis: str, instalments, grant: Decimal, capital: Decimal) -> list[str]:
    """With a capital part, each stream's instalments pay exactly its part."""
    problems = []
    for stream, part in ((REVENUE, grant - capital), (CAPITAL, capital)):
        mine = [item for item in instalments if stream_of(item) == stream]
        name = FundingStream(stream).label.lower()
        if part and not mine:
            problems.append(f"Add an instalment paying the {name} grant of £{part:,.2f}.")
        elif not part and mine:
            problems.append(f"The {name} part of the grant is £0; it has no instalments.")
        elif mine and basis == PaymentBasis.PERCENTAGES:
            total = sum(item.percent for item in mine)
            if total != 100:
                problems.append(
                    f"The {name} instalments' percentages add up to {_number(total)}%; they "
                    "must add up to 100%."
                )
        elif mine:
            total = sum(item.amount for item in mine)
            if total != part:
                problems.append(
                    f"The {name} instalments add up to £{total:,.2f}; they must add up to the "
                    f"{name} grant of £{part:,.2f}."
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


def as_rows(
    instalments: Iterable[Instalment], grant: Decimal, capital: Decimal = ZERO
) -> list[tuple[Instalment, Decimal]]:
    items = list(instalments)
    return list(zip(items, values(items, grant, capital), strict=True))


def partner_parts(value: Decimal, partners: Sequence[Any]) -> list[tuple[Any, Decimal]]:
    """One instalment of a joint partnership shared between its partners
    (commissioning.joint.partners_of, the lead first) by the shares of the
    Hub grant they agreed at the award: each co-applicant its proportion,
    rounded down to the penny, the lead the rest, so the parts add up to the
    instalment exactly. A capital instalment is shared as the revenue is.
    Empty for a solo partnership: its one partner is paid the whole."""
    agreed = sum((cp.grant_amount for cp in partners), ZERO)
    return split(value, list(partners), agreed) if partners and agreed else []


def shared_rows(
    instalments: Iterable[Instalment], grant: Decimal, capital: Decimal, partners: Sequence[Any]
) -> list[tuple[Instalment, Decimal, list[tuple[Any, Decimal]]]]:
    """Each instalment, its value and its partners' parts (as_rows, shared)."""
    return [
        (item, value, partner_parts(value, partners))
        for item, value in as_rows(instalments, grant, capital)
    ]


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
            # Only a capital instalment says its stream: a version saved before
            # streams reads (and digests) as it did.
            **({"stream": item.stream} if stream_of(item) == CAPITAL else {}),
        }
        for item in instalments
    ]
