"""Ends are ends: the rule monitoring adds to the commission's `complete` move
(registered in MonitoringConfig.ready through commissioning/hooks.py).

A partnership is completed "after the final evaluation": while the final
evaluation of its latest agreement period (every policy's schedule has one)
is not yet accepted, completing it waits. The commission page shows the move
with this reason instead of a button; the service refuses it in the same
words.
"""

from __future__ import annotations

from django.utils.formats import date_format

from hubs.refusals import Refusal
from monitoring.models import Report, ReportKind, ReportStatus


def final_evaluation_refusal(ctx) -> Refusal | None:
    """(policy.Context) -> Refusal | None, for the `complete` move."""
    finals = list(
        Report.objects.filter(commission=ctx.commission, kind=ReportKind.FINAL_EVALUATION)
        .order_by("-period_number", "due_on")
        .values("period_number", "status", "due_on", "submitted_at")
    )
    if not finals:
        return None  # a partnership scheduled before monitoring asked for none
    latest = [r for r in finals if r["period_number"] == finals[0]["period_number"]]
    if any(r["status"] == ReportStatus.ACCEPTED for r in latest):
        return None
    report = latest[0]
    due = date_format(report["due_on"], "j F Y")
    if report["status"] == ReportStatus.SUBMITTED:
        waiting = f"The final evaluation (due on {due}) is submitted and waits to be accepted"
    else:
        waiting = f"The final evaluation is due on {due}"
    return Refusal(
        "final_evaluation_required",
        f"{waiting}; the partnership is completed once it has been accepted.",
        waits=True,
    )
