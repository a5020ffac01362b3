"""What calls' services share: the answers of an expression of interest,
and how they write times, word counts and money.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import NoReturn

from django.utils import timezone
from django.utils.formats import date_format

from hubs.refusals import Refusal, Refused

# The written answers of an expression of interest, in the form's order.
ANSWERS = ("title", "summary", "delivery_outline", "quality_and_inclusion")
LONG_ANSWERS = ("summary", "delivery_outline", "quality_and_inclusion")
# Numbers it gives, kept as typed like the answers (its planned reach).
COUNTS = ("planned_participants",)


def refuse(rule: str, message: str, field: str | None = None) -> NoReturn:
    raise Refused([Refusal(rule, message, field)])


def when(moment: datetime) -> str:
    """'12:00 on 3 March 2026', in the hub's time."""
    return date_format(timezone.localtime(moment), r"H:i \o\n j F Y")


def words(text: str) -> int:
    return len(text.split())


def money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"
