"""Report schedules and reports: the schedule saved when a partner signs, a
report requested, saved and submitted by the partner, then accepted (releasing
the instalments it unlocks) or returned by the officer.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from agreements import services as agreements
from agreements.models import Instalment, InstalmentStatus
from commissioning.models import Commission, SmartTarget
from hubs.drafts import draft_version_claim
from hubs.refusals import Refused, raise_first
from monitoring import schedule
from monitoring.models import Report, ReportKind, ReportStatus, TargetProgress
from monitoring.rules.reports import (
    report_decide_refusal,
    report_request_refusal,
    report_write_refusal,
    submission_problems,
)
from monitoring.selectors import agreement_in_force
from monitoring.services.common import (
    ANSWERS,
    _contacts,
    _officers,
    _report_url,
)
from notices.services import notify

# ── schedules ───────────────────────────────────────────────────────────────


def schedule_create(
    *,
    commission: Commission,
    starts_on: date | None = None,
    ends_on: date | None = None,
    period_number: int | None = None,
) -> list[Report]:
    """Save the reports the hub's policy asks of this partnership for one
    agreement period: the agreement's own term when there is one, else the
    term the policy sets from `starts_on` (today by default). Idempotent: a
    period already scheduled is left as it is."""
    agreement = agreement_in_force(commission)
    if period_number is None:
        period_number = agreement.period_number if agreement else 1
    if agreement is not None and agreement.period_number == period_number:
        starts_on, ends_on = agreement.starts_on, agreement.ends_on
    else:
        starts_on = starts_on or timezone.localdate()
        ends_on = ends_on or schedule.period_end(commission.policy, starts_on)
    existing = Report.objects.filter(commission=commission, period_number=period_number).exclude(
        kind=ReportKind.AD_HOC
    )
    if existing.exists():
        return list(existing)
    # The partnership's type picks its schedule: as agreed, else the partner's.
    if agreement is not None:
        kind = agreement.partnership_type
    else:
        kind = commission.partner.partnership_type if commission.partner_id else ""
    reports = [
        Report(
            hub_id=commission.hub_id,
            commission=commission,
            period_number=period_number,
            kind=item.kind,
            title=item.title,
            due_on=item.due_on,
        )
        for item in schedule.plan(commission.policy, starts_on, ends_on, kind)
    ]
    return Report.objects.bulk_create(reports)


def report_request(
    *,
    commission: Commission,
    user: Any,
    title: str,
    due_on: date,
    note: str = "",
    final: bool = False,
) -> Report:
    """An officer asks for a report outside the schedule, or for the final
    evaluation now that delivery has ended."""
    raise_first(report_request_refusal(commission=commission, who=user, title=title, due_on=due_on))
    with transaction.atomic():
        report = Report.objects.create(
            hub_id=commission.hub_id,
            commission=commission,
            period_number=_period(commission),
            kind=ReportKind.FINAL_EVALUATION if final else ReportKind.AD_HOC,
            title=title.strip(),
            due_on=due_on,
            request_note=note.strip(),
            requested_by=user,
        )
        if final:
            # The final evaluation asked for now replaces the scheduled one still due.
            Report.objects.filter(
                commission=commission, kind=ReportKind.FINAL_EVALUATION, status=ReportStatus.DUE
            ).exclude(pk=report.pk).filter(requested_by__isnull=True).delete()
        notify(
            hub=commission.hub,
            recipients=_contacts(commission),
            kind="report_requested",
            subject=f"{commission.hub.name} asks for a report: {report.title}",
            body=f"Due on {due_on:%-d %B %Y}. {report.request_note}".strip(),
            url=_report_url(report),
            dedupe_key=f"report_requested:{report.pk}",
        )
    return report


def _period(commission: Commission) -> int:
    last = Report.objects.filter(commission=commission).order_by("-period_number").first()
    return last.period_number if last else 1


# ── the partner writes ──────────────────────────────────────────────────────


def _locked_report(report: Report) -> Report:
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("commission", "commission__hub", "commission__service_area")
        .get(pk=report.pk)
    )


def report_save(
    *,
    report: Report,
    user: Any,
    answers: dict[str, Any],
    progress: dict[int, tuple[Decimal | None, str]] | None = None,
    version: int | None = None,
) -> Report:
    """Keep what the partner has written, as it is: nothing is checked until
    they submit. `progress` maps a SMART target's id to (value, note);
    `version` is the draft version the page was loaded with (hubs/drafts.py):
    an older one is refused, so a late autosave never writes over newer words."""
    with transaction.atomic():
        r = _locked_report(report)
        raise_first(report_write_refusal(report=r, who=user))
        draft_version_claim(Report.objects, r, sent=version, what="report")
        for name, value in answers.items():
            if name in ANSWERS:
                setattr(r, name, value)
        r.save()
        if progress is not None:
            _save_progress(r, progress)
    report.refresh_from_db()
    return report


def _save_progress(report: Report, progress: dict[int, tuple[Decimal | None, str]]) -> None:
    allowed = set(
        SmartTarget.objects.filter(need_id=report.commission.need_id).values_list("pk", flat=True)
    )
    TargetProgress.objects.filter(report=report).delete()
    TargetProgress.objects.bulk_create(
        TargetProgress(report=report, target_id=pk, value=value, note=note[:300])
        for pk, (value, note) in progress.items()
        if pk in allowed and value is not None
    )


def report_submit(*, report: Report, user: Any) -> Report:
    with transaction.atomic():
        r = _locked_report(report)
        raise_first(report_write_refusal(report=r, who=user))
        problems = submission_problems(r)  # all of them, each beside its field
        if problems:
            raise Refused(problems)
        # Submitted: any save still on its way from an open page is now stale.
        draft_version_claim(Report.objects, r, sent=None, what="report")
        r.status = ReportStatus.SUBMITTED
        r.submitted_at = timezone.now()
        r.submitted_by = user
        r.save()
        notify(
            hub=r.commission.hub,
            recipients=_officers(r.commission),
            kind="report_submitted",
            subject=f"{r.commission.partner} submitted {r.title} ({r.commission.reference})",
            url=_report_url(r),
            dedupe_key=f"report_submitted:{r.pk}:{r.submitted_at.isoformat()}",
        )
    report.refresh_from_db()
    return report


# ── the officer decides ─────────────────────────────────────────────────────


def releasable_instalments(report: Report) -> list[Instalment]:
    """Instalments of this commission's agreements a report could release."""
    return list(
        Instalment.objects.filter(
            agreement__commission_id=report.commission_id,
            status=InstalmentStatus.SCHEDULED,
            milestone__in=["report_accepted", "final_evaluation"],
        )
        .select_related("agreement")
        .order_by("agreement__period_number", "position")
    )


def report_accept(
    *, report: Report, user: Any, comments: str = "", instalment: Instalment | None = None
) -> Report:
    """Accept a report; an instalment linked to it falls due for payment."""
    with transaction.atomic():
        r = _locked_report(report)
        raise_first(
            report_decide_refusal(
                report=r, who=user, decision="accept", comments=comments, instalment=instalment
            )
        )
        r.status = ReportStatus.ACCEPTED
        r.decided_at = timezone.now()
        r.decided_by = user
        r.officer_comments = comments.strip()
        r.instalment = instalment or r.instalment
        r.save()
        if r.instalment is not None:
            _release(r, user)
        notify(
            hub=r.commission.hub,
            recipients=_contacts(r.commission),
            kind="report_accepted",
            subject=f"{r.title} accepted ({r.commission.reference})",
            body=r.officer_comments,
            url=_report_url(r),
            dedupe_key=f"report_accepted:{r.pk}",
        )
    report.refresh_from_db()
    return report


def _release(report: Report, user: Any) -> None:
    """Ask agreements to mark the linked instalment due (agreements/services/)."""
    try:
        agreements.instalment_mark_due(
            instalment=report.instalment, user=user, reason=f"{report.title} accepted"
        )
    except Refused as refused:  # agreements' own words, beside the instalment chosen
        raise Refused(refused.refusal.at("instalment")) from refused


def report_return(*, report: Report, user: Any, comments: str) -> Report:
    with transaction.atomic():
        r = _locked_report(report)
        raise_first(report_decide_refusal(report=r, who=user, decision="return", comments=comments))
        r.status = ReportStatus.RETURNED
        r.decided_at = timezone.now()
        r.decided_by = user
        r.officer_comments = comments.strip()
        r.save()
        notify(
            hub=r.commission.hub,
            recipients=_contacts(r.commission),
            kind="report_returned",
            subject=f"{r.title} returned for changes ({r.commission.reference})",
            body=r.officer_comments,
            url=_report_url(r),
            dedupe_key=f"report_returned:{r.pk}:{r.decided_at.isoformat()}",
        )
    report.refresh_from_db()
    return report
