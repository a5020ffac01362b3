"""The page where someone makes an account for themself: /accounts/register/.

It is reached from a hub's public call ("Register to express interest") or an
invitation to respond to one, and carries `next`: where the person goes once
their address is verified (the hub's page for registering their
organisation, then the call). The account is made, the person signed in
through allauth with email verification mandatory, and allauth sends its
confirmation link and shows "check your email"; following the link in the
same browser finishes signing in and goes on to `next`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.app_settings import EmailVerificationMethod

# allauth keeps no public API for a password sign-in; the version is pinned.
from allauth.account.internal.flows.login import perform_password_login
from allauth.account.models import Login
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.lockout import locked_out
from accounts.registration.forms import RegisterForm
from accounts.registration.rules import registration_refusal
from accounts.registration.services import account_register
from hubs.models import Hub
from hubs.refusals import Refused

TEMPLATE = "accounts/register.html"


class _SignInRefused(Exception):
    """The new account may not sign in (django-axes locked that email)."""


def safe_next(request: HttpRequest, url: str | None) -> str:
    """`url` if it is one of ours, else the home page."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("home")


@never_cache
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    next_url = safe_next(request, source.get(REDIRECT_FIELD_NAME))
    if request.user.is_authenticated:
        return redirect(next_url)
    hub = Hub.objects.filter(slug=source.get("hub", "")).first()
    initial = {"email": request.GET.get("email", "")}
    form = RegisterForm(request.POST or None, initial=initial)
    context = {"form": form, "next": next_url, "hub": hub}
    if request.method != "POST":
        return render(request, TEMPLATE, context)
    return register_and_verify(request, form, next_url, TEMPLATE, context)


def register_and_verify(
    request: HttpRequest,
    form: RegisterForm,
    next_url: str,
    template: str,
    context: dict,
    on_account: Callable[[Any], Any] | None = None,
) -> HttpResponse:
    """Make the account from a bound form and start verifying its address;
    a refusal comes back beside its field with everything typed kept.
    `on_account` runs with the new account in the same transaction (an
    invitation marks itself used)."""
    if form.is_valid():
        data = form.cleaned_data
        refusal = registration_refusal(email=data["email"])  # the gate, before saving
        if refusal is not None:
            form.add_error(refusal.field, refusal.message)
    if not form.is_valid():
        return render(request, template, context, status=400)
    try:
        with transaction.atomic():
            user = account_register(
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                password=data["password"],
            )
            # Signed in through the same backends as our sign-in page, so
            # django-axes' lock-out of this email applies here too.
            signed = get_adapter(request).authenticate(
                request, email=user.email, password=data["password"]
            )
            if signed is None:
                raise _SignInRefused
            if on_account is not None:
                on_account(user)
    except _SignInRefused:
        return locked_out(request)
    except Refused as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return render(request, template, context, status=400)
    # The confirmation email's link carries `next` (accounts.adapters).
    request.registration_next = next_url
    login = Login(
        user=signed,
        redirect_url=next_url,
        email=signed.email,
        email_verification=EmailVerificationMethod.MANDATORY,
        signup=True,
    )
    return perform_password_login(request, {"email": signed.email}, login)
