"""Reviews and decommissioning, and the annual review of a one-year agreement
(renew or not). Moves of the commission itself are made by
commissioning/services.py: the functions here call those.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from agreements.models import Agreement
from commissioning import services as commissioning
from commissioning.models import Commission, TransitionLog
from commissioning.workflow import Stage
from monitoring import schedule
from monitoring.models import AnnualReview, RenewalDecision, Report, ReviewCase, ReviewStatus
from monitoring.services.common import DECOMMISSION_MOVES, _officer_only, refuse
from monitoring.services.reports import _current_agreement, schedule_create

# ── reviews and decommissioning ─────────────────────────────────────────────


def review_open(*, commission: Commission, user: Any, trigger: str, findings: str) -> ReviewCase:
    _officer_only(user, commission, "open a review")
    if commission.status != Stage.MONITORING:
        refuse(
            "not_live",
            f"This commission is '{commission.stage.label}': a review is opened while the "
            "partnership is signed and active.",
        )
    if not findings.strip():
        refuse(
            "findings_required",
            "Record the findings: what was missed, and the evidence.",
            "findings",
        )
    review = ReviewCase(
        hub_id=commission.hub_id,
        commission=commission,
        trigger=trigger,
        findings=findings.strip(),
        opened_by=user,
    )
    review.full_clean()
    review.save()
    return review


def _open_review(review: ReviewCase) -> ReviewCase:
    locked = ReviewCase.objects.select_for_update().get(pk=review.pk)
    if locked.status != ReviewStatus.OPEN:
        refuse("review_closed", f"This review is '{locked.get_status_display()}' already.")
    return locked


def review_recommend(*, review: ReviewCase, user: Any, grounds: str, reason: str) -> ReviewCase:
    """Recommend decommissioning: the commission's own move, under its policy."""
    with transaction.atomic():
        locked = _open_review(review)
        commissioning.commission_recommend_decommission(
            commission=review.commission, user=user, grounds=grounds, reason=reason
        )
        locked.status = ReviewStatus.RECOMMENDED
        locked.grounds = grounds
        locked.outcome = reason.strip()
        locked.save()
    review.refresh_from_db()
    return review


def review_terminate(*, review: ReviewCase, user: Any, reason: str) -> ReviewCase:
    """A safeguarding breach ends the partnership at once, where the policy
    allows; the commission's log records who and why."""
    with transaction.atomic():
        locked = _open_review(review)
        commissioning.commission_terminate_immediately(
            commission=review.commission, user=user, reason=reason
        )
        locked.status = ReviewStatus.TERMINATED
        locked.grounds = "safeguarding"
        locked.outcome = reason.strip()
        locked.closed_by, locked.closed_at = user, timezone.now()
        locked.save()
    review.refresh_from_db()
    return review


def review_close(*, review: ReviewCase, user: Any, outcome: str) -> ReviewCase:
    """The partnership continues: record what was agreed."""
    _officer_only(user, review.commission, "close a review")
    if not outcome.strip():
        refuse(
            "outcome_required", "Record what was agreed, so the partnership continues.", "outcome"
        )
    with transaction.atomic():
        locked = _open_review(review)
        locked.status = ReviewStatus.CLOSED
        locked.outcome = outcome.strip()
        locked.closed_by, locked.closed_at = user, timezone.now()
        locked.save()
    review.refresh_from_db()
    return review


def review_move(*, review: ReviewCase, user: Any, action: str, reason: str = "") -> TransitionLog:
    """The next step of a recommendation (board comment, decision, ending),
    taken through the commission's own services and rules."""
    if action not in DECOMMISSION_MOVES:
        refuse("unknown_action", "Choose one of the steps offered.")
    return commissioning.commission_take(
        commission=review.commission, user=user, action=action, reason=reason
    )


# ── annual review of a one-year agreement ───────────────────────────────────


def has_term(commission: Commission) -> bool:
    policy = commission.policy
    return policy.agreement_term_is_academic_year or bool(policy.agreement_term_months)


def annual_review_due(commission: Commission) -> tuple[int, date] | None:
    """(period number, end of period) of the agreement period to review, or
    None when this partnership has no fixed term."""
    if not has_term(commission):
        return None
    agreement = _current_agreement(commission)
    if agreement is not None:
        return agreement.period_number, agreement.ends_on
    first = Report.objects.filter(commission=commission).order_by("-period_number").first()
    period = first.period_number if first else 1
    started = commission.transitions.filter(to_stage=Stage.MONITORING).order_by("pk").first()
    starts_on = timezone.localdate(started.created_at) if started else timezone.localdate()
    return period, schedule.period_end(commission.policy, starts_on)


def annual_review_decide(
    *, commission: Commission, user: Any, decision: str, reason: str
) -> AnnualReview:
    """Renew into a new agreement period, or let the agreement lapse."""
    _officer_only(user, commission, "decide the annual review")
    if commission.status != Stage.MONITORING:
        refuse("not_live", "Only a signed, active partnership comes up for annual review.")
    due = annual_review_due(commission)
    if due is None:
        refuse(
            "no_term",
            f"{commission.hub.name}'s policy sets each agreement's term itself; there is no "
            "annual review to decide.",
        )
    if decision not in RenewalDecision.values:
        refuse("decision_required", "Choose to renew or to let the agreement lapse.", "decision")
    if not reason.strip():
        refuse("reason_required", "Give the reason for the decision; it is kept.", "reason")
    period, ends_on = due
    with transaction.atomic():
        Commission.objects.select_for_update().get(pk=commission.pk)
        if AnnualReview.objects.filter(commission=commission, period_number=period).exists():
            refuse("already_decided", "The annual review of this period is already decided.")
        agreement = _current_agreement(commission)
        review = AnnualReview.objects.create(
            hub_id=commission.hub_id,
            commission=commission,
            agreement=agreement,
            period_number=period,
            period_ends_on=ends_on,
            decision=decision,
            reason=reason.strip(),
            decided_by=user,
        )
        if decision == RenewalDecision.RENEW:
            renewed = _renew(agreement, user)
            review.renewed_agreement = renewed
            review.save(update_fields=["renewed_agreement"])
            schedule_create(
                commission=commission,
                starts_on=renewed.starts_on if renewed else ends_on + timedelta(days=1),
                ends_on=renewed.ends_on if renewed else None,
                period_number=period + 1,
            )
    return review


def _renew(agreement: Agreement | None, user: Any) -> Agreement | None:
    """The next period's agreement, drafted by agreements (its text and
    payment schedule carried over; it is approved and signed on its own pages)."""
    if agreement is None:
        return None
    try:
        from agreements.rules import AgreementRefused
        from agreements.services import agreement_renew
    except ImportError:  # agreements' services not installed yet
        return None
    try:
        return agreement_renew(agreement=agreement, user=user)
    except AgreementRefused as refused:
        refuse("renewal_refused", refused.message)
