"""Complaints and grievances: logged, escalated (to the chair where the hub's
policy says so) and resolved.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from commissioning.models import Commission
from hubs.models import Decider
from monitoring.models import Complaint, ComplaintStatus
from monitoring.services.common import _officer_only, refuse

# ── complaints and grievances ───────────────────────────────────────────────


def complaint_log(
    *,
    commission: Commission,
    user: Any,
    kind: str,
    raised_by: str,
    received_on: date,
    summary: str,
) -> Complaint:
    """A complaint received in writing, logged by the service manager (HLO staff)."""
    _officer_only(user, commission, "log a complaint")
    complaint = Complaint(
        hub_id=commission.hub_id,
        commission=commission,
        kind=kind,
        raised_by=raised_by.strip(),
        received_on=received_on,
        summary=summary.strip(),
        logged_by=user,
    )
    complaint.full_clean()
    complaint.save()
    return complaint


def _chair_decides(complaint: Complaint) -> bool:
    return complaint.commission.policy.decommission_decided_by == Decider.CHAIR


def may_decide_escalated(user: Any, complaint: Complaint) -> bool:
    hub = complaint.commission.hub
    if _chair_decides(complaint):
        return user.has_perm("hubs.decide_terminations", hub)
    return user.has_perm("hubs.approve_commissions", hub)


def complaint_escalate(*, complaint: Complaint, user: Any, reason: str) -> Complaint:
    """Not resolved to the complainant's satisfaction: to the chair."""
    _officer_only(user, complaint.commission, "escalate a complaint")
    if not reason.strip():
        refuse("reason_required", "Say why it is escalated.", "reason")
    with transaction.atomic():
        c = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if c.status != ComplaintStatus.LOGGED:
            refuse("not_logged", f"This complaint is '{c.get_status_display()}' already.")
        c.status = ComplaintStatus.ESCALATED
        c.escalation_reason = reason.strip()
        c.escalated_by, c.escalated_at = user, timezone.now()
        c.save()
    complaint.refresh_from_db()
    return complaint


def complaint_resolve(*, complaint: Complaint, user: Any, outcome: str) -> Complaint:
    """The service manager resolves a logged complaint; the chair (or, where
    the policy names no chair, the approving body) an escalated one. Where the
    chair decides, that decision is final."""
    if not outcome.strip():
        refuse("outcome_required", "Record the outcome.", "outcome")
    with transaction.atomic():
        c = (
            Complaint.objects.select_for_update(of=("self",))
            .select_related("commission__hub", "commission__policy", "commission__service_area")
            .get(pk=complaint.pk)
        )
        if c.status == ComplaintStatus.RESOLVED:
            refuse("resolved", "This complaint is resolved already.")
        if c.status == ComplaintStatus.ESCALATED:
            if not may_decide_escalated(user, c):
                who = "the chair" if _chair_decides(c) else c.commission.policy.approving_body
                refuse(
                    "chair_decides",
                    f"This complaint was escalated: in {c.commission.hub} it is decided by {who}.",
                )
            c.is_final = _chair_decides(c)
        else:
            _officer_only(user, c.commission, "resolve a complaint")
        c.status = ComplaintStatus.RESOLVED
        c.outcome = outcome.strip()
        c.resolved_by, c.resolved_at = user, timezone.now()
        c.save()
    complaint.refresh_from_db()
    return complaint
