"""Signing pages (the partner's signature and the HLO's countersignature),
the PDF download, the payment instalments and renewal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agreements import forms as f
from agreements import payments
from agreements import rules as r
from agreements import selectors as sel
from agreements import services as ag
from agreements.models import Instalment, SigningParty
from agreements.pdf import agreement_pdf_bytes
from agreements.views.common import back, client_ip, field_of, forbid_role, load
from agreements.views.detail import detail_page
from commissioning.uploads import serve_private
from hubs.refusals import Refused

SIGNING = {
    SigningParty.PARTNER: (r.sign_refusal, ag.agreement_sign, "signed"),
    SigningParty.HLO: (r.countersign_refusal, ag.agreement_countersign, "countersigned"),
}


@login_required
@require_http_methods(["GET", "POST"])
def sign(request, hub_slug: str, reference: str, period: int) -> HttpResponse:
    access, agreement = load(request, hub_slug, reference, period)
    return _signing(request, access, agreement, SigningParty.PARTNER)


@login_required
@require_http_methods(["GET", "POST"])
def countersign(request, hub_slug: str, reference: str, period: int) -> HttpResponse:
    access, agreement = load(request, hub_slug, reference, period)
    return _signing(request, access, agreement, SigningParty.HLO)


def _signing(request, access, agreement, party: str) -> HttpResponse:
    refusal_of, service, done = SIGNING[party]
    refusal = refusal_of(agreement, request.user, access)
    forbid_role(refusal)  # not this person's signature to give
    form = f.SignatureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and refusal is None and form.is_valid():
        d = form.cleaned_data
        try:
            service(
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
            messages.success(request, f"You have {done} the partnership agreement.")
            return back(agreement)
    context = {
        "hub": access.hub,
        "access": access,
        "agreement": agreement,
        "commission": agreement.commission,
        "rows": payments.as_rows(
            agreement.instalments.all(), agreement.grant_amount, agreement.capital_amount
        ),
        "form": form,
        "party": party,
        "ready": refusal is None,
        "not_ready": refusal,
        "pdf_offered": agreement.status in sel.SIGNING,
        "consent_statement": ag.CONSENT_STATEMENT,
        "error_forms": [form] if form.errors else [],
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "agreements/sign.html", context, status=status)


@login_required
@require_GET
def pdf(request, hub_slug: str, reference: str, period: int) -> HttpResponse:
    """The agreement's PDF. Everyone it is shown to gets the stored copy
    (names, roles, times); HLO staff get the audit copy, made now, with the
    signers' accounts and IP addresses."""
    access, agreement = load(request, hub_slug, reference, period)
    if agreement.status in sel.SIGNING:
        agreement = ag.agreement_pdf_for_download(agreement=agreement)
    if not agreement.pdf:
        messages.info(request, "The PDF is being prepared; try again in a minute.")
        return back(agreement)
    name = f"{agreement.commission.reference}-agreement-{agreement.period_number}.pdf"
    if access.can("run_commissions"):
        response = HttpResponse(agreement_pdf_bytes(agreement, audit=True), "application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response
    return serve_private(agreement.pdf, filename=name, content_type="application/pdf")


@login_required
@require_POST
def instalment_action(
    request, hub_slug: str, reference: str, period: int, instalment_id: int
) -> HttpResponse:
    access, agreement = load(request, hub_slug, reference, period)
    if not (access.sees_everything or access.is_officer):
        raise Http404("No such instalment")
    instalment = get_object_or_404(Instalment, pk=instalment_id, agreement=agreement)
    instalment.agreement = agreement
    form = f.InstalmentActionForm(request.POST)
    if not form.is_valid():
        return detail_page(request, access, agreement, refusal="Choose what to do.", status=400)
    action = form.cleaned_data["action"]
    forbid_role(r.instalment_refusal(instalment, action, request.user, access))
    services = {
        "mark_due": lambda: ag.instalment_mark_due(
            instalment=instalment, user=request.user, reason="Marked due."
        ),
        "approve": lambda: ag.instalment_approve(instalment=instalment, user=request.user),
        "paid": lambda: ag.instalment_mark_paid(
            instalment=instalment, user=request.user, reference=form.cleaned_data["reference"]
        ),
    }
    try:
        services[action]()
    except Refused as refused:
        forbid_role(refused.refusal)
        return detail_page(request, access, agreement, refusal=refused.refusal, status=400)
    instalment.refresh_from_db()
    messages.success(
        request, f"Instalment {instalment.position}: {instalment.get_status_display()}."
    )
    return back(agreement)


@login_required
@require_POST
def renew(request, hub_slug: str, reference: str, period: int) -> HttpResponse:
    access, agreement = load(request, hub_slug, reference, period)
    forbid_role(r.renewal_draft_refusal(agreement, request.user, access))
    try:
        renewal = ag.agreement_renew(agreement=agreement, user=request.user)
    except Refused as refused:
        forbid_role(refused.refusal)
        return detail_page(request, access, agreement, refusal=refused.refusal, status=400)
    messages.success(request, f"Period {renewal.period_number}'s agreement is drafted.")
    return back(renewal)
