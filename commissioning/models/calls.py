"""Calls for proposals / expressions of interest, and what a proposal carries:
its budget lines, funding sources and attachments."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from hubs.models import Criterion, Hub


def _private_name(instance, folder: str) -> str:
    # Never the uploader's file name on disk: it is kept in `original_name`.
    return f"hubs/{instance.hub_id}/{folder}/{uuid.uuid4().hex}"


def call_document_path(instance, filename: str) -> str:
    return _private_name(instance, "call-documents")


def proposal_attachment_path(instance, filename: str) -> str:
    return _private_name(instance, "proposal-attachments")


class Call(models.Model):
    """An open call for proposals or expressions of interest for one commission."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="calls")
    commission = models.OneToOneField(
        "commissioning.Commission", on_delete=models.CASCADE, related_name="call"
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="What the Hub wants delivered, and for whom.")
    eligibility = models.TextField(blank=True, help_text="Who may apply.")
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the call closed at its deadline."
    )
    is_public = models.BooleanField(
        default=True, help_text="Shown on the hub's public page of open calls."
    )
    word_limit = models.PositiveSmallIntegerField(
        default=500, help_text="Per written answer in an expression of interest."
    )
    for_schools = models.BooleanField(
        "a yearly round for schools",
        default=False,
        help_text="Only schools apply, each registered with its school URN (Kent's Funded "
        "Opportunities).",
    )
    criteria = models.ManyToManyField(Criterion, through="CallCriterion", related_name="calls")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["hub", "-closes_at"]
        indexes = [
            models.Index(fields=["hub", "closes_at"], name="call_hub_closes"),
            models.Index(fields=["closed_at", "closes_at"], name="call_closing_sweep"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.closed_at is None and self.opens_at <= now < self.closes_at


class CallCriterion(models.Model):
    """A criterion as weighted for this call, fixed when the call is published."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="call_criteria")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    weight = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["call", "position"]
        constraints = [
            models.UniqueConstraint(fields=["call", "criterion"], name="one_weight_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.name} ({self.weight}%)"


class CallDocument(models.Model):
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="+")
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=call_document_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["call", "title"]

    def __str__(self) -> str:
        return self.title


class BudgetLine(models.Model):
    """A cost line of a proposal's outline budget."""

    proposal = models.ForeignKey(
        "commissioning.Proposal", on_delete=models.CASCADE, related_name="budget_lines"
    )
    description = models.CharField(max_length=200)
    amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal(0))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["proposal", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.description}: £{self.amount:,.2f}"


class FundingKind(models.TextChoices):
    HUB_GRANT = "hub_grant", "Hub Grant"
    OTHER = "other", "Other sources (grants, fundraising, trading, fees)"
    IN_KIND = "in_kind", "In kind"


class FundingSource(models.Model):
    """Where a proposal's money comes from."""

    proposal = models.ForeignKey(
        "commissioning.Proposal", on_delete=models.CASCADE, related_name="funding_sources"
    )
    kind = models.CharField(max_length=20, choices=FundingKind.choices)
    description = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal(0))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["proposal", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: £{self.amount:,.2f}"


class ProposalAttachment(models.Model):
    """A file sent with a proposal: checked by its content, stored privately
    under a random name, served only to those allowed."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey(
        "commissioning.Proposal", on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=proposal_attachment_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class CallChangeKind(models.TextChoices):
    CLOSE_EARLY = "close_early", "Closed early"
    EXTEND = "extend", "Extended"


class CallChange(models.Model):
    """A call closed early or extended by HLO staff: when it was to close,
    when it closes now, who changed it and why. Written once, never changed,
    so the call's page can say why its deadline is not the one published."""

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="+")
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=20, choices=CallChangeKind.choices)
    closed_before = models.DateTimeField()
    closes_now = models.DateTimeField()
    reason = models.TextField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["call", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.call_id}: {self.get_kind_display()} to {self.closes_now:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("A change to a call's deadline, once recorded, is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("A change to a call's deadline, once recorded, is never deleted.")


class CallQuestion(models.Model):
    """A clarification question an applicant asks about an open call, and the
    HLO's answer. Answered questions are published to every applicant on the
    call's pages, without who asked."""

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="+")
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    partner = models.ForeignKey(
        "partners.PartnerOrganisation", on_delete=models.PROTECT, related_name="+"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    question = models.TextField()
    asked_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["call", "asked_at", "pk"]
        indexes = [models.Index(fields=["call", "answered_at"], name="question_call_answered")]

    def __str__(self) -> str:
        return self.question[:60]
