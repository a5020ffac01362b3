"""A partner's expression of interest pages: start, the form (saved as they go),
the proposal's page, withdrawing, and its files."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commissioning.calls import services as svc
from commissioning.calls.forms import (
    BudgetFormSet,
    EOIForm,
    FundingFormSet,
    budget_lines,
    funding_sources,
    line_initial,
)
from commissioning.calls.selectors import call_for, proposal_for, proposal_reference
from commissioning.calls.views import _call_context, _error_summary, _place
from commissioning.models import ProposalStatus
from commissioning.policy import eoi_meeting_refusal
from commissioning.uploads import serve_private
from hubs.access import HubAccess, hub_access
from hubs.drafts import STALE, autosave_answer, not_saved, sent_version
from partners.models import PartnerOrganisation
from partners.rules import open_meeting

# ── expressions of interest ──────────────────────────────────────────────────


@login_required
@require_POST
def eoi_start(request: HttpRequest, hub_slug: str, call_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    call = call_for(access, call_id)
    if not access.partner_ids:
        raise PermissionDenied("Only a partner contact can express interest.")
    chosen = request.POST.get("partner", "")
    ids = sorted(access.partner_ids)
    partner_id = int(chosen) if chosen.isdigit() else (ids[0] if len(ids) == 1 else None)
    if partner_id not in access.partner_ids:
        messages.error(request, "Choose the organisation you are expressing interest for.")
        return redirect("calls:detail", hub_slug, call.pk)
    partner = PartnerOrganisation.objects.get(pk=partner_id)
    try:
        proposal = svc.proposal_start_eoi(call=call, partner=partner, user=request.user)
    except svc.Refused as refused:
        messages.error(request, refused.refusal.message)
        return redirect("calls:detail", hub_slug, call.pk)
    return redirect("calls:eoi_edit", hub_slug, proposal.pk)


def _own(access: HubAccess, proposal_id: int):
    """A proposal of an organisation this person speaks for, or 404."""
    proposal = proposal_for(access, proposal_id)
    if proposal.partner_id not in access.partner_ids:
        raise Http404("No such proposal")
    return proposal


def _bound(request: HttpRequest, proposal):
    word_limit = proposal.call.word_limit
    form = EOIForm(request.POST, request.FILES, word_limit=word_limit)
    costs = BudgetFormSet(request.POST, prefix="costs")
    funding = FundingFormSet(request.POST, prefix="funding")
    return form, costs, funding


def _save(request: HttpRequest, proposal, form, costs, funding, *, files: bool = True):
    """Keep everything that could be read. Returns the files refused and
    whether anything could not be read (and so was not saved)."""
    form.is_valid()
    lines, sources = budget_lines(costs), funding_sources(funding)
    removed = [int(pk) for pk in request.POST.getlist("remove_attachment") if pk.isdigit()]
    refused = svc.proposal_save_draft(
        proposal=proposal,
        user=request.user,
        version=sent_version(request.POST),
        answers=form.answers(),
        budget_lines=lines,
        funding_sources=sources,
        files=form.cleaned_data.get("attachments", []) if files else (),
        remove_attachments=removed if files else (),
    )
    unreadable = bool(form.errors) or lines is None or sources is None
    return refused, unreadable


def _eoi_page(request, proposal, *, bound=None, refusals=(), status=200, add=None, stale=False):
    call = proposal.call
    initial = {name: getattr(proposal, name) for name in (*svc.ANSWERS, "planned_participants")}
    costs_initial, funding_initial = line_initial(proposal)
    costs_initial += [{}] if add == "costs" else []
    funding_initial += [{}] if add == "funding" else []
    form, costs, funding = bound or (
        EOIForm(initial=initial, word_limit=call.word_limit),
        None,
        None,
    )
    # A page refused as stale keeps every row typed, valid or not: what is
    # saved is shown beside it, not in its place.
    if costs is None or (costs.is_valid() and not stale):
        costs = BudgetFormSet(prefix="costs", initial=costs_initial)
    if funding is None or (funding.is_valid() and not stale):
        funding = FundingFormSet(prefix="funding", initial=funding_initial)
    elsewhere = _place(form, refusals)
    meeting_needed = eoi_meeting_refusal(call.commission, proposal.partner)
    answers = []
    for name in svc.LONG_ANSWERS:
        count = svc.words(str(form[name].value() or ""))
        answers.append((form[name], count, max(count - call.word_limit, 0)))
    context = _call_context(call) | {
        "proposal": proposal,
        "form": form,
        "answers": answers,
        "costs": costs,
        "funding": funding,
        "attachments": proposal.attachments.all(),
        "costs_total": sum(line.amount for line in proposal.budget_lines.all()),
        "funding_total": sum(source.amount for source in proposal.funding_sources.all()),
        "elsewhere": elsewhere,
        "error_summary": _error_summary(form, elsewhere, costs, funding),
        "max_upload": settings.UPLOAD_MAX_BYTES,
        "autosave_url": reverse("calls:eoi_autosave", args=[call.hub.slug, proposal.pk]),
        # The version saved now: a stale page that is saved again keeps what it shows.
        "draft_version": proposal.draft_version,
        "stale": stale,
        # Said at the start, by the rule its submission would be refused by.
        "meeting_needed": meeting_needed,
        "meeting_asked": meeting_needed and open_meeting(proposal.partner),
    }
    return render(request, "commissioning/calls/eoi_form.html", context, status=status)


def _saved_at() -> str:
    return date_format(timezone.localtime(), "H:i")


@login_required
@require_http_methods(["GET", "POST"])
def eoi_edit(request: HttpRequest, hub_slug: str, proposal_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    proposal = _own(access, proposal_id)
    if proposal.status != ProposalStatus.DRAFT:
        return redirect("calls:proposal", hub_slug, proposal.pk)
    if request.method == "GET":
        return _eoi_page(request, proposal, add=request.GET.get("add"))
    bound = _bound(request, proposal)
    action = request.POST.get("action", "save")
    try:
        refused, unreadable = _save(request, proposal, *bound)
        if refused or unreadable:
            return _eoi_page(request, proposal, bound=bound, refusals=refused, status=400)
        if action == "submit":
            svc.proposal_submit_eoi(proposal=proposal, user=request.user)
    except svc.Refused as refused:
        stale = refused.rule == STALE
        proposal.refresh_from_db()
        return _eoi_page(
            request,
            proposal,
            bound=bound,
            refusals=refused.refusals,
            status=409 if stale else 400,
            stale=stale,
        )
    here = reverse("calls:eoi_edit", args=[hub_slug, proposal.pk])
    if action == "submit":
        messages.success(
            request,
            f"Expression of interest submitted at {_saved_at()}. Your reference is "
            f"{proposal_reference(proposal)}; we have emailed you a receipt.",
        )
        return redirect("calls:proposal", hub_slug, proposal.pk)
    if action in ("add_costs", "add_funding"):
        kind = action.removeprefix("add_")
        return redirect(f"{here}?add={kind}#{kind}")
    messages.success(request, f"Draft saved at {_saved_at()}.")
    return redirect(here)


@login_required
@require_POST
def eoi_autosave(request: HttpRequest, hub_slug: str, proposal_id: int) -> HttpResponse:
    """static/js/autosave.js posts the whole form here (with the draft version
    the page holds) when a field is left and every 30 seconds; files are sent
    only with the form itself. A save carrying an older version is refused
    (409), so a late one never writes over a newer save or the submit."""
    access = hub_access(request, hub_slug)
    proposal = _own(access, proposal_id)
    if proposal.status != ProposalStatus.DRAFT:
        message = f"Not saved: this expression of interest is {proposal.get_status_display()}."
        message = message.lower().capitalize()
        return autosave_answer(
            request, message=message, version=proposal.draft_version, saved=False, status=409
        )
    try:
        _, unreadable = _save(request, proposal, *_bound(request, proposal), files=False)
    except svc.Refused as refused:  # stale, or submitted meanwhile in another tab
        return autosave_answer(
            request,
            message=not_saved(refused),
            version=proposal.draft_version,
            saved=False,
            status=409,
        )
    message = f"Saved at {_saved_at()}"
    if unreadable:
        message += ", except entries that need correcting (see the amounts)"
    return autosave_answer(request, message=message + ".", version=proposal.draft_version)


@login_required
@require_GET
def proposal_detail(request: HttpRequest, hub_slug: str, proposal_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    proposal = proposal_for(access, proposal_id)
    is_contact = proposal.partner_id in access.partner_ids
    withdrawable = proposal.status in (ProposalStatus.DRAFT, ProposalStatus.SUBMITTED)
    context = {
        "hub": access.hub,
        "proposal": proposal,
        "call": proposal.call,
        "reference": proposal_reference(proposal),
        "lines": proposal.budget_lines.all(),
        "sources": proposal.funding_sources.all(),
        "attachments": proposal.attachments.all(),
        "is_contact": is_contact,
        "can_withdraw": is_contact and withdrawable and proposal.call.is_open(),
    }
    return render(request, "commissioning/calls/proposal_detail.html", context)


@login_required
@require_POST
def eoi_withdraw(request: HttpRequest, hub_slug: str, proposal_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    proposal = proposal_for(access, proposal_id)
    if proposal.partner_id not in access.partner_ids:
        raise PermissionDenied("Only the partner's contacts can withdraw it.")
    try:
        svc.proposal_withdraw_eoi(proposal=proposal, user=request.user)
    except svc.Refused as refused:
        messages.error(request, refused.refusal.message)
    else:
        messages.success(request, "Expression of interest withdrawn.")
    return redirect("calls:proposal", hub_slug, proposal.pk)


@login_required
@require_GET
def proposal_attachment(
    request: HttpRequest, hub_slug: str, proposal_id: int, attachment_id: int
) -> HttpResponse:
    proposal = proposal_for(hub_access(request, hub_slug), proposal_id)
    attachment = get_object_or_404(proposal.attachments, pk=attachment_id)
    return serve_private(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )
