"""A co-applicant's signing page on a joint partnership's agreement; the
page asks the gate the service asks (agreements/joint_rules.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from agreements import forms as f
from agreements import payments
from agreements import selectors as sel
from agreements.joint_rules import co_sign_refusal, co_signing_partner
from agreements.joint_signing import agreement_co_sign
from agreements.services import CONSENT_STATEMENT
from agreements.views.common import back, client_ip, field_of, forbid_role, load
from hubs.refusals import Refused


@login_required
@require_http_methods(["GET", "POST"])
def co_sign(request, hub_slug: str, reference: str, period: int) -> HttpResponse:
    access, agreement = load(request, hub_slug, reference, period)
    refusal = co_sign_refusal(agreement, request.user, access)
    forbid_role(refusal)  # not a co-applicant's contact
    form = f.SignatureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and refusal is None and form.is_valid():
        d = form.cleaned_data
        try:
            agreement_co_sign(
                agreement=agreement,
                user=request.user,
                full_name=d["full_name"],
                role_title=d["role_title"],
                consent=d["consent"],
                ip_address=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        except Refused as refused:
            forbid_role(refused.refusal)
            form.add_error(field_of(refused, form), refused.message)
        else:
            messages.success(request, "You have signed the partnership agreement.")
            return back(agreement)
    context = {
        "hub": access.hub,
        "access": access,
        "agreement": agreement,
        "commission": agreement.commission,
        "signing_for": co_signing_partner(agreement, access),
        "rows": payments.as_rows(agreement.instalments.all(), agreement.grant_amount),
        "form": form,
        "ready": refusal is None,
        "not_ready": refusal,
        "pdf_offered": agreement.status in sel.SIGNING,
        "consent_statement": CONSENT_STATEMENT,
        "error_forms": [form] if form.errors else [],
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "agreements/co_sign.html", context, status=status)
