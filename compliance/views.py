"""Compliance records' pages: the list (the hub's, or a partner contact's own
organisations'), adding a record, one record with its verification, and its
document. Every page starts with hub_access and the selectors' scoping; a
record of another hub, or of an organisation not yours, is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commissioning.uploads import serve_private
from compliance import services as svc
from compliance.filters import RECORD_COLUMNS, RecordFilter
from compliance.forms import RecordForm
from compliance.kinds import kind_of, kinds_of
from compliance.rules import (
    is_staff_for,
    record_add_refusal,
    record_checks,
    record_verify_refusal,
)
from compliance.selectors import record_for, records_visible
from compliance.status import certificate_shown, record_standing
from hubs.access import HubAccess, hub_access
from hubs.listing import list_page
from hubs.refusals import Refused
from partners.models import PartnerOrganisation


def place(form, refused: Refused) -> list[str]:
    """Each refusal beside its field; the others returned for the page's top."""
    others = []
    for refusal in refused.refusals:
        if refusal.field and refusal.field in form.fields:
            form.add_error(refusal.field, refusal.message)
        else:
            others.append(refusal.message)
    return others


def error_summary(form, others=()) -> list[tuple[str, str]]:
    """(message, id to link to) for the summary at the top of the form."""
    found = [
        (str(e), f"#{form[name].auto_id}")
        for name, errs in form.errors.items()
        if name in form.fields
        for e in errs
    ]
    return found + [(m, "#main") for m in others]


@login_required
@require_GET
def record_list(request: HttpRequest, hub_slug: str) -> HttpResponse:
    access = hub_access(request, hub_slug)
    filters = RecordFilter(request.GET, records_visible(access), access=access)
    context = list_page(
        request,
        filters,
        RECORD_COLUMNS,
        ["partner__name", "kind", "-valid_from"],
        noun=("compliance record", "compliance records"),
    )
    kinds = kinds_of(access.hub)
    rows = [
        (r, kinds.get(r.kind) or kind_of(access.hub, r.kind), record_standing(r))
        for r in context["page"].object_list
    ]
    context |= {
        "access": access,
        "hub": access.hub,
        "rows": rows,
        "kinds": list(kinds.values()),
        "may_add": record_add_refusal(access) is None,
    }
    return render(request, "compliance/records.html", context)


def _partners(access: HubAccess) -> list[tuple[int, str]]:
    rows = PartnerOrganisation.objects.filter(hub=access.hub).order_by("name")
    if not access.can("run_commissions"):
        rows = rows.filter(pk__in=access.partner_ids) | rows.filter(
            service_area_id__in=access.area_ids
        )
    return list(rows.values_list("pk", "name"))


@login_required
@require_http_methods(["GET", "POST"])
def record_add(request: HttpRequest, hub_slug: str) -> HttpResponse:
    access = hub_access(request, hub_slug)
    refusal = record_add_refusal(access)
    if refusal is not None:
        raise PermissionDenied(refusal.message)
    kinds = kinds_of(access.hub)
    key = request.POST.get("kind") or request.GET.get("kind", "")
    if key not in kinds:
        context = {"access": access, "hub": access.hub, "kinds": list(kinds.values())}
        return render(request, "compliance/record_kind.html", context)
    kind = kinds[key]
    partners = _partners(access)
    chosen = request.GET.get("partner", "")
    initial = {"partner": int(chosen)} if chosen.isdigit() else {}
    if request.method == "GET":
        form = RecordForm(kind=kind, partners=partners, initial=initial)
        return _form_page(request, access, kind, form)
    form = RecordForm(request.POST, request.FILES, kind=kind, partners=partners)
    if not form.is_valid():
        _judge_the_rest(access.hub, kind, form)
        return _form_page(request, access, kind, form, status=400)
    partner = PartnerOrganisation.objects.select_related("hub").get(pk=form.cleaned_data["partner"])
    try:
        record = svc.record_add(
            partner=partner,
            user=request.user,
            kind=kind.key,
            document=form.cleaned_data.get("document"),
            access=access,
            **form.service_fields(),
        )
    except Refused as refused:
        others = place(form, refused)
        return _form_page(request, access, kind, form, others=others, status=refused.status)
    messages.success(request, f"{kind.name} added for {partner.name}.")
    return redirect("compliance:record", hub_slug, record.pk)


def _judge_the_rest(hub, kind, form) -> None:
    """With one field unreadable, still say at once what else is missing
    (the service's own checks, on what could be read)."""
    data = {"kind": kind.key, **form.cleaned_data}
    for refusal in record_checks(hub, data, form.cleaned_data.get("document")):
        if refusal.field in form.fields and refusal.field not in form.errors:
            form.add_error(refusal.field, refusal.message)


def _form_page(request, access, kind, form, *, others=(), status=200) -> HttpResponse:
    context = {
        "access": access,
        "hub": access.hub,
        "kind": kind,
        "form": form,
        "error_summary": error_summary(form, others) if form.is_bound else [],
    }
    return render(request, "compliance/record_form.html", context, status=status)


@login_required
@require_GET
def record_detail(request: HttpRequest, hub_slug: str, record_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    record = record_for(access, record_id)
    return _detail_page(request, access, record)


def _detail_page(request, access, record, *, problem: str = "", status: int = 200):
    staff = is_staff_for(access, record.partner)
    context = {
        "access": access,
        "hub": access.hub,
        "record": record,
        "kind": kind_of(access.hub, record.kind),
        "standing": record_standing(record),
        "certificate": certificate_shown(record, staff),
        "may_verify": record_verify_refusal(record, access) is None,
        "may_add": record_add_refusal(access, record.partner) is None,
        "problem": problem,
    }
    return render(request, "compliance/record_detail.html", context, status=status)


@login_required
@require_POST
def record_verify(request: HttpRequest, hub_slug: str, record_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    record = record_for(access, record_id)
    try:
        svc.record_verify(record=record, user=request.user, access=access)
    except Refused as refused:
        if refused.status == 403:
            raise PermissionDenied(refused.message) from refused
        return _detail_page(request, access, record, problem=refused.message, status=400)
    messages.success(request, "Verified: the record now counts.")
    return redirect("compliance:record", hub_slug, record.pk)


@login_required
@require_GET
def record_document(request: HttpRequest, hub_slug: str, record_id: int) -> HttpResponse:
    record = record_for(hub_access(request, hub_slug), record_id)
    return serve_private(
        record.document, filename=record.document_name, content_type=record.document_type
    )
