"""The commission page's procurement section (templates/commissioning/
commission_detail.html loads this tag, so commissioning imports nothing of
ours). For the hub's own people only: a partner never sees it. Before the
award it says what route the value needs and what the award waits for (the
record and the council's rules, read once with the award's own rule); after
it, the route recorded and the notices still to publish, in one query."""

from __future__ import annotations

from django import template
from django.db.models import Count, Min, Q
from django.utils import timezone

from commissioning.models import Commission
from procurement import rules
from procurement.models import CommissionKind, CommissionProcurement

register = template.Library()
UNPUBLISHED = Q(notices__published_at__isnull=True)


@register.inclusion_tag("procurement/_commission_section.html")
def procurement_section(commission, access) -> dict:
    if not access.is_internal:
        return {"shown": False}
    context = {"shown": True, "hub": access.hub, "commission": commission}
    if commission.status not in rules.BEFORE_AWARD:
        record = (
            CommissionProcurement.objects.filter(commission=commission)
            .annotate(owed=Count("notices", filter=UNPUBLISHED))
            .annotate(next_due=Min("notices__due_by", filter=UNPUBLISHED))
            .first()
        )
        return context | {"record": record, "after_award": True}
    record = rules.record_of(commission)
    kind = record.kind if record else CommissionKind.GRANT
    day = record.started_on if record else timezone.localdate()
    in_force, band = rules.band_needed(
        commission.hub_id, commission.hub_grant_amount, kind, day, holder=commission
    )
    return context | {
        "record": record,
        "rules": in_force,
        "band": band,
        "waiting": rules.procurement_route_refusal(_Ask(commission)),
    }


class _Ask:
    """What the award's rule reads, for a page asking with no award typed."""

    def __init__(self, commission: Commission) -> None:
        self.commission = commission
        self.params: dict = {}
