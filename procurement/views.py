"""Procurement pages: a commission's procurement (route, departure, value,
notices), the hub's notices with their OCDS releases, and the Transparency
Code's CSVs. Every page starts from the person's standing in the hub; what it
offers is asked of the same refusal functions the services raise."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from hubs.access import hub_access
from hubs.refusals import Refused
from monitoring.suppression import csv_rows
from procurement import ocds, ocds_schema, rules, services, transparency
from procurement.forms import ProcurementForm, PublishForm, ValueChangeForm
from procurement.models import CommissionProcurement
from procurement.selectors import commission_with_record, notice_for, notices_visible

PAGE_SIZE = 25


def _page(
    request, access, commission, record, *, form=None, value_form=None, refusal=None, status=200
) -> HttpResponse:
    records = rules.procurement_record_refusal(commission, access) is None
    value = commission.hub_grant_amount
    rules_now, band = rules.band_needed(
        commission.hub_id,
        value,
        record.kind if record else "grant",
        record.started_on if record else timezone.localdate(),
    )
    approving = record is not None and rules.departure_approval_refusal(record, access) is None
    step = rules.departure_step(commission, value)
    context = {
        "access": access,
        "hub": access.hub,
        "commission": commission,
        "record": record,
        "rules": rules_now,
        "band": band,
        "meets": bool(record and band and rules.route_meets(record.route_taken, band.route_needed)),
        "approvals": rules.approvals_of(record) if record else [],
        "step": step,
        "records": records,
        "form": form
        or (ProcurementForm(instance=record, initial=_initial(commission)) if records else None),
        "approving": approving,
        "value_form": value_form or ValueChangeForm(),
        "changes_value": record is not None and rules.value_change_refusal(record, access) is None,
        "refusal": refusal,
    }
    return render(request, "procurement/commission.html", context, status=status)


def _initial(commission) -> dict:
    partner = commission.partner
    vcs = partner is not None and partner.organisation_type in transparency.VCS_TYPES
    return {"started_on": timezone.localdate(), "supplier_is_vcs": vcs}


@login_required
@require_GET
def commission_procurement(request: HttpRequest, hub_slug: str, reference: str) -> HttpResponse:
    access = hub_access(request, hub_slug)
    commission, record = commission_with_record(access, reference)
    return _page(request, access, commission, record)


@login_required
@require_POST
def procurement_record(request: HttpRequest, hub_slug: str, reference: str) -> HttpResponse:
    access = hub_access(request, hub_slug)
    commission, record = commission_with_record(access, reference)
    refusal = rules.procurement_record_refusal(commission, access)
    if refusal is not None:
        return _page(request, access, commission, record, refusal=refusal, status=403)
    form = ProcurementForm(request.POST, instance=record or CommissionProcurement())
    if not form.is_valid():
        return _page(request, access, commission, record, form=form, status=400)
    values = {name: form.cleaned_data[name] for name in form.Meta.fields}
    try:
        services.procurement_record(commission=commission, user=request.user, **values)
    except Refused as refused:
        beside = refused.field in form.fields
        if beside:
            form.add_error(refused.field, refused.message)
        return _page(
            request,
            access,
            commission,
            record,
            form=form,
            refusal=None if beside else refused,
            status=refused.status,
        )
    messages.success(request, "The procurement is recorded.")
    return redirect("procurement:commission", hub_slug=hub_slug, reference=reference)


@login_required
@require_POST
def departure_approve(request: HttpRequest, hub_slug: str, reference: str) -> HttpResponse:
    access = hub_access(request, hub_slug)
    commission, record = commission_with_record(access, reference)
    if record is None:
        raise Http404("Nothing recorded")
    try:
        services.departure_approve(procurement=record, user=request.user)
    except Refused as refused:
        return _page(request, access, commission, record, refusal=refused, status=refused.status)
    messages.success(request, "Your approval of the departure is recorded.")
    return redirect("procurement:commission", hub_slug=hub_slug, reference=reference)


@login_required
@require_POST
def value_change(request: HttpRequest, hub_slug: str, reference: str) -> HttpResponse:
    access = hub_access(request, hub_slug)
    commission, record = commission_with_record(access, reference)
    if record is None:
        raise Http404("Nothing recorded")
    form = ValueChangeForm(request.POST)
    if not form.is_valid():
        return _page(request, access, commission, record, value_form=form, status=400)
    try:
        services.procurement_value_change(
            procurement=record, user=request.user, **form.cleaned_data
        )
    except Refused as refused:
        beside = refused.field in form.fields
        if beside:
            form.add_error(refused.field, refused.message)
        return _page(
            request,
            access,
            commission,
            record,
            value_form=form,
            refusal=None if beside else refused,
            status=refused.status,
        )
    messages.success(request, "The new value is recorded.")
    return redirect("procurement:commission", hub_slug=hub_slug, reference=reference)


# ── the hub's notices ────────────────────────────────────────────────────────


def _notices_page(request, access, *, bound=None, refusal=None, status=200) -> HttpResponse:
    notices = notices_visible(access).order_by(
        "published_at", "due_by", "procurement__commission__reference", "kind"
    )
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "notice": n,
            "publishable": rules.notice_publish_refusal(n, access) is None,
            "form": bound if bound is not None and bound[0] == n.pk else None,
        }
        for n in page.object_list
    ]
    context = {
        "access": access,
        "hub": access.hub,
        "page": page,
        "rows": rows,
        "refusal": refusal,
        "bound_pk": bound[0] if bound is not None else None,
        "bound_errors": bound[1].errors.get("notice_id", []) if bound is not None else [],
    }
    return render(request, "procurement/notices.html", context, status=status)


@login_required
@require_GET
def notices(request: HttpRequest, hub_slug: str) -> HttpResponse:
    access = hub_access(request, hub_slug)
    return _notices_page(request, access)


@login_required
@require_GET
def notice_ocds(request: HttpRequest, hub_slug: str, pk: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    notice = notice_for(access, pk)
    uri = request.build_absolute_uri()
    package = ocds.package([notice], uri)
    problems = ocds_schema.errors(package)
    if problems:  # never hand the platform a release the standard refuses
        raise ValueError(f"OCDS release for notice {notice.pk} is invalid: {problems[:3]}")
    response = HttpResponse(
        ocds.package_json([notice], uri), content_type="application/json; charset=utf-8"
    )
    ref = notice.procurement.commission.reference
    response["Content-Disposition"] = f'attachment; filename="{ref}-{notice.kind}-ocds.json"'
    return response


@login_required
@require_POST
def notice_publish(request: HttpRequest, hub_slug: str, pk: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    notice = notice_for(access, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _notices_page(request, access, bound=(notice.pk, form), status=400)
    try:
        services.notice_publish(
            notice=notice, user=request.user, notice_id=form.cleaned_data["notice_id"]
        )
    except Refused as refused:
        beside = refused.field in form.fields
        if beside:
            form.add_error(refused.field, refused.message)
        return _notices_page(
            request,
            access,
            bound=(notice.pk, form),
            refusal=None if beside else refused,
            status=refused.status,
        )
    messages.success(request, f"{notice.get_kind_display()} marked published.")
    return redirect("procurement:notices", hub_slug=hub_slug)


# ── Transparency Code ────────────────────────────────────────────────────────

EXPORTS = {
    "contracts": (
        "Contracts over £5,000, by quarter",
        transparency.quarter,
        transparency.contract_rows,
    ),
    "grants": (
        "Grants to voluntary, community and social enterprise organisations, by financial year",
        transparency.financial_year,
        transparency.grant_rows,
    ),
}


def _staff(request: HttpRequest, hub_slug: str):
    access = hub_access(request, hub_slug)
    if not access.sees_everything:
        raise Http404("No such page")
    return access


@login_required
@require_GET
def transparency_page(request: HttpRequest, hub_slug: str) -> HttpResponse:
    access = _staff(request, hub_slug)
    today = timezone.localdate()
    context = {
        "access": access,
        "hub": access.hub,
        "quarters": transparency.quarters_around(today),
        "years": transparency.years_around(today),
    }
    return render(request, "procurement/transparency.html", context)


@login_required
@require_GET
def transparency_csv(request: HttpRequest, hub_slug: str, kind: str) -> StreamingHttpResponse:
    access = _staff(request, hub_slug)
    if kind not in EXPORTS:
        raise Http404("No such export")
    _, period_of, rows = EXPORTS[kind]
    today = timezone.localdate()
    latest = transparency.quarters_around if kind == "contracts" else transparency.years_around
    period = period_of(request.GET.get("period") or latest(today, 1)[0].key)
    if period is None:
        raise Http404("Choose a period from the list")
    response = StreamingHttpResponse(
        csv_rows(rows(access.hub, period)), content_type="text/csv; charset=utf-8"
    )
    name = f"{access.hub.slug}-transparency-{kind}-{period.key.replace('/', '-')}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
