"""The records of a policy's life. Decisions and annual reviews are written
once and never changed: they are the record of who approved what and when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

COMMENT_MAX = 3000
NAME_MAX = 200


class PolicyStatus(models.TextChoices):
    """What is stored. 'In force' and 'superseded' are read from the dates
    (selectors.life_of): an approved version comes into force on its date with
    no sweep to flip it, and stops when a newer approved one does."""

    DRAFT = "draft", "Draft"
    OPEN = "open", "Open for comment"
    APPROVED = "approved", "Approved"


class PolicyQuerySet(models.QuerySet):
    def in_force(self, on=None):
        """Approved versions whose date has come (a version saved before the
        policy had a life has no date: it was in force once saved)."""
        on = on or timezone.localdate()
        return self.filter(status=PolicyStatus.APPROVED).filter(
            Q(effective_from__isnull=True) | Q(effective_from__lte=on)
        )

    def being_drafted(self):
        return self.filter(status__in=[PolicyStatus.DRAFT, PolicyStatus.OPEN])


class PolicyLife(models.Model):
    """Mixed into HubPolicy: where a version is in its life."""

    status = models.CharField(
        max_length=10, choices=PolicyStatus.choices, default=PolicyStatus.APPROVED
    )
    effective_from = models.DateField(
        "in force from",
        null=True,
        blank=True,
        help_text="The date an approved version takes effect; the approval sets it.",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    comment_closes_on = models.DateField(null=True, blank=True, editable=False)
    consultation_closes_on = models.DateField(
        "public consultation closes", null=True, blank=True, editable=False
    )

    objects = PolicyQuerySet.as_manager()

    class Meta:
        abstract = True


class AppendOnly(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("A policy decision, once recorded, is never changed.")

    def delete(self):
        raise PermissionError("A policy decision, once recorded, is never deleted.")


class _Recorded(models.Model):
    objects = AppendOnly.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("A policy decision, once recorded, is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("A policy decision, once recorded, is never deleted.")


class PolicyOutcome(models.TextChoices):
    APPROVE = "approve", "Approved"
    RETURN = "return", "Returned to draft"


class PolicyDecision(_Recorded):
    """One member's decision on a draft version, at a decide step of the
    policy-approval route of the version that was in force."""

    policy = models.ForeignKey("hubs.HubPolicy", on_delete=models.CASCADE, related_name="decisions")
    step_position = models.PositiveSmallIntegerField()
    body_name = models.CharField(max_length=200)
    outcome = models.CharField(max_length=10, choices=PolicyOutcome.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    effective_from = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["policy", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.policy_id}: {self.get_outcome_display()} by {self.actor_id}"


class CommentKind(models.TextChoices):
    BOARD = "board", "The board or a named group"
    PUBLIC = "public", "Public consultation"


class PolicyComment(models.Model):
    """A comment on a draft version: by a board (or named group) member, or
    left on the public consultation page; with the hub admin's response."""

    policy = models.ForeignKey("hubs.HubPolicy", on_delete=models.CASCADE, related_name="comments")
    kind = models.CharField(max_length=10, choices=CommentKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    name = models.CharField(max_length=NAME_MAX, blank=True)
    organisation = models.CharField(max_length=NAME_MAX, blank=True)
    email = models.EmailField(blank=True)
    body = models.TextField()
    response = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    # The form's own token: the same form sent twice makes one comment.
    form_key = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["policy", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "form_key"],
                condition=~Q(form_key=""),
                name="unique_policy_comment_form",
            )
        ]

    def __str__(self) -> str:
        return f"Comment on {self.policy_id} by {self.who}"

    @property
    def who(self) -> str:
        if self.author_id:
            return self.author.get_full_name() or self.author.email
        return f"{self.name}, {self.organisation}" if self.organisation else self.name


class ReviewOutcome(models.TextChoices):
    KEPT = "kept", "Kept as it is"
    CHANGE = "change", "To be changed"


class PolicyReview(_Recorded):
    """The annual review of the version in force, decided by the body that
    approves the policy: kept as it is, or to be changed."""

    policy = models.ForeignKey(
        "hubs.HubPolicy", on_delete=models.CASCADE, related_name="annual_reviews"
    )
    outcome = models.CharField(max_length=10, choices=ReviewOutcome.choices)
    reviewed_on = models.DateField()
    note = models.TextField()
    next_review_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["policy", "reviewed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.policy_id}: {self.get_outcome_display()} on {self.reviewed_on}"


class RangeReview(models.Model):
    """The board's regular review of the range of partnerships: a board
    member's comment with the hub's response (a hub admin or HLO staff)."""

    hub = models.ForeignKey("hubs.Hub", on_delete=models.CASCADE, related_name="range_reviews")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_on = models.DateField()
    body = models.TextField()
    response = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    form_key = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["hub", "-reviewed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "author", "form_key"],
                condition=~Q(form_key=""),
                name="unique_range_review_form",
            )
        ]

    def __str__(self) -> str:
        return f"Range review of {self.hub_id} on {self.reviewed_on}"
