"""A partner's standing: marking it an official Hub partner (the way the
hub's policy says), a former partner, and merging a duplicate into it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from hubs.access import hub_access
from hubs.refusals import Refused
from partners.directory import services
from partners.directory.forms import FormerForm, MergeForm, place
from partners.directory.selectors import partner_for
from partners.directory.views import staff_only


@login_required
@require_POST
def mark_official(request: HttpRequest, hub_slug: str, partner_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    partner = partner_for(access, partner_id)
    staff_only(access)
    try:
        services.partner_mark_official(access=access, partner=partner)
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, f"{partner} is now an official Hub partner.")
    return redirect("directory:detail", hub_slug, partner.pk)


@login_required
@require_http_methods(["GET", "POST"])
def mark_former(request: HttpRequest, hub_slug: str, partner_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    partner = partner_for(access, partner_id)
    staff_only(access)
    form = FormerForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_mark_former(
                access=access, partner=partner, reason=form.cleaned_data["reason"]
            )
        except Refused as refused:
            place(form, refused)
            status = refused.status
        else:
            messages.success(request, f"{partner} is now a former partner.")
            return redirect("directory:detail", hub_slug, partner.pk)
    context = {
        "access": access,
        "hub": access.hub,
        "partner": partner,
        "form": form,
        "error_forms": [form] if form.is_bound and form.errors else [],
    }
    return render(request, "partners/former.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def merge(request: HttpRequest, hub_slug: str, partner_id: int) -> HttpResponse:
    """Fold a duplicate record of this organisation into this one."""
    access = hub_access(request, hub_slug)
    kept = partner_for(access, partner_id)
    staff_only(access)
    form = MergeForm(request.POST or None, kept=kept)
    status = 200
    if request.method == "POST" and form.is_valid():
        duplicate = form.cleaned_data["duplicate"]
        try:
            record = services.partner_merge(
                access=access, kept=kept, duplicate=duplicate, reason=form.cleaned_data["reason"]
            )
        except Refused as refused:
            place(form, refused)
            status = refused.status
        else:
            moved = ", ".join(f"{n} {kind}" for kind, n in record.moved.items()) or "nothing"
            messages.success(request, f"{record.merged_name} merged into {kept}: moved {moved}.")
            return redirect("directory:detail", hub_slug, kept.pk)
    elif request.method == "POST":
        status = 400
    context = {
        "access": access,
        "hub": access.hub,
        "partner": kept,
        "form": form,
        "error_forms": [form] if form.is_bound and form.errors else [],
    }
    return render(request, "partners/merge.html", context, status=status)
