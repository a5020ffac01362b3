"""How django-axes names the account being tried and the address it comes
from, and the page shown once that account is locked."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from axes.helpers import get_cool_off
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def attempted_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The account a sign-in attempt is for, however it was asked for: allauth
    passes `email`, the Django admin and test client `username`, and the form
    posts `login`. Lower-cased, so one account has one count of failures."""
    for source in (credentials or {}, getattr(request, "POST", {})):
        for key in ("email", "username", "login"):
            value = source.get(key)
            if value:
                return str(value).strip().lower()
    return None


def client_ip(request: HttpRequest) -> str | None:
    """The address allauth's rate limits see: behind TRUSTED_PROXY_COUNT
    proxies, the client's, from X-Forwarded-For; else the connection's. A
    request that did not come through the proxies is counted by its own
    connection's address."""
    try:
        return get_adapter(request).get_client_ip(request)
    except (ImproperlyConfigured, PermissionDenied):
        return request.META.get("REMOTE_ADDR")


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else None
    context = {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT}
    return HttpResponse(
        render_to_string("accounts/locked_out.html", context, request=request),
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
