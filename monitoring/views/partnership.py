"""A partnership's monitoring page and what officers do from it: ask for a
report, open a review (and take it to decommissioning through the
commission's own moves), decide the annual review, log complaints."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from commissioning.selectors import commission_for
from hubs.access import HubAccess, hub_access
from hubs.refusals import Refused
from monitoring import services as svc
from monitoring.forms import AnnualReviewForm, ComplaintForm, RequestForm, ReviewOpenForm
from monitoring.report_schedules import schedule_said
from monitoring.rules.complaints import complaint_log_refusal
from monitoring.rules.reports import report_request_refusal
from monitoring.rules.reviews import renewal_decisions_offered, review_open_refusal
from monitoring.selectors import (
    annual_review_due,
    annual_reviews_of,
    complaints_visible,
    hears_complaints,
    progress_of,
    reviews_visible,
)
from monitoring.views.common import error_summary, place

FORMS = {
    "request": RequestForm,
    "review": ReviewOpenForm,
    "annual": AnnualReviewForm,
    "complaint": ComplaintForm,
}


def offered(access: HubAccess, commission) -> list[str]:
    """The page's forms this person is offered: those whose gate, asked
    without what they would type, has no refusal (the annual review's is
    asked per decision, below)."""
    if not access.is_internal:
        return []
    gates = {
        "request": lambda: report_request_refusal(commission=commission, who=access, offering=True),
        "review": lambda: review_open_refusal(commission=commission, who=access, offering=True),
        "complaint": lambda: complaint_log_refusal(
            commission=commission, who=access, offering=True
        ),
    }
    return [name for name, refusal in gates.items() if refusal() is None]


def _reporting(commission) -> str:
    """The schedule this partnership follows: its agreement's type's, else
    its partner's (as the reports were planned: services.reports)."""
    agreement = commission.agreements.order_by("-period_number", "-pk").first()
    if agreement is not None:
        kind = agreement.partnership_type
    else:
        kind = commission.partner.partnership_type if commission.partner_id else ""
    return schedule_said(commission.policy, kind)


def _partnership(request, access: HubAccess, commission, *, bound=None, status=200):
    """The page; `bound` is (name, form, others) when one of its forms failed."""
    internal = access.is_internal
    if not (internal or commission.partner_id in access.partner_ids):
        raise Http404("No such page")
    annual_due = annual_review_due(commission) if internal else None
    annual = list(annual_reviews_of(commission)) if annual_due else []
    forms = {name: FORMS[name](auto_id=f"{name}_%s") for name in offered(access, commission)}
    # The annual review is offered with the decisions its gate would take.
    decisions = renewal_decisions_offered(commission, access, due=annual_due) if internal else []
    if decisions:
        forms["annual"] = AnnualReviewForm(auto_id="annual_%s")
        forms["annual"].offer(decisions)
    summary = []
    if bound is not None:
        name, form, others = bound
        if name in forms:
            if name == "annual":
                form.offer(decisions)
            forms[name] = form
        summary = error_summary(form, others)
    context = {
        "access": access,
        "hub": access.hub,
        "commission": commission,
        "reports": commission.reports.order_by("period_number", "due_on", "pk"),
        "progress": progress_of(commission),
        "reporting": _reporting(commission),
        "internal": internal,
        "reviews": reviews_visible(access).filter(commission=commission) if internal else [],
        "complaints": _complaints(access, commission),
        "annual_reviews": annual,
        "annual_due": annual_due,
        "forms": forms,
        "error_summary": summary,
        "bound_name": bound[0] if bound else "",
    }
    return render(request, "monitoring/partnership.html", context, status=status)


def _complaints(access, commission) -> list:
    if not hears_complaints(access):
        return []
    complaints = list(complaints_visible(access).filter(commission=commission))
    for c in complaints:  # their status in the policy's words, read once
        c.commission = commission
    return complaints


@login_required
@require_GET
def partnership(request: HttpRequest, hub_slug: str, reference: str) -> HttpResponse:
    access = hub_access(request, hub_slug)
    return _partnership(request, access, commission_for(access, reference))


def _officer_post(request, hub_slug, reference, name, act):
    """Bind the named form, run `act(commission, data)`, and come back to the
    page: with the form and its refusals when something is wrong."""
    access = hub_access(request, hub_slug)
    commission = commission_for(access, reference)
    if not access.is_internal:
        raise Http404("No such page")
    form = FORMS[name](request.POST, auto_id=f"{name}_%s")
    if not form.is_valid():
        return _partnership(request, access, commission, bound=(name, form, []), status=400)
    try:
        result = act(commission, form.cleaned_data)
    except Refused as refused:
        others = place(form, refused)
        return _partnership(
            request, access, commission, bound=(name, form, others), status=refused.status
        )
    return result or redirect("monitoring:partnership", hub_slug, reference)


@login_required
@require_POST
def report_request(request: HttpRequest, hub_slug: str, reference: str) -> HttpResponse:
    def act(commission, data):
        report = svc.report_request(commission=commission, user=request.user, **data)
        messages.success(request, f"Asked {commission.partner} for: {report.title}.")

    return _officer_post(request, hub_slug, reference, "request", act)


@login_required
@require_POST
def review_open(request: HttpRequest, hub_slug: str, reference: str) -> HttpResponse:
    def act(commission, data):
        review = svc.review_open(commission=commission, user=request.user, **data)
        messages.success(request, "Review opened.")
        return redirect("monitoring:review", hub_slug, review.pk)

    return _officer_post(request, hub_slug, reference, "review", act)


@login_required
@require_POST
def annual_review(request: HttpRequest, hub_slug: str, reference: str) -> HttpResponse:
    def act(commission, data):
        review = svc.annual_review_decide(commission=commission, user=request.user, **data)
        messages.success(request, f"Annual review decided: {review.get_decision_display()}.")

    return _officer_post(request, hub_slug, reference, "annual", act)


@login_required
@require_POST
def complaint_log(request: HttpRequest, hub_slug: str, reference: str) -> HttpResponse:
    def act(commission, data):
        complaint = svc.complaint_log(commission=commission, user=request.user, **data)
        messages.success(request, f"{complaint.get_kind_display()} logged.")
        return redirect("monitoring:complaint", hub_slug, complaint.pk)

    return _officer_post(request, hub_slug, reference, "complaint", act)
