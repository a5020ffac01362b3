"""Splitting a draft agreement's Hub grant into revenue and capital (Kent
buys instruments from the capital grant): the commission keeps the total
and its capital part; the payment schedule must then pay each part."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from agreements.models import Agreement
from agreements.rules_streams import streams_refusal
from agreements.services.common import _lock, _lock_commission
from agreements.services.drafts import _keep_version
from hubs.refusals import raise_first


def grant_streams_save(*, agreement: Agreement, user: Any, capital: Decimal) -> Agreement:
    with transaction.atomic():
        commission = _lock_commission(agreement.commission)
        locked = _lock(agreement)
        locked.commission = commission
        raise_first(streams_refusal(locked, user, capital=capital))
        commission.hub_grant_capital = capital
        commission.save(update_fields=["hub_grant_capital"])
        revenue = commission.hub_grant_amount - capital
        _keep_version(
            locked,
            user,
            note=f"Hub grant split: £{revenue:,.2f} revenue, £{capital:,.2f} capital",
        )
    agreement.refresh_from_db()
    agreement.commission.refresh_from_db(fields=["hub_grant_capital"])
    return agreement
