"""Which compliance records a person sees: everyone internal to the hub sees
its records; a partner contact only its own organisations'. Anything else
is a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from compliance.models import ComplianceRecord
from compliance.rules import sees_records


def records_visible(access: Any) -> QuerySet[ComplianceRecord]:
    if not sees_records(access):
        raise Http404("No such page")
    rows = ComplianceRecord.objects.filter(hub=access.hub).select_related("partner", "verified_by")
    if not access.is_internal:
        rows = rows.filter(partner_id__in=access.partner_ids)
    return rows


def record_for(access: Any, record_id: int) -> ComplianceRecord:
    return get_object_or_404(records_visible(access).select_related("added_by"), pk=record_id)


def records_of(partner: Any) -> list[ComplianceRecord]:
    """One partner's records, newest first (the directory's summary)."""
    cached = getattr(partner, "_compliance_records", None)
    if cached is None:
        cached = list(partner.compliance_records.order_by("kind", "-valid_from", "-pk"))
        partner._compliance_records = cached
    return cached
