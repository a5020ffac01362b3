"""Needs pages: a hub's needs analyses, their needs and SMART targets, and
opening a commission to meet a need.

Everyone who sees the hub's commissions broadly reads them (a partner contact
gets a 404); HLO staff, and service leads for their own area, write.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commissioning import services
from commissioning.filters import ANALYSIS_COLUMNS, NeedsAnalysisFilter
from commissioning.models import Need, Stakeholder
from commissioning.needs.forms import NeedForm, NeedsAnalysisForm, OpenCommissionForm, TargetForm
from commissioning.needs.selectors import (
    need_for,
    needs_analyses_visible,
    needs_analysis_for,
    needs_of,
    reads_needs,
    targets_of,
)
from commissioning.policy import ROLE_RULES, Refused
from commissioning.selectors import commissions_visible
from hubs.access import HubAccess, hub_access
from hubs.listing import list_page

TEMPLATES = "commissioning/needs/"


# ── access ───────────────────────────────────────────────────────────────────


def _reader(request: HttpRequest, hub_slug: str) -> HubAccess:
    access = hub_access(request, hub_slug)
    if not reads_needs(access):
        raise Http404("No such page")
    return access


def _refused(request: HttpRequest, access: HubAccess, message: str) -> HttpResponse:
    context = {"access": access, "hub": access.hub, "message": message}
    return render(request, TEMPLATES + "refused.html", context, status=403)


def _not_for_the_analysis(request: HttpRequest, access: HubAccess) -> HttpResponse | None:
    refusal = services.analysis_refusal(hub=access.hub, user=access)
    return None if refusal is None else _refused(request, access, refusal.message)


def _not_an_officer(request: HttpRequest, access: HubAccess) -> HttpResponse | None:
    if access.is_officer:
        return None
    return _refused(
        request,
        access,
        f"Only HLO staff or a service lead can record needs for {access.hub.name}. "
        "You can read the needs analyses, but not change them.",
    )


def _writes_need(access: HubAccess, need: Need) -> bool:
    return access.can("run_commissions") or need.service_area_id in access.area_ids


def _not_theirs(request: HttpRequest, access: HubAccess, need: Need) -> HttpResponse | None:
    """A 403, in words, unless this person may change this need."""
    refused = _not_an_officer(request, access)
    if refused is not None or _writes_need(access, need):
        return refused
    refusal = services.need_person_refusal(
        hub=access.hub, user=request.user, service_area=need.service_area
    )
    message = refusal.message if refusal else "Only HLO staff can change this need."
    return _refused(request, access, message)


def _areas(access: HubAccess) -> tuple[list, list]:
    """The hub's service areas, and those this person may choose."""
    areas = list(access.hub.service_areas.order_by("name"))
    if access.can("run_commissions"):
        return areas, areas
    return areas, [a for a in areas if a.pk in access.area_ids]


def _area_kwargs(access: HubAccess) -> dict:
    areas, offered = _areas(access)
    policy = access.hub.policies.in_force().order_by("-version").first()
    return {"hub": access.hub, "policy": policy, "areas": areas, "areas_offered": offered}


def _show_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A model's validation errors, beside the fields they are about."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


def _show_refusal(form: forms.BaseForm, refused: Refused) -> int:
    field = refused.field if refused.field in form.fields else None
    form.add_error(field, refused.refusal.message)
    return 403 if refused.rule in ROLE_RULES else 400


# ── needs analyses ───────────────────────────────────────────────────────────


@login_required
@require_GET
def analysis_list(request: HttpRequest, hub_slug: str) -> HttpResponse:
    access = _reader(request, hub_slug)
    filters = NeedsAnalysisFilter(request.GET, needs_analyses_visible(access), access=access)
    context = list_page(
        request,
        filters,
        ANALYSIS_COLUMNS,
        ["-cycle", "title"],
        noun=("needs analysis", "needs analyses"),
    )
    return render(
        request,
        TEMPLATES + "analysis_list.html",
        context
        | {
            "access": access,
            "hub": access.hub,
            "may_record": services.analysis_refusal(hub=access.hub, user=access) is None,
        },
    )


def _analysis_form_page(request, access, form, analysis=None, status=200) -> HttpResponse:
    context = {
        "access": access,
        "hub": access.hub,
        "form": form,
        "analysis": analysis,
        "error_forms": [form] if form.errors else [],
    }
    return render(request, TEMPLATES + "analysis_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def analysis_create(request: HttpRequest, hub_slug: str) -> HttpResponse:
    access = _reader(request, hub_slug)
    if refused := _not_for_the_analysis(request, access):
        return refused
    if request.method == "GET":
        return _analysis_form_page(request, access, NeedsAnalysisForm(hub=access.hub))
    form = NeedsAnalysisForm(request.POST, hub=access.hub)
    if form.is_valid():
        try:
            analysis = services.needs_analysis_create(
                hub=access.hub, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, f"Needs analysis recorded: {analysis}.")
            return redirect("needs:detail", hub_slug=hub_slug, pk=analysis.pk)
    return _analysis_form_page(request, access, form, status=400)


@login_required
@require_GET
def analysis_detail(request: HttpRequest, hub_slug: str, pk: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    analysis = needs_analysis_for(access, pk)
    consulted = set(analysis.stakeholders_consulted)
    context = {
        "access": access,
        "hub": access.hub,
        "analysis": analysis,
        "stakeholders": [label for value, label in Stakeholder.choices if value in consulted],
        "needs": needs_of(analysis),
        "shows_areas": access.hub.service_areas.exists(),
        "may_edit": services.analysis_refusal(hub=access.hub, user=access) is None,
    }
    return render(request, TEMPLATES + "analysis_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def analysis_edit(request: HttpRequest, hub_slug: str, pk: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    analysis = needs_analysis_for(access, pk)
    if refused := _not_for_the_analysis(request, access):
        return refused
    if request.method == "GET":
        initial = {
            "cycle": analysis.cycle,
            "title": analysis.title,
            "summary": analysis.summary,
            "stakeholders_consulted": analysis.stakeholders_consulted,
            "completed_on": analysis.completed_on,
        }
        form = NeedsAnalysisForm(initial=initial, hub=access.hub, analysis=analysis)
        return _analysis_form_page(request, access, form, analysis)
    form = NeedsAnalysisForm(request.POST, hub=access.hub, analysis=analysis)
    if form.is_valid():
        try:
            services.needs_analysis_update(
                analysis=analysis, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, "Needs analysis saved.")
            return redirect("needs:detail", hub_slug=hub_slug, pk=analysis.pk)
    return _analysis_form_page(request, access, form, analysis, status=400)


# ── needs ────────────────────────────────────────────────────────────────────


def _need_form_page(request, access, analysis, form, target=None, need=None, status=200):
    context = {
        "access": access,
        "hub": access.hub,
        "analysis": analysis,
        "need": need,
        "form": form,
        "target_form": target,
        "error_forms": [f for f in (form, target) if f is not None and f.errors],
    }
    return render(request, TEMPLATES + "need_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def need_add(request: HttpRequest, hub_slug: str, pk: int) -> HttpResponse:
    """A need, and its first SMART target if one is given."""
    access = hub_access(request, hub_slug)
    analysis = needs_analysis_for(access, pk)
    if refused := _not_an_officer(request, access):
        return refused
    kwargs = _area_kwargs(access)
    if request.method == "GET":
        offered = kwargs["areas_offered"]
        initial = {"service_area": offered[0].pk} if len(offered) == 1 else {}
        form = NeedForm(initial=initial, **kwargs)
        target = TargetForm(prefix="target", empty_permitted=True, use_required_attribute=False)
        return _need_form_page(request, access, analysis, form, target)
    form = NeedForm(request.POST, **kwargs)
    target = TargetForm(
        request.POST, prefix="target", empty_permitted=True, use_required_attribute=False
    )
    status = 400
    if form.is_valid() and target.is_valid():
        try:
            need = services.need_record(
                analysis=analysis,
                user=request.user,
                **form.cleaned_data,
                targets=[target.values()] if target.has_changed() else [],
            )
        except Refused as refused:
            status = _show_refusal(form, refused)
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, f"Need added: {need.title}.")
            return redirect("needs:need", hub_slug=hub_slug, pk=analysis.pk, need_pk=need.pk)
    return _need_form_page(request, access, analysis, form, target, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def need_edit(request: HttpRequest, hub_slug: str, pk: int, need_pk: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    analysis = needs_analysis_for(access, pk)
    need = need_for(analysis, need_pk)
    if refused := _not_theirs(request, access, need):
        return refused
    kwargs = _area_kwargs(access)
    if request.method == "GET":
        initial = {
            "title": need.title,
            "description": need.description,
            "priority": need.priority,
            "service_area": need.service_area_id,
        }
        form = NeedForm(initial=initial, **kwargs)
        return _need_form_page(request, access, analysis, form, need=need)
    form = NeedForm(request.POST, **kwargs)
    status = 400
    if form.is_valid():
        try:
            services.need_update(need=need, user=request.user, **form.cleaned_data)
        except Refused as refused:
            status = _show_refusal(form, refused)
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, "Need saved.")
            return redirect("needs:need", hub_slug=hub_slug, pk=analysis.pk, need_pk=need.pk)
    return _need_form_page(request, access, analysis, form, need=need, status=status)


def _need_page(
    request, access, analysis, need, target=None, opening=None, status=200
) -> HttpResponse:
    writes = _writes_need(access, need)
    if writes:
        target = target or TargetForm(prefix="target")
        if opening is None:
            kwargs = _area_kwargs(access)
            initial = {"title": need.title}
            if need.service_area_id and any(
                a.pk == need.service_area_id for a in kwargs["areas_offered"]
            ):
                initial["service_area"] = need.service_area_id
            opening = OpenCommissionForm(prefix="open", initial=initial, **kwargs)
    context = {
        "access": access,
        "hub": access.hub,
        "analysis": analysis,
        "need": need,
        "targets": targets_of(need),
        "commissions": commissions_visible(access).filter(need=need).order_by("reference"),
        "writes": writes,
        "target_form": target,
        "open_form": opening,
        "error_forms": [f for f in (target, opening) if f is not None and f.errors],
    }
    return render(request, TEMPLATES + "need_detail.html", context, status=status)


@login_required
@require_GET
def need_detail(request: HttpRequest, hub_slug: str, pk: int, need_pk: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    analysis = needs_analysis_for(access, pk)
    return _need_page(request, access, analysis, need_for(analysis, need_pk))


@login_required
@require_POST
def target_add(request: HttpRequest, hub_slug: str, pk: int, need_pk: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    analysis = needs_analysis_for(access, pk)
    need = need_for(analysis, need_pk)
    if refused := _not_theirs(request, access, need):
        return refused
    form = TargetForm(request.POST, prefix="target")
    status = 400
    if form.is_valid():
        try:
            services.smart_target_add(need=need, user=request.user, **form.values())
        except Refused as refused:
            status = _show_refusal(form, refused)
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, "SMART target added.")
            return redirect("needs:need", hub_slug=hub_slug, pk=analysis.pk, need_pk=need.pk)
    return _need_page(request, access, analysis, need, target=form, status=status)


@login_required
@require_POST
def commission_open(request: HttpRequest, hub_slug: str, pk: int, need_pk: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    analysis = needs_analysis_for(access, pk)
    need = need_for(analysis, need_pk)
    if refused := _not_theirs(request, access, need):
        return refused
    form = OpenCommissionForm(request.POST, prefix="open", **_area_kwargs(access))
    status = 400
    if form.is_valid():
        try:
            commission = services.commission_open(need=need, user=request.user, **form.cleaned_data)
        except Refused as refused:
            status = _show_refusal(form, refused)
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(
                request, f"Commission {commission.reference} opened to meet the need: {need}."
            )
            return redirect(
                "commissioning:detail", hub_slug=hub_slug, reference=commission.reference
            )
    return _need_page(request, access, analysis, need, opening=form, status=status)
