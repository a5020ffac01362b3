"""Reads of the partner directory, scoped to the hub and the reader's role:
the hub's people inside (HLO staff, service leads, approvers, the board,
hub admins) see its every partner; a partner contact only the organisations
it speaks for. Anything else is a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from partners.models import PartnerOrganisation

# A partner's standing with the hub, in the order an organisation moves
# through it. One definition: the filter, the list and the page read it.
NEW, MET, OFFICIAL, FORMER = "new", "met", "official", "former"
STATUSES = [
    (NEW, "New"),
    (MET, "Introductory meeting held"),
    (OFFICIAL, "Official Hub partner"),
    (FORMER, "Former partner"),
]
STATUS_WORDS = dict(STATUSES)
STATUS_Q = {
    NEW: Q(former_on__isnull=True, is_existing_partner=False, introductory_meeting_on__isnull=True),
    MET: Q(
        former_on__isnull=True, is_existing_partner=False, introductory_meeting_on__isnull=False
    ),
    OFFICIAL: Q(former_on__isnull=True, is_existing_partner=True),
    FORMER: Q(former_on__isnull=False),
}


def status_of(partner: PartnerOrganisation) -> str:
    if partner.former_on is not None:
        return FORMER
    if partner.is_existing_partner:
        return OFFICIAL
    return MET if partner.introductory_meeting_on is not None else NEW


def partners_visible(access: Any) -> QuerySet[PartnerOrganisation]:
    partners = PartnerOrganisation.objects.filter(hub=access.hub)
    if not access.is_internal:
        partners = partners.filter(pk__in=access.partner_ids)
    return partners.select_related("service_area")


def partner_for(access: Any, partner_id: int) -> PartnerOrganisation:
    """The one access helper for a partner's pages."""
    partner = partners_visible(access).select_related("hub").filter(pk=partner_id).first()
    if partner is None:
        raise Http404("No such partner")
    return partner


def meetings_to_arrange(access: Any) -> list:
    """Introductory meetings organisations have asked for and that are not
    yet recorded as held, oldest first, for the officer's dashboard: the
    hub's every one for HLO staff, a service lead's own areas' (and those of
    partners with no area). One query, whatever the number."""
    from partners.directory.models import IntroductoryMeeting, MeetingOrigin

    if not access.is_officer:
        return []
    asked = IntroductoryMeeting.objects.filter(
        hub=access.hub, origin=MeetingOrigin.REQUESTED, held_on__isnull=True
    )
    if not access.can("run_commissions"):
        asked = asked.filter(
            Q(partner__service_area_id__in=access.area_ids) | Q(partner__service_area__isnull=True)
        )
    return list(asked.select_related("partner", "asked_by").order_by("asked_at", "pk"))
