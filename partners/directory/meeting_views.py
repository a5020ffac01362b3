"""Introductory meetings: asked for by an organisation's contact or
proposed by staff, and recorded by staff once held (partners/meetings.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from hubs.access import hub_access
from hubs.refusals import Refused
from partners import meetings
from partners.directory.forms import MeetingRecordForm, MeetingRequestForm, place
from partners.directory.selectors import partner_for
from partners.directory.views import staff_only
from partners.rules import meeting_request_refusal, open_meeting
from partners.types import current_policy


def _page(request, template, context, form, status=200) -> HttpResponse:
    errors = [form] if form.is_bound and form.errors else []
    return render(request, template, context | {"form": form, "error_forms": errors}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_request(request: HttpRequest, hub_slug: str, partner_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    partner = partner_for(access, partner_id)
    refusal = meeting_request_refusal(access=access, partner=partner)
    if refusal is not None and refusal.is_role:
        raise PermissionDenied(refusal.message)
    form = MeetingRequestForm(request.POST or None)
    if not access.is_officer:
        del form.fields["proposed_for"]
    context = {"access": access, "hub": access.hub, "partner": partner, "refusal": refusal}
    if request.method == "POST" and form.is_valid():
        try:
            meetings.meeting_request(
                access=access,
                partner=partner,
                note=form.cleaned_data["note"],
                proposed_for=form.cleaned_data.get("proposed_for"),
            )
        except Refused as refused:
            place(form, refused)
            return _page(request, "partners/meeting_request.html", context, form, refused.status)
        if access.is_officer:
            said = f"Meeting proposed; {partner}'s contacts have been told."
        else:
            said = f"Meeting asked for: {access.hub.hlo_name} will be in touch to arrange it."
        messages.success(request, said)
        return redirect(_next(request) or reverse("directory:detail", args=[hub_slug, partner.pk]))
    status = 400 if form.is_bound else 200
    return _page(request, "partners/meeting_request.html", context, form, status)


def _next(request: HttpRequest) -> str:
    """Back where the request was made (the expression of interest), on this site only."""
    wanted = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if safe and wanted.startswith("/") else ""


@login_required
@require_http_methods(["GET", "POST"])
def meeting_record(request: HttpRequest, hub_slug: str, partner_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    partner = partner_for(access, partner_id)
    staff_only(access)
    policy = current_policy(access.hub.pk)
    waiting = open_meeting(partner)
    initial = {"partnership_type": partner.partnership_type}
    form = MeetingRecordForm(request.POST or None, policy=policy, initial=initial)
    context = {"access": access, "hub": access.hub, "partner": partner, "waiting": waiting}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meetings.meeting_record(
                access=access,
                partner=partner,
                held_on=data["held_on"],
                attendees=data["attendees"],
                outcome=data["outcome"],
                partnership_type=data["partnership_type"],
                safeguarding_explained=data["safeguarding_explained"],
                quality_explained=data["quality_explained"],
                notes=data["notes"],
            )
        except Refused as refused:
            place(form, refused)
            return _page(request, "partners/meeting_record.html", context, form, refused.status)
        messages.success(request, f"{partner}'s introductory meeting is recorded.")
        return redirect("directory:detail", hub_slug, partner.pk)
    status = 400 if form.is_bound else 200
    return _page(request, "partners/meeting_record.html", context, form, status)
