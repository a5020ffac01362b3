"""Which Procurement Act 2023 notices a contract owes, and by when.

Worked out from data, never from code: the threshold is the `NoticeThreshold`
in force on the day the procurement started (so a contract started on 31
December 2025 is measured against £214,904 and one started on 1 January 2026
against £207,720), compared with the contract's value including VAT.

- At or above the threshold (a public contract): a contract award notice when
  the award is decided, then a standstill of 8 working days (England's bank
  holidays kept as data) before the contract may be entered into; a contract
  details notice within 30 days of entering into it (the HLO's
  countersignature); a contract termination notice within 30 days of its
  end, however it ends (completed, decommissioned, terminated at once).
- Below the threshold but at or above the notifiable amount (£30,000): a
  below-threshold tender notice when the contract is advertised, and a
  contract details notice after it is entered into (the Act says "as soon as
  reasonably practicable"; the hub's deadline is 30 days). The Act asks no
  award or termination notice of these.
- Below that, and every grant: none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from commissioning.models import TransitionLog
from commissioning.workflow import Stage
from hubs.routes import money
from procurement.models import (
    BankHoliday,
    CommissionProcurement,
    ContractValue,
    NoticeKind,
    NoticeThreshold,
    Regime,
)

STANDSTILL_WORKING_DAYS = 8
DETAILS_WITHIN_DAYS = 30
TERMINATION_WITHIN_DAYS = 30
ENDED = [Stage.COMPLETED, Stage.DECOMMISSIONED]


@dataclass(frozen=True)
class Planned:
    kind: str
    due_by: date | None
    why: str


@dataclass(frozen=True)
class Dates:
    """When the contract's life reached each point, from its transition log."""

    awarded_on: date | None = None
    signed_on: date | None = None
    ended_on: date | None = None


def dates_of(commission_id: int) -> Dates:
    rows = TransitionLog.objects.filter(
        Q(action__in=["award", "countersign"]) | Q(to_stage__in=ENDED),
        commission_id=commission_id,
    ).values_list("action", "to_stage", "created_at")
    found: dict[str, date] = {}
    for action, to_stage, at in rows:
        key = "ended_on" if to_stage in ENDED else {"award": "awarded_on"}.get(action, "signed_on")
        found.setdefault(key, timezone.localdate(at))
    return Dates(**found)


def threshold_on(regime: str, day: date) -> Decimal | None:
    row = (
        NoticeThreshold.objects.filter(regime=regime, effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .order_by("-effective_from")
        .values_list("amount", flat=True)
        .first()
    )
    return row


def working_days_after(day: date, count: int) -> date:
    """The `count`th working day after `day` (Saturdays, Sundays and bank
    holidays in England are not working days; `day` itself is not counted)."""
    holidays = set(
        BankHoliday.objects.filter(
            date__gt=day, date__lte=day + timedelta(days=count * 3 + 14)
        ).values_list("date", flat=True)
    )
    current = day
    while count:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            count -= 1
    return current


def value_in_force(procurement: CommissionProcurement, on: date | None = None) -> Decimal:
    """The commission's value on a day: the newest entry of its value history
    in force then, else the commission's Hub grant."""
    values = ContractValue.objects.filter(procurement=procurement)
    if on is not None:
        values = values.filter(effective_on__lte=on)
    latest = values.order_by("-effective_on", "-pk").values_list("value", flat=True).first()
    return latest if latest is not None else procurement.commission.hub_grant_amount


def value_with_vat(procurement: CommissionProcurement, value: Decimal | None = None) -> Decimal:
    base = value_in_force(procurement, timezone.localdate()) if value is None else value
    return base + procurement.vat_amount


def regime_of(procurement: CommissionProcurement) -> str:
    return Regime.LIGHT_TOUCH if procurement.light_touch else Regime.SUB_CENTRAL


def advertised_on(procurement: CommissionProcurement) -> date | None:
    if procurement.advertised_on:
        return procurement.advertised_on
    call = getattr(procurement.commission, "call", None)
    return timezone.localdate(call.opens_at) if call is not None and call.opens_at else None


def _after(day: date | None, days: int) -> date | None:
    return day + timedelta(days=days) if day else None


def notice_plan(procurement: CommissionProcurement, dates: Dates | None = None) -> list[Planned]:
    """The notices this commission owes now, each with its due date (None
    while what starts its clock has not happened)."""
    if not procurement.is_contract:
        return []
    dates = dates or dates_of(procurement.commission_id)
    start = procurement.started_on
    value = value_with_vat(procurement)
    threshold = threshold_on(regime_of(procurement), start)
    floor = threshold_on(Regime.NOTIFIABLE_BELOW, start)
    said = f"{money(value)} including VAT"
    if threshold is not None and value >= threshold:
        why = f"{said}, at or above the {money(threshold)} threshold in force on {start:%-d %B %Y}"
        plan = [
            Planned(
                NoticeKind.CONTRACT_AWARD,
                dates.awarded_on,
                f"{why}: publish it when the award is decided; the contract may be entered "
                f"into only after {STANDSTILL_WORKING_DAYS} working days' standstill.",
            ),
            Planned(
                NoticeKind.CONTRACT_DETAILS,
                _after(dates.signed_on, DETAILS_WITHIN_DAYS),
                f"{why}: within {DETAILS_WITHIN_DAYS} days of entering into the contract.",
            ),
        ]
        if dates.ended_on:
            plan.append(
                Planned(
                    NoticeKind.CONTRACT_TERMINATION,
                    _after(dates.ended_on, TERMINATION_WITHIN_DAYS),
                    f"{why}: within {TERMINATION_WITHIN_DAYS} days of the contract ending.",
                )
            )
        return plan
    if floor is None or value < floor:
        return []
    why = (
        f"{said}, below the {money(threshold or 0)} threshold in force on {start:%-d %B %Y} "
        f"but at least {money(floor)}"
    )
    plan = []
    advertised = advertised_on(procurement)
    if advertised:
        plan.append(
            Planned(
                NoticeKind.BELOW_THRESHOLD_TENDER,
                advertised,
                f"{why}: publish it when the contract is advertised.",
            )
        )
    plan.append(
        Planned(
            NoticeKind.CONTRACT_DETAILS,
            _after(dates.signed_on, DETAILS_WITHIN_DAYS),
            f"{why}: within {DETAILS_WITHIN_DAYS} days of entering into the contract.",
        )
    )
    return plan


def is_public_contract(procurement: CommissionProcurement) -> bool:
    """At or above the threshold: the award notice and the standstill apply."""
    if not procurement.is_contract:
        return False
    threshold = threshold_on(regime_of(procurement), procurement.started_on)
    return threshold is not None and value_with_vat(procurement) >= threshold
