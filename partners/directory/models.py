"""What HLO staff record about a partner beyond its own details: its
introductory meetings (Leicestershire's policy: none becomes a partner
without one), notes, and the merges that folded a duplicate into it.
Imported into partners.models, so Django registers them there."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class MeetingOrigin(models.TextChoices):
    REQUESTED = "requested", "Requested by the organisation"
    PROPOSED = "proposed", "Proposed by HLO staff"


class MeetingOutcome(models.TextChoices):
    SUCCESSFUL = "successful", "Successful: it can become a partner"
    FOLLOW_UP = "follow_up", "Another meeting is needed"
    NOT_PROCEEDING = "not_proceeding", "Not proceeding"


class IntroductoryMeeting(models.Model):
    """One introductory meeting: asked for (by the organisation or by staff),
    then recorded as held with who came, the partnership type agreed, the
    standards explained and its outcome. A successful one sets the partner's
    `introductory_meeting_on`, which the award and EOI rule reads
    (commissioning.rules.finding.introductory_meeting)."""

    hub = models.ForeignKey("hubs.Hub", on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(
        "partners.PartnerOrganisation",
        on_delete=models.CASCADE,
        related_name="introductory_meetings",
    )
    origin = models.CharField(max_length=20, choices=MeetingOrigin.choices)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    request_note = models.TextField("what to talk about, and when suits", blank=True)
    proposed_for = models.DateField("proposed date", null=True, blank=True)
    held_on = models.DateField("held on", null=True, blank=True)
    attendees = models.TextField("who attended", blank=True)
    partnership_type_agreed = models.CharField("partnership type agreed", max_length=20, blank=True)
    safeguarding_explained = models.BooleanField("safeguarding standards explained", default=False)
    quality_explained = models.BooleanField("quality standards explained", default=False)
    outcome = models.CharField(max_length=20, choices=MeetingOutcome.choices, blank=True)
    outcome_notes = models.TextField("notes on the outcome", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["partner", "-asked_at", "-pk"]
        indexes = [
            models.Index(fields=["partner", "held_on"], name="meeting_partner_held"),
            models.Index(fields=["hub", "held_on"], name="meeting_hub_held"),
        ]

    def __str__(self) -> str:
        return f"Introductory meeting with {self.partner}"

    @property
    def is_open(self) -> bool:
        """Asked for and not yet recorded as held."""
        return self.held_on is None


class PartnerNote(models.Model):
    """A note HLO staff keep on a partner; never shown to the partner."""

    hub = models.ForeignKey("hubs.Hub", on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(
        "partners.PartnerOrganisation", on_delete=models.CASCADE, related_name="notes"
    )
    text = models.TextField("note")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["partner", "-written_at", "-pk"]
        indexes = [models.Index(fields=["partner", "written_at"], name="note_partner_written")]

    def __str__(self) -> str:
        return f"Note on {self.partner}"


class PartnerMerge(models.Model):
    """The record of a duplicate folded into the partner kept: who merged it,
    when, and how many of each of its records moved."""

    hub = models.ForeignKey("hubs.Hub", on_delete=models.CASCADE, related_name="+")
    kept = models.ForeignKey(
        "partners.PartnerOrganisation", on_delete=models.CASCADE, related_name="merges"
    )
    merged_name = models.CharField(max_length=200)
    merged_partner_id = models.PositiveIntegerField()
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)
    moved = models.JSONField(default=dict, help_text="Records moved, by kind.")

    class Meta:
        ordering = ["kept", "-merged_at"]

    def __str__(self) -> str:
        return f"{self.merged_name} merged into {self.kept}"


class ContactPerson(models.Model):
    """A further person at an organisation whom the hub may contact (its
    director, a project lead, a finance officer), added by the
    organisation's own contact or by HLO staff: a name, an email address, a
    role and a phone number. One person may be a contact of several
    organisations (a row each); signing in for an organisation is a
    membership (a partner contact), which this does not give."""

    hub = models.ForeignKey("hubs.Hub", on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(
        "partners.PartnerOrganisation", on_delete=models.CASCADE, related_name="contact_people"
    )
    name = models.CharField(max_length=200)
    # Kept in lower case (accounts.invitations.rules.normalise_email), so one
    # address is one person of the organisation.
    email = models.EmailField("email address")
    role = models.CharField("role in the organisation", max_length=200, blank=True)
    phone = models.CharField("phone number", max_length=30, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["partner", "name", "pk"]
        verbose_name_plural = "contact people"
        constraints = [
            models.UniqueConstraint(fields=["partner", "email"], name="one_contact_person_each")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.partner})"
