"""Opening a commission to meet a need, and recording a proposal made
outside the EOI form; re-exported from commissioning/services.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from commissioning import policy as engine
from commissioning.models import Commission, Need, Proposal, ProposalStatus, TransitionLog
from commissioning.notifications import transition_notify
from hubs.models import Hub, ServiceArea
from hubs.refusals import Refusal, Refused, raise_first
from hubs.services import policy_current
from partners.models import PartnerOrganisation

# ── opening a commission ─────────────────────────────────────────────────────


def commission_open(
    *,
    need: Need,
    user: Any,
    title: str,
    description: str = "",
    service_area: ServiceArea | None = None,
    service_category=None,
    hub_grant_amount: Decimal = Decimal(0),
) -> Commission:
    """Open a commission to meet a need, under the hub's current policy."""
    hub = need.hub
    policy = policy_current(hub=hub)
    service_area = service_area or need.service_area
    if policy.commissioning_by_service_area and service_area is None:
        raise Refused(
            Refusal(
                "service_area_required",
                f"In {hub.name} each music service commissions its own partners: choose the "
                "service area this commission belongs to.",
                field="service_area",
            )
        )
    if service_area is not None and service_area.hub_id != hub.pk:
        raise Refused(
            Refusal("service_area_required", "Choose a service area of this hub.", "service_area")
        )
    with transaction.atomic():
        locked_hub = Hub.objects.select_for_update().get(pk=hub.pk)
        commission = Commission(
            hub=locked_hub,
            policy=policy,
            need=need,
            title=title,
            description=description,
            service_area=service_area,
            service_category=service_category,
            hub_grant_amount=hub_grant_amount,
            created_by=user,
        )
        raise_first(engine.officer_refusal(user, commission, "open a commission"))
        count = Commission.objects.filter(hub=locked_hub).count()
        commission.reference = f"{locked_hub.slug.upper()[:6]}-{count + 1:04d}"
        commission.save()
        log = TransitionLog.objects.create(
            hub=locked_hub,
            commission=commission,
            actor=user,
            action="open",
            from_stage="",
            to_stage=commission.status,
            reason=f"Opened to meet the need: {need.title}",
        )
        transition_notify(log=log)
    return commission


def proposal_submit(
    *,
    commission: Commission,
    partner: PartnerOrganisation,
    summary: str,
    total_cost: Decimal,
    hub_grant_requested: Decimal,
    other_funding: Decimal = Decimal(0),
    in_kind: Decimal = Decimal(0),
    service_area: ServiceArea | None = None,
    call=None,
) -> Proposal:
    """Record a submitted proposal or expression of interest (for data loaded
    from elsewhere; partners use the EOI form). The policy's rules for an
    expression of interest hold here as they do on the form."""
    if partner.hub_id != commission.hub_id:
        raise Refused(Refusal("partner_required", "That organisation is not in this hub."))
    proposal = Proposal(
        hub=commission.hub,
        commission=commission,
        call=call,
        partner=partner,
        service_area=service_area,
        summary=summary,
        total_cost=total_cost,
        hub_grant_requested=hub_grant_requested,
        other_funding=other_funding,
        in_kind=in_kind,
        status=ProposalStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    raise_first(engine.proposal_refusal(proposal))
    proposal.full_clean()
    proposal.save()
    return proposal
