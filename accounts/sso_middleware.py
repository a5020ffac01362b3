"""Lets the sign-in pages' forms lead to the hubs' providers.

Our Content-Security-Policy allows forms to submit only to this site
(form-action 'self'), and browsers hold a form's redirects to the policy of
the page that sent it: the "Sign in with ..." button posts here, and we
redirect to the provider. So the pages with those buttons allow the
providers' origins too, and only those pages."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse

from accounts.sso_models import HubSignOn

# The sign-in page, the provider redirect, and an invitation to a hub whose
# people sign in through its provider (its only button is "Sign in with ...").
PAGES = frozenset({"account_login", "openid_connect_login", "accounts:invitation"})


def provider_origins() -> list[str]:
    origins = set()
    for url in HubSignOn.objects.values_list("server_url", flat=True):
        parts = urlsplit(url)
        if parts.scheme in ("https", "http") and parts.netloc:
            origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)


class ProviderFormAction:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is None or match.view_name not in PAGES:
            return response
        if response.get("Content-Type", "").startswith("text/html"):
            origins = provider_origins()
            if origins:
                response._csp_update = {"form-action": origins}  # read by django-csp
        return response
