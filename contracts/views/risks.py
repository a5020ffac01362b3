"""The risk register: a commission's risks (raised by whoever runs it), the
hub's whole register, and one risk with its reviews. The hub's own people
only; anyone else gets a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from commissioning.selectors import commission_for
from contracts import services as svc
from contracts.forms import RiskForm, RiskReviewForm
from contracts.rules import risk_raise_refusal, risk_review_refusal
from contracts.selectors import high_risk_from, high_risks, risk_for, risk_register, risks_visible
from contracts.views.common import error_summary, internal_only, place
from hubs.access import hub_access
from hubs.refusals import Refused

PAGE_SIZE = 25
SHOW = {"open": "Open risks", "high": "High risks", "all": "All risks, closed ones too"}

# ── a commission's risks ────────────────────────────────────────────────────


def _commission(request, hub_slug: str, reference: str):
    access = hub_access(request, hub_slug)
    commission = commission_for(access, reference)
    internal_only(access)
    return access, commission


def _risks_page(request, access, commission, *, form=None, others=(), status=200):
    offered = risk_raise_refusal(commission=commission, who=access, offering=True) is None
    if offered and form is None:
        form = RiskForm(auto_id="risk_%s")
    context = {
        "access": access,
        "hub": access.hub,
        "commission": commission,
        "risks": list(risk_register(risks_visible(access).filter(commission=commission))),
        "high_from": high_risk_from(access.hub),
        "today": timezone.localdate(),
        "form": form if offered else None,
        "error_summary": error_summary(form, others) if form is not None and form.is_bound else [],
    }
    return render(request, "contracts/commission_risks.html", context, status=status)


@login_required
@require_GET
def commission_risks(request: HttpRequest, hub_slug: str, reference: str) -> HttpResponse:
    access, commission = _commission(request, hub_slug, reference)
    return _risks_page(request, access, commission)


@login_required
@require_POST
def risk_raise(request: HttpRequest, hub_slug: str, reference: str) -> HttpResponse:
    access, commission = _commission(request, hub_slug, reference)
    form = RiskForm(request.POST, auto_id="risk_%s")
    if not form.is_valid():
        return _risks_page(request, access, commission, form=form, status=400)
    try:
        risk = svc.risk_raise(commission=commission, user=request.user, **form.cleaned_data)
    except Refused as refused:
        others = place(form, refused)
        return _risks_page(
            request, access, commission, form=form, others=others, status=refused.status
        )
    messages.success(request, f"Risk recorded: {risk.title} (score {risk.score}).")
    return redirect("contracts:risk", hub_slug, risk.pk)


# ── the hub's register ──────────────────────────────────────────────────────


@login_required
@require_GET
def register(request: HttpRequest, hub_slug: str) -> HttpResponse:
    access = hub_access(request, hub_slug)
    internal_only(access)
    show = request.GET.get("show", "open")
    show = show if show in SHOW else "open"
    threshold = high_risk_from(access.hub)
    risks = risks_visible(access)
    if show == "high":
        risks = high_risks(risks, threshold)
    else:
        risks = risk_register(risks if show == "all" else risks.filter(status="open"))
    page = Paginator(risks, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "access": access,
        "hub": access.hub,
        "page": page,
        "show": show,
        "shows": SHOW.items(),
        "high_from": threshold,
        "today": timezone.localdate(),
    }
    return render(request, "contracts/risk_register.html", context)


# ── one risk ────────────────────────────────────────────────────────────────


def _reports_of(risk):
    return list(risk.commission.reports.exclude(status="due").order_by("-due_on", "-pk")[:12])


def _risk_page(request, access, risk, *, form=None, others=(), status=200):
    offered = risk_review_refusal(risk=risk, who=access, offering=True) is None
    if offered and form is None:
        form = RiskReviewForm(
            reports=_reports_of(risk),
            auto_id="review_%s",
            initial={"likelihood": risk.likelihood, "impact": risk.impact},
        )
    context = {
        "access": access,
        "hub": access.hub,
        "risk": risk,
        "commission": risk.commission,
        "reviews": risk.reviews.select_related("reviewed_by", "report"),
        "high_from": high_risk_from(access.hub),
        "today": timezone.localdate(),
        "form": form if offered else None,
        "error_summary": error_summary(form, others) if form is not None and form.is_bound else [],
    }
    return render(request, "contracts/risk_detail.html", context, status=status)


@login_required
@require_GET
def risk_detail(request: HttpRequest, hub_slug: str, risk_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    return _risk_page(request, access, risk_for(access, risk_id))


@login_required
@require_POST
def risk_review(request: HttpRequest, hub_slug: str, risk_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    risk = risk_for(access, risk_id)
    form = RiskReviewForm(request.POST, reports=_reports_of(risk), auto_id="review_%s")
    if not form.is_valid():
        return _risk_page(request, access, risk, form=form, status=400)
    data = dict(form.cleaned_data)
    data["report"] = form.reports.get(data["report"]) if data["report"] else None
    try:
        review = svc.risk_review(risk=risk, user=request.user, **data)
    except Refused as refused:
        others = place(form, refused)
        return _risk_page(request, access, risk, form=form, others=others, status=refused.status)
    messages.success(request, "Risk closed." if review.closed else "Risk reviewed.")
    return redirect("contracts:risk", hub_slug, risk.pk)
