"""Approved awards (issued onward) as 360Giving data (Data Standard 1.4), JSON and CSV.

One grant per approved commission (oversight.selectors.PUBLISHED): the Hub
Lead Organisation is the funder, the partner the recipient. Organisation
identifiers are in org-id form, built only from what the partner's record
holds (its own org-id, charity number or company number); a partner with none
gets an identifier under the hub's own 360Giving prefix, as the standard asks,
rather than an invented registration. Individual practitioners are published
as "Individual recipient" with an opaque identifier: no names of people leave
the system.

Both formats are generators for StreamingHttpResponse or a file, reading the
queryset with .iterator() so memory stays flat however many awards there are.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from commissioning.joint import joint_partners_of_hub
from commissioning.models import Commission, Route
from hubs.models import Hub
from monitoring.suppression import csv_rows
from oversight.joint_giving import joint_grants
from oversight.models import GivingPublisher, default_prefix
from oversight.selectors import published_commissions
from partners.models import OrganisationType, PartnerOrganisation

VERSION = "1.4"
CHUNK = 500
INDIVIDUAL_NAME = "Individual recipient"


class Publisher:
    """What every grant of one hub shares: prefix, funder, regrant type."""

    def __init__(self, hub: Hub) -> None:
        settings = GivingPublisher.objects.filter(hub=hub).first()
        self.hub = hub
        self.prefix = settings.grant_prefix if settings else default_prefix(hub)
        self.regrant_type = settings.regrant_type if settings else "FRG010"
        self.funder = {"id": hub.org_id or f"{self.prefix}-HLO", "name": hub.hlo_name}


def org_id(partner: PartnerOrganisation, publisher: Publisher) -> str:
    """The partner's org-id, from what its record holds, never guessed."""
    if partner.org_id:
        return partner.org_id
    if partner.charity_number:
        return f"GB-CHC-{partner.charity_number}"
    if partner.company_number:
        return f"GB-COH-{partner.company_number}"
    if partner.is_hlo and publisher.hub.org_id:
        return publisher.hub.org_id  # the HLO's own delivery arm
    return f"{publisher.prefix}-ORG-{partner.pk}"


def _day(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = timezone.localdate(value)
    return value.isoformat()


def _money(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def _recipient(commission: Commission, publisher: Publisher) -> dict:
    return recipient(commission.partner, publisher)


def recipient(partner: PartnerOrganisation, publisher: Publisher) -> dict:
    if partner.organisation_type == OrganisationType.INDIVIDUAL:
        return {
            "recipientIndividual": {
                "id": f"{publisher.prefix}-IND-{partner.pk}",
                "name": INDIVIDUAL_NAME,
            }
        }
    org = {"id": org_id(partner, publisher), "name": partner.name}
    if partner.charity_number:
        org["charityNumber"] = partner.charity_number
    if partner.company_number:
        org["companyNumber"] = partner.company_number
    org["organisationType"] = partner.get_organisation_type_display()
    return {"recipientOrganization": [org]}


def _planned(commission: Commission) -> dict:
    """The agreement's term when there is one; else from the signature to the
    end, as the log records them."""
    start = commission.term_starts or commission.started_at
    if not start:
        return {}
    dates = {"startDate": _day(start)}
    end = commission.term_ends or commission.ended_at
    if end:
        dates["endDate"] = _day(end)
    return dates


# The funding stream of a grant, as a classification of its funding type: a
# commission with a capital part is published as two grants (revenue, and
# capital with its own id), each naming the other as a related activity.
STREAM_VOCABULARY = "hubcommission:funding-stream"
CAPITAL_SUFFIX = "-CAPITAL"


def _stream(commission: Commission, publisher: Publisher, stream: str) -> dict:
    base = f"{publisher.prefix}-{commission.reference}"
    data: dict = {
        "fundingType": [
            {"vocabulary": STREAM_VOCABULARY, "code": stream, "title": stream.capitalize()}
        ]
    }
    if commission.hub_grant_capital:
        other = base if stream == "capital" else base + CAPITAL_SUFFIX
        data["relatedActivity"] = [other]
    return data


def grant(commission: Commission, publisher: Publisher, stream: str = "revenue") -> dict:
    """One awarded commission's grant of one funding stream (revenue: the
    Hub grant less any capital part) as a 360Giving grant. Expects the
    annotations of oversight.selectors.with_dates."""
    awarded = commission.awarded_at or commission.created_at
    capital = stream == "capital"
    amount = commission.hub_grant_capital if capital else commission.hub_grant_revenue
    data: dict = {
        "id": f"{publisher.prefix}-{commission.reference}" + (CAPITAL_SUFFIX if capital else ""),
        "title": commission.title + (" (capital)" if capital else ""),
        "description": commission.description or commission.title,
        "currency": "GBP",
        "amountAwarded": _money(amount),
        "awardDate": _day(awarded),
        **_recipient(commission, publisher),
        "fundingOrganization": [publisher.funder],
        "fromOpenCall": "Yes" if commission.route == Route.OPEN_CALL else "No",
        "regrantType": publisher.regrant_type,
        "beneficiaryLocation": [
            {
                "name": (
                    commission.service_area.name
                    if commission.service_area
                    else publisher.hub.area_description or publisher.hub.name
                ),
                "countryCode": "GB",
            }
        ],
    }
    data |= _stream(commission, publisher, stream)
    planned = _planned(commission)
    if planned:
        data["plannedDates"] = [planned]
    if commission.service_category:
        data["grantProgramme"] = [
            {
                "code": f"{publisher.prefix}-CAT-{commission.service_category_id}",
                "title": commission.service_category.name,
            }
        ]
    return data


def grants(hub: Hub) -> Iterator[dict]:
    publisher = Publisher(hub)
    joint = joint_partners_of_hub(hub)  # one query: the few joint partnerships' partners
    for commission in published_commissions(hub).iterator(chunk_size=CHUNK):
        partners = joint.get(commission.pk, [])
        yield from joint_grants(partners, publisher, grant(commission, publisher))
        if commission.hub_grant_capital:  # the capital part, as a grant of its own
            yield from joint_grants(partners, publisher, grant(commission, publisher, "capital"))


def has_grants(hub: Hub) -> bool:
    return published_commissions(hub).exists()


def package_json(hub: Hub) -> Iterator[str]:
    """A 360Giving package, written grant by grant."""
    head = {
        "version": VERSION,
        "title": f"{hub.hlo_name}: partnerships commissioned by {hub.name}",
        "publisher": {"name": hub.hlo_name, **({"identifier": hub.org_id} if hub.org_id else {})},
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "issued": timezone.now().isoformat(timespec="seconds"),
    }
    opening = json.dumps(head)[:-1]  # drop the closing brace, add the grants
    yield opening + ', "grants": ['
    for n, item in enumerate(grants(hub)):
        yield ("," if n else "") + "\n" + json.dumps(item, ensure_ascii=False)
    yield "\n]}\n"


# The 360Giving spreadsheet layout: column titles from the schema's own titles.
CSV_COLUMNS: list[tuple[str, str]] = [
    ("Identifier", "id"),
    ("Title", "title"),
    ("Description", "description"),
    ("Currency", "currency"),
    ("Amount Awarded", "amountAwarded"),
    ("Award Date", "awardDate"),
    ("Recipient Org:Identifier", "recipientOrganization/0/id"),
    ("Recipient Org:Name", "recipientOrganization/0/name"),
    ("Recipient Org:Charity Number", "recipientOrganization/0/charityNumber"),
    ("Recipient Org:Company Number", "recipientOrganization/0/companyNumber"),
    ("Recipient Org:Organisation Type", "recipientOrganization/0/organisationType"),
    ("Recipient Ind:Identifier", "recipientIndividual/id"),
    ("Recipient Ind:Name", "recipientIndividual/name"),
    ("Funding Org:Identifier", "fundingOrganization/0/id"),
    ("Funding Org:Name", "fundingOrganization/0/name"),
    ("Planned Dates:Start Date", "plannedDates/0/startDate"),
    ("Planned Dates:End Date", "plannedDates/0/endDate"),
    ("Grant Programme:Code", "grantProgramme/0/code"),
    ("Grant Programme:Title", "grantProgramme/0/title"),
    ("Beneficiary Location:Name", "beneficiaryLocation/0/name"),
    ("Beneficiary Location:Country Code", "beneficiaryLocation/0/countryCode"),
    ("From An Open Call?", "fromOpenCall"),
    ("For Regrant Type", "regrantType"),
    ("Funding Type:Vocabulary", "fundingType/0/vocabulary"),
    ("Funding Type:Code", "fundingType/0/code"),
    ("Funding Type:Title", "fundingType/0/title"),
]


def _pick(data: dict, path: str):
    value = data
    for part in path.split("/"):
        if isinstance(value, list):
            value = value[int(part)] if int(part) < len(value) else None
        elif isinstance(value, dict):
            value = value.get(part)
        if value is None:
            return ""
    return value


def package_csv(hub: Hub) -> Iterator[str]:
    header = [title for title, _ in CSV_COLUMNS]
    body = ([_pick(item, path) for _, path in CSV_COLUMNS] for item in grants(hub))
    return csv_rows(_chain(header, body))


def _chain(first: list, rest: Iterable[list]) -> Iterator[list]:
    yield first
    yield from rest
