"""Complaints and grievances: logged, escalated (to the chair where the hub's
policy says so) and resolved, each through the gate its page asks
(monitoring/rules/complaints.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Commission
from hubs.refusals import raise_first
from hubs.routes import members_of
from monitoring.hearers import hearers_of
from monitoring.models import Complaint, ComplaintStatus
from monitoring.rules.complaints import (
    chair_decides,
    complaint_escalate_refusal,
    complaint_log_refusal,
    complaint_resolve_refusal,
    hearing_step,
)
from notices.services import notify


def complaint_log(
    *,
    commission: Commission,
    user: Any,
    kind: str,
    raised_by: str,
    received_on: date,
    summary: str,
    idempotency_key: str = "",
) -> Complaint:
    """A complaint received in writing, logged by the service manager (HLO
    staff). `idempotency_key` is the form's random token: the same form sent
    again (a double click, a replayed request) returns the complaint it
    logged the first time, and logs no second one."""
    raise_first(
        complaint_log_refusal(
            commission=commission,
            who=user,
            kind=kind,
            raised_by=raised_by,
            received_on=received_on,
            summary=summary,
        )
    )
    key = (idempotency_key or "").strip()[:64]
    if key:
        logged = Complaint.objects.filter(commission=commission, idempotency_key=key).first()
        if logged is not None:
            return logged
    complaint = Complaint(
        hub_id=commission.hub_id,
        commission=commission,
        kind=kind,
        raised_by=raised_by.strip(),
        received_on=received_on,
        summary=summary.strip(),
        logged_by=user,
        idempotency_key=key,
    )
    complaint.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            complaint.save()
    except IntegrityError:
        # The same form sent twice at once: the other request logged it.
        if not key:
            raise
        return Complaint.objects.get(commission=commission, idempotency_key=key)
    return complaint


def complaint_escalate(*, complaint: Complaint, user: Any, reason: str) -> Complaint:
    """Not resolved to the complainant's satisfaction: to the second level
    (the chair, in the policy's words), whose deciders are told."""
    with transaction.atomic():
        c = _locked(complaint)
        raise_first(complaint_escalate_refusal(complaint=c, who=user, reason=reason))
        c.status = ComplaintStatus.ESCALATED
        c.escalation_reason = reason.strip()
        c.escalated_by, c.escalated_at = user, timezone.now()
        c.save()
        _tell_the_hearer(c)
    complaint.refresh_from_db()
    return complaint


def complaint_resolve(*, complaint: Complaint, user: Any, outcome: str) -> Complaint:
    """The service manager resolves a logged complaint; the chair (or, where
    the policy names no chair, the approving body) an escalated one. Where the
    chair decides, that decision is final."""
    with transaction.atomic():
        c = _locked(complaint)
        raise_first(complaint_resolve_refusal(complaint=c, who=user, outcome=outcome))
        if c.status == ComplaintStatus.ESCALATED:
            c.is_final = chair_decides(c.commission)
        c.status = ComplaintStatus.RESOLVED
        c.outcome = outcome.strip()
        c.resolved_by, c.resolved_at = user, timezone.now()
        c.save()
    complaint.refresh_from_db()
    return complaint


def _tell_the_hearer(complaint: Complaint) -> None:
    """Those who decide an escalated complaint (its route's body) hear of it,
    in the policy's words for who hears it."""
    commission = complaint.commission
    step = hearing_step(commission)
    if step is None:
        return
    to = hearers_of(commission.policy).escalated
    notify(
        hub=commission.hub,
        recipients=list(members_of(step, commission)),
        kind="complaint_escalated",
        subject=f"A {complaint.get_kind_display().lower()} about {commission.reference} is "
        f"escalated to {to}",
        body=f"From {complaint.raised_by}: {complaint.escalation_reason}",
        url=reverse("monitoring:complaint", args=[commission.hub.slug, complaint.pk]),
        dedupe_key=f"complaint_escalated:{complaint.pk}",
    )


def _locked(complaint: Complaint) -> Complaint:
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("commission__hub", "commission__policy", "commission__service_area")
        .get(pk=complaint.pk)
    )
