"""A hub's single sign-on: the OpenID Connect provider its people sign in
with (its council's Microsoft Entra ID, its Google Workspace), the email
domains that provider speaks for, and whether those people may still sign in
with a password. The rules that use it are in accounts.sso.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from hubs.models import Hub

PROVIDER_PREFIX = "hub-"


class HubSignOn(models.Model):
    hub = models.OneToOneField(Hub, on_delete=models.CASCADE, related_name="sign_on")
    provider_name = models.CharField(
        "name shown to people",
        max_length=120,
        help_text='The button reads "Sign in with" and this, e.g. Hertfordshire County Council.',
    )
    server_url = models.URLField(
        "issuer URL",
        max_length=300,
        help_text=(
            "The provider's issuer, e.g. https://login.microsoftonline.com/<tenant ID>/v2.0 "
            "for Microsoft Entra ID, or https://accounts.google.com for Google Workspace."
        ),
    )
    client_id = models.CharField(
        "client ID", max_length=255, help_text="The application (client) ID the provider gave."
    )
    # Encrypted with a key derived from SECRET_KEY (accounts.adapters.secret_box).
    client_secret_encrypted = models.TextField(editable=False, default="")
    email_domains = models.TextField(
        "allowed email domains",
        help_text="One a line, e.g. hertfordshire.gov.uk. Only these addresses may use it.",
    )
    passwords_allowed = models.BooleanField(
        "passwords still allowed",
        default=True,
        help_text=(
            "Untick to make this hub's people at the domains above sign in only through "
            "the provider (partner contacts at other addresses keep their passwords)."
        ),
    )
    provider_requires_mfa = models.BooleanField(
        "the provider requires a second factor",
        default=False,
        help_text=(
            "Tick only if the provider itself asks everyone for a second factor (for "
            "Entra ID, a Conditional Access policy requiring MFA for this app). Then "
            "signing in through it counts as the second factor that deciding roles need; "
            "otherwise they are still asked for the code from their authenticator app."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "single sign-on"
        verbose_name_plural = "single sign-on"

    def __str__(self) -> str:
        return f"{self.hub}: sign in with {self.provider_name}"

    @property
    def provider_id(self) -> str:
        """allauth's name for this hub's provider, in its URLs and on the
        social accounts it connects."""
        return f"{PROVIDER_PREFIX}{self.hub.slug}"

    @property
    def domains(self) -> list[str]:
        return parse_domains(self.email_domains)

    def allows_email(self, email: str) -> bool:
        return (email or "").rpartition("@")[2].lower() in self.domains

    @property
    def redirect_uri(self) -> str:
        """What to register with the provider as the redirect (reply) URI."""
        path = reverse("openid_connect_callback", kwargs={"provider_id": self.provider_id})
        return settings.SITE_URL.rstrip("/") + path

    @property
    def issuer(self) -> str:
        return normalise_issuer(self.server_url)


def parse_domains(text: str) -> list[str]:
    parts = (text or "").replace(",", "\n").split()
    return sorted({p.strip().lower().lstrip("@") for p in parts if p.strip()})


def normalise_issuer(url: str) -> str:
    url = (url or "").strip()
    url = url.split("/.well-known/", 1)[0]
    return url.rstrip("/").lower()
