"""Monitoring following the commission's moves (a commissioning.hooks
follower, inside the move's transaction, whichever page made it): the
reports fall due when the partner signs, reviews follow the recommendation
they led to, and when the partnership ends nothing more is owed."""

from __future__ import annotations

from commissioning.models import Commission, TransitionLog
from commissioning.workflow import Stage
from monitoring.models import PARTNER_EDITS, Report, ReportStatus, ReviewCase, ReviewStatus
from monitoring.rules import ENDED
from monitoring.services.reports import schedule_create


def on_commission_move(commission: Commission, log: TransitionLog) -> None:
    """Once the partner signs, the reports fall due; reviews follow the
    recommendation they led to (rejected or withdrawn: closed; terminated:
    terminated); once the partnership ends (completed, decommissioned or
    terminated at once), its reports still with the partner are closed."""
    if log.from_stage == Stage.ISSUED and log.to_stage == Stage.MONITORING:
        schedule_create(commission=commission)
    pending = ReviewCase.objects.filter(
        commission=commission, status__in=[ReviewStatus.OPEN, ReviewStatus.RECOMMENDED]
    )
    if log.action in ("reject_decommission", "withdraw_decommission"):
        pending.filter(status=ReviewStatus.RECOMMENDED).update(
            status=ReviewStatus.CLOSED,
            outcome=f"{log.reason} (the partnership continues)".strip(),
            closed_by=log.actor,
            closed_at=log.created_at,
        )
    elif log.action == "terminate_immediately":
        pending.update(
            status=ReviewStatus.TERMINATED,
            grounds="safeguarding",
            outcome=log.reason,
            closed_by=log.actor,
            closed_at=log.created_at,
        )
    if log.to_stage in ENDED:
        reports_close(commission=commission, log=log)


def reports_close(*, commission: Commission, log: TransitionLog) -> int:
    """Close every report still with the partner (due or returned): they are
    no longer owed, no reminder goes out for them and they leave the
    partner's "Reports you owe". A submitted report stays with the officer,
    who may still accept it (see ReportStatus.CLOSED)."""
    return Report.objects.filter(commission=commission, status__in=PARTNER_EDITS).update(
        status=ReportStatus.CLOSED, updated_at=log.created_at
    )
