"""An invitation to join a hub in a role, sent by email with a link that expires.

Only a hash of the link's token is stored: someone who reads the database (or
a backup) cannot accept an invitation. The role is granted when the invitee
accepts, through hubs.services.membership_grant like every other role.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from hubs.models import Hub, Role, ServiceArea


class InvitationState(models.TextChoices):
    OPEN = "open", "Waiting to be accepted"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Withdrawn"
    ACCEPTED = "accepted", "Accepted"


class Invitation(models.Model):
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("email address")
    role = models.CharField(max_length=20, choices=Role.choices)
    service_area = models.ForeignKey(
        ServiceArea,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        help_text="For a service lead only: the music service they lead.",
    )
    partner = models.ForeignKey(
        "partners.PartnerOrganisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        help_text="For a partner contact only: the organisation they speak for.",
    )
    title = models.CharField(max_length=200, blank=True, help_text="e.g. Director of Music")
    is_chair = models.BooleanField(
        "chair", default=False, help_text="For an approver or a board member only."
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="invitations_sent",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now, help_text="When the link was last sent.")
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "email", "role"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_role",
            ),
        ]
        indexes = [models.Index(fields=["hub", "-created_at"], name="invitation_hub_time")]

    def __str__(self) -> str:
        return f"{self.email}: {self.get_role_display()} in {self.hub}"

    def state(self, now=None) -> str:
        if self.accepted_at:
            return InvitationState.ACCEPTED
        if self.revoked_at:
            return InvitationState.REVOKED
        if self.expires_at <= (now or timezone.now()):
            return InvitationState.EXPIRED
        return InvitationState.OPEN

    def get_state_display(self) -> str:
        return InvitationState(self.state()).label


from accounts.sso_models import HubSignOn  # noqa: E402, F401  (single sign-on, its own module)
