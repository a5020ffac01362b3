"""Reviews and decommissioning, and the annual review of a one-year agreement
(renew or not). Moves of the commission itself are made by
commissioning/services.py: the functions here call those, and ask the same
gates (monitoring/rules/reviews.py) the review's page asks.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from agreements import services as agreements
from agreements.models import Agreement
from commissioning import services as commissioning
from commissioning.models import Commission, TransitionLog
from hubs.refusals import raise_first
from monitoring.models import AnnualReview, RenewalDecision, ReviewCase, ReviewStatus
from monitoring.rules.reviews import (
    annual_review_refusal,
    review_close_refusal,
    review_move_refusal,
    review_open_refusal,
    review_recommend_refusal,
    review_terminate_refusal,
)
from monitoring.selectors import annual_review_due
from monitoring.services.reports import schedule_create

# ── reviews and decommissioning ─────────────────────────────────────────────


def review_open(*, commission: Commission, user: Any, trigger: str, findings: str) -> ReviewCase:
    raise_first(review_open_refusal(commission=commission, who=user, findings=findings))
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


def _locked(review: ReviewCase) -> ReviewCase:
    return (
        ReviewCase.objects.select_for_update(of=("self",))
        .select_related("commission__hub", "commission__policy", "commission__service_area")
        .get(pk=review.pk)
    )


def review_recommend(*, review: ReviewCase, user: Any, grounds: str, reason: str) -> ReviewCase:
    """Recommend decommissioning: the commission's own move, under its policy."""
    with transaction.atomic():
        locked = _locked(review)
        raise_first(
            review_recommend_refusal(review=locked, who=user, grounds=grounds, reason=reason)
        )
        commissioning.commission_recommend_decommission(
            commission=locked.commission, user=user, grounds=grounds, reason=reason
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
        locked = _locked(review)
        raise_first(review_terminate_refusal(review=locked, who=user, reason=reason))
        commissioning.commission_terminate_immediately(
            commission=locked.commission, user=user, reason=reason
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
    with transaction.atomic():
        locked = _locked(review)
        raise_first(review_close_refusal(review=locked, who=user, outcome=outcome))
        locked.status = ReviewStatus.CLOSED
        locked.outcome = outcome.strip()
        locked.closed_by, locked.closed_at = user, timezone.now()
        locked.save()
    review.refresh_from_db()
    return review


def review_move(*, review: ReviewCase, user: Any, action: str, reason: str = "") -> TransitionLog:
    """The next step of a recommendation (board comment, decision, ending),
    taken through the commission's own services and rules."""
    with transaction.atomic():
        locked = _locked(review)
        raise_first(review_move_refusal(review=locked, who=user, action=action, reason=reason))
        return commissioning.commission_take(
            commission=locked.commission, user=user, action=action, reason=reason
        )


# ── annual review of a one-year agreement ───────────────────────────────────


def annual_review_decide(
    *, commission: Commission, user: Any, decision: str, reason: str
) -> AnnualReview:
    """Renew into a new agreement period, or let the agreement lapse."""
    with transaction.atomic():
        locked = (
            Commission.objects.select_for_update(of=("self",))
            .select_related("hub", "policy", "service_area")
            .get(pk=commission.pk)
        )
        due = annual_review_due(locked)
        raise_first(
            annual_review_refusal(
                commission=locked, who=user, decision=decision, reason=reason, due=due
            )
        )
        period, ends_on, agreement = due.period, due.ends_on, due.agreement
        review = AnnualReview.objects.create(
            hub_id=locked.hub_id,
            commission=locked,
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
                commission=locked,
                starts_on=renewed.starts_on if renewed else ends_on + timedelta(days=1),
                ends_on=renewed.ends_on if renewed else None,
                period_number=period + 1,
            )
    return review


def _renew(agreement: Agreement | None, user: Any) -> Agreement | None:
    """The next period's agreement, drafted by agreements' own service (its
    text and payment schedule carried over; it is approved and signed on its
    own pages, under the same rules as the first)."""
    if agreement is None:
        return None
    return agreements.agreement_renew(agreement=agreement, user=user)
