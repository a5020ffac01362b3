"""The sign-in page's "Sign in with ..." buttons, one per hub with single
sign-on (accounts.sso_models.HubSignOn). One query."""

from __future__ import annotations

from django import template
from django.urls import reverse

from accounts.sso_models import HubSignOn

register = template.Library()


@register.simple_tag
def sso_sign_ins() -> list[dict]:
    sign_ons = HubSignOn.objects.select_related("hub").order_by("hub__name")
    return [
        {
            "provider_name": s.provider_name,
            "hub_name": s.hub.name,
            "login_url": reverse("openid_connect_login", kwargs={"provider_id": s.provider_id}),
            "next": reverse("commissioning:dashboard", args=[s.hub.slug]),
            "domains": ", ".join(s.domains),
        }
        for s in sign_ons
    ]
