"""Keeping a session alive, one way into the Django admin, and setting up an
authenticator app as a second factor for the session that sets it up."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.totp import views as totp_views
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.mfa import session_record_mfa
from accounts.middleware import mfa_exempt


@mfa_exempt
@login_required
@require_POST
@never_cache
def keep_alive(request: HttpRequest) -> HttpResponse:
    """'Stay signed in' on the session warning: the session is saved again,
    so it lasts another SESSION_COOKIE_AGE from now."""
    request.session.modified = True
    return HttpResponse(status=204)


def admin_login(request: HttpRequest) -> HttpResponse:
    """Everyone signs in on our sign-in page, which asks for the second factor;
    the admin's own form is kept only for its 'signed in, but not allowed here'
    page."""
    if request.user.is_authenticated:
        return admin.site.login(request)
    next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
    return redirect_to_login(next_url, login_url="account_login")


class ActivateTOTPView(totp_views.ActivateTOTPView):
    """allauth's page for setting up an authenticator app. The code typed in
    to set it up proves the second factor for this session, as a code entered
    at sign-in would."""

    def form_valid(self, form):
        response = super().form_valid(form)
        authenticator = Authenticator.objects.get(
            user=self.request.user, type=Authenticator.Type.TOTP
        )
        session_record_mfa(self.request, authenticator, enrolled=True)
        return response


activate_totp = mfa_exempt(ActivateTOTPView.as_view())
