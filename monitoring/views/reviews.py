"""A review's page and its steps: recommend, terminate, close, and the
commission's decommissioning moves taken from it. The steps offered are
those whose gate (monitoring/rules/reviews.py, which asks the policy engine
for the commission's moves) would accept them, and those that only wait,
shown with why. Above them, the board's comments on the recommendation and
the officer's responses: the comment form to a member while the window is
open, a response form to the officer, asked of the same gates."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from hubs.access import hub_access
from hubs.refusals import Refusal, Refused
from monitoring import services as svc
from monitoring.forms import ReviewActForm, ReviewCommentForm, ReviewResponseForm
from monitoring.rules.reviews import (
    review_comment_refusal,
    review_comment_response_refusal,
    review_steps,
    step_label,
)
from monitoring.selectors import recommendation_of, review_board_round, review_for
from monitoring.views.common import error_summary, place


@dataclass
class Bound:
    """A form sent back with its problems: the step or comment it is for."""

    key: object
    form: django_forms.Form
    others: list[str] = field(default_factory=list)


def _comments(access, review, comment: Bound | None, response: Bound | None) -> dict:
    """The board's comments and the forms this person is offered: the same
    number of queries however many comments there are."""
    board = review_board_round(review)
    refusal = review_comment_refusal(
        review=review, who=access, commenters=board.commenter_ids, offering=True
    )
    rows = []
    for c in board.comments:
        form = None
        if response is not None and response.key == c.pk:
            form = response.form  # what was typed, with why it was refused
        elif review_comment_response_refusal(comment=c, who=access, offering=True) is None:
            form = ReviewResponseForm(auto_id=f"response-{c.pk}_%s")
        rows.append({"comment": c, "response_form": form})
    comment_form = comment.form if comment else (ReviewCommentForm() if refusal is None else None)
    return {
        "board": board,
        "comment_rows": rows,
        "comment_form": comment_form,
        "comment_others": comment.others if comment else [],
        "response_others": response.others if response else [],
        "response_key": response.key if response else None,
        # A member the window has closed on (or not yet opened for) is told why.
        "comment_refusal": refusal if refusal is not None and not refusal.is_role else None,
    }


def _review_page(
    request,
    access,
    review,
    *,
    bound: Bound | None = None,
    comment: Bound | None = None,
    response: Bound | None = None,
    status: int = 200,
):
    steps = []
    policy = review.commission.policy
    for step in review_steps(review, access):
        form = ReviewActForm(
            initial={"action": step.name}, auto_id=f"{step.name}_%s", policy=policy
        )
        others = []
        if bound is not None and bound.key == step.name:
            form, others = bound.form, bound.others
        steps.append({"step": step, "form": form, "others": others})
    sent = bound or comment or response
    context = {
        "access": access,
        "hub": access.hub,
        "review": review,
        "commission": review.commission,
        "steps": steps,
        "error_summary": error_summary(sent.form, sent.others) if sent else [],
        **_comments(access, review, comment, response),
    }
    return render(request, "monitoring/review_detail.html", context, status=status)


def _forbid_role(refusal: Refusal | None) -> None:
    if refusal is not None and refusal.is_role:
        raise PermissionDenied(refusal.message)


@login_required
@require_GET
def review_detail(request: HttpRequest, hub_slug: str, review_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    return _review_page(request, access, review_for(access, review_id))


@login_required
@require_GET
def recommendation(request: HttpRequest, hub_slug: str, reference: str) -> HttpResponse:
    """The review behind a commission's recommendation to decommission (the
    dashboard links here from the commission)."""
    access = hub_access(request, hub_slug)
    return redirect("monitoring:review", hub_slug, recommendation_of(access, reference).pk)


@login_required
@require_POST
def review_act(request: HttpRequest, hub_slug: str, review_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    review = review_for(access, review_id)
    action = request.POST.get("action", "")
    form = ReviewActForm(request.POST, auto_id=f"{action}_%s", policy=review.commission.policy)
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
            request, access, review, bound=Bound(action, form, others), status=refused.status
        )
    review.commission.refresh_from_db()
    messages.success(request, f"{step_label(action)}: done. Now {review.commission.stage.label}.")
    return redirect("monitoring:review", hub_slug, review.pk)


@login_required
@require_POST
def review_comment(request: HttpRequest, hub_slug: str, review_id: int) -> HttpResponse:
    """A member's comment on the recommendation."""
    access = hub_access(request, hub_slug)
    review = review_for(access, review_id)
    _forbid_role(review_comment_refusal(review=review, who=access, offering=True))
    form = ReviewCommentForm(request.POST)
    if form.is_valid():
        try:
            svc.review_comment_add(
                review=review,
                user=request.user,
                body=form.cleaned_data["body"],
                form_key=form.cleaned_data["form_key"],
            )
        except Refused as refused:
            _forbid_role(refused.refusal)
            sent = Bound("comment", form, place(form, refused))
            return _review_page(request, access, review, comment=sent, status=refused.status)
        messages.success(request, "Your comment is recorded; the officer has been told.")
        return redirect("monitoring:review", hub_slug, review.pk)
    return _review_page(request, access, review, comment=Bound("comment", form), status=400)


@login_required
@require_POST
def review_respond(
    request: HttpRequest, hub_slug: str, review_id: int, comment_id: int
) -> HttpResponse:
    """The officer's response to one comment."""
    access = hub_access(request, hub_slug)
    review = review_for(access, review_id)
    comment = review.comments.filter(pk=comment_id).first()
    if comment is None:
        raise Http404("No such comment")
    comment.review = review  # already read, with its commission
    _forbid_role(review_comment_response_refusal(comment=comment, who=access, offering=True))
    form = ReviewResponseForm(request.POST, auto_id=f"response-{comment.pk}_%s")
    if form.is_valid():
        try:
            svc.review_comment_respond(
                comment=comment, user=request.user, response=form.cleaned_data["response"]
            )
        except Refused as refused:
            _forbid_role(refused.refusal)
            sent = Bound(comment.pk, form, place(form, refused))
            return _review_page(request, access, review, response=sent, status=refused.status)
        messages.success(request, "Your response is recorded; the board member has been told.")
        return redirect("monitoring:review", hub_slug, review.pk)
    return _review_page(request, access, review, response=Bound(comment.pk, form), status=400)
