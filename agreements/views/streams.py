"""The Hub grant's two streams on a draft agreement: how much of it is
capital (the rest is revenue). Offered beside the payment schedule, which
must then pay each part."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from agreements import services as ag
from agreements.rules_streams import streams_refusal
from agreements.variation_forms import StreamsForm
from agreements.views.common import field_of, forbid, forbid_role, load
from hubs.refusals import Refused


@login_required
@require_http_methods(["GET", "POST"])
def streams_edit(request, hub_slug: str, reference: str, period: int) -> HttpResponse:
    access, agreement = load(request, hub_slug, reference, period)
    forbid(streams_refusal(agreement, request.user, access))
    data = request.POST if request.method == "POST" else None
    form = StreamsForm(data, initial={"capital": agreement.capital_amount})
    if form.is_bound and form.is_valid():
        try:
            ag.grant_streams_save(
                agreement=agreement, user=request.user, capital=form.cleaned_data["capital"]
            )
        except Refused as refused:
            forbid_role(refused.refusal)
            form.add_error(field_of(refused, form) or "capital", refused.message)
        else:
            messages.success(
                request,
                "The Hub grant's split is saved; check the payment schedule pays each part.",
            )
            return redirect("agreements:schedule", hub_slug, reference, period)
    context = {
        "hub": access.hub,
        "access": access,
        "agreement": agreement,
        "commission": agreement.commission,
        "form": form,
        "error_forms": [form] if form.errors else [],
    }
    return render(request, "agreements/streams.html", context, status=400 if form.errors else 200)
