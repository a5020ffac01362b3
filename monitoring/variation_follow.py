"""The reports follow a variation of the agreement's term.

Registered with agreements' variation followers (MonitoringConfig.ready):
when a signed variation changes the agreement's term, the reports of its
period that are still to come and untouched (due later, never saved by the
partner) are planned again from the policy's schedule for the new term;
reports already written, submitted, accepted or overdue stay as they are,
and so do ad hoc ones. Runs inside the variation's transaction.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from monitoring import schedule
from monitoring.models import Report, ReportKind, ReportStatus


def reports_follow_variation(variation: Any, agreement: Any) -> list[Report]:
    """The reports added for the new term (none when the term is unchanged)."""
    if not variation.changes_term:
        return []
    commission = agreement.commission
    today = timezone.localdate()
    period = Report.objects.filter(commission=commission, period_number=agreement.period_number)
    untouched = period.exclude(kind=ReportKind.AD_HOC).filter(
        status=ReportStatus.DUE, due_on__gt=today, draft_version=1, submitted_at__isnull=True
    )
    untouched.delete()
    kept = {(r.kind, r.due_on) for r in period}
    has_final = any(kind == ReportKind.FINAL_EVALUATION for kind, _ in kept)
    planned = schedule.plan(
        commission.policy, agreement.starts_on, agreement.ends_on, agreement.partnership_type
    )
    new = [
        Report(
            hub_id=commission.hub_id,
            commission=commission,
            period_number=agreement.period_number,
            kind=item.kind,
            title=item.title,
            due_on=item.due_on,
        )
        for item in planned
        if item.due_on > today
        and (item.kind, item.due_on) not in kept
        and not (item.kind == ReportKind.FINAL_EVALUATION and has_final)
    ]
    return Report.objects.bulk_create(new)
