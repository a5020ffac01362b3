"""A review's page and its steps: recommend, terminate, close, and the
commission's decommissioning moves taken from it. The steps offered are
those whose gate (monitoring/rules/reviews.py, which asks the policy engine
for the commission's moves) would accept them, and those that only wait,
shown with why."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from hubs.access import hub_access
from hubs.refusals import Refused
from monitoring import services as svc
from monitoring.forms import ReviewActForm
from monitoring.rules.reviews import review_steps, step_label
from monitoring.selectors import review_for
from monitoring.views.common import error_summary, place


def _review_page(request, access, review, *, bound=None, status=200):
    steps = []
    for step in review_steps(review, access):
        form = ReviewActForm(initial={"action": step.name}, auto_id=f"{step.name}_%s")
        others = []
        if bound is not None and bound[0] == step.name:
            form, others = bound[1], bound[2]
        steps.append({"step": step, "form": form, "others": others})
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
    except Refused as refused:
        others = place(form, refused)
        return _review_page(
            request, access, review, bound=(action, form, others), status=refused.status
        )
    review.commission.refresh_from_db()
    messages.success(request, f"{step_label(action)}: done. Now {review.commission.stage.label}.")
    return redirect("monitoring:review", hub_slug, review.pk)
