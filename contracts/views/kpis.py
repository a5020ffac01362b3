"""KPI pages: an agreement's KPIs (agreed while it is drafted), and a
report's KPIs, where the partner gives its values and the officer rates
each one for the period."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from agreements.selectors import agreement_for
from commissioning.selectors import commission_for
from contracts import services as svc
from contracts.forms import KpiForm, KpiRatingsForm, KpiReturnsForm
from contracts.measures import measures_of
from contracts.models import Kpi
from contracts.rules import (
    kpi_add_refusal,
    kpi_rating_refusal,
    kpi_remove_refusal,
    kpi_return_refusal,
)
from contracts.selectors import kpis_of_agreement, report_kpis
from contracts.views.common import error_summary, place
from hubs.access import hub_access
from hubs.refusals import Refused
from monitoring.selectors import report_for

# ── an agreement's KPIs ─────────────────────────────────────────────────────


def _agreement(request, hub_slug: str, reference: str, period: int):
    access = hub_access(request, hub_slug)
    commission = commission_for(access, reference)
    return access, agreement_for(access, commission, period)


def _kpis_page(request, access, agreement, *, form=None, others=(), status=200):
    measures = measures_of(access.hub)
    offered = kpi_add_refusal(agreement=agreement, who=access, offering=True) is None
    if offered and form is None:
        form = KpiForm(measures=measures, auto_id="kpi_%s")
    rows = kpis_of_agreement(agreement)
    removable = {
        row.kpi.pk
        for row in rows
        if row.state != "dropped"
        and kpi_remove_refusal(agreement=agreement, kpi=row.kpi, who=access) is None
    }
    context = {
        "access": access,
        "hub": access.hub,
        "agreement": agreement,
        "commission": agreement.commission,
        "rows": rows,
        "removable": removable,
        "form": form if offered else None,
        "error_summary": error_summary(form, others)
        if form is not None and form.is_bound
        else [(message, "#main") for message in others],
    }
    return render(request, "contracts/agreement_kpis.html", context, status=status)


@login_required
@require_GET
def agreement_kpis(request: HttpRequest, hub_slug: str, reference: str, period: int):
    access, agreement = _agreement(request, hub_slug, reference, period)
    return _kpis_page(request, access, agreement)


@login_required
@require_POST
def kpi_add(request: HttpRequest, hub_slug: str, reference: str, period: int) -> HttpResponse:
    access, agreement = _agreement(request, hub_slug, reference, period)
    form = KpiForm(request.POST, measures=measures_of(access.hub), auto_id="kpi_%s")
    if not form.is_valid():
        return _kpis_page(request, access, agreement, form=form, status=400)
    data = form.cleaned_data
    try:
        kpi = svc.kpi_add(
            agreement=agreement,
            user=request.user,
            measure=data["measure"],
            description=data["description"],
            target=data["target"],
            frequency=data["frequency"],
            unit=data["unit"] or None,
        )
    except Refused as refused:
        others = place(form, refused)
        return _kpis_page(
            request, access, agreement, form=form, others=others, status=refused.status
        )
    messages.success(request, f"KPI added: {kpi.measure_label}, target {kpi.target_words}.")
    return redirect("contracts:agreement_kpis", hub_slug, reference, period)


@login_required
@require_POST
def kpi_remove(request, hub_slug: str, reference: str, period: int, kpi_id: int) -> HttpResponse:
    access, agreement = _agreement(request, hub_slug, reference, period)
    kpi = get_object_or_404(Kpi, pk=kpi_id, commission=agreement.commission)
    try:
        kept = svc.kpi_remove(agreement=agreement, kpi=kpi, user=request.user)
    except Refused as refused:
        return _kpis_page(
            request, access, agreement, others=[refused.message], status=refused.status
        )
    if kept is None:
        messages.success(request, f"KPI removed: {kpi.measure_label}.")
    else:
        messages.success(request, f"KPI dropped from this agreement: {kpi.measure_label}.")
    return redirect("contracts:agreement_kpis", hub_slug, reference, period)


# ── a report's KPIs ─────────────────────────────────────────────────────────


def _report_page(request, access, report, *, returns=None, ratings=None, others=(), status=200):
    table = report_kpis(report)
    kpis = [row.kpi for row in table.rows]
    in_force = table.in_force
    may_return = kpi_return_refusal(report=report, who=access, offering=True) is None
    may_rate = bool(kpis) and kpi_rating_refusal(report=report, who=access, offering=True) is None
    if may_return and returns is None:
        initial = {}
        for row in table.rows:
            got = row.cells[0][0]
            if got is not None:
                initial[f"value_{row.kpi.pk}"] = got.value
                initial[f"note_{row.kpi.pk}"] = got.note
        returns = KpiReturnsForm(initial=initial, kpis=in_force, auto_id="return_%s")
    if may_rate and ratings is None:
        initial = {}
        for row in table.rows:
            rated = row.cells[0][1]
            if rated is not None:
                initial[f"rating_{row.kpi.pk}"] = rated.rating
                initial[f"why_{row.kpi.pk}"] = rated.note
        ratings = KpiRatingsForm(initial=initial, kpis=kpis, auto_id="rating_%s")
    bound = returns if returns is not None and returns.is_bound else ratings
    context = {
        "access": access,
        "hub": access.hub,
        "report": report,
        "commission": report.commission,
        "table": table,
        "returns": returns if may_return else None,
        "ratings": ratings if may_rate else None,
        "error_summary": error_summary(bound, others)
        if bound is not None and bound.is_bound
        else [],
    }
    return render(request, "contracts/report_kpis.html", context, status=status)


@login_required
@require_GET
def report_kpis_page(request: HttpRequest, hub_slug: str, report_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    return _report_page(request, access, report_for(access, report_id))


def _kpis_of(report, *, in_force: bool = False) -> list[Kpi]:
    table = report_kpis(report)
    return table.in_force if in_force else [row.kpi for row in table.rows]


@login_required
@require_POST
def kpi_returns(request: HttpRequest, hub_slug: str, report_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    report = report_for(access, report_id)
    form = KpiReturnsForm(request.POST, kpis=_kpis_of(report, in_force=True), auto_id="return_%s")
    if not form.is_valid():
        return _report_page(request, access, report, returns=form, status=400)
    try:
        svc.kpi_returns_save(report=report, user=request.user, values=form.values())
    except Refused as refused:
        others = place(form, refused)
        return _report_page(
            request, access, report, returns=form, others=others, status=refused.status
        )
    messages.success(request, "Your KPI values are saved with the report.")
    return redirect("contracts:report_kpis", hub_slug, report.pk)


@login_required
@require_POST
def kpi_rate(request: HttpRequest, hub_slug: str, report_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    report = report_for(access, report_id)
    form = KpiRatingsForm(request.POST, kpis=_kpis_of(report), auto_id="rating_%s")
    if not form.is_valid():
        return _report_page(request, access, report, ratings=form, status=400)
    try:
        svc.kpi_ratings_save(report=report, user=request.user, ratings=form.ratings())
    except Refused as refused:
        others = place(form, refused)
        return _report_page(
            request, access, report, ratings=form, others=others, status=refused.status
        )
    messages.success(request, f"KPIs rated for {report.title}.")
    return redirect("contracts:report_kpis", hub_slug, report.pk)
