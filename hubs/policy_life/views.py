"""The pages of a policy's life: a version's page (for the hub's staff, the
board and its hub admins), the public consultation page (no sign-in), and
the reviews page (the annual review and the range of partnerships)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from hubs.access import HubAccess, hub_access
from hubs.models import Hub, HubPolicy
from hubs.policy_life import rules, services
from hubs.policy_life.changes import changes_between_versions, settings_of
from hubs.policy_life.forms import (
    AnnualReviewForm,
    CommentForm,
    DecisionForm,
    OpenForm,
    PublicCommentForm,
    RangeReviewForm,
    ResponseForm,
    error_summary,
    place,
)
from hubs.policy_life.models import CommentKind, PolicyComment, PolicyStatus, RangeReview
from hubs.policy_life.selectors import (
    approval_of,
    comments_of,
    consultation_open,
    every_member_commented,
    in_force,
    life_of,
)
from hubs.refusals import Refused
from hubs.routes import route_words, routes_load, routes_of


def _insider(request: HttpRequest, hub_slug: str) -> HubAccess:
    """HLO staff, service leads, approvers, the board, the chair and hub
    admins of this hub; anyone else (partners, other hubs) gets a 404."""
    access = hub_access(request, hub_slug)
    if not (access.is_internal or access.can("decide_terminations")):
        raise Http404("No such page")
    return access


def _changes(current: HubPolicy | None, policy: HubPolicy) -> list:
    """What this version changes from the version in force."""
    if current is None or current.pk == policy.pk:
        return []
    routes_load([current, policy])  # both versions' routes in one read
    return changes_between_versions(current, policy)


Handler = Callable[..., str]


def _post(request, form_class, run: Handler, prefix: str | None = None):
    """Run one form's write: (None, message) once done, or (the bound form
    with each refusal beside its field, the others, the status)."""
    form = form_class(request.POST, prefix=prefix)
    if not form.is_valid():
        return form, [], 400
    try:
        return None, run(form.cleaned_data), 200
    except Refused as refused:
        return form, place(form, refused), refused.status


# ── a version's page ─────────────────────────────────────────────────────────


@login_required
@require_http_methods(["GET", "POST"])
def policy_draft(request: HttpRequest, hub_slug: str, version: int) -> HttpResponse:
    access = _insider(request, hub_slug)
    policy = get_object_or_404(
        HubPolicy.objects.select_related("hub", "proposed_by"), hub=access.hub, version=version
    )
    bound: dict[str, Any] = {}
    others: list[str] = []
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        user = request.user
        if action == "open":
            run = lambda d: _opened(  # noqa: E731
                services.policy_open_for_comment(
                    policy=policy, user=user, consultation_closes_on=d["consultation_closes_on"]
                )
            )
            form, others, status = _post(request, OpenForm, run)
        elif action == "comment":
            run = lambda d: (  # noqa: E731
                services.policy_comment_add(
                    policy=policy, user=user, body=d["body"], form_key=d["form_key"]
                )
                and "Your comment is recorded."
            )
            form, others, status = _post(request, CommentForm, run)
        elif action == "decide":
            run = lambda d: _decided(policy, user, d)  # noqa: E731
            form, others, status = _post(request, DecisionForm, run)
        elif action == "respond":
            comment = get_object_or_404(PolicyComment, policy=policy, pk=request.POST.get("c"))
            action = f"respond-{comment.pk}"
            run = lambda d: (  # noqa: E731
                services.policy_comment_respond(comment=comment, user=user, response=d["response"])
                and "Your response is recorded."
            )
            form, others, status = _post(request, ResponseForm, run, prefix=f"c{comment.pk}")
        else:
            raise Http404("No such action")
        if form is None:
            messages.success(request, others)
            return redirect("hubs:policy_draft", hub_slug=access.hub.slug, version=version)
        bound[action] = form
    context = _draft_context(access, policy, bound, others)
    return render(request, "hubs/policy/draft.html", context, status=status)


def _opened(policy: HubPolicy) -> str:
    said = f"Version {policy.version} is open for comment and decision."
    if policy.consultation_closes_on:
        said += f" The public consultation is open until {policy.consultation_closes_on:%-d %B %Y}."
    return said


def _decided(policy: HubPolicy, user: Any, data: dict) -> str:
    services.policy_decide(
        policy=policy,
        user=user,
        outcome=data["outcome"],
        reason=data["reason"],
        effective_from=data["effective_from"],
    )
    policy.refresh_from_db()
    if policy.status == PolicyStatus.APPROVED:
        when = f"{policy.effective_from:%-d %B %Y}"
        return f"Version {policy.version} is approved: it is in force from {when}."
    if policy.status == PolicyStatus.DRAFT:
        return f"Version {policy.version} is returned to draft, with your reasons."
    return f"Your approval is recorded; version {policy.version} waits for another approval."


def _draft_context(access: HubAccess, policy: HubPolicy, bound: dict, others: list) -> dict:
    approval = approval_of(policy)
    comments = comments_of(policy)
    today = timezone.localdate()
    offered: dict[str, Any] = {}
    if policy.status == PolicyStatus.DRAFT:
        offered["open"] = rules.policy_open_refusal(approval, access)
    if policy.status == PolicyStatus.OPEN:
        offered["comment"] = rules.policy_comment_refusal(approval, access, typed=False)
        offered["decide"] = rules.policy_decision_refusal(
            approval, access, comments=comments, typed=False
        )
    rows = []
    for c in comments:
        form = None
        if access.can_configure and not c.response:
            form = bound.get(f"respond-{c.pk}") or ResponseForm(prefix=f"c{c.pk}")
        rows.append({"comment": c, "form": form})
    shown = next(iter(bound.values()), None)
    awaited = approval.awaited
    return {
        "access": access,
        "hub": access.hub,
        "policy": policy,
        "life": life_of(policy, approval.current),
        "approval": approval,
        "current": approval.current,
        "awaited": awaited[1] if awaited else None,
        "approvals": len(approval.approvals_at(awaited[0])) if awaited else 0,
        "route_words": route_words(approval.route) if approval.route else "",
        "changes": _changes(approval.current, policy),
        "board_rows": [r for r in rows if r["comment"].kind == CommentKind.BOARD],
        "public_rows": [r for r in rows if r["comment"].kind == CommentKind.PUBLIC],
        "all_commented": every_member_commented(approval, comments)
        if policy.status == PolicyStatus.OPEN
        else False,
        "consultation_open": consultation_open(policy, today),
        "offered": offered,
        "open_form": bound.get("open") or OpenForm(),
        "comment_form": bound.get("comment") or CommentForm(),
        "decision_form": bound.get("decide") or DecisionForm(initial={"effective_from": today}),
        "error_summary": error_summary(shown, others) if shown is not None else [],
    }


# ── the public consultation ──────────────────────────────────────────────────


@require_http_methods(["GET", "POST"])
def policy_consultation(request: HttpRequest, hub_slug: str, version: int) -> HttpResponse:
    """A draft open for public consultation: its text and settings, what it
    changes from the version in force, and a comment form. No sign-in."""
    hub = get_object_or_404(Hub, slug=hub_slug)
    policy = get_object_or_404(HubPolicy, hub=hub, version=version, status=PolicyStatus.OPEN)
    if policy.consultation_closes_on is None:
        raise Http404("This draft is not open for public consultation")
    is_open = consultation_open(policy)
    form, others, status = PublicCommentForm(), [], 200
    if request.method == "POST":
        if request.POST.get("website"):  # the honeypot: only robots fill it
            return redirect("hubs:policy_consultation", hub_slug=hub.slug, version=version)

        def run(d: dict) -> str:
            services.public_comment_add(
                policy=policy,
                name=d["name"],
                organisation=d["organisation"],
                email=d["email"],
                body=d["body"],
                form_key=d["form_key"],
            )
            return "Thank you: your comment is recorded, and the hub's board will read it."

        bound, others, status = _post(request, PublicCommentForm, run)
        if bound is None:
            messages.success(request, others)
            return redirect("hubs:policy_consultation", hub_slug=hub.slug, version=version)
        form = bound
    current = in_force(hub)
    context = {
        "hub": hub,
        "policy": policy,
        "current": current,
        "is_open": is_open,
        "changes": _changes(current, policy),
        "settings": settings_of(policy),
        "routes": [route_words(r) for r in routes_of(policy)],
        "form": form,
        "error_summary": error_summary(form, others) if request.method == "POST" else [],
    }
    return render(request, "hubs/policy/consultation.html", context, status=status)


# ── the annual review and the range of partnerships ──────────────────────────


@login_required
@require_http_methods(["GET", "POST"])
def policy_reviews(request: HttpRequest, hub_slug: str) -> HttpResponse:
    access = _insider(request, hub_slug)
    hub, user = access.hub, request.user
    bound: dict[str, django_forms.Form] = {}
    others: list[str] = []
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "annual":
            run = lambda d: (  # noqa: E731
                services.annual_review_record(
                    hub=hub,
                    user=user,
                    outcome=d["outcome"],
                    reviewed_on=d["reviewed_on"],
                    note=d["note"],
                )
                and "The annual review is recorded."
            )
            form, others, status = _post(request, AnnualReviewForm, run)
        elif action == "range":
            run = lambda d: (  # noqa: E731
                services.range_review_add(
                    hub=hub,
                    user=user,
                    body=d["body"],
                    reviewed_on=d["reviewed_on"],
                    form_key=d["form_key"],
                )
                and "The board's review of the range of partnerships is recorded."
            )
            form, others, status = _post(request, RangeReviewForm, run)
        elif action == "range_respond":
            review = get_object_or_404(RangeReview, hub=hub, pk=request.POST.get("r"))
            action = f"range-{review.pk}"
            run = lambda d: (  # noqa: E731
                services.range_review_respond(review=review, user=user, response=d["response"])
                and "The hub's response is recorded."
            )
            form, others, status = _post(request, ResponseForm, run, prefix=f"r{review.pk}")
        else:
            raise Http404("No such action")
        if form is None:
            messages.success(request, others)
            return redirect("hubs:policy_reviews", hub_slug=hub.slug)
        bound[action] = form
    approval = rules.current_approval(hub)
    today = timezone.localdate()
    ranges = list(RangeReview.objects.filter(hub=hub).select_related("author", "responded_by")[:50])
    may_respond = rules.range_response_refusal(RangeReview(hub=hub), access, response="x") is None
    range_rows = [
        {
            "review": r,
            "form": (bound.get(f"range-{r.pk}") or ResponseForm(prefix=f"r{r.pk}"))
            if may_respond and not r.response
            else None,
        }
        for r in ranges
    ]
    shown = next(iter(bound.values()), None)
    context = {
        "access": access,
        "hub": hub,
        "current": approval.current,
        "reviews": list(approval.current.annual_reviews.select_related("recorded_by"))
        if approval.current
        else [],
        "annual_refusal": rules.annual_review_refusal(approval, access, typed=False),
        "range_refusal": rules.range_review_refusal(hub, access, typed=False),
        "annual_form": bound.get("annual") or AnnualReviewForm(initial={"reviewed_on": today}),
        "range_form": bound.get("range") or RangeReviewForm(initial={"reviewed_on": today}),
        "range_rows": range_rows,
        "error_summary": error_summary(shown, others) if shown is not None else [],
    }
    return render(request, "hubs/policy/reviews.html", context, status=status)
