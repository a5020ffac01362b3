"""The gates of a complaint's writes: HLO staff (the first-level hearer: the
service manager, in the policy's own words, monitoring/hearers.py) log,
escalate and resolve one; an escalated one is decided by whoever the
complaint route names (the chair, or the approving body)."""

from __future__ import annotations

from datetime import date
from typing import Any

from commissioning.models import Commission
from commissioning.policy import officer_refusal
from hubs.decision_routes import Body, DecisionKind
from hubs.refusals import Refusal, first
from hubs.routes import decide_steps, is_member, route_for
from monitoring.models import Complaint, ComplaintStatus
from monitoring.rules import required

RAISED_BY_MAX = Complaint._meta.get_field("raised_by").max_length


def hearing_step(commission: Commission) -> Any:
    """Who hears an escalated complaint: the policy's complaint route."""
    c = commission
    return next(
        iter(decide_steps(route_for(c.policy, DecisionKind.COMPLAINT, c.hub_grant_amount))), None
    )


def chair_decides(commission: Commission) -> bool:
    step = hearing_step(commission)
    return step is not None and step.body == Body.CHAIR


def may_decide_escalated(who: Any, complaint: Complaint) -> bool:
    """`who`: a user or a HubAccess (both answer has_perm)."""
    step = hearing_step(complaint.commission)
    return step is not None and is_member(who, step, complaint.commission)


def complaint_log_refusal(
    *,
    commission: Commission,
    who: Any,
    kind: str = "",
    raised_by: str = "",
    received_on: date | None = None,
    summary: str = "",
    offering: bool = False,
) -> Refusal | None:
    refusal = officer_refusal(who, commission, "log a complaint")
    if refusal is None and commission.partner_id is None:
        refusal = Refusal(
            "no_partnership",
            "This commission has no partner yet: complaints are about a partnership.",
        )
    if refusal is not None or offering:
        return refusal
    if kind not in Complaint.Kind.values:
        return Refusal("required", "Say whether it is a complaint or a grievance.", "kind")
    if len((raised_by or "").strip()) > RAISED_BY_MAX:
        return Refusal("too_long", f"Keep who made it to {RAISED_BY_MAX} characters.", "raised_by")
    if received_on is None:
        return Refusal("required", "Give the date it was received in writing.", "received_on")
    return first(
        required(raised_by, "required", "Say who made it.", "raised_by"),
        required(summary, "required", "Say what it is about.", "summary"),
    )


def complaint_escalate_refusal(
    *, complaint: Complaint, who: Any, reason: str = "", offering: bool = False
) -> Refusal | None:
    """Not resolved to the complainant's satisfaction: HLO staff escalate it."""
    refusal = officer_refusal(who, complaint.commission, "escalate a complaint")
    if refusal is None and complaint.status != ComplaintStatus.LOGGED:
        refusal = Refusal("not_logged", f"This complaint is '{complaint.status_words()}' already.")
    if refusal is not None or offering:
        return refusal
    return required(reason, "reason_required", "Say why it is escalated.", "reason")


def complaint_resolve_refusal(
    *, complaint: Complaint, who: Any, outcome: str = "", offering: bool = False
) -> Refusal | None:
    """HLO staff resolve a logged complaint; the chair (or the approving
    body) an escalated one."""
    commission = complaint.commission
    if complaint.status == ComplaintStatus.RESOLVED:
        refusal = Refusal("resolved", "This complaint is resolved already.")
    elif complaint.status == ComplaintStatus.ESCALATED:
        refusal = None
        if not may_decide_escalated(who, complaint):
            step = hearing_step(commission)
            by = f"the {step.body_name}" if step is not None else "no one yet (set its route)"
            refusal = Refusal(
                "chair_decides",
                f"This complaint was escalated: in {commission.hub} it is decided by {by}.",
            )
    else:
        refusal = officer_refusal(who, commission, "resolve a complaint")
    if refusal is not None or offering:
        return refusal
    return required(outcome, "outcome_required", "Record the outcome.", "outcome")
