"""What monitoring's services share: the report's answers, the live stages,
the refusal they raise, and who may do what (the officer, the partner's
contacts) on a live partnership.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NoReturn

from django.db.models import Q
from django.urls import reverse

from commissioning.models import Commission
from commissioning.policy import Refusal, TransitionRefused, is_officer
from commissioning.workflow import DECOMMISSIONING, Stage
from hubs.models import Membership, Role
from monitoring.models import Report
from monitoring.suppression import PARTICIPANT_FIELD_NAMES

TEXT_ANSWERS = ["activities", "outcomes", "challenges", "case_study", "recommendations"]
ANSWERS = [*TEXT_ANSWERS, *PARTICIPANT_FIELD_NAMES]
LIVE = [Stage.MONITORING, *DECOMMISSIONING]
# The moves a review page offers once decommissioning is recommended.
DECOMMISSION_MOVES = [
    "send_decommission_to_board",
    "submit_decommission_for_decision",
    "close_decommission_comment",
    "approve_decommission",
    "reject_decommission",
    "withdraw_decommission",
    "end_partnership",
]


class Refused(TransitionRefused):
    """One or more refusals; the first is the one a single message shows."""

    def __init__(self, refusals: Sequence[Refusal]) -> None:
        super().__init__(refusals[0])
        self.refusals = list(refusals)


def refuse(rule: str, message: str, field: str | None = None) -> NoReturn:
    raise Refused([Refusal(rule, message, field)])


# ── who may ─────────────────────────────────────────────────────────────────


def _officer_only(user: Any, commission: Commission, what: str) -> None:
    if not is_officer(user, commission):
        who = "HLO staff"
        if commission.service_area_id:
            who = f"HLO staff or the service lead for {commission.service_area}"
        refuse("officer_only", f"Only {who} can {what} for this partnership.")


def is_partner_contact(user: Any, commission: Commission) -> bool:
    return Membership.objects.filter(
        hub_id=commission.hub_id,
        user=user,
        role=Role.PARTNER_CONTACT,
        partner_id=commission.partner_id,
    ).exists()


def _live(commission: Commission, what: str) -> None:
    if commission.status not in LIVE:
        refuse(
            "not_live",
            f"This commission is '{commission.stage.label}': you can {what} only while the "
            "partnership is signed and active.",
        )


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
