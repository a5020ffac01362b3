"""Reads of needs analyses, needs and their targets, scoped to a hub.

Needs analyses are the hub's internal evidence: everyone who sees the hub's
commissions broadly (HLO staff, service leads, approvers, the board, hub
admins) reads them; partner contacts do not, and for them they do not exist.
"""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import Http404

from commissioning.models import Need, NeedsAnalysis, SmartTarget
from hubs.access import HubAccess


def reads_needs(access: HubAccess) -> bool:
    return access.sees_everything or access.is_officer or access.is_board


def needs_analyses_visible(access: HubAccess) -> QuerySet[NeedsAnalysis]:
    if not reads_needs(access):
        return NeedsAnalysis.objects.none()
    return (
        NeedsAnalysis.objects.filter(hub=access.hub)
        .annotate(need_count=Count("needs"))
        .order_by("-cycle", "title", "pk")
    )


def needs_analysis_for(access: HubAccess, pk: int) -> NeedsAnalysis:
    """The one access helper for a needs analysis: another hub's, or any for
    someone who may not read them, is a 404."""
    if not reads_needs(access):
        raise Http404("No such needs analysis")
    analysis = (
        NeedsAnalysis.objects.filter(hub=access.hub, pk=pk)
        .select_related("hub", "created_by")
        .first()
    )
    if analysis is None:
        raise Http404("No such needs analysis")
    return analysis


def needs_of(analysis: NeedsAnalysis) -> QuerySet[Need]:
    return (
        Need.objects.filter(analysis=analysis)
        .select_related("service_area")
        .annotate(
            target_count=Count("targets", distinct=True),
            commission_count=Count("commissions", distinct=True),
        )
        .order_by("priority", "title", "pk")
    )


def need_for(analysis: NeedsAnalysis, pk: int) -> Need:
    """A need of an analysis already fetched through `needs_analysis_for`."""
    need = (
        Need.objects.filter(analysis=analysis, hub_id=analysis.hub_id, pk=pk)
        .select_related("service_area")
        .first()
    )
    if need is None:
        raise Http404("No such need")
    need.analysis = analysis
    need.hub = analysis.hub
    return need


def targets_of(need: Need) -> QuerySet[SmartTarget]:
    return SmartTarget.objects.filter(need=need).order_by("due_on", "pk")
