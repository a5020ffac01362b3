"""A partnership's monitoring page and what officers do from it: ask for a
report, open a review (and take it to decommissioning through the
commission's own moves), decide the annual review, log complaints."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commissioning import policy
from commissioning.policy import available_actions
from commissioning.selectors import commission_for
from commissioning.workflow import ACTIONS
from hubs.access import HubAccess, hub_access
from monitoring import services as svc
from monitoring.forms import (
    AnnualReviewForm,
    ComplaintActForm,
    ComplaintForm,
    RequestForm,
    ReviewActForm,
    ReviewOpenForm,
)
from monitoring.models import ComplaintStatus, ReviewStatus
from monitoring.selectors import (
    annual_reviews_of,
    complaint_for,
    complaints_visible,
    hears_complaints,
    is_internal,
    progress_of,
    review_for,
    reviews_visible,
)
from monitoring.views import PAGE_SIZE, error_summary, place, refusal_status

FORMS = {
    "request": RequestForm,
    "review": ReviewOpenForm,
    "annual": AnnualReviewForm,
    "complaint": ComplaintForm,
}


def _partnership(request, access: HubAccess, commission, *, bound=None, status=200):
    """The page; `bound` is (name, form, others) when one of its forms failed."""
    internal = is_internal(access)
    if not (internal or commission.partner_id in access.partner_ids):
        raise Http404("No such page")
    forms = {}
    if access.is_officer:
        forms = {name: cls(auto_id=f"{name}_%s") for name, cls in FORMS.items()}
    annual_due = svc.annual_review_due(commission) if internal else None
    annual = list(annual_reviews_of(commission)) if annual_due else []
    summary = []
    if bound is not None:
        name, form, others = bound
        forms[name] = form
        summary = error_summary(form, others)
    context = {
        "access": access,
        "hub": access.hub,
        "commission": commission,
        "reports": commission.reports.order_by("period_number", "due_on", "pk"),
        "progress": progress_of(commission),
        "internal": internal,
        "reviews": reviews_visible(access).filter(commission=commission) if internal else [],
        "complaints": (
            complaints_visible(access).filter(commission=commission)
            if hears_complaints(access)
            else []
        ),
        "annual_reviews": annual,
        "annual_due": annual_due,
        "annual_decided": any(a.period_number == annual_due[0] for a in annual)
        if annual_due
        else False,
        "forms": forms,
        "error_summary": summary,
        "bound_name": bound[0] if bound else "",
    }
    return render(request, "monitoring/partnership.html", context, status=status)


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
    if not is_internal(access):
        raise Http404("No such page")
    form = FORMS[name](request.POST, auto_id=f"{name}_%s")
    if not form.is_valid():
        return _partnership(request, access, commission, bound=(name, form, []), status=400)
    try:
        result = act(commission, form.cleaned_data)
    except svc.TransitionRefused as refused:
        others = place(form, refused)
        return _partnership(
            request, access, commission, bound=(name, form, others), status=refusal_status(refused)
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


# ── reviews ─────────────────────────────────────────────────────────────────

REVIEW_ACTIONS = {
    "recommend": "Recommend decommissioning",
    "terminate": "Terminate at once for a safeguarding breach",
    "close": "Close the review: the partnership continues",
}


def _review_steps(access: HubAccess, review) -> list[tuple[str, str, bool]]:
    """(action, label, needs a reason) this person may take on this review now."""
    commission = review.commission
    moves = set(available_actions(commission, access.user, checker=access))
    steps = []
    if review.status == ReviewStatus.OPEN:
        if "recommend_decommission" in moves:
            steps.append(("recommend", REVIEW_ACTIONS["recommend"], True))
        if (
            "terminate_immediately" in moves
            and commission.policy.immediate_termination_on_safeguarding
        ):
            steps.append(("terminate", REVIEW_ACTIONS["terminate"], True))
        if access.is_officer:
            steps.append(("close", REVIEW_ACTIONS["close"], True))
    elif review.status == ReviewStatus.RECOMMENDED:
        for action in svc.DECOMMISSION_MOVES:
            if action in moves and _policy_allows(commission, action, access):
                steps.append((action, ACTIONS[action].label, ACTIONS[action].needs_reason))
        if (
            "terminate_immediately" in moves
            and commission.policy.immediate_termination_on_safeguarding
        ):
            steps.append(("terminate", REVIEW_ACTIONS["terminate"], True))
    return steps


def _policy_allows(commission, action: str, access: HubAccess) -> bool:
    """Whether the hub's policy lets this step be taken now, asked of the
    policy engine itself (a reason stands in for the one typed later)."""
    refusal = policy.check(commission, action, access.user, reason="-")
    return refusal is None or refusal.field is not None


def _review_page(request, access, review, *, bound=None, status=200):
    steps = []
    for action, label, needs_reason in _review_steps(access, review):
        form = ReviewActForm(initial={"action": action}, auto_id=f"{action}_%s")
        others = []
        if bound is not None and bound[0] == action:
            form, others = bound[1], bound[2]
        steps.append(
            {
                "action": action,
                "label": label,
                "needs_reason": needs_reason,
                "form": form,
                "others": others,
            }
        )
    context = {
        "access": access,
        "hub": access.hub,
        "review": review,
        "commission": review.commission,
        "steps": steps,
        "error_summary": error_summary(bound[1], bound[2]) if bound else [],
    }
    return render(request, "monitoring/review_detail.html", context, status=status)


@login_required
@require_GET
def review_detail(request: HttpRequest, hub_slug: str, review_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    return _review_page(request, access, review_for(access, review_id))


@login_required
@require_POST
def review_act(request: HttpRequest, hub_slug: str, review_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    review = review_for(access, review_id)
    action = request.POST.get("action", "")
    form = ReviewActForm(request.POST, auto_id=f"{action}_%s")
    form.is_valid()
    data = form.cleaned_data
    reason = data.get("reason", "")
    try:
        if action == "recommend":
            svc.review_recommend(
                review=review, user=request.user, grounds=data.get("grounds", ""), reason=reason
            )
        elif action == "terminate":
            svc.review_terminate(review=review, user=request.user, reason=reason)
        elif action == "close":
            svc.review_close(review=review, user=request.user, outcome=reason)
        else:
            svc.review_move(review=review, user=request.user, action=action, reason=reason)
    except svc.TransitionRefused as refused:
        if refused.field == "outcome":
            form.add_error("reason", refused.refusal.message)
            others = []
        else:
            others = place(form, refused)
        return _review_page(
            request, access, review, bound=(action, form, others), status=refusal_status(refused)
        )
    label = REVIEW_ACTIONS.get(action) or ACTIONS[action].label
    review.commission.refresh_from_db()
    messages.success(request, f"{label}: done. Now {review.commission.stage.label}.")
    return redirect("monitoring:review", hub_slug, review.pk)


# ── complaints ──────────────────────────────────────────────────────────────


@login_required
@require_GET
def complaint_list(request: HttpRequest, hub_slug: str) -> HttpResponse:
    access = hub_access(request, hub_slug)
    if not hears_complaints(access):
        raise Http404("No such page")
    complaints = complaints_visible(access).order_by("-logged_at", "-pk")
    page = Paginator(complaints, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "monitoring/complaints.html", {"access": access, "hub": access.hub, "page": page}
    )


def _complaint_page(request, access, complaint, *, bound=None, status=200):
    actions = []
    may_decide = svc.may_decide_escalated(request.user, complaint)
    if complaint.status == ComplaintStatus.LOGGED and access.is_officer:
        actions = [("resolve", "Resolve"), ("escalate", "Escalate to the chair")]
    elif complaint.status == ComplaintStatus.ESCALATED and may_decide:
        actions = [("resolve", "Decide and resolve")]
    forms = []
    for action, label in actions:
        form = ComplaintActForm(initial={"action": action}, auto_id=f"{action}_%s")
        if bound is not None and bound[0] == action:
            form = bound[1]
        forms.append((action, label, form))
    context = {
        "access": access,
        "hub": access.hub,
        "complaint": complaint,
        "commission": complaint.commission,
        "forms": forms,
        "error_summary": error_summary(bound[1], bound[2]) if bound else [],
        "chair_decides": complaint.commission.policy.decommission_decided_by == "chair",
    }
    return render(request, "monitoring/complaint_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def complaint_detail(request: HttpRequest, hub_slug: str, complaint_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    complaint = complaint_for(access, complaint_id)
    if request.method == "GET":
        return _complaint_page(request, access, complaint)
    action = request.POST.get("action", "")
    form = ComplaintActForm(request.POST, auto_id=f"{action}_%s")
    if not form.is_valid():
        return _complaint_page(request, access, complaint, bound=(action, form, []), status=400)
    text = form.cleaned_data["text"]
    try:
        if form.cleaned_data["action"] == "escalate":
            svc.complaint_escalate(complaint=complaint, user=request.user, reason=text)
            messages.success(request, "Escalated to the chair.")
        else:
            svc.complaint_resolve(complaint=complaint, user=request.user, outcome=text)
            messages.success(request, "Resolved: the outcome is recorded.")
    except svc.TransitionRefused as refused:
        if refused.field:
            form.add_error("text", refused.refusal.message)
            others = []
        else:
            others = place(form, refused)
        return _complaint_page(
            request, access, complaint, bound=(action, form, others), status=refusal_status(refused)
        )
    return redirect("monitoring:complaint", hub_slug, complaint.pk)
