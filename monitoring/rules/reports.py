"""The gates of a report's writes: the officer asks for one, the partner
writes and submits it, the officer accepts or returns it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.utils import timezone

from commissioning.models import Commission
from commissioning.policy import officer_refusal
from hubs.refusals import Refusal, first
from monitoring.models import PARTNER_EDITS, Report, ReportStatus
from monitoring.rules import LIVE, is_partner_contact, live_refusal, required

TITLE_MAX = Report._meta.get_field("title").max_length
DECISIONS = ("accept", "return")
# What apps above monitoring ask of a report before it goes in, registered
# from their AppConfig.ready (contracts: a value for each KPI in force);
# each takes the report and returns its refusals.
SUBMISSION_CHECKS: list[Callable[[Report], list[Refusal]]] = []


def report_request_refusal(
    *,
    commission: Commission,
    who: Any,
    title: str = "",
    due_on: date | None = None,
    offering: bool = False,
) -> Refusal | None:
    """Asking the partner for a report outside the schedule (or the final
    evaluation early): HLO staff, on a live partnership."""
    refusal = first(
        officer_refusal(who, commission, "ask for a report"),
        live_refusal(commission, "ask for a report"),
    )
    if refusal is not None or offering:
        return refusal
    title = (title or "").strip()
    if len(title) > TITLE_MAX:
        return Refusal(
            "title_too_long",
            f"Keep what the report is for to {TITLE_MAX} characters; put the detail in what "
            "you are asking for.",
            "title",
        )
    if due_on is None or due_on < timezone.localdate():
        refusal = Refusal("due_in_future", "Give a due date from today on.", "due_on")
    return first(required(title, "title_required", "Say what the report is for.", "title"), refusal)


def report_write_refusal(*, report: Report, who: Any) -> Refusal | None:
    """Saving a report as it is written: its partner's contacts, while it is
    with them (due, or returned for changes)."""
    if not is_partner_contact(who, report.commission):
        return Refusal(
            "partner_only",
            f"Only a contact of {report.commission.partner} can write this report.",
        )
    if report.status == ReportStatus.CLOSED:
        return Refusal(
            "not_editable",
            "This report is closed: the partnership has ended, so nothing more is owed.",
        )
    if report.status not in PARTNER_EDITS:
        return Refusal(
            "not_editable",
            f"This report is '{report.get_status_display()}', so it can no longer be changed.",
        )
    return None


def submission_problems(report: Report) -> list[Refusal]:
    """What is missing before this report can go in, each beside its field."""
    problems = []
    if not report.activities.strip():
        problems.append(Refusal("required", "Describe the activities delivered.", "activities"))
    if not report.outcomes.strip():
        problems.append(Refusal("required", "Describe the outcomes achieved.", "outcomes"))
    if report.participants is None:
        problems.append(
            Refusal("required", "Give the number of participants (0 if none).", "participants")
        )
    if report.is_final and not report.recommendations.strip():
        problems.append(
            Refusal(
                "required",
                "A final evaluation ends with recommendations to inform future work.",
                "recommendations",
            )
        )
    parts = [getattr(report, name) or 0 for name in ("age_under_5", "age_5_10", "age_11_15")]
    parts += [getattr(report, name) or 0 for name in ("age_16_18", "age_19_25")]
    if report.participants is not None and sum(parts) > report.participants:
        problems.append(
            Refusal(
                "ages_exceed",
                f"The age bands add up to {sum(parts)}, more than the {report.participants} "
                "participants.",
                "age_under_5",
            )
        )
    for check in SUBMISSION_CHECKS:
        problems += check(report)
    return problems


def report_submit_refusal(*, report: Report, who: Any, offering: bool = False) -> Refusal | None:
    """Submitting: the writing gate, then (unless only offering) what is missing."""
    refusal = report_write_refusal(report=report, who=who)
    if refusal is not None or offering:
        return refusal
    return first(*submission_problems(report))


def report_decide_refusal(
    *,
    report: Report,
    who: Any,
    decision: str | None = None,
    comments: str = "",
    instalment: Any = None,
    offering: bool = False,
) -> Refusal | None:
    """Accepting or returning a submitted report: HLO staff. Once the
    partnership has ended a report can only be accepted: the partner can no
    longer change it. Without a `decision`, whether either may be taken."""
    commission = report.commission
    refusal = officer_refusal(who, commission, "accept or return a report")
    if refusal is None and report.status != ReportStatus.SUBMITTED:
        refusal = Refusal(
            "not_submitted",
            f"This report is '{report.get_status_display()}'; only a submitted report can be "
            "accepted or returned.",
        )
    if refusal is not None:
        return refusal
    if decision == "return" and commission.status not in LIVE:
        return Refusal(
            "partnership_ended",
            f"This partnership is '{commission.stage.label}': the partner can no longer change "
            "the report, so it can only be accepted.",
            "decision",
        )
    if offering or decision is None:
        return None
    if decision not in DECISIONS:
        return Refusal("decision_required", "Accept the report or return it.", "decision")
    if decision == "return" and not (comments or "").strip():
        return Refusal("comments_required", "Say what the partner needs to change.", "comments")
    if instalment is not None and instalment.agreement.commission_id != commission.pk:
        return Refusal("instalment_mismatch", "That instalment is not of this partnership.")
    return None


def decisions_offered(report: Report, who: Any) -> list[str]:
    """The decisions the report's page offers this person ("accept", "return")."""
    return [
        d
        for d in DECISIONS
        if report_decide_refusal(report=report, who=who, decision=d, offering=True) is None
    ]
