"""Local Government Transparency Code 2015 exports, as rows for a streamed CSV.

- The quarterly contracts list: every contract for services whose value
  exceeds £5,000 and that ran at any time in the quarter (awarded by its last
  day, not ended before its first).
- The annual list of grants to voluntary, community and social enterprise
  organisations: every grant awarded in the financial year (April to March)
  to such an organisation (the procurement record's flag; without a record,
  a charity or community organisation).

How a change of value is reported: a contract's value is a history
(`ContractValue`: the value awarded, then each change from its date, never
edited). The list reports the value *in force on the quarter's last day* (or
on the day the contract ended, if earlier) as "Value (£)", the value in force
on its first day beside it, and every change whose date falls inside the
quarter in words ("£40,000 to £52,000 from 12 February 2026: a second term
of sessions"), so a reader sees both what the contract is worth now and that
it changed. A contract counts as over £5,000 if its value was over £5,000 on
any day of the quarter. Each list reads its commissions in one query (values
prefetched), a chunk at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from commissioning.models import Commission
from hubs.models import Hub
from hubs.routes import money
from oversight.selectors import with_dates
from partners.models import OrganisationType
from procurement.models import CommissionKind, ContractValue

CHUNK = 500
CONTRACTS_OVER = Decimal(5000)
VCS_TYPES = {OrganisationType.CHARITY, OrganisationType.COMMUNITY}
QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
YEAR = re.compile(r"^(\d{4})/(\d{2})$")

CONTRACT_COLUMNS = [
    "Reference",
    "Title",
    "Description",
    "Supplier",
    "Supplier charity number",
    "Supplier company number",
    "SME",
    "Voluntary or community sector",
    "Value at the start of the quarter (£)",
    "Value (£)",
    "Value changes in the quarter",
    "VAT that cannot be recovered (£)",
    "Start date",
    "End date",
    "Awarded on",
    "How it was procured",
    "Procurement reference",
]
GRANT_COLUMNS = [
    "Reference",
    "Purpose",
    "Recipient",
    "Recipient charity number",
    "Recipient company number",
    "Amount awarded (£)",
    "Awarded on",
    "Start date",
    "End date",
    "Kind",
]


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    first: date
    last: date


def quarter(key: str) -> Period | None:
    """A calendar quarter, '2026-Q1' (January to March 2026)."""
    found = QUARTER.match(key or "")
    if not found:
        return None
    year, q = int(found[1]), int(found[2])
    first = date(year, 3 * q - 2, 1)
    last = (date(year + (q == 4), (3 * q) % 12 + 1, 1)) - timedelta(days=1)
    return Period(key, f"{first:%B} to {last:%B %Y}", first, last)


def financial_year(key: str) -> Period | None:
    """April to March, '2025/26'."""
    found = YEAR.match(key or "")
    if not found or (int(found[1]) + 1) % 100 != int(found[2]):
        return None
    year = int(found[1])
    return Period(key, f"April {year} to March {year + 1}", date(year, 4, 1), date(year + 1, 3, 31))


def quarters_around(today: date, count: int = 8) -> list[Period]:
    q = (today.month - 1) // 3 + 1
    year, out = today.year, []
    for _ in range(count):
        out.append(quarter(f"{year}-Q{q}"))
        q, year = (q - 1, year) if q > 1 else (4, year - 1)
    return out


def years_around(today: date, count: int = 4) -> list[Period]:
    start = today.year if today.month >= 4 else today.year - 1
    return [financial_year(f"{y}/{(y + 1) % 100:02d}") for y in range(start, start - count, -1)]


def _day(value) -> str:
    if value is None:
        return ""
    return (timezone.localdate(value) if hasattr(value, "tzinfo") else value).isoformat()


def _local(value) -> date | None:
    return timezone.localdate(value) if value is not None else None


def value_on(values: list[ContractValue], day: date, fallback: Decimal) -> Decimal:
    in_force = [v for v in values if v.effective_on <= day]
    return in_force[-1].value if in_force else (values[0].value if values else fallback)


def _commissions(hub: Hub):
    values = Prefetch(
        "procurement__values", queryset=ContractValue.objects.order_by("effective_on", "pk")
    )
    return (
        with_dates(Commission.objects.filter(hub=hub))
        .select_related("partner", "procurement")
        .prefetch_related(values)
        .order_by("reference")
    )


def contract_rows(hub: Hub, period: Period) -> Iterator[list]:
    yield CONTRACT_COLUMNS
    contracts = _commissions(hub).filter(procurement__kind=CommissionKind.CONTRACT)
    for c in contracts.iterator(chunk_size=CHUNK):
        awarded, ended = _local(c.awarded_at), _local(c.ended_at)
        if awarded is None or awarded > period.last or (ended and ended < period.first):
            continue
        record = c.procurement
        values = list(record.values.all())
        start = max(period.first, awarded)
        last = min(period.last, ended) if ended else period.last
        changes = [v for v in values if start < v.effective_on <= last]
        opening = value_on(values, start, c.hub_grant_amount)
        closing = value_on(values, last, c.hub_grant_amount)
        if max([opening, closing, *(v.value for v in changes)]) <= CONTRACTS_OVER:
            continue
        partner = c.partner
        yield [
            c.reference,
            c.title,
            c.description,
            partner.name if partner else "",
            partner.charity_number if partner else "",
            partner.company_number if partner else "",
            "Yes" if record.supplier_is_sme else "No",
            "Yes" if record.supplier_is_vcs else "No",
            opening,
            closing,
            "; ".join(_change_words(values, v) for v in changes),
            record.vat_not_recoverable,
            _day(c.term_starts),
            _day(c.term_ends),
            _day(awarded),
            record.get_route_taken_display(),
            record.procurement_reference,
        ]


def _change_words(values: list[ContractValue], change: ContractValue) -> str:
    before = [v for v in values if (v.effective_on, v.pk) < (change.effective_on, change.pk)]
    was = f"{money(before[-1].value)} to " if before else ""
    return f"{was}{money(change.value)} from {change.effective_on:%-d %B %Y}: {change.reason}"


def _is_vcs(c: Commission) -> bool:
    record = getattr(c, "procurement", None)
    if record is not None:
        return record.supplier_is_vcs
    return c.partner is not None and c.partner.organisation_type in VCS_TYPES


def grant_rows(hub: Hub, period: Period) -> Iterator[list]:
    yield GRANT_COLUMNS
    commissions = _commissions(hub).exclude(procurement__kind=CommissionKind.CONTRACT)
    for c in commissions.iterator(chunk_size=CHUNK):
        awarded = _local(c.awarded_at)
        if awarded is None or not (period.first <= awarded <= period.last) or not _is_vcs(c):
            continue
        partner = c.partner
        yield [
            c.reference,
            c.title,
            partner.name,
            partner.charity_number,
            partner.company_number,
            c.hub_grant_amount,
            _day(awarded),
            _day(c.term_starts),
            _day(c.term_ends),
            "Grant",
        ]
