"""Closing a call early and extending it, from the call's page (the gates and
services are in changes.py). A refusal that is not the person's to act on
answers 403; any other comes back on the call's page, 400, with what was
typed and the refusal beside its field."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from commissioning.calls import changes
from commissioning.calls.common import when
from commissioning.calls.forms import CallCloseForm, CallExtendForm
from commissioning.calls.selectors import call_for
from commissioning.calls.views import render_call_detail
from hubs.access import hub_access
from hubs.refusals import Refused


def _refused(request, access, call, form, refused: Refused, **forms) -> HttpResponse:
    if refused.refusal.is_role:
        raise PermissionDenied(refused.message)
    field = refused.field if refused.field in form.fields else None
    form.add_error(field, refused.message)
    target = f"id_{form.prefix}-{field}" if field else f"{form.prefix}-form"
    return render_call_detail(
        request, access, call, error_summary=[(refused.message, target)], status=400, **forms
    )


@login_required
@require_POST
def call_close(request: HttpRequest, hub_slug: str, call_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    call = call_for(access, call_id)
    form = CallCloseForm(request.POST, prefix="close")
    form.is_valid()  # every field is optional: the service judges what was typed
    try:
        changes.call_close_early(
            call=call, user=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except Refused as refused:
        return _refused(request, access, call, form, refused, close_form=form)
    messages.success(request, f"The call closed early, at {when(call.closes_at)}.")
    return redirect("calls:detail", hub_slug, call.pk)


@login_required
@require_POST
def call_extend(request: HttpRequest, hub_slug: str, call_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    call = call_for(access, call_id)
    form = CallExtendForm(request.POST, prefix="extend")
    if not form.is_valid():  # a date the browser could not send as one
        return render_call_detail(
            request,
            access,
            call,
            extend_form=form,
            error_summary=[(e, f"id_extend-{n}") for n, errs in form.errors.items() for e in errs],
            status=400,
        )
    try:
        changes.call_extend(
            call=call,
            user=request.user,
            closes_at=form.cleaned_data.get("closes_at"),
            reason=form.cleaned_data.get("reason", ""),
        )
    except Refused as refused:
        return _refused(request, access, call, form, refused, extend_form=form)
    messages.success(request, f"The call now closes at {when(call.closes_at)}.")
    return redirect("calls:detail", hub_slug, call.pk)
