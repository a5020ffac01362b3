"""Compliance records: the minimum safeguarding standards a partner working
with children meets, kept per organisation and per named individual.

A record is of one *kind*: a standard kind every hub knows (compliance/kinds.py:
the safeguarding policy, the designated safeguarding lead, an enhanced DBS
check with barred list, public liability insurance), or one a hub adds
(`ComplianceItemKind`). A record counts once HLO staff have verified it, and
until it lapses (its expiry or review date). Each policy version lists the
kinds it requires before an award or a signature (`ComplianceRequirement`,
copied to the next version like the policy's other lists).
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models

from hubs.models import Hub
from partners.models import PartnerOrganisation


def record_document_path(instance, filename: str) -> str:
    # Never the uploader's file name on disk: it is kept in `document_name`.
    return f"hubs/{instance.hub_id}/compliance/{uuid.uuid4().hex}"


class ComplianceItemKind(models.Model):
    """A kind of record a hub asks for beyond the standard ones (for example
    'First aid certificate'): a document, dates, and whether it is per person."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="compliance_kinds")
    key = models.SlugField(
        max_length=30,
        help_text="A short name kept on each record, for example first_aid. It cannot be one "
        "of the standard kinds' keys.",
    )
    name = models.CharField(max_length=100, help_text="What people read: 'First aid certificate'.")
    description = models.CharField(max_length=300, blank=True)
    per_individual = models.BooleanField(
        "held by a named individual", default=False, help_text="Each record names a person."
    )
    needs_document = models.BooleanField("a document is attached", default=True)
    expires = models.BooleanField("has an expiry date", default=True)

    class Meta:
        ordering = ["hub", "name"]
        verbose_name = "compliance item kind"
        constraints = [
            models.UniqueConstraint(fields=["hub", "key"], name="unique_compliance_kind_per_hub")
        ]

    def __str__(self) -> str:
        return self.name


class ComplianceRecord(models.Model):
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="compliance_records")
    partner = models.ForeignKey(
        PartnerOrganisation, on_delete=models.CASCADE, related_name="compliance_records"
    )
    # A standard kind's key (compliance/kinds.py) or one of the hub's own kinds'.
    kind = models.CharField(max_length=30)
    person_name = models.CharField("named individual", max_length=200, blank=True)
    contact_email = models.EmailField("contact email", blank=True)
    certificate_number = models.CharField(max_length=20, blank=True)
    barred_list_checked = models.BooleanField("includes the children's barred list", default=False)
    update_service = models.BooleanField("registered with the DBS Update Service", default=False)
    insurer = models.CharField(max_length=200, blank=True)
    cover_amount = models.DecimalField(
        "cover (£)", max_digits=12, decimal_places=0, null=True, blank=True
    )
    valid_from = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    review_on = models.DateField("next review by", null=True, blank=True)
    notes = models.TextField(blank=True)
    document = models.FileField(upload_to=record_document_path, blank=True)
    document_name = models.CharField(max_length=255, blank=True)
    document_type = models.CharField(max_length=100, blank=True)
    document_size = models.PositiveIntegerField(default=0)
    document_sha256 = models.CharField(max_length=64, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField()
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["partner__name", "kind", "-valid_from", "-pk"]
        indexes = [
            models.Index(fields=["partner", "kind"], name="compliance_partner_kind"),
            models.Index(fields=["hub", "expires_on"], name="compliance_hub_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.partner_id}"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def lapses_on(self) -> date | None:
        """The day after which it no longer counts: its expiry or its review date."""
        dates = [d for d in (self.expires_on, self.review_on) if d is not None]
        return min(dates) if dates else None

    def in_force_on(self, day: date) -> bool:
        lapses = self.lapses_on
        return self.is_verified and self.valid_from <= day and (lapses is None or lapses >= day)


class ComplianceRequirement(models.Model):
    """One kind of record a policy version requires, before the award and/or
    before the agreement is signed."""

    policy = models.ForeignKey(
        "hubs.HubPolicy", on_delete=models.CASCADE, related_name="compliance_requirements"
    )
    kind = models.CharField(
        max_length=30, help_text="A standard kind's key or one of the hub's own kinds' keys."
    )
    before_award = models.BooleanField("required before the award", default=True)
    before_signature = models.BooleanField("required before the agreement is signed", default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["policy", "position", "pk"]
        verbose_name = "compliance requirement"
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "kind"], name="unique_compliance_requirement_per_policy"
            )
        ]

    def __str__(self) -> str:
        return self.kind
