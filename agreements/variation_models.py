"""Variations: a change to a signed agreement (its text, term, funding or
KPIs), proposed by the partner or the officer, decided on the route the
policy sets for variations, signed by both parties and then made the
agreement's new version. Imported into agreements.models, so Django
registers them there. Writes go through agreements/variations.py; the gate
is agreements/rules_variations.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

User = settings.AUTH_USER_MODEL


class VariationStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed, awaiting decision"
    APPROVED = "approved", "Approved, awaiting the partner's signature"
    PARTNER_SIGNED = "partner_signed", "Signed by the partner, awaiting countersignature"
    SIGNED = "signed", "Signed by both parties: the agreement is varied"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


V = VariationStatus
OPEN_VARIATION = [V.PROPOSED, V.APPROVED, V.PARTNER_SIGNED]


class Variation(models.Model):
    hub = models.ForeignKey("hubs.Hub", on_delete=models.CASCADE, related_name="+")
    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="variations"
    )
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=VariationStatus.choices, default=V.PROPOSED)
    proposed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    by_partner = models.BooleanField(default=False)
    reason = models.TextField("why the change is needed")
    # What changes; blank or null fields stay as the agreement has them.
    sections = models.JSONField(default=dict, blank=True, help_text="Section key: new text.")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    hub_grant_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    hub_grant_capital = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    kpi_changes = models.TextField("changes to the KPIs", blank=True)
    # Structured KPI changes (agreements/variation_kpis.py): each with the
    # KPI as it was and as it will be; contracts applies them when signed.
    kpi_plan = models.JSONField(default=list, blank=True)
    # The funding as it was when proposed, so the change can be shown after.
    grant_before = models.DecimalField(max_digits=12, decimal_places=2)
    capital_before = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    # The route: its comment window (if it has a comment step) and the decision.
    comment_closes_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    # The agreement's version it changes, and the version it made once signed.
    from_version = models.PositiveIntegerField()
    to_version = models.PositiveIntegerField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["agreement_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="unique_variation_number"),
            # One change at a time: a second open variation waits for the first.
            models.UniqueConstraint(
                fields=["agreement"],
                condition=models.Q(status__in=OPEN_VARIATION),
                name="one_open_variation",
            ),
        ]

    def __str__(self) -> str:
        return f"Variation {self.number} of {self.agreement}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_VARIATION

    @property
    def changes_funding(self) -> bool:
        return self.hub_grant_amount is not None or self.hub_grant_capital is not None

    @property
    def changes_kpis(self) -> bool:
        return bool(self.kpi_plan)

    @property
    def changes_term(self) -> bool:
        return self.starts_on is not None or self.ends_on is not None


class VariationComment(models.Model):
    """A comment by a member of the route's comment step (the board, a group)."""

    variation = models.ForeignKey(Variation, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["variation", "created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment on {self.variation}"


class VariationOutcome(models.TextChoices):
    APPROVE = "approve", "Approved"
    REFUSE = "refuse", "Refused"


class VariationDecision(models.Model):
    """One member's decision at a decide step of the variation's route.
    Written once, never changed."""

    variation = models.ForeignKey(Variation, on_delete=models.CASCADE, related_name="decisions")
    step_position = models.PositiveSmallIntegerField()
    body_name = models.CharField(max_length=200)
    outcome = models.CharField(max_length=10, choices=VariationOutcome.choices)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["variation", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["variation", "step_position", "actor"], name="one_decision_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} by {self.actor_id} on {self.variation}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("A decision on a variation, once recorded, is never changed.")
        super().save(*args, **kwargs)


class VariationSignature(models.Model):
    """A signature of the variation, with its audit trail, as an agreement's."""

    variation = models.ForeignKey(Variation, on_delete=models.CASCADE, related_name="signatures")
    party = models.CharField(
        max_length=20,
        choices=[("partner", "For the partner"), ("hlo", "For the Hub Lead Organisation")],
    )
    full_name = models.CharField(max_length=200)
    role_title = models.CharField("role", max_length=200)
    consent_statement = models.TextField()
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["variation", "party"], name="one_variation_signature")
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_party_display()}) on {self.variation}"
