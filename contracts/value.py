"""Value for money as the BLMK policy puts it, benefits per unit of cost:
what a partnership cost per participant and per unit of each outcome, from
its accepted reports only.

- Participants: reports within an agreement period are cumulative (each
  gives the figures to date, as oversight/participants.py reads them), so
  each period counts its latest accepted report's participants once.
- Cost: the Hub grant (and the total cost: the Hub grant plus match
  funding) of each agreement period that has an accepted report with
  participants, so a partnership in its second year is not judged on one
  year's money against two years' children.
- Outcomes: for each SMART target of the commission's need, the gain from
  the baseline to the latest accepted value; the cost per unit gained.

`values_for` reads any number of commissions in two queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F

from commissioning.models import Commission, SmartTarget
from monitoring.models import Report, ReportStatus, TargetProgress

PENNY = Decimal("0.01")


def per(cost: Decimal, units: Decimal | int | None) -> Decimal | None:
    """Cost per unit, to the penny; None when nothing was delivered."""
    if not units or units <= 0:
        return None
    return (Decimal(cost) / Decimal(units)).quantize(PENNY, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class OutcomeCost:
    target: SmartTarget
    gained: Decimal
    grant_per_unit: Decimal | None
    cost_per_unit: Decimal | None


@dataclass(frozen=True)
class ValueForMoney:
    periods: int
    participants: int | None
    grant: Decimal
    total_cost: Decimal
    outcomes: tuple[OutcomeCost, ...] = ()

    @property
    def grant_per_participant(self) -> Decimal | None:
        return per(self.grant, self.participants)

    @property
    def cost_per_participant(self) -> Decimal | None:
        return per(self.total_cost, self.participants)


def values_for(commissions: Iterable[Commission]) -> dict[int, ValueForMoney]:
    """Each commission's value for money, by its id (two queries)."""
    commissions = {c.pk: c for c in commissions}
    if not commissions:
        return {}
    reach: dict[int, dict[int, int]] = {}  # commission -> period -> participants
    reports = (
        Report.objects.filter(
            commission_id__in=list(commissions),
            status=ReportStatus.ACCEPTED,
            participants__isnull=False,
        )
        .order_by("commission_id", "period_number", "-due_on", "-pk")
        .values_list("commission_id", "period_number", "participants")
    )
    for commission_id, period, participants in reports:
        reach.setdefault(commission_id, {}).setdefault(period, participants)
    latest: dict[int, dict[int, TargetProgress]] = {}  # commission -> target -> latest
    progress = (
        TargetProgress.objects.filter(
            report__commission_id__in=list(commissions), report__status=ReportStatus.ACCEPTED
        )
        .annotate(commission_pk=F("report__commission_id"))
        .select_related("target")
        .order_by("commission_pk", "target__due_on", "target_id", "-report__due_on", "-report_id")
    )
    for row in progress:
        latest.setdefault(row.commission_pk, {}).setdefault(row.target_id, row)
    found = {}
    for pk, c in commissions.items():
        periods = reach.get(pk, {})
        n = len(periods)
        grant = c.hub_grant_amount * n
        total = (c.hub_grant_amount + c.match_funding_amount) * n
        gains = [
            (row.target, row.value - row.target.baseline) for row in latest.get(pk, {}).values()
        ]
        outcomes = tuple(
            OutcomeCost(target, gained, per(grant, gained), per(total, gained))
            for target, gained in (gains if n else [])
        )
        found[pk] = ValueForMoney(
            periods=n,
            participants=sum(periods.values()) if periods else None,
            grant=grant,
            total_cost=total,
            outcomes=outcomes,
        )
    return found


def value_for_money(commission: Commission) -> ValueForMoney:
    return values_for([commission])[commission.pk]
