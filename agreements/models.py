"""Partnership agreements: the text, its versions, the board's comments, the
signatures and the payment schedule.

One agreement per commission per agreement period (period 1 is the first
year; annual renewals add period 2, 3...). The first agreement's status
follows the commission's moves; a renewal makes the same moves on its own
while the commission stays in monitoring. The status and its moves are
declared in agreements/workflow.py. Writes go through agreements/services/.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from agreements.workflow import AgreementStatus, AgreementWorkflow
from commissioning.models import Commission, FundingStream
from hubs.models import Hub
from partners.models import PartnershipType
from partners.types import type_label

User = settings.AUTH_USER_MODEL
PENNY = Decimal("0.01")


EDITABLE = [AgreementStatus.DRAFT]
OPEN_FOR_COMMENT = [AgreementStatus.BOARD_COMMENT, AgreementStatus.APPROVAL]


class PaymentBasis(models.TextChoices):
    AMOUNTS = "amounts", "Fixed amounts"
    PERCENTAGES = "percentages", "Percentages of the Hub grant"


class AgreementTemplate(models.Model):
    """A hub's own wording for one type of partnership. Without one, the
    standard sections in agreements/drafting.py are used."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="agreement_templates")
    # One of the hub's policy's partnership types (partners/types.py), checked
    # by the admin form: the list is each policy version's own, not fixed here.
    partnership_type = models.CharField(max_length=20)
    sections = models.JSONField(
        default=list, help_text='A list of {"key", "title", "body"}; bodies may use {partner}.'
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "partnership_type"], name="unique_agreement_template"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hub}: {self.partnership_type} agreement template"


class Agreement(AgreementWorkflow):
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="agreements")
    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="agreements")
    period_number = models.PositiveSmallIntegerField(default=1)
    # A key of the commission's policy's partnership types (partners/types.py).
    partnership_type = models.CharField(max_length=20, default=PartnershipType.DELIVERY)
    starts_on = models.DateField()
    ends_on = models.DateField()
    sections = models.JSONField(default=list)
    version_number = models.PositiveIntegerField(default=1)
    payment_basis = models.CharField(
        max_length=20, choices=PaymentBasis.choices, default=PaymentBasis.PERCENTAGES
    )
    # Signatories: who signs for the HLO (named when drafting) and for the partner.
    hlo_signatory_name = models.CharField(max_length=200, blank=True)
    hlo_signatory_role = models.CharField(max_length=200, blank=True)
    partner_signatory_name = models.CharField(max_length=200, blank=True)
    partner_signatory_role = models.CharField(max_length=200, blank=True)
    # Board comment and approval.
    board_comment_closes_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    comments_before_decision = models.PositiveIntegerField(null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    # The PDF, rendered after each signature; stored privately (no public URL).
    pdf = models.FileField(upload_to="agreements/", blank=True)
    pdf_version = models.PositiveIntegerField(null=True, blank=True)
    pdf_generated_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["commission_id", "period_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "period_number"], name="one_agreement_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="agreement_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["hub", "status"], name="agreement_hub_status")]

    def __str__(self) -> str:
        return f"{self.commission.reference} partnership agreement, period {self.period_number}"

    def get_partnership_type_display(self) -> str:
        """The type's name in the commission's policy (the field has no fixed
        choices, so this stands where Django's own would)."""
        return type_label(self.commission.policy, self.partnership_type)

    @property
    def grant_amount(self) -> Decimal:
        return self.commission.hub_grant_amount

    @property
    def capital_amount(self) -> Decimal:
        """The part of the grant paid from the capital grant (0: all revenue)."""
        return self.commission.hub_grant_capital

    @property
    def is_first(self) -> bool:
        return self.period_number == 1

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    def section(self, key: str) -> dict | None:
        return next((s for s in self.sections if s.get("key") == key), None)


class AgreementVersion(models.Model):
    """Every save of an agreement, kept whole so any two can be compared."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    sections = models.JSONField(default=list)
    schedule = models.JSONField(default=list, help_text="The payment schedule as saved.")
    details = models.JSONField(default=dict, help_text="Term, type and signatories as saved.")
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="unique_agreement_version")
        ]

    def __str__(self) -> str:
        return f"{self.agreement} version {self.number}"


class BoardComment(models.Model):
    """A board member's comment on the whole draft or on one section, and the
    officer's response."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="board_comments"
    )
    version_number = models.PositiveIntegerField()
    section_key = models.CharField(max_length=40, blank=True, help_text="Blank: the whole draft.")
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
        indexes = [models.Index(fields=["agreement", "created_at"], name="board_comment_by_time")]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "author", "form_key"],
                condition=~models.Q(form_key=""),
                name="one_comment_per_form",
            )
        ]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.agreement}"


class SigningParty(models.TextChoices):
    PARTNER = "partner", "For the partner"
    HLO = "hlo", "For the Hub Lead Organisation"


class Signature(models.Model):
    """An electronic signature with its audit trail. Never edited."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatures")
    party = models.CharField(max_length=20, choices=SigningParty.choices)
    full_name = models.CharField(max_length=200)
    role_title = models.CharField("role", max_length=200)
    consent_statement = models.TextField()
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    version_number = models.PositiveIntegerField()
    content_digest = models.CharField(
        max_length=64, help_text="SHA-256 of the agreement text and schedule signed."
    )

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "party"], name="one_signature_per_party")
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_party_display()}) on {self.agreement}"


class Milestone(models.TextChoices):
    SIGNATURE = "signature", "When the agreement is signed"
    REPORT_ACCEPTED = "report_accepted", "When a monitoring report is accepted"
    FINAL_EVALUATION = "final_evaluation", "When the final evaluation is accepted"


class InstalmentStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    DUE = "due", "Due"
    APPROVED = "approved", "Approved for payment"
    PAID = "paid", "Paid"


class Instalment(models.Model):
    """One payment of the Hub grant: a fixed amount or a percentage, due on a
    date or at a milestone."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="instalments")
    position = models.PositiveSmallIntegerField(default=1)
    description = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )
    due_on = models.DateField(null=True, blank=True)
    milestone = models.CharField(max_length=30, choices=Milestone.choices, blank=True)
    # Which grant pays it; a percentage is of that stream's part of the grant.
    stream = models.CharField(
        max_length=10, choices=FundingStream.choices, default=FundingStream.REVENUE
    )
    status = models.CharField(
        max_length=20, choices=InstalmentStatus.choices, default=InstalmentStatus.SCHEDULED
    )
    due_at = models.DateTimeField(null=True, blank=True)
    due_reason = models.CharField(max_length=300, blank=True)
    approved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    payment_reference = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["agreement_id", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=False) | models.Q(percent__isnull=False),
                name="instalment_has_amount_or_percent",
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__isnull=False) | ~models.Q(milestone=""),
                name="instalment_has_date_or_milestone",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="instalment_status_due"),
            models.Index(fields=["agreement", "milestone"], name="instalment_milestone"),
        ]

    def __str__(self) -> str:
        return f"Instalment {self.position} of {self.agreement}"

    def value_of(self, grant: Decimal, capital: Decimal = Decimal(0)) -> Decimal:
        """This instalment in pounds, for a grant of `grant` of which `capital`
        is capital (a percentage is of its own stream's part)."""
        if self.amount is not None:
            return self.amount
        base = capital if self.stream == FundingStream.CAPITAL else grant - capital
        return (base * self.percent / 100).quantize(PENNY, rounding=ROUND_HALF_UP)

    @property
    def when(self) -> str:
        if self.due_on and self.milestone:
            return f"{self.due_on:%-d %B %Y}, or {self.get_milestone_display().lower()}"
        if self.due_on:
            return f"{self.due_on:%-d %B %Y}"
        return self.get_milestone_display()


# A joint partnership's co-applicants sign too (agreements/joint_signing.py).
from agreements.joint_models import CoSignature  # noqa: E402, F401

# Variations of a signed agreement (agreements/variation_models.py), registered here.
from agreements.variation_models import (  # noqa: E402, F401
    Variation,
    VariationComment,
    VariationDecision,
    VariationSignature,
    VariationStatus,
)
