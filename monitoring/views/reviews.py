"""A review's page and its steps: recommend, terminate, close, and the
commission's decommissioning moves taken from it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from commissioning import policy
from commissioning.policy import available_actions
from commissioning.workflow import ACTIONS
from hubs.access import HubAccess, hub_access
from monitoring import services as svc
from monitoring.forms import ReviewActForm
from monitoring.models import ReviewStatus
from monitoring.selectors import review_for
from monitoring.views.common import error_summary, place, refusal_status

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
