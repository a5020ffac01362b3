"""What monitoring's services share: the report's answers and who is told
(the officers, the partner's contacts).
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from commissioning.models import Commission
from hubs.models import Membership, Role
from monitoring.models import Report
from monitoring.suppression import PARTICIPANT_FIELD_NAMES

TEXT_ANSWERS = ["activities", "outcomes", "challenges", "case_study", "recommendations"]
ANSWERS = [*TEXT_ANSWERS, *PARTICIPANT_FIELD_NAMES]


def _officers(commission: Commission) -> list:
    """HLO staff, and the service lead of the commission's area."""
    who = Q(role=Role.HLO_STAFF)
    if commission.service_area_id:
        who |= Q(role=Role.SERVICE_LEAD, service_area_id=commission.service_area_id)
    members = Membership.objects.filter(who, hub_id=commission.hub_id).select_related("user")
    return list({m.user_id: m.user for m in members}.values())


def _contacts(commission: Commission) -> list:
    members = Membership.objects.filter(
        hub_id=commission.hub_id, role=Role.PARTNER_CONTACT, partner_id=commission.partner_id
    ).select_related("user")
    return [m.user for m in members]


def _report_url(report: Report) -> str:
    return reverse("monitoring:report", args=[report.commission.hub.slug, report.pk])
