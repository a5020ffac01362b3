"""Reads for procurement's pages, scoped to the person's hub and role."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from commissioning.selectors import commission_for
from hubs.access import HubAccess
from procurement.models import CommissionProcurement, ContractValue, DepartureApproval, Notice


def may_see_procurement(access: HubAccess) -> bool:
    """HLO staff, service leads, approvers, hub admins and the board."""
    return access.is_internal


def commission_with_record(access: HubAccess, reference: str):
    """The commission (through commissioning's one selector) with its
    procurement record, values and approvals read; a 404 for anyone outside."""
    if not may_see_procurement(access):
        raise Http404("No such page")
    commission = commission_for(access, reference)
    record = (
        CommissionProcurement.objects.filter(commission=commission)
        .prefetch_related(
            Prefetch("values", queryset=ContractValue.objects.order_by("effective_on", "pk")),
            Prefetch("approvals", queryset=DepartureApproval.objects.select_related("actor")),
            Prefetch("notices", queryset=Notice.objects.order_by("due_by", "kind")),
        )
        .first()
    )
    if record is not None:
        record.commission = commission
    return commission, record


def notices_visible(access: HubAccess) -> QuerySet[Notice]:
    """The hub's notices: all of them for those who see every commission, a
    service lead's own area's, nobody else's."""
    notices = Notice.objects.filter(hub=access.hub).select_related(
        "procurement__commission__hub", "procurement__commission__service_area"
    )
    if access.sees_everything:
        return notices
    if access.area_ids:
        return notices.filter(procurement__commission__service_area__in=access.area_ids)
    raise Http404("No such page")


def notice_for(access: HubAccess, pk: int) -> Notice:
    notice = (
        notices_visible(access)
        .select_related("procurement__commission__partner", "procurement__commission__policy")
        .filter(pk=pk)
        .first()
    )
    if notice is None:
        raise Http404("No such notice")
    return notice
