"""The page an invitation's link opens: /accounts/invitation/<token>/.

It says which hub and role the invitation is for, then, as the person's
situation asks: a form to make an account (no account for that email yet), a
link to sign in first (there is one), an Accept button (signed in with that
email), or, plainly, why the link cannot be used. An expired, withdrawn or
used link offers nothing.
"""

from __future__ import annotations

from allauth.account.adapter import get_adapter

# allauth keeps no public API for a password sign-in; the version is pinned.
from allauth.account.internal.flows.login import perform_password_login
from allauth.account.models import Login
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.invitations.forms import NewAccountForm
from accounts.invitations.rules import acceptance_refusal, role_in_words, when
from accounts.invitations.services import (
    account_for,
    invitation_accept,
    invitation_accept_new_account,
    invitation_for_token,
)
from accounts.lockout import locked_out
from accounts.models import Invitation
from accounts.sso import new_password_account_refusal
from hubs.refusals import Refused

TEMPLATE = "accounts/invitation.html"
# A link that can no longer be used: gone for good (410); someone else's: 403.
STATUS = {"invitation_elsewhere": 403, "self_grant": 403, "account_exists": 409}


class _SignInRefused(Exception):
    """The new account may not sign in (django-axes locked that email)."""


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = invitation_for_token(token)
    if found is None:
        return render(request, "accounts/invitation_unknown.html", status=404)
    context = {
        "invitation": found,
        "role": role_in_words(found),
        "expires": when(found.expires_at),
    }
    user = request.user if request.user.is_authenticated else None
    refusal = acceptance_refusal(invitation=found, user=user)
    if refusal:
        context["refusal"] = refusal
        return render(request, TEMPLATE, context, status=STATUS.get(refusal.rule, 410))
    if user is not None:
        return _accept_signed_in(request, found, context)
    if account_for(found.email) is not None:
        query = QueryDict(mutable=True)
        query[REDIRECT_FIELD_NAME] = request.path
        context["sign_in_url"] = f"{reverse('account_login')}?{query.urlencode(safe='/')}"
        return render(request, TEMPLATE, context)
    # A hub that signs this address in through its provider only: the
    # invitation is taken up there (accounts.sso), never with a password.
    sso_only = new_password_account_refusal(hub=found.hub, email=found.email)
    if sso_only is not None:
        sign_on = found.hub.sign_on
        context |= {
            "sso_only": sso_only,
            "sso_login_url": reverse(
                "openid_connect_login", kwargs={"provider_id": sign_on.provider_id}
            ),
            "sso_provider": sign_on.provider_name,
            "sso_next": _landing(found),
        }
        return render(request, TEMPLATE, context)
    return _accept_new_account(request, found, context)


def _landing(invitation: Invitation) -> str:
    return reverse("commissioning:dashboard", args=[invitation.hub.slug])


def _accept_signed_in(request: HttpRequest, found: Invitation, context: dict) -> HttpResponse:
    context["accept"] = True
    if request.method != "POST":
        return render(request, TEMPLATE, context)
    try:
        invitation_accept(invitation=found, user=request.user)
    except Refused as exc:
        context |= {"refusal": exc.refusal, "accept": False}
        return render(request, TEMPLATE, context, status=STATUS.get(exc.rule, 410))
    messages.success(request, f"You joined {found.hub.name} as {context['role']}.")
    # Anyone whose new role needs a second factor is sent on to set one up by
    # accounts.middleware, as after signing in.
    return redirect(_landing(found))


def _accept_new_account(request: HttpRequest, found: Invitation, context: dict) -> HttpResponse:
    form = NewAccountForm(request.POST or None, invitation=found)
    context["form"] = form
    if request.method != "POST" or not form.is_valid():
        return render(request, TEMPLATE, context, status=400 if form.errors else 200)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            user = invitation_accept_new_account(
                invitation=found,
                first_name=data["first_name"],
                last_name=data["last_name"],
                password=data["password"],
            )
            # Signed in as our sign-in page signs people in, through the same
            # backends, so django-axes' lock-out of this email applies here too.
            signed = get_adapter(request).authenticate(
                request, email=user.email, password=data["password"]
            )
            if signed is None:
                raise _SignInRefused
    except _SignInRefused:
        return locked_out(request)
    except Refused as exc:
        if exc.field:
            form.add_error(exc.field, exc.message)
            return render(request, TEMPLATE, context, status=400)
        context["refusal"] = exc.refusal
        return render(request, TEMPLATE, context, status=STATUS.get(exc.rule, 410))
    messages.success(request, f"Your account is ready: you joined {found.hub.name}.")
    login = Login(user=signed, redirect_url=_landing(found), email=signed.email)
    return perform_password_login(request, {"email": signed.email}, login)
