"""Variation pages: propose a change to a signed agreement, and the
variation's own page (what changes, shown as a difference; where it is on
its route; the comment, decision, signature and withdrawal forms this
person may use). What a page offers is what the write's own refusal
(agreements/rules_variations.py) allows; a role refusal is a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agreements import rules_variations as rv
from agreements import variations as svc
from agreements.forms import SignatureForm
from agreements.models import Variation, VariationStatus
from agreements.services.common import CONSENT_STATEMENT
from agreements.variation_diff import variation_changes
from agreements.variation_forms import (
    VariationCommentForm,
    VariationDecisionForm,
    VariationForm,
    WithdrawForm,
)
from agreements.views.common import client_ip, field_of, forbid_role, load
from hubs.refusals import Refused


def _variation(agreement, number: int) -> Variation:
    variation = get_object_or_404(
        Variation.objects.select_related("proposed_by"), agreement=agreement, number=number
    )
    variation.agreement = agreement  # already read, with its commission and hub
    return variation


def _back(variation: Variation):
    a = variation.agreement
    return redirect(
        "agreements:variation",
        a.hub.slug,
        a.commission.reference,
        a.period_number,
        variation.number,
    )


@login_required
@require_http_methods(["GET", "POST"])
def variation_new(request, hub_slug: str, reference: str, period: int) -> HttpResponse:
    access, agreement = load(request, hub_slug, reference, period)
    refusal = rv.variation_propose_refusal(agreement, access)
    forbid_role(refusal)
    form = VariationForm(request.POST if request.method == "POST" else None, agreement=agreement)
    if refusal is None and form.is_bound and form.is_valid():
        try:
            variation = svc.variation_propose(
                agreement=agreement, user=request.user, change=form.change()
            )
        except Refused as refused:
            forbid_role(refused.refusal)
            form.add_error(field_of(refused, form), refused.message)
        else:
            messages.success(request, f"Variation {variation.number} is proposed.")
            return _back(variation)
    context = {
        "hub": access.hub,
        "access": access,
        "agreement": agreement,
        "commission": agreement.commission,
        "form": form,
        "refusal": refusal,
        "error_forms": [form] if form.errors else [],
    }
    status = 400 if form.is_bound and (form.errors or refusal) else 200
    return render(request, "agreements/variation_new.html", context, status=status)


def variation_page(request, access, variation, *, forms=None, status=200) -> HttpResponse:
    forms = forms or {}
    agreement = variation.agreement
    standing = rv.standing(variation)
    decide = rv.variation_decision_refusal(variation, access)
    sign = rv.variation_sign_refusal(variation, access)
    party = "partner" if variation.status == VariationStatus.APPROVED else "hlo"
    context = {
        "hub": access.hub,
        "access": access,
        "agreement": agreement,
        "commission": agreement.commission,
        "variation": variation,
        "changes": variation_changes(variation),
        "standing": standing,
        "decisions": list(variation.decisions.select_related("actor")),
        "comments": list(variation.comments.select_related("author")) if access.is_internal else [],
        "signatures": list(variation.signatures.all()),
        "can_comment": rv.variation_comment_refusal(variation, access) is None,
        "can_decide": decide is None,
        "decision_waits": decide if decide is not None and decide.waits else None,
        "can_sign": sign is None,
        "party": party,
        "consent_statement": CONSENT_STATEMENT,
        "can_withdraw": rv.variation_withdraw_refusal(variation, access) is None,
        "comment_form": forms.get("comment") or VariationCommentForm(),
        "decision_form": forms.get("decision") or VariationDecisionForm(),
        "sign_form": forms.get("sign") or SignatureForm(),
        "withdraw_form": forms.get("withdraw") or WithdrawForm(),
        "error_forms": [f for f in forms.values() if f.errors],
    }
    return render(request, "agreements/variation_detail.html", context, status=status)


@login_required
@require_GET
def variation_detail(request, hub_slug: str, reference: str, period: int, number: int):
    access, agreement = load(request, hub_slug, reference, period)
    return variation_page(request, access, _variation(agreement, number))


def _write_view(*, key, form_class, gate, write, done):
    """The shape every variation write's page takes, made once: the gate
    asked without the input first (not yours: 403), the form checked, the
    service called with (request, variation, cleaned data), a refusal shown
    beside its field."""

    @login_required
    @require_POST
    def view(request, hub_slug: str, reference: str, period: int, number: int) -> HttpResponse:
        access, agreement = load(request, hub_slug, reference, period)
        variation = _variation(agreement, number)
        forbid_role(gate(variation, access))
        form = form_class(request.POST)
        if form.is_valid():
            try:
                write(request, variation, form.cleaned_data)
            except Refused as refused:
                forbid_role(refused.refusal)
                form.add_error(field_of(refused, form), refused.message)
            else:
                messages.success(request, done)
                return _back(variation)
        return variation_page(request, access, variation, forms={key: form}, status=400)

    return view


variation_comment = _write_view(
    key="comment",
    form_class=VariationCommentForm,
    gate=rv.variation_comment_refusal,
    write=lambda request, v, d: svc.variation_comment_add(
        variation=v, user=request.user, body=d["body"]
    ),
    done="Your comment is recorded.",
)

variation_decide = _write_view(
    key="decision",
    form_class=VariationDecisionForm,
    gate=rv.variation_decision_refusal,
    write=lambda request, v, d: svc.variation_decide(
        variation=v, user=request.user, outcome=d["decision"], reason=d["reason"]
    ),
    done="Your decision is recorded.",
)

variation_sign = _write_view(
    key="sign",
    form_class=SignatureForm,
    gate=rv.variation_sign_refusal,
    write=lambda request, v, d: svc.variation_sign(
        variation=v,
        user=request.user,
        full_name=d["full_name"],
        role_title=d["role_title"],
        consent=d["consent"],
        ip_address=client_ip(request),
    ),
    done="Your signature is recorded.",
)

variation_withdraw = _write_view(
    key="withdraw",
    form_class=WithdrawForm,
    gate=rv.variation_withdraw_refusal,
    write=lambda request, v, d: svc.variation_withdraw(
        variation=v, user=request.user, reason=d["reason"]
    ),
    done="The variation is withdrawn.",
)
