"""A joint bid's partners page: the lead's contact names co-applicants (or
removes one while the bid is a draft); a co-applicant's contact reads the bid
and confirms its part. What the page offers is what the gate allows."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from commissioning import joint
from commissioning.calls.selectors import proposal_reference
from commissioning.joint_forms import CoApplicantForm
from commissioning.joint_selectors import is_co_applicant, joint_proposal_for
from commissioning.models import ProposalPartner
from commissioning.rules import joint as rules
from hubs.access import HubAccess, hub_access
from hubs.refusals import Refusal, Refused


def _forbid_role(refusal: Refusal | None) -> None:
    if refusal is not None and refusal.is_role:
        raise PermissionDenied(refusal.message)


def _page(request, access: HubAccess, proposal, form=None, refusal=None, status=200):
    links = rules.co_applicants_of(proposal)
    asked = rules.grant_asked(proposal)
    co_activity = sum((link.share_of_activity for link in links), 0)
    co_budget = sum((link.share_of_budget for link in links), 0)
    adding = rules.co_applicant_refusal(proposal, access, offering=True) is None
    rows = [
        {
            "link": link,
            "removable": adding and rules.co_applicant_remove_refusal(link, access) is None,
            "confirmable": rules.co_applicant_confirm_refusal(link, access) is None,
        }
        for link in links
    ]
    context = {
        "hub": access.hub,
        "access": access,
        "proposal": proposal,
        "reference": proposal_reference(proposal),
        "rows": rows,
        "lead_activity": 100 - co_activity,
        "lead_budget": asked - co_budget,
        "grant_asked": asked,
        "form": (form or CoApplicantForm(proposal=proposal)) if adding else None,
        "is_co_applicant": proposal.partner_id not in access.partner_ids
        and is_co_applicant(access, proposal),
        "waiting": [r for r in rules.joint_bid_refusals(proposal) if r.waits] if links else [],
        "refusal": refusal,
        "error_forms": [form] if form is not None and form.errors else [],
    }
    return render(request, "commissioning/joint/partners.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def bid_partners(request: HttpRequest, hub_slug: str, proposal_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    proposal = joint_proposal_for(access, proposal_id)
    if request.method == "GET":
        return _page(request, access, proposal)
    refusal = rules.co_applicant_refusal(proposal, access, offering=True)
    _forbid_role(refusal)
    form = CoApplicantForm(request.POST, proposal=proposal)
    if refusal is not None:
        return _page(request, access, proposal, refusal=refusal, status=400)
    if form.is_valid():
        try:
            link = joint.co_applicant_add(proposal=proposal, user=request.user, **form.cleaned_data)
        except Refused as refused:
            _forbid_role(refused.refusal)
            field = refused.field if refused.field in form.fields else None
            form.add_error(field, refused.message)
        else:
            messages.success(
                request, f"{link.partner} is named in your bid; its contacts are asked to confirm."
            )
            return redirect("joint:partners", hub_slug, proposal.pk)
    return _page(request, access, proposal, form=form, status=400)


def _link(access: HubAccess, proposal_id: int, link_id: int):
    proposal = joint_proposal_for(access, proposal_id)
    link = get_object_or_404(
        ProposalPartner.objects.select_related("partner"), pk=link_id, proposal=proposal
    )
    link.proposal = proposal
    return proposal, link


@login_required
@require_POST
def confirm(request: HttpRequest, hub_slug: str, proposal_id: int, link_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    proposal, link = _link(access, proposal_id, link_id)
    _forbid_role(rules.co_applicant_confirm_refusal(link, access))
    try:
        joint.co_applicant_confirm(link=link, user=request.user)
    except Refused as refused:
        _forbid_role(refused.refusal)
        return _page(request, access, proposal, refusal=refused.refusal, status=400)
    messages.success(request, f"You have confirmed {link.partner}'s part in this bid.")
    return redirect("joint:partners", hub_slug, proposal.pk)


@login_required
@require_POST
def remove(request: HttpRequest, hub_slug: str, proposal_id: int, link_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    proposal, link = _link(access, proposal_id, link_id)
    _forbid_role(rules.co_applicant_remove_refusal(link, access))
    try:
        joint.co_applicant_remove(link=link, user=request.user)
    except Refused as refused:
        _forbid_role(refused.refusal)
        return _page(request, access, proposal, refusal=refused.refusal, status=400)
    messages.success(request, f"{link.partner} is no longer named in this bid.")
    return redirect("joint:partners", hub_slug, proposal.pk)
