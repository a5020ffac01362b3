"""Who may see a joint bid: the lead's contacts and each co-applicant's (at
every status), and the hub's staff once it is submitted; anyone else, and
anyone of another hub, gets a 404."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from commissioning.calls.selectors import is_staff
from commissioning.models import Proposal, ProposalPartner, ProposalStatus
from commissioning.rules.joint import co_applicants_of
from hubs.access import HubAccess


def joint_proposal_for(access: HubAccess, proposal_id: int) -> Proposal:
    proposal = get_object_or_404(
        Proposal.objects.select_related(
            "hub", "partner", "call", "commission", "commission__service_area", "submitted_by"
        ),
        pk=proposal_id,
        hub=access.hub,
        call__isnull=False,
    )
    if proposal.partner_id in access.partner_ids or is_co_applicant(access, proposal):
        return proposal
    if proposal.status != ProposalStatus.DRAFT and is_staff(access, proposal.commission):
        return proposal
    raise Http404("No such proposal")


def is_co_applicant(access: HubAccess, proposal: Proposal) -> bool:
    return any(link.partner_id in access.partner_ids for link in co_applicants_of(proposal))


def joint_bids_of(access: HubAccess) -> list[ProposalPartner]:
    """The bids this person's organisations are named in as a co-applicant,
    for their dashboard: one query."""
    if not access.partner_ids:
        return []
    return list(
        ProposalPartner.objects.filter(partner_id__in=access.partner_ids, proposal__hub=access.hub)
        .select_related("partner", "proposal__partner", "proposal__commission")
        .order_by("-proposal__updated_at", "pk")
    )


def with_co_applicants(proposals):
    """A proposal queryset with its co-applicants read in one more query."""
    return proposals.prefetch_related(
        Prefetch("co_applicants", queryset=ProposalPartner.objects.select_related("partner"))
    )
