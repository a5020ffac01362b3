"""Drafting an agreement: the first draft from the hub's template, the text,
term and signatories, the payment schedule, and its versions compared."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agreements import drafting
from agreements import forms as f
from agreements import rules as r
from agreements import selectors as sel
from agreements import services as ag
from agreements.views.common import back, field_of, forbid, forbid_role, load
from commissioning.selectors import commission_for
from hubs.access import hub_access
from hubs.refusals import Refused

VERSIONS_PER_PAGE = 25


@login_required
@require_POST
def agreement_create(request, hub_slug: str, reference: str) -> HttpResponse:
    access = hub_access(request, hub_slug)
    commission = commission_for(access, reference)
    forbid_role(r.agreement_create_refusal(commission, request.user, access))
    try:
        agreement = ag.agreement_create(commission=commission, user=request.user)
    except Refused as refused:
        forbid_role(refused.refusal)
        messages.error(request, refused.message)
        return redirect("commissioning:detail", hub_slug=hub_slug, reference=reference)
    messages.success(request, "The partnership agreement is drafted from the hub's template.")
    return redirect("agreements:edit", hub_slug, reference, agreement.period_number)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request, hub_slug: str, reference: str, period: int) -> HttpResponse:
    access, agreement = load(request, hub_slug, reference, period)
    forbid(r.draft_refusal(agreement, request.user, access))
    initial = {
        "partnership_type": agreement.partnership_type,
        "starts_on": agreement.starts_on,
        "ends_on": agreement.ends_on,
        "hlo_signatory_name": agreement.hlo_signatory_name,
        "hlo_signatory_role": agreement.hlo_signatory_role,
        "partner_signatory_name": agreement.partner_signatory_name,
        "partner_signatory_role": agreement.partner_signatory_role,
    }
    data = request.POST if request.method == "POST" else None
    form = f.AgreementForm(
        data,
        initial=initial,
        sections=agreement.sections,
        type_choices=drafting.agreement_type_choices(
            agreement.commission.policy, agreement.partnership_type
        ),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            ag.agreement_save(
                agreement=agreement,
                user=request.user,
                bodies=form.bodies(),
                partnership_type=d["partnership_type"],
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
                hlo_signatory_name=d["hlo_signatory_name"],
                hlo_signatory_role=d["hlo_signatory_role"],
                partner_signatory_name=d["partner_signatory_name"],
                partner_signatory_role=d["partner_signatory_role"],
                note=d["note"],
            )
        except Refused as refused:
            forbid_role(refused.refusal)
            form.add_error(field_of(refused, form), refused.message)
        else:
            agreement.refresh_from_db()
            messages.success(request, f"Saved as version {agreement.version_number}.")
            return back(agreement)
    status = 400 if form.is_bound else 200
    context = {"hub": access.hub, "access": access, "agreement": agreement, "form": form}
    context["commission"] = agreement.commission
    context["error_forms"] = [form] if form.errors else []
    return render(request, "agreements/edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def schedule_edit(request, hub_slug: str, reference: str, period: int) -> HttpResponse:
    access, agreement = load(request, hub_slug, reference, period)
    forbid(r.draft_refusal(agreement, request.user, access))
    instalments = list(agreement.instalments.all())
    initial = [
        {
            "description": i.description,
            "amount": i.amount,
            "percent": i.percent,
            "due_on": i.due_on,
            "milestone": i.milestone,
            "stream": i.stream,
        }
        for i in instalments
    ]
    data = request.POST if request.method == "POST" else None
    basis_form = f.ScheduleBasisForm(data, initial={"basis": agreement.payment_basis})
    formset = f.InstalmentFormSet(data, initial=initial, prefix="instalments")
    schedule_errors: list[str] = []
    if request.method == "POST" and basis_form.is_valid() and formset.is_valid():
        planned = [form.planned() for form in formset.forms if not form.is_blank()]
        try:
            ag.schedule_save(
                agreement=agreement,
                user=request.user,
                basis=basis_form.cleaned_data["basis"],
                instalments=planned,
                note=basis_form.cleaned_data["note"],
            )
        except Refused as refused:
            forbid_role(refused.refusal)
            schedule_errors = [refused.message]
        else:
            messages.success(request, "The payment schedule is saved as a new version.")
            return back(agreement)
    context = {
        "hub": access.hub,
        "access": access,
        "agreement": agreement,
        "commission": agreement.commission,
        "basis_form": basis_form,
        "formset": formset,
        "schedule_errors": schedule_errors,
        "error_forms": [x for x in [basis_form, *formset.forms] if x.errors],
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "agreements/schedule.html", context, status=status)


@login_required
@require_GET
def versions(request, hub_slug: str, reference: str, period: int) -> HttpResponse:
    access, agreement = load(request, hub_slug, reference, period)
    if not access.is_internal:
        raise Http404("No such page")
    numbers = list(sel.versions_of(agreement).values_list("number", flat=True))
    newest = numbers[-1] if numbers else 1
    a = _int(request.GET.get("a"), max(newest - 1, 1))
    b = _int(request.GET.get("b"), newest)
    pair = {v.number: v for v in sel.versions_of(agreement).filter(number__in=[a, b])}
    changes = sel.compare(pair[a], pair[b]) if a in pair and b in pair else None
    # Paging the numbers already read saves the paginator its COUNT query.
    page = Paginator(numbers, VERSIONS_PER_PAGE).get_page(request.GET.get("page"))
    rows = sel.versions_of(agreement).filter(number__in=list(page.object_list))
    context = {
        "hub": access.hub,
        "access": access,
        "agreement": agreement,
        "commission": agreement.commission,
        "page": page,
        "rows": rows,
        "numbers": numbers,
        "a": a,
        "b": b,
        "changes": changes,
    }
    return render(request, "agreements/versions.html", context)


def _int(value, default: int) -> int:
    return int(value) if value and str(value).isdigit() else default
