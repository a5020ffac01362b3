"""Monitoring and evaluation of a live partnership: the reports a partner owes
(on the hub's cadence, ad hoc, and the final evaluation), progress against the
commission's SMART targets, reviews that can lead to decommissioning, the
annual review of a one-year agreement, and complaints about a partnership.

Writes go through monitoring/services/; moves of the commission itself go
through commissioning/services.py only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from agreements.models import Agreement, Instalment
from commissioning.models import Commission, SmartTarget
from hubs.grounds import ground_label
from hubs.models import Hub

User = settings.AUTH_USER_MODEL


class ReportKind(models.TextChoices):
    PROGRESS = "progress", "Progress report"
    KPI_REVIEW = "kpi_review", "Review against KPIs"
    TERMLY_SURVEY = "termly_survey", "Termly survey"
    PERFORMANCE = "performance", "Performance report for the board"
    # Where a policy asks for one every N months and the agreement has no term.
    PARTNERSHIP_REVIEW = "partnership_review", "Partnership review"
    AD_HOC = "ad_hoc", "Report requested by the Hub"
    FINAL_EVALUATION = "final_evaluation", "Final evaluation"


class ReportStatus(models.TextChoices):
    DUE = "due", "Due"
    SUBMITTED = "submitted", "Submitted, awaiting review"
    RETURNED = "returned", "Returned for changes"
    ACCEPTED = "accepted", "Accepted"
    # Set when the partnership ends (completed, decommissioned or terminated)
    # on every report still with the partner (due or returned): nothing more
    # is owed. A report already submitted stays with the officer, who may
    # still accept it (it records work delivered, and may release a payment
    # for it) but no longer return it for changes.
    CLOSED = "closed", "Closed: the partnership ended"


PARTNER_EDITS = [ReportStatus.DUE, ReportStatus.RETURNED]


class Report(models.Model):
    """One report a partner owes on a commission. Participant data are
    aggregate counts only, never about a named child; small numbers are
    suppressed wherever they are shown (monitoring/suppression.py)."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="+")
    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="reports")
    period_number = models.PositiveSmallIntegerField(default=1)
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    title = models.CharField(max_length=200)
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=ReportStatus.choices, default=ReportStatus.DUE)
    request_note = models.TextField(blank=True, help_text="What the Hub asked for (ad hoc).")
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # What the partner writes.
    activities = models.TextField("activities delivered", blank=True)
    outcomes = models.TextField("outcomes achieved", blank=True)
    challenges = models.TextField("challenges encountered", blank=True)
    case_study = models.TextField(blank=True)
    recommendations = models.TextField(blank=True)

    # Participant data: aggregate counts.
    participants = models.PositiveIntegerField(null=True, blank=True)
    schools = models.PositiveIntegerField("schools reached", null=True, blank=True)
    age_under_5 = models.PositiveIntegerField("aged under 5", null=True, blank=True)
    age_5_10 = models.PositiveIntegerField("aged 5 to 10", null=True, blank=True)
    age_11_15 = models.PositiveIntegerField("aged 11 to 15", null=True, blank=True)
    age_16_18 = models.PositiveIntegerField("aged 16 to 18", null=True, blank=True)
    age_19_25 = models.PositiveIntegerField("aged 19 to 25 (with SEND)", null=True, blank=True)
    send = models.PositiveIntegerField("with special educational needs", null=True, blank=True)
    pupil_premium = models.PositiveIntegerField(
        "eligible for pupil premium or free school meals", null=True, blank=True
    )
    ethnicity_asian = models.PositiveIntegerField("Asian or Asian British", null=True, blank=True)
    ethnicity_black = models.PositiveIntegerField(
        "Black, Black British, Caribbean or African", null=True, blank=True
    )
    ethnicity_mixed = models.PositiveIntegerField("Mixed or multiple", null=True, blank=True)
    ethnicity_white = models.PositiveIntegerField("White", null=True, blank=True)
    ethnicity_other = models.PositiveIntegerField("Other ethnic group", null=True, blank=True)
    ethnicity_unknown = models.PositiveIntegerField("Not known or withheld", null=True, blank=True)

    # The decision.
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    officer_comments = models.TextField(blank=True)
    instalment = models.ForeignKey(
        Instalment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="releasing_reports",
        help_text="The payment this report releases when accepted.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # One more at every save from the form (hubs/drafts.py): a late autosave
    # carrying older answers is refused instead of writing over newer ones.
    draft_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["commission_id", "due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "period_number", "kind", "due_on"],
                condition=~models.Q(kind="ad_hoc"),
                name="one_scheduled_report_per_date",
            ),
        ]
        indexes = [
            models.Index(fields=["hub", "status", "due_on"], name="report_hub_status_due"),
            models.Index(fields=["status", "due_on"], name="report_status_due"),
            models.Index(fields=["commission", "status"], name="report_commission_status"),
            models.Index(fields=["hub", "kind"], name="report_hub_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.commission.reference})"

    @property
    def partner_may_edit(self) -> bool:
        return self.status in PARTNER_EDITS

    @property
    def is_final(self) -> bool:
        return self.kind == ReportKind.FINAL_EVALUATION


class TargetProgress(models.Model):
    """Where one SMART target stands, as a report gives it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="progress")
    target = models.ForeignKey(SmartTarget, on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField("value now", max_digits=12, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["report_id", "target_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "target"], name="one_value_per_target")
        ]
        indexes = [models.Index(fields=["target", "report"], name="progress_target")]

    def __str__(self) -> str:
        return f"{self.target}: {self.value}"


class ReviewTrigger(models.TextChoices):
    TARGETS = "targets", "Targets missed"
    STANDARDS = "standards", "Quality standards not met"
    OUTCOMES = "outcomes", "Outcomes not achieved"
    DATA_LATE = "data_late", "Data or reports late"
    SAFEGUARDING = "safeguarding", "Safeguarding concern"
    OBJECTIVES_MET = "objectives_met", "Objectives met: consider ending the partnership"
    OTHER = "other", "Other"


class ReviewStatus(models.TextChoices):
    OPEN = "open", "Open"
    RECOMMENDED = "recommended", "Decommissioning recommended"
    TERMINATED = "terminated", "Terminated at once (safeguarding)"
    CLOSED = "closed", "Closed: the partnership continues"


class ReviewCase(models.Model):
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="+")
    commission = models.ForeignKey(
        Commission, on_delete=models.CASCADE, related_name="review_cases"
    )
    trigger = models.CharField(max_length=20, choices=ReviewTrigger.choices)
    findings = models.TextField()
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.OPEN
    )
    # A key in the commission's policy's list of grounds (hubs/grounds.py).
    grounds = models.CharField(max_length=30, blank=True)
    outcome = models.TextField(blank=True)
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [
            models.Index(fields=["hub", "status"], name="review_hub_status"),
            models.Index(fields=["commission", "status"], name="review_commission_status"),
        ]

    def __str__(self) -> str:
        return f"Review of {self.commission.reference}: {self.get_trigger_display()}"

    def get_grounds_display(self) -> str:
        return ground_label(self.commission.policy, self.grounds)


class RenewalDecision(models.TextChoices):
    RENEW = "renew", "Renew for a new agreement period"
    LAPSE = "lapse", "Let the agreement lapse at the end of its period"


class AnnualReview(models.Model):
    """The annual review of an agreement with a term (Leicestershire: one
    academic year, reviewed annually): renew, or let it lapse."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="+")
    commission = models.ForeignKey(
        Commission, on_delete=models.CASCADE, related_name="annual_reviews"
    )
    agreement = models.ForeignKey(
        Agreement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    period_number = models.PositiveSmallIntegerField(default=1)
    period_ends_on = models.DateField()
    decision = models.CharField(max_length=10, choices=RenewalDecision.choices)
    reason = models.TextField()
    renewed_agreement = models.ForeignKey(
        Agreement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["commission_id", "period_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "period_number"], name="one_annual_review_per_period"
            )
        ]
        indexes = [models.Index(fields=["hub", "period_ends_on"], name="annual_review_hub_end")]

    def __str__(self) -> str:
        return f"Annual review of {self.commission.reference}, period {self.period_number}"


class ComplaintStatus(models.TextChoices):
    LOGGED = "logged", "With the service manager"
    ESCALATED = "escalated", "Escalated to the chair"
    RESOLVED = "resolved", "Resolved"


class Complaint(models.Model):
    """A complaint or grievance about a partnership, made in writing to the
    service manager, escalated to the chair if not resolved."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", "Complaint"
        GRIEVANCE = "grievance", "Grievance"

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="+")
    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="complaints")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COMPLAINT)
    raised_by = models.CharField(
        "raised by", max_length=200, help_text="Who made it (a name or an organisation)."
    )
    received_on = models.DateField("received in writing on")
    summary = models.TextField("what it is about")
    status = models.CharField(
        max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.LOGGED
    )
    logged_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    logged_at = models.DateTimeField(auto_now_add=True)
    escalation_reason = models.TextField(blank=True)
    escalated_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    is_final = models.BooleanField(
        default=False, help_text="Decided by the chair where the policy makes that final."
    )
    # The random token of the form it was logged from: the same form sent
    # twice (a double click, a replayed request) logs one complaint.
    idempotency_key = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        ordering = ["-logged_at", "-pk"]
        indexes = [
            models.Index(fields=["hub", "status"], name="complaint_hub_status"),
            models.Index(fields=["hub", "logged_at"], name="complaint_hub_logged"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="one_complaint_per_form",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} about {self.commission.reference}"

    def status_words(self) -> str:
        """The status in the words of the commission's policy: 'With the
        Service Manager', 'Escalated to the Chair of the Executive Board'."""
        from monitoring.hearers import hearers_of

        return hearers_of(self.commission.policy).status_label(
            self.status, self.get_status_display()
        )


class ReviewComment(models.Model):
    """A comment on a recommendation to decommission, by a member of the body
    the hub's policy asks (today its board), and the officer's response: as
    the board comments on a draft agreement (agreements.BoardComment). Never
    edited, apart from the one response."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="+")
    review = models.ForeignKey(ReviewCase, on_delete=models.CASCADE, related_name="comments")
    commission = models.ForeignKey(
        Commission, on_delete=models.CASCADE, related_name="review_comments"
    )
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    response = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    # The comment form's own random token: the same form sent twice (a
    # replay, a double click) makes one comment.
    form_key = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["review", "created_at"], name="review_comment_by_time")]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "author", "form_key"],
                condition=~models.Q(form_key=""),
                name="one_review_comment_per_form",
            )
        ]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.review}"


# Lists on each policy version: report schedules, who hears complaints.
from monitoring.hearers import ComplaintHearer  # noqa: E402, F401
from monitoring.report_schedules import ReportSchedule, ScheduleTerm  # noqa: E402, F401
