"""Per-person API tokens, each for one hub.

The key is shown once, when the token is issued (api.services.token_issue);
only its SHA-256 is stored, with the first characters kept visible so a hub
admin can tell which token is which. A token works while it is neither revoked
nor past its expiry, and only while its person still has a role in its hub
(hubs.access.hub_access is asked on every request).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from hubs.models import Hub


class ApiToken(models.Model):
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="api_tokens")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name="person",
        help_text="Someone with a role in the hub: the token reads and writes as them.",
    )
    name = models.CharField(max_length=100, help_text="What it is for, e.g. 'Finance system'.")
    prefix = models.CharField(
        "key starts", max_length=16, editable=False, help_text="To tell tokens apart."
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="Optional: the token stops working then."
    )
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["hub", "-created_at", "pk"]
        verbose_name = "API token"
        indexes = [models.Index(fields=["hub", "user"], name="apitoken_hub_user")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def works(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "Revoked"
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return "Expired"
        return "Active"
