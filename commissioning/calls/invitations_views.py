"""Invitations to respond to a call, as pages: HLO staff send them from the
call's invitations page; the link opens the call for the invitee, who makes
an account there (accounts.registration) and goes on to register their
organisation and express interest. The gates are in invitations.py."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.registration.forms import RegisterForm
from accounts.registration.views import register_and_verify
from commissioning.calls import invitations as inv
from commissioning.calls.common import when
from commissioning.calls.selectors import call_for, is_staff
from commissioning.calls.views import _call_context
from hubs.access import hub_access
from hubs.models import Membership, Role
from hubs.refusals import Refused
from partners.models import PartnerOrganisation


class InviteForm(forms.Form):
    partners = forms.ModelMultipleChoiceField(
        label="Organisations of the hub",
        queryset=PartnerOrganisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Their contacts are emailed the link.",
    )
    emails = forms.CharField(
        label="Email addresses",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One a line: people or organisations new to the Hub. Each gets its own link.",
    )

    def __init__(self, *args, hub, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        with_contact = Membership.objects.filter(partner=OuterRef("pk"), role=Role.PARTNER_CONTACT)
        self.fields["partners"].queryset = (
            PartnerOrganisation.objects.filter(hub=hub)
            .filter(Exists(with_contact))
            .order_by("name")
        )

    def addresses(self) -> list[str]:
        text = self.cleaned_data.get("emails", "") if hasattr(self, "cleaned_data") else ""
        return [line.strip() for line in text.replace(",", "\n").splitlines() if line.strip()]


def _staff_call(request: HttpRequest, hub_slug: str, call_id: int):
    access = hub_access(request, hub_slug)
    call = call_for(access, call_id)
    if not is_staff(access, call):
        raise Http404("No such page")
    return access, call


def _rows(call) -> list[tuple]:
    now = timezone.now()
    rows = []
    for invitation in inv.invitations_of(call):
        if invitation.used_at:
            state = f"Registered {when(invitation.used_at)}"
        elif invitation.is_expired(now):
            state = f"Expired {when(invitation.expires_at)}"
        else:
            state = f"Link works until {when(invitation.expires_at)}"
        rows.append((invitation, state))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def call_invitations(request: HttpRequest, hub_slug: str, call_id: int) -> HttpResponse:
    access, call = _staff_call(request, hub_slug, call_id)
    blocked = inv.call_invitation_refusal(call, access)
    form = InviteForm(request.POST or None, hub=access.hub) if blocked is None else None
    context = {"hub": access.hub, "call": call, "form": form, "blocked": blocked}
    status = 200
    if request.method == "POST" and blocked is not None:
        if blocked.is_role:
            raise PermissionDenied(blocked.message)
        status = 400
    elif request.method == "POST":
        if form.is_valid():
            try:
                sent = inv.call_invitations_send(
                    call=call,
                    by=request.user,
                    access=access,
                    emails=form.addresses(),
                    partners=list(form.cleaned_data["partners"]),
                )
            except Refused as refused:
                for refusal in refused.refusals:
                    form.add_error(
                        refusal.field if refusal.field in form.fields else None, refusal.message
                    )
            else:
                messages.success(
                    request,
                    f"Invitation sent to {', '.join(i.invitee for i in sent)}.",
                )
                return redirect("calls:invitations", hub_slug, call.pk)
        status = 400
    context["rows"] = _rows(call)
    return render(request, "commissioning/calls/call_invitations.html", context, status=status)


def _join_url(call, invitation) -> str:
    """Where the invitee goes once they have an account: registering their
    organisation with the hub, then the call."""
    query = QueryDict(mutable=True)
    query[REDIRECT_FIELD_NAME] = reverse("calls:detail", args=[call.hub.slug, call.pk])
    if call.for_schools:
        query["kind"] = "school"
    if invitation.email:
        query["email"] = invitation.email
    return f"{reverse('partners:join', args=[call.hub.slug])}?{query.urlencode(safe='/')}"


@never_cache
@require_http_methods(["GET", "POST"])
def call_invited(request: HttpRequest, hub_slug: str, call_id: int, token: str) -> HttpResponse:
    invitation = inv.invitation_for(call_id, hub_slug, token)
    if invitation is None:
        raise Http404("No such invitation")
    call = invitation.call
    join_url = _join_url(call, invitation)
    context = _call_context(call) | {"invitation": invitation, "join_url": join_url}
    refusal = inv.call_invitation_use_refusal(invitation)
    template = "commissioning/calls/call_invited.html"
    if refusal is not None and request.method == "GET":
        return render(request, template, context | {"refusal": refusal}, status=410)
    if request.user.is_authenticated:
        return _signed_in(request, invitation, context, refusal)
    form = RegisterForm(request.POST or None, fixed_email=invitation.email)
    context |= {"form": form, "login_url": _login_url(join_url)}
    if request.method != "POST":
        return render(request, template, context)
    if refusal is not None:  # expired while the form was filled in: nothing typed is lost
        form.is_valid()
        form.add_error("email", refusal.message)
        return render(request, template, context, status=400)
    return register_and_verify(
        request,
        form,
        join_url,
        template,
        context,
        on_account=lambda account: inv.call_invitation_use(invitation=invitation, user=account),
    )


def _signed_in(request: HttpRequest, invitation, context: dict, refusal) -> HttpResponse:
    """Someone with an account: one button on to the call (or to register an
    organisation with this hub first)."""
    template = "commissioning/calls/call_invited.html"
    if request.method != "POST":
        return render(request, template, context | {"signed_in": True})
    if refusal is not None:
        return render(request, template, context | {"refusal": refusal}, status=410)
    inv.call_invitation_use(invitation=invitation, user=request.user)
    return redirect(_signed_in_next(invitation.call, request.user, context["join_url"]))


def _signed_in_next(call, user, join_url: str) -> str:
    speaks = Membership.objects.filter(hub_id=call.hub_id, user=user, role=Role.PARTNER_CONTACT)
    if speaks.exists():
        return reverse("calls:detail", args=[call.hub.slug, call.pk])
    return join_url


def _login_url(next_url: str) -> str:
    query = QueryDict(mutable=True)
    query[REDIRECT_FIELD_NAME] = next_url
    return f"{reverse('account_login')}?{query.urlencode(safe='/')}"
