"""The dashboard's revenue and capital panel: the Hub grant's two streams
kept apart, each allocated, committed, paid and left for the year, read
from the figures the dashboard already has (oversight/dashboard.py's tally
and policy_with_allocation): no query of its own."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from oversight.dashboard import Tally

ZERO = Decimal(0)


@dataclass(frozen=True)
class StreamRow:
    name: str
    allocated: Decimal | None
    committed: Decimal
    paid: Decimal

    @property
    def left(self) -> Decimal | None:
        return None if self.allocated is None else self.allocated - self.committed

    @property
    def over(self) -> Decimal:
        left = self.left
        return -left if left is not None and left < 0 else ZERO


def funding_streams(counted: Tally, year: str, policy) -> list[StreamRow]:
    """Revenue and capital for the year; capital is shown where there is
    any (allocated or committed), revenue always."""
    rows = counted.awarded_in(year)
    total = sum((r["grant"] or ZERO for r in rows), ZERO)
    capital = sum((r.get("capital") or ZERO for r in rows), ZERO)
    paid = sum((r["paid"] or ZERO for r in rows), ZERO)
    paid_capital = sum((r.get("paid_capital") or ZERO for r in rows), ZERO)
    allocated = getattr(policy, "allocated", None)
    allocated_capital = getattr(policy, "allocated_capital", None)
    streams = [
        StreamRow(
            "Revenue",
            allocated,
            total - capital,
            (paid - paid_capital).quantize(Decimal("0.01")),
        )
    ]
    if capital or allocated_capital:
        streams.append(
            StreamRow("Capital", allocated_capital, capital, paid_capital.quantize(Decimal("0.01")))
        )
    return streams
