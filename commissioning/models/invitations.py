"""Invitations to respond to a call: the Hub's direct outreach to chosen
organisations (its partners' contacts) or to email addresses, each with a
link that registers the newcomer and leads to the call.

As with invitations to join a hub (accounts.models.Invitation), only the
SHA-256 of the link's token is kept and the link expires. The rules and the
writes are in commissioning/calls/invitations.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from commissioning.models.calls import Call
from hubs.models import Hub
from partners.models import PartnerOrganisation


class CallInvitation(models.Model):
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="+")
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="invitations")
    # One of the two: an address (anyone, who registers from the link), or an
    # organisation of the hub (its contacts are emailed).
    email = models.EmailField("email address", blank=True)
    partner = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="call_invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now, help_text="When the link was last sent.")
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["call", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "email"], condition=~Q(email=""), name="one_invitation_per_address"
            ),
            models.UniqueConstraint(
                fields=["call", "partner"],
                condition=Q(partner__isnull=False),
                name="one_invitation_per_partner",
            ),
            models.CheckConstraint(
                condition=(Q(email="") & Q(partner__isnull=False))
                | (~Q(email="") & Q(partner__isnull=True)),
                name="invitation_to_address_or_partner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call}: {self.email or self.partner}"

    @property
    def invitee(self) -> str:
        return self.partner.name if self.partner_id else self.email

    def is_expired(self, now=None) -> bool:
        return self.expires_at <= (now or timezone.now())
