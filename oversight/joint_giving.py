"""A joint partnership in 360Giving: one grant per partner, each with its own
share of the Hub grant and its own recipient, as the standard has one
recipient to a grant. The lead's grant keeps the commission's identifier (so
nothing published before changes its id); each co-applicant's adds its
partner's number. Every grant says it is part of a joint partnership.

Each partner's amount is its share of the grant it stands for (the whole
Hub grant, or a funding stream's part of it when giving.grants publishes one
grant per stream), shared as the award shared the Hub grant, so a
commission's grants still add up to what it awarded."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from commissioning.joint import split


def _money(value) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def joint_grants(partners: list, publisher: Any, base: dict) -> Iterator[dict]:
    """`base` is a commission's grant as giving.grant makes it, `partners`
    the commission's (commissioning.joint); a solo partnership's grant is
    yielded as it is."""
    if not partners:
        yield base
        return
    from oversight.giving import recipient

    lead = next(cp for cp in partners if cp.is_lead)
    names = ", ".join(_name(cp) for cp in partners if not cp.is_lead)
    together = (
        f" A joint partnership led by {_name(lead)} with {names}: this grant is one "
        "partner's share of the Hub grant."
    )
    total = sum((cp.grant_amount for cp in partners), Decimal(0))
    amount = Decimal(str(base["amountAwarded"]))
    amounts = dict(split(amount, partners, total)) or {cp: Decimal(0) for cp in partners}
    for cp in partners:
        data = {
            k: v
            for k, v in base.items()
            if k not in ("recipientOrganization", "recipientIndividual")
        }
        if not cp.is_lead:
            data["id"] = f"{base['id']}-P{cp.partner_id}"
        data["amountAwarded"] = _money(amounts[cp])
        data["description"] = base["description"] + together
        data.update(recipient(cp.partner, publisher))
        yield data


def _name(cp) -> str:
    from oversight.giving import INDIVIDUAL_NAME
    from partners.models import OrganisationType

    if cp.partner.organisation_type == OrganisationType.INDIVIDUAL:
        return INDIVIDUAL_NAME
    return cp.partner.name


def parts_in_words(value: Decimal, partners: list) -> str:
    """One instalment's part for each partner of a joint partnership, for the
    payments export ("Lead Ltd (lead) £600.00; Other £400.00"); "" alone."""
    from agreements.payments import partner_parts

    return "; ".join(
        f"{_name(cp)}{' (lead)' if cp.is_lead else ''} £{part:,.2f}"
        for cp, part in partner_parts(value, partners)
    )
