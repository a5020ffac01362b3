"""Reads of calls and expressions of interest, scoped to the hub and the
reader: the public, a partner contact, the HLO's staff."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from commissioning.models import Call, PanelMember, Proposal, ProposalStatus, Score
from commissioning.workflow import Stage
from hubs.access import HubAccess
from hubs.models import Hub
from partners.models import PartnerOrganisation


def open_q(now=None, prefix: str = "") -> Q:
    """Open now: published, not yet closed, and its commission still looking."""
    now = now or timezone.now()
    return Q(
        **{
            f"{prefix}closed_at__isnull": True,
            f"{prefix}opens_at__lte": now,
            f"{prefix}closes_at__gt": now,
            f"{prefix}commission__status": Stage.IDENTIFY,
        }
    )


def _with_commission(calls: QuerySet[Call]) -> QuerySet[Call]:
    return calls.select_related(
        "hub",
        "commission",
        "commission__policy",
        "commission__service_area",
        "commission__service_category",
    )


# ── the public ───────────────────────────────────────────────────────────────


def public_open_calls(hub: Hub) -> QuerySet[Call]:
    return _with_commission(Call.objects.filter(open_q(), hub=hub, is_public=True)).order_by(
        "closes_at", "pk"
    )


def public_call(hub_slug: str, call_id: int) -> Call:
    """A public call once it has opened (a closed one still shows, marked closed)."""
    call = (
        _with_commission(Call.objects.filter(hub__slug=hub_slug, pk=call_id, is_public=True))
        .filter(opens_at__lte=timezone.now())
        .first()
    )
    if call is None:
        raise Http404("No such call")
    return call


# ── members of the hub ───────────────────────────────────────────────────────


def _partner_areas(access: HubAccess) -> tuple[set[int], bool]:
    """The service areas of the organisations this person speaks for, and
    whether one of them has none (it may then bid anywhere)."""
    areas = PartnerOrganisation.objects.filter(pk__in=access.partner_ids).values_list(
        "service_area_id", flat=True
    )
    found = set(areas)
    return found - {None}, None in found


def _visibility(access: HubAccess) -> Q:
    if access.sees_everything:
        return Q()
    q = Q(pk__in=[])
    if access.area_ids:
        q |= Q(commission__service_area_id__in=access.area_ids)
    if access.is_board:
        q |= open_q()
    if access.partner_ids:
        # Commissioning per service area: a partner sees the calls of its own
        # area and those of no area.
        areas, anywhere = _partner_areas(access)
        if anywhere:
            q |= open_q()
        else:
            q |= open_q() & (
                Q(commission__service_area__isnull=True) | Q(commission__service_area_id__in=areas)
            )
        # and, open or closed, the calls they have answered
        answered = Proposal.objects.filter(call=OuterRef("pk"), partner_id__in=access.partner_ids)
        q |= Q(Exists(answered))
    return q


def calls_visible(access: HubAccess) -> QuerySet[Call]:
    return _with_commission(Call.objects.filter(hub=access.hub).filter(_visibility(access)))


def calls_listed(access: HubAccess) -> QuerySet[Call]:
    """The hub's calls page: staff see every call with its count of submitted
    expressions of interest; others the calls open to them. `seated` and
    `scored` (a panel seated, a score given) let the list say "being scored"
    as the call's own page does (status.phase_of), in the same query."""
    counted = Count("proposals", filter=~Q(proposals__status=ProposalStatus.DRAFT), distinct=True)
    return (
        calls_visible(access)
        .annotate(
            received=counted,
            seated=Exists(PanelMember.objects.filter(call=OuterRef("pk"))),
            scored=Exists(Score.objects.filter(proposal__call=OuterRef("pk"))),
        )
        .order_by("-closes_at", "pk")
    )


def call_for(access: HubAccess, call_id: int) -> Call:
    call = calls_visible(access).filter(pk=call_id).first()
    if call is None:
        raise Http404("No such call")
    return call


def is_staff(access: HubAccess, call_or_commission) -> bool:
    """HLO staff, approvers, hub admins, and the service lead of its area."""
    commission = getattr(call_or_commission, "commission", call_or_commission)
    return access.sees_everything or commission.service_area_id in access.area_ids


def partner_proposals(access: HubAccess) -> dict[int, Proposal]:
    """This person's organisations' proposals, by call, for the calls list."""
    if not access.partner_ids:
        return {}
    found = Proposal.objects.filter(
        hub=access.hub, partner_id__in=access.partner_ids, call__isnull=False
    ).only("pk", "call_id", "status", "partner_id")
    return {p.call_id: p for p in found}


def call_proposals(call: Call) -> QuerySet[Proposal]:
    """What a call received: every proposal but the partners' drafts."""
    return (
        Proposal.objects.filter(call=call)
        .exclude(status=ProposalStatus.DRAFT)
        .select_related("partner", "commission", "submitted_by")
        .annotate(files=Count("attachments"))
        .order_by("submitted_at", "pk")
    )


def proposal_for(access: HubAccess, proposal_id: int) -> Proposal:
    """The one access helper for an expression of interest: its partner's
    contacts see it at every status, the hub's staff once it is submitted;
    anyone else gets a 404."""
    proposal = get_object_or_404(
        Proposal.objects.select_related(
            "hub",
            "partner",
            "call",
            "commission",
            "commission__policy",
            "commission__service_area",
            "service_area",
            "submitted_by",
            "call__commission__policy",
            "call__commission__service_area",
            "call__commission__service_category",
        ),
        pk=proposal_id,
        hub=access.hub,
        call__isnull=False,
    )
    if proposal.partner_id in access.partner_ids:
        return proposal
    if proposal.status != ProposalStatus.DRAFT and is_staff(access, proposal.commission):
        return proposal
    raise Http404("No such proposal")


def proposal_reference(proposal: Proposal) -> str:
    """What the receipt and the pages call an expression of interest."""
    return f"{proposal.commission.reference}/EOI-{proposal.pk:04d}"
