"""Every write of monitoring: schedules, reports, reviews, annual reviews and
complaints. Each runs in one transaction, on rows locked where two people
could race; notices go through notices' messenger inside the transaction and
are emailed after it commits. Moves of the commission itself are made only by
commissioning/services.py: the review functions here call those.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NoReturn

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, AgreementStatus, Instalment, InstalmentStatus
from commissioning import services as commissioning
from commissioning.models import Commission, SmartTarget, TransitionLog
from commissioning.policy import Refusal, TransitionRefused, is_officer
from commissioning.workflow import DECOMMISSIONING, Stage
from hubs.models import Decider, Membership, Role
from monitoring import schedule
from monitoring.models import (
    AnnualReview,
    Complaint,
    ComplaintStatus,
    RenewalDecision,
    Report,
    ReportKind,
    ReportStatus,
    ReviewCase,
    ReviewStatus,
    TargetProgress,
)
from monitoring.suppression import PARTICIPANT_FIELD_NAMES
from notices.services import notify

TEXT_ANSWERS = ["activities", "outcomes", "challenges", "case_study", "recommendations"]
ANSWERS = [*TEXT_ANSWERS, *PARTICIPANT_FIELD_NAMES]
LIVE = [Stage.MONITORING, *DECOMMISSIONING]
# The moves a review page offers once decommissioning is recommended.
DECOMMISSION_MOVES = [
    "send_decommission_to_board",
    "submit_decommission_for_decision",
    "close_decommission_comment",
    "approve_decommission",
    "reject_decommission",
    "withdraw_decommission",
    "end_partnership",
]


class Refused(TransitionRefused):
    """One or more refusals; the first is the one a single message shows."""

    def __init__(self, refusals: Sequence[Refusal]) -> None:
        super().__init__(refusals[0])
        self.refusals = list(refusals)


def refuse(rule: str, message: str, field: str | None = None) -> NoReturn:
    raise Refused([Refusal(rule, message, field)])


# ── who may ─────────────────────────────────────────────────────────────────


def _officer_only(user: Any, commission: Commission, what: str) -> None:
    if not is_officer(user, commission):
        who = "HLO staff"
        if commission.service_area_id:
            who = f"HLO staff or the service lead for {commission.service_area}"
        refuse("officer_only", f"Only {who} can {what} for this partnership.")


def is_partner_contact(user: Any, commission: Commission) -> bool:
    return Membership.objects.filter(
        hub_id=commission.hub_id,
        user=user,
        role=Role.PARTNER_CONTACT,
        partner_id=commission.partner_id,
    ).exists()


def _live(commission: Commission, what: str) -> None:
    if commission.status not in LIVE:
        refuse(
            "not_live",
            f"This commission is '{commission.stage.label}': you can {what} only while the "
            "partnership is signed and active.",
        )


def _officers(commission: Commission) -> list:
    """HLO staff, and the service lead of the commission's area."""
    who = Q(role=Role.HLO_STAFF)
    if commission.service_area_id:
        who |= Q(role=Role.SERVICE_LEAD, service_area_id=commission.service_area_id)
    members = Membership.objects.filter(who, hub_id=commission.hub_id).select_related("user")
    return list({m.user_id: m.user for m in members}.values())


def _contacts(commission: Commission) -> list:
    members = Membership.objects.filter(
        hub_id=commission.hub_id, role=Role.PARTNER_CONTACT, partner_id=commission.partner_id
    ).select_related("user")
    return [m.user for m in members]


def _report_url(report: Report) -> str:
    return reverse("monitoring:report", args=[report.commission.hub.slug, report.pk])


# ── schedules ───────────────────────────────────────────────────────────────


def _current_agreement(commission: Commission) -> Agreement | None:
    """The agreement in force: the newest one signed (by the partner at least:
    at the signing move, agreements may not have marked it signed yet)."""
    return (
        Agreement.objects.filter(
            commission=commission,
            status__in=[AgreementStatus.SIGNED, AgreementStatus.PARTNER_SIGNED],
        )
        .order_by("-period_number")
        .first()
    )


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
    agreement = _current_agreement(commission)
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
    reports = [
        Report(
            hub_id=commission.hub_id,
            commission=commission,
            period_number=period_number,
            kind=item.kind,
            title=item.title,
            due_on=item.due_on,
        )
        for item in schedule.plan(commission.policy, starts_on, ends_on)
    ]
    return Report.objects.bulk_create(reports)


def on_commission_move(commission: Commission, log: TransitionLog) -> None:
    """commissioning.hooks follower, whichever page made the move: once the
    partner signs, the reports fall due; reviews follow the recommendation
    they led to (rejected or withdrawn: closed; terminated: terminated)."""
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
    _officer_only(user, commission, "ask for a report")
    _live(commission, "ask for a report")
    if not title.strip():
        refuse("title_required", "Say what the report is for.", "title")
    if due_on is None or due_on < timezone.localdate():
        refuse("due_in_future", "Give a due date from today on.", "due_on")
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


def _partner_writes(report: Report, user: Any) -> None:
    if not is_partner_contact(user, report.commission):
        refuse(
            "partner_only",
            f"Only a contact of {report.commission.partner} can write this report.",
        )
    if not report.partner_may_edit:
        refuse(
            "not_editable",
            f"This report is '{report.get_status_display()}', so it can no longer be changed.",
        )


def report_save(
    *,
    report: Report,
    user: Any,
    answers: dict[str, Any],
    progress: dict[int, tuple[Decimal | None, str]] | None = None,
) -> Report:
    """Keep what the partner has written, as it is: nothing is checked until
    they submit. `progress` maps a SMART target's id to (value, note)."""
    with transaction.atomic():
        r = _locked_report(report)
        _partner_writes(r, user)
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
    return problems


def report_submit(*, report: Report, user: Any) -> Report:
    with transaction.atomic():
        r = _locked_report(report)
        _partner_writes(r, user)
        problems = submission_problems(r)
        if problems:
            raise Refused(problems)
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


def _officer_decides(report: Report, user: Any) -> None:
    _officer_only(user, report.commission, "accept or return a report")
    if report.status != ReportStatus.SUBMITTED:
        refuse(
            "not_submitted",
            f"This report is '{report.get_status_display()}'; only a submitted report can be "
            "accepted or returned.",
        )


def report_accept(
    *, report: Report, user: Any, comments: str = "", instalment: Instalment | None = None
) -> Report:
    """Accept a report; an instalment linked to it falls due for payment."""
    with transaction.atomic():
        r = _locked_report(report)
        _officer_decides(r, user)
        if instalment is not None and instalment.agreement.commission_id != r.commission_id:
            refuse("instalment_mismatch", "That instalment is not of this partnership.")
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
    """Ask agreements to mark the linked instalment due (agreements/services.py)."""
    try:
        from agreements.rules import AgreementRefused
        from agreements.services import instalment_mark_due
    except ImportError:  # agreements' payment services not installed yet
        return
    try:
        instalment_mark_due(
            instalment=report.instalment, user=user, reason=f"{report.title} accepted"
        )
    except AgreementRefused as refused:
        refuse("instalment_refused", refused.message, "instalment")


def report_return(*, report: Report, user: Any, comments: str) -> Report:
    if not comments.strip():
        refuse("comments_required", "Say what the partner needs to change.", "comments")
    with transaction.atomic():
        r = _locked_report(report)
        _officer_decides(r, user)
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
