"""A co-applicant's signature on a joint partnership's agreement (the lead
partner's is the agreement's own partner Signature). Imported by
agreements/models.py so Django knows it; never edited."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from agreements.models import Agreement
from partners.models import PartnerOrganisation


class CoSignature(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="co_signatures")
    partner = models.ForeignKey(PartnerOrganisation, on_delete=models.PROTECT, related_name="+")
    full_name = models.CharField(max_length=200)
    role_title = models.CharField("role", max_length=200)
    consent_statement = models.TextField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    version_number = models.PositiveIntegerField()
    content_digest = models.CharField(
        max_length=64, help_text="SHA-256 of the agreement text and schedule signed."
    )

    class Meta:
        app_label = "agreements"
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "partner"], name="one_co_signature_per_partner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} for {self.partner} on {self.agreement}"
