"""Standing data kept as rows, not code: the Procurement Act 2023's
thresholds (including VAT; the Act came into force on 24 February 2025) and
England and Wales bank holidays. The site administrator keeps them up in the
admin; they are written by migration 0002, and again after a flush (the
post_migrate signal, ProcurementConfig.ready) only where their table is empty,
so an administrator's changes are never undone."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

ACT = date(2025, 2, 24)
THRESHOLDS = [
    ("sub_central", Decimal("214904"), ACT, date(2025, 12, 31)),
    ("sub_central", Decimal("207720"), date(2026, 1, 1), None),
    ("light_touch", Decimal("663540"), ACT, None),
    ("notifiable_below", Decimal("30000"), ACT, None),
]
HOLIDAYS = [
    ("2025-01-01", "New Year's Day"),
    ("2025-04-18", "Good Friday"),
    ("2025-04-21", "Easter Monday"),
    ("2025-05-05", "Early May bank holiday"),
    ("2025-05-26", "Spring bank holiday"),
    ("2025-08-25", "Summer bank holiday"),
    ("2025-12-25", "Christmas Day"),
    ("2025-12-26", "Boxing Day"),
    ("2026-01-01", "New Year's Day"),
    ("2026-04-03", "Good Friday"),
    ("2026-04-06", "Easter Monday"),
    ("2026-05-04", "Early May bank holiday"),
    ("2026-05-25", "Spring bank holiday"),
    ("2026-08-31", "Summer bank holiday"),
    ("2026-12-25", "Christmas Day"),
    ("2026-12-28", "Boxing Day (substitute day)"),
    ("2027-01-01", "New Year's Day"),
    ("2027-03-26", "Good Friday"),
    ("2027-03-29", "Easter Monday"),
    ("2027-05-03", "Early May bank holiday"),
    ("2027-05-31", "Spring bank holiday"),
    ("2027-08-30", "Summer bank holiday"),
    ("2027-12-27", "Christmas Day (substitute day)"),
    ("2027-12-28", "Boxing Day (substitute day)"),
]


def ensure(threshold_model=None, holiday_model=None) -> None:
    """Write the standing data into empty tables (models given by a migration)."""
    if threshold_model is None or holiday_model is None:
        from procurement.models import BankHoliday, NoticeThreshold

        threshold_model, holiday_model = NoticeThreshold, BankHoliday
    if not threshold_model.objects.exists():
        threshold_model.objects.bulk_create(
            [
                threshold_model(regime=r, amount=a, effective_from=s, effective_to=e)
                for r, a, s, e in THRESHOLDS
            ]
        )
    if not holiday_model.objects.exists():
        holiday_model.objects.bulk_create(
            [holiday_model(date=date.fromisoformat(d), name=n) for d, n in HOLIDAYS]
        )


def on_post_migrate(sender, using="default", **kwargs) -> None:
    from django.db import router

    from procurement.models import NoticeThreshold

    if router.allow_migrate_model(using, NoticeThreshold) and using == "default":
        ensure()
