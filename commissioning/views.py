"""Commission pages: the list, one commission, and its moves."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from commissioning import services
from commissioning.filters import COMMISSION_COLUMNS, CommissionFilter
from commissioning.forms import MoveForm
from commissioning.policy import ROLE_RULES, Refused, moves_offered
from commissioning.records import history_of
from commissioning.rules.records import record_refusal
from commissioning.scoring.selectors import calls_to_score
from commissioning.selectors import (
    commission_for,
    commissions_visible,
    stage_counts,
    todo_for,
)
from commissioning.workflow import ACTIONS
from hubs.access import hub_access, hubs_of
from hubs.listing import list_page
from hubs.policy_life.selectors import policy_todos
from hubs.selectors import hubs_with_current_policy


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Signed in: straight to your hub, or pick one. Otherwise the public list."""
    if not request.user.is_authenticated:
        return render(request, "hubs/home.html", {"hubs": hubs_with_current_policy()})
    hubs = list(hubs_of(request.user))
    if len(hubs) == 1:
        return redirect("commissioning:dashboard", hub_slug=hubs[0].slug)
    return render(request, "hubs/hub_picker.html", {"hubs": hubs})


@login_required
@require_GET
def dashboard(request: HttpRequest, hub_slug: str) -> HttpResponse:
    access = hub_access(request, hub_slug)
    # What the policy asks of this person, read with the version in force.
    policy_todo = policy_todos(access)
    policy = policy_todo.current
    review_due = bool(
        access.can("configure_hub")
        and policy
        and policy.next_review_on
        and policy.next_review_on <= timezone.localdate() + timedelta(days=30)
    )
    context = {
        "access": access,
        "hub": access.hub,
        "todo": todo_for(access),
        "to_score": calls_to_score(access) if access.perms or access.area_ids else [],
        "stage_counts": stage_counts(access),
        "policy": policy,
        "review_due": review_due,
        "policy_todos": policy_todo,
    }
    return render(request, "commissioning/dashboard.html", context)


@login_required
@require_GET
def commission_list(request: HttpRequest, hub_slug: str) -> HttpResponse:
    access = hub_access(request, hub_slug)
    filters = CommissionFilter(request.GET, commissions_visible(access), access=access)
    areas = "area" in filters.filters
    columns = [c for c in COMMISSION_COLUMNS if areas or c.key != "area"]
    context = list_page(
        request, filters, columns, ["reference"], noun=("commission", "commissions")
    )
    return render(
        request,
        "commissioning/commission_list.html",
        context | {"access": access, "hub": access.hub, "areas": areas},
    )


def _move_form(commission, action: str, data=None) -> MoveForm:
    return MoveForm(
        data, commission=commission, auto_id=f"id_{action}_%s", initial={"action": action}
    )


def _detail(request, access, commission, bound=None, refusal=None, status=200) -> HttpResponse:
    submitted = bound.data.get("action") if bound is not None else None
    moves = []
    # The same gate the services ask: a move is offered if and only if it
    # could be accepted, or shown with why it waits (commissioning/policy.py).
    for offer in moves_offered(commission, request.user, checker=access):
        name = offer.action
        form = bound if name == submitted else _move_form(commission, name)
        moves.append(
            {
                "name": name,
                "spec": ACTIONS[name],
                "form": form,
                "fields": form.fields_for(name),
                "refusal": refusal if name == submitted else None,
                "waits": offer.waits,
            }
        )
    internal = access.is_internal
    context = {
        "access": access,
        "hub": access.hub,
        "commission": commission,
        # The moves and the commission's record, interleaved (commissioning/records.py).
        "history": history_of(commission) if internal else None,
        "can_record": record_refusal(commission, access) is None,
        "moves": moves,
        "refusal": refusal if submitted not in {m["name"] for m in moves} else None,
    }
    return render(request, "commissioning/commission_detail.html", context, status=status)


@login_required
@require_GET
def commission_detail(request: HttpRequest, hub_slug: str, reference: str) -> HttpResponse:
    access = hub_access(request, hub_slug)
    return _detail(request, access, commission_for(access, reference))


@login_required
@require_POST
def commission_move(request: HttpRequest, hub_slug: str, reference: str) -> HttpResponse:
    access = hub_access(request, hub_slug)
    commission = commission_for(access, reference)
    action = request.POST.get("action", "")
    form = _move_form(commission, action if action in ACTIONS else "unknown", request.POST)
    if not form.is_valid():
        return _detail(request, access, commission, bound=form, status=400)
    action = form.cleaned_data["action"]
    try:
        services.commission_take(
            commission=commission, user=request.user, action=action, **form.params()
        )
    except Refused as refused:
        if refused.field and refused.field in form.fields:
            form.add_error(refused.field, refused.refusal.message)
        status = 403 if refused.rule in ROLE_RULES else 400
        return _detail(request, access, commission, bound=form, refusal=refused, status=status)
    messages.success(request, f"{ACTIONS[action].label}: done. Now {commission.stage.label}.")
    return redirect("commissioning:detail", hub_slug=hub_slug, reference=reference)
