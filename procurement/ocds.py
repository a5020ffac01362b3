"""A notice as an Open Contracting Data Standard 1.1 release package, for the
officer to carry to the Central Digital Platform (which publishes Procurement
Act notices as OCDS releases and gives each its notice id).

One release a notice, tagged by what it tells: a below-threshold tender
notice is a `tender` release, a contract award notice an `award` release
(status pending: the standstill runs), a contract details notice a
`contract` release (active), a termination notice a `contractTermination`
release (the contract terminated, with its end date). The ocid joins the
platform's prefix to the hub and the commission, so every notice of one
contract shares it. Every package is checked against the standard's schema,
shipped in procurement/schemas/ (procurement/ocds_schema.py), before it goes out.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from agreements.models import Agreement
from hubs.models import Hub
from procurement import planning
from procurement.models import CommissionProcurement, Notice, NoticeKind

# Find a Tender's registered OCDS prefix: the Central Digital Platform's.
OCID_PREFIX = "ocds-h6vhtk"
TAGS = {
    NoticeKind.BELOW_THRESHOLD_TENDER: "tender",
    NoticeKind.CONTRACT_AWARD: "award",
    NoticeKind.CONTRACT_DETAILS: "contract",
    NoticeKind.CONTRACT_TERMINATION: "contractTermination",
}
METHOD = {"open_tender": "open", "three_quotes": "selective", "one_quote": "limited"}


def _moment(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = timezone.make_aware(datetime.combine(value, time.min))
    return value.astimezone(timezone.get_current_timezone()).isoformat(timespec="seconds")


def _money(amount: Decimal) -> dict:
    return {"amount": float(amount), "currency": "GBP"}


def ocid(record: CommissionProcurement) -> str:
    hub, commission = record.commission.hub, record.commission
    return f"{OCID_PREFIX}-{hub.slug}-{commission.reference}"


def _buyer(hub: Hub) -> dict:
    party = {"id": hub.org_id or f"hub-{hub.slug}", "name": hub.hlo_name or hub.name}
    if hub.org_id:
        scheme, _, uid = hub.org_id.rpartition("-")
        party["identifier"] = {"scheme": scheme, "id": uid, "legalName": party["name"]}
    return party


def _supplier(partner) -> dict | None:
    if partner is None:
        return None
    party = {"id": f"partner-{partner.pk}", "name": partner.name}
    if partner.charity_number:
        party["identifier"] = {"scheme": "GB-CHC", "id": partner.charity_number}
    elif partner.company_number:
        party["identifier"] = {"scheme": "GB-COH", "id": partner.company_number}
    if "identifier" in party:
        party["id"] = f"{party['identifier']['scheme']}-{party['identifier']['id']}"
    return party


def _term(commission_id: int) -> dict:
    rows = list(
        Agreement.objects.filter(commission_id=commission_id)
        .order_by("period_number")
        .values_list("starts_on", "ends_on")
    )
    if not rows:
        return {}
    return {"startDate": _moment(rows[0][0]), "endDate": _moment(rows[-1][1])}


def release(notice: Notice) -> dict:
    record = notice.procurement
    commission, hub = record.commission, record.commission.hub
    dates = planning.dates_of(commission.pk)
    value = _money(planning.value_with_vat(record))
    buyer, supplier = _buyer(hub), _supplier(commission.partner)
    parties = [{**buyer, "roles": ["buyer", "procuringEntity"]}]
    if supplier is not None and notice.kind != NoticeKind.BELOW_THRESHOLD_TENDER:
        parties.append({**supplier, "roles": ["supplier"]})
    base = ocid(record)
    tender = {
        "id": f"{base}-tender",
        "title": commission.title,
        "description": commission.description or commission.title,
        "value": value,
        "mainProcurementCategory": "services",
        "procurementMethodDetails": record.get_route_taken_display() or "Not recorded",
    }
    if record.route_taken in METHOD:
        tender["procurementMethod"] = METHOD[record.route_taken]
    if record.procurement_reference:
        tender["procurementMethodRationale"] = f"Council reference {record.procurement_reference}"
    out = {
        "ocid": base,
        "id": f"{base}-{notice.kind}-{notice.pk}",
        "date": _moment(notice.published_at or timezone.now()),
        "tag": [TAGS[notice.kind]],
        "initiationType": "tender",
        "language": "en",
        "parties": parties,
        "buyer": {"id": buyer["id"], "name": buyer["name"]},
        "tender": tender,
    }
    if notice.kind == NoticeKind.BELOW_THRESHOLD_TENDER:
        tender["status"] = "active"
        advertised = planning.advertised_on(record)
        if advertised:
            tender["tenderPeriod"] = {"startDate": _moment(advertised)}
        return out
    tender["status"] = "complete"
    award = {
        "id": f"{base}-award",
        "title": commission.title,
        "status": "pending" if notice.kind == NoticeKind.CONTRACT_AWARD else "active",
        "date": _moment(dates.awarded_on),
        "value": value,
    }
    if supplier is not None:
        award["suppliers"] = [{"id": supplier["id"], "name": supplier["name"]}]
    out["awards"] = [award]
    if notice.kind == NoticeKind.CONTRACT_AWARD:
        return out
    contract = {
        "id": f"{base}-contract",
        "awardID": award["id"],
        "title": commission.title,
        "status": "active",
        "value": value,
        "period": _term(commission.pk),
    }
    if dates.signed_on:
        contract["dateSigned"] = _moment(dates.signed_on)
    if notice.kind == NoticeKind.CONTRACT_TERMINATION:
        contract["status"] = "terminated"
        contract["period"] = {**contract["period"], "endDate": _moment(dates.ended_on)}
    out["contracts"] = [contract]
    return out


def package(notices: list[Notice], uri: str) -> dict:
    hub = notices[0].procurement.commission.hub
    return {
        "uri": uri,
        "version": "1.1",
        "publishedDate": _moment(timezone.now()),
        "publisher": {"name": hub.hlo_name or hub.name},
        "releases": [release(n) for n in notices],
    }


def package_json(notices: list[Notice], uri: str) -> str:
    return json.dumps(package(notices, uri), indent=2, ensure_ascii=False)
