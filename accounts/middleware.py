"""Everyone who can take a decision works only with a second factor (accounts.mfa)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import reverse

from accounts.mfa import has_totp, request_mfa_role, session_used_mfa

# Pages a person without a second factor can still reach: setting one up,
# proving it, signing out, and the public pages that must always answer. Our
# own such views are marked with @mfa_exempt instead. (Static files never
# reach the URL resolver.)
EXEMPT_VIEWS = frozenset(
    {
        "account_login",
        "account_logout",
        "account_reauthenticate",
        "mfa_index",
        "mfa_activate_totp",
        "mfa_authenticate",
        "mfa_reauthenticate",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "admin:logout",
        "healthz",
        "accessibility",
    }
)


class RequireMFAForRoles:
    """Sends a signed-in person whose role needs a second factor (see
    accounts.mfa.MFA_ROLES) to set up an authenticator app if they have none,
    or to enter its code if this session has not used it, whatever page they
    asked for, the Django admin included."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if not request.user.is_authenticated or session_used_mfa(request):
            return None
        if getattr(view_func, "mfa_exempt", False):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in EXEMPT_VIEWS:
            return None
        role = request_mfa_role(request)
        if role is None:
            return None
        if has_totp(request.user):
            messages.info(
                request,
                f"Your role as {role} needs a second factor: "
                "enter the code from your authenticator app.",
            )
            target = reverse("mfa_reauthenticate")
        else:
            messages.info(
                request,
                f"Your role as {role} needs a second factor: set up an authenticator app.",
            )
            target = reverse("mfa_activate_totp")
        query = QueryDict(mutable=True)
        query[REDIRECT_FIELD_NAME] = request.get_full_path()
        return HttpResponseRedirect(f"{target}?{query.urlencode(safe='/')}")


def mfa_exempt(view: Callable) -> Callable:
    """Marks one of our views as reachable before the second factor."""
    view.mfa_exempt = True  # type: ignore[attr-defined]
    return view
