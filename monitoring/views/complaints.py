"""The hub's complaints: the list, one complaint, escalating and resolving it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from hubs.access import hub_access
from hubs.listing import list_page
from hubs.refusals import Refused
from hubs.services import policy_current
from monitoring import services as svc
from monitoring.filters import COMPLAINT_COLUMNS, ComplaintFilter
from monitoring.forms import ComplaintActForm
from monitoring.hearers import hearers_load, hearers_of
from monitoring.models import ComplaintStatus
from monitoring.rules.complaints import (
    chair_decides,
    complaint_escalate_refusal,
    complaint_resolve_refusal,
)
from monitoring.selectors import complaint_for, complaints_visible, hears_complaints
from monitoring.views.common import error_summary, place

# ── complaints ──────────────────────────────────────────────────────────────


@login_required
@require_GET
def complaint_list(request: HttpRequest, hub_slug: str) -> HttpResponse:
    access = hub_access(request, hub_slug)
    if not hears_complaints(access):
        raise Http404("No such page")
    filters = ComplaintFilter(request.GET, complaints_visible(access), access=access)
    context = list_page(
        request,
        filters,
        COMPLAINT_COLUMNS,
        ["-logged_at"],
        noun=("complaint or grievance", "complaints and grievances"),
    )
    # Each complaint's status in its own policy's words: one query for the page.
    policy = policy_current(hub=access.hub)
    hearers_load([policy, *(c.commission.policy for c in context["page"].object_list)])
    context |= {"access": access, "hub": access.hub, "hearers": hearers_of(policy)}
    return render(request, "monitoring/complaints.html", context)


def actions_offered(access, complaint) -> list[tuple[str, str]]:
    """(action, label) the complaint's page offers: those whose gate, asked
    without the words to be typed, has no refusal."""
    actions = []
    if complaint_resolve_refusal(complaint=complaint, who=access, offering=True) is None:
        escalated = complaint.status == ComplaintStatus.ESCALATED
        actions.append(("resolve", "Decide and resolve" if escalated else "Resolve"))
    if complaint_escalate_refusal(complaint=complaint, who=access, offering=True) is None:
        actions.append(
            ("escalate", f"Escalate to {hearers_of(complaint.commission.policy).escalated}")
        )
    return actions


def _complaint_page(request, access, complaint, *, bound=None, status=200):
    actions = actions_offered(access, complaint)
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
        "chair_decides": chair_decides(complaint.commission),
        "hearers": hearers_of(complaint.commission.policy),
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
            to = hearers_of(complaint.commission.policy).escalated
            messages.success(request, f"Escalated to {to}.")
        else:
            svc.complaint_resolve(complaint=complaint, user=request.user, outcome=text)
            messages.success(request, "Resolved: the outcome is recorded.")
    except Refused as refused:
        if refused.field:  # the reason or the outcome: both typed in "text"
            form.add_error("text", refused.message)
            others = []
        else:
            others = place(form, refused)
        return _complaint_page(
            request, access, complaint, bound=(action, form, others), status=refused.status
        )
    return redirect("monitoring:complaint", hub_slug, complaint.pk)
