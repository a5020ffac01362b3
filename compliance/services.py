"""Writes to compliance records: adding one (with its document, checked by
its content) and verifying it. Each asks its gate in compliance/rules.py,
in one transaction; HLO staff are told of a record waiting for them."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commissioning.uploads import check_upload
from compliance.kinds import FIELDS, kind_of
from compliance.models import ComplianceRecord
from compliance.rules import record_add_refusal, record_checks, record_verify_refusal
from hubs.access import HubAccess, standing_of
from hubs.models import Membership, Role
from hubs.refusals import Refusal, Refused
from notices.services import notify
from partners.models import PartnerOrganisation

DATES = ("valid_from", "expires_on", "review_on")


def _standing(hub: Any, user: Any, access: HubAccess | None) -> HubAccess:
    if access is not None and access.user.pk == user.pk and access.hub.pk == hub.pk:
        return access
    return standing_of(hub, user)


def record_add(
    *,
    partner: PartnerOrganisation,
    user: Any,
    kind: str,
    valid_from: Any,
    document: Any = None,
    access: HubAccess | None = None,
    **fields: Any,
) -> ComplianceRecord:
    """Add a record for `partner`, by one of its contacts or by staff. It
    counts once HLO staff verify it (`record_verify`)."""
    hub = partner.hub
    who = _standing(hub, user, access)
    refusals = [r for r in [record_add_refusal(who, partner)] if r is not None]
    data = {"kind": kind, "valid_from": valid_from, **fields}
    checked = None
    if document is not None:
        try:
            checked = check_upload(document)
        except Refused as refused:
            refusals.append(Refusal("upload_refused", refused.message, "document"))
    refusals += record_checks(hub, data, document)
    if refusals:
        raise Refused(refusals)
    asked = kind_of(hub, kind).asks
    values = {name: fields.get(name) for name in FIELDS if name in asked}
    values = {k: v for k, v in values.items() if v is not None}
    if "certificate_number" in values:
        values["certificate_number"] = str(values["certificate_number"]).replace(" ", "")
    with transaction.atomic():
        record = ComplianceRecord(
            hub=hub,
            partner=partner,
            kind=kind,
            valid_from=valid_from,
            expires_on=fields.get("expires_on"),
            review_on=fields.get("review_on"),
            notes=(fields.get("notes") or "").strip(),
            added_by=user,
            added_at=timezone.now(),
            **values,
        )
        if checked is not None:
            record.document = checked.file
            record.document_name = checked.original_name
            record.document_type = checked.content_type
            record.document_size = checked.size
            record.document_sha256 = checked.sha256
        record.save()
        if not who.can("run_commissions"):
            _tell_staff(record)
    return record


def _tell_staff(record: ComplianceRecord) -> None:
    staff = [
        m.user
        for m in Membership.objects.filter(hub_id=record.hub_id, role=Role.HLO_STAFF)
        .select_related("user")
        .order_by("pk")
    ]
    kind = kind_of(record.hub, record.kind)
    notify(
        hub=record.hub,
        recipients=staff,
        kind="compliance_added",
        subject=f"{record.partner.name} added its {kind.name.lower()}: verify it",
        body=f"{record.partner.name} added a {kind.name.lower()} record; it counts once HLO "
        "staff have verified it.",
        url=reverse("compliance:record", args=[record.hub.slug, record.pk]),
        dedupe_key=f"compliance_added:{record.pk}",
    )


def record_verify(
    *, record: ComplianceRecord, user: Any, access: HubAccess | None = None
) -> ComplianceRecord:
    """HLO staff confirm the record against its document (or the DBS Update
    Service); from then on it counts, until it lapses."""
    with transaction.atomic():
        locked = (
            ComplianceRecord.objects.select_for_update(of=("self",))
            .select_related("partner", "hub")
            .get(pk=record.pk)
        )
        refusal = record_verify_refusal(locked, _standing(locked.hub, user, access))
        if refusal is not None:
            raise Refused(refusal)
        locked.verified_by, locked.verified_at = user, timezone.now()
        locked.save(update_fields=["verified_by", "verified_at"])
    record.verified_by, record.verified_at = locked.verified_by, locked.verified_at
    return locked
