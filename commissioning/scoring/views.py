"""Scoring a call's proposals: the overview, the panel, declaring interests,
scoring, moderating, and the results page where the award is made.

Every view starts with hub_access, then selectors.call_for (a 404 for
anyone who is not an officer of the commission, its approver or on the
call's panel); what only officers or panel members may do is a 403 that
says why.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commissioning.policy import ROLE_RULES, Refused
from commissioning.rules.joint import read_co_applicants
from commissioning.scoring import selectors as sel
from commissioning.scoring import services as svc
from commissioning.scoring.forms import (
    AwardForm,
    DeclarationForm,
    ModerationForm,
    PanelAddForm,
    ScoreForm,
)
from commissioning.scoring.scale import scale_of
from commissioning.scoring.selectors import CallSeat
from commissioning.uploads import serve_private
from hubs.access import hub_access

GET_POST = require_http_methods(["GET", "POST"])
PANEL_ONLY = "Only members of this call's scoring panel declare interests and score its proposals."
OFFICERS_ONLY = "Only the officers running this commission can do this."
RESULTS_FOR = (
    "The panel's results are for the officers running the commission and its approvers; "
    "panel members see their own scoring, so that each scores independently."
)


def _seat(request: HttpRequest, hub_slug: str, call_id: int) -> CallSeat:
    return sel.call_for(hub_access(request, hub_slug), call_id)


def _context(seat: CallSeat, **more) -> dict:
    call = seat.call
    return {
        "hub": call.hub,
        "call": call,
        "commission": call.commission,
        "seat": seat,
        "closed": sel.is_closed(call),
        "decided": sel.is_decided(call),
        "score_max": scale_of(call.commission.policy).max,
        **more,
    }


def _refused_status(refused: svc.Refused | Refused) -> int:
    return 403 if refused.rule in svc.ROLE_RULES | ROLE_RULES else 400


def _place(form, refused) -> None:
    """Put a refusal beside its field, or at the top of the form."""
    field = refused.field
    if field == "partner":
        field = "proposal"  # the partner is chosen through its proposal here
    form.add_error(field if field in form.fields else None, refused.refusal.message)


# ── overview ─────────────────────────────────────────────────────────────────


@login_required
@require_GET
def overview(request: HttpRequest, hub_slug: str, call_id: int) -> HttpResponse:
    seat = _seat(request, hub_slug, call_id)
    call = seat.call
    criteria = sel.call_criteria(call)
    context = _context(
        seat,
        results=sel.call_results(call, request.user, criteria=criteria),
        criteria=criteria,
        panel=seat.panel if seat.sees_results else None,
        declarations=list(sel.declarations_for(call)) if seat.sees_results else None,
    )
    return render(request, "commissioning/scoring/overview.html", context)


# ── the panel ────────────────────────────────────────────────────────────────


@login_required
@GET_POST
def panel(request: HttpRequest, hub_slug: str, call_id: int) -> HttpResponse:
    seat = _seat(request, hub_slug, call_id)
    if not seat.manages:
        raise PermissionDenied(OFFICERS_ONLY)
    call, status = seat.call, 200
    form = PanelAddForm(request.POST or None, eligible=sel.panel_eligible(call))
    if request.method == "POST":
        status = 400
        if form.is_valid():
            member = form.cleaned_data["member"]
            try:
                svc.panel_member_add(call=call, user=request.user, member=member)
            except svc.Refused as refused:
                _place(form, refused)
                status = _refused_status(refused)
            else:
                name = member.get_full_name() or member.email
                messages.success(request, f"{name} is on the panel.")
                return redirect("scoring:panel", hub_slug=hub_slug, call_id=call_id)
    context = _context(seat, form=form, panel=seat.panel)
    return render(request, "commissioning/scoring/panel.html", context, status=status)


@login_required
@require_POST
def panel_remove(request: HttpRequest, hub_slug: str, call_id: int) -> HttpResponse:
    seat = _seat(request, hub_slug, call_id)
    if not seat.manages:
        raise PermissionDenied(OFFICERS_ONLY)
    member_id = request.POST.get("seat", "")
    try:
        if not member_id.isdigit():
            raise svc.Refused(svc.Refusal("no_such_panel_member", "Choose a panel member."))
        member = svc.panel_member_remove(
            call=seat.call, user=request.user, member_id=int(member_id)
        )
    except svc.Refused as refused:
        form = PanelAddForm(eligible=sel.panel_eligible(seat.call))
        context = _context(seat, form=form, panel=seat.panel, refusal=refused.refusal.message)
        return render(
            request,
            "commissioning/scoring/panel.html",
            context,
            status=_refused_status(refused),
        )
    name = member.get_full_name() or member.email
    messages.success(request, f"{name} is no longer on the panel.")
    return redirect("scoring:panel", hub_slug=hub_slug, call_id=call_id)


# ── declaring interests and scoring ──────────────────────────────────────────


@login_required
@GET_POST
def declare(request: HttpRequest, hub_slug: str, call_id: int, proposal_id: int) -> HttpResponse:
    seat = _seat(request, hub_slug, call_id)
    if not seat.on_panel:
        raise PermissionDenied(PANEL_ONLY)
    proposal = sel.proposal_in(seat.call, proposal_id)
    declaration = sel.declaration_of(proposal, request.user)
    form, status = DeclarationForm(request.POST or None), 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                made = svc.conflict_declare(
                    proposal=proposal,
                    user=request.user,
                    has_conflict=form.cleaned_data["has_conflict"],
                    details=form.cleaned_data["details"],
                )
            except svc.Refused as refused:
                _place(form, refused)
                status = _refused_status(refused)
            else:
                if made.has_conflict:
                    messages.success(
                        request,
                        f"Your conflict of interest is recorded: you are recused from "
                        f"{proposal.partner}'s proposal.",
                    )
                    return redirect("scoring:overview", hub_slug=hub_slug, call_id=call_id)
                messages.success(request, "You declared no conflict of interest.")
                return redirect(
                    "scoring:score", hub_slug=hub_slug, call_id=call_id, proposal_id=proposal_id
                )
    context = _context(seat, proposal=proposal, declaration=declaration, form=form)
    return render(request, "commissioning/scoring/declare.html", context, status=status)


@login_required
@GET_POST
def score(request: HttpRequest, hub_slug: str, call_id: int, proposal_id: int) -> HttpResponse:
    seat = _seat(request, hub_slug, call_id)
    if not seat.on_panel:
        raise PermissionDenied(PANEL_ONLY)
    call = seat.call
    proposal = sel.proposal_in(call, proposal_id)
    declaration = sel.declaration_of(proposal, request.user)
    if declaration is None and request.method == "GET":
        # The declaration comes before the proposal's scoring form.
        return redirect(
            "scoring:declare", hub_slug=hub_slug, call_id=call_id, proposal_id=proposal_id
        )
    criteria = sel.call_criteria(call)
    existing = sel.my_scores(proposal, request.user)
    scale = scale_of(call.commission.policy)
    form = ScoreForm(request.POST or None, criteria=criteria, scale=scale, existing=existing)
    status, refusal = 200, None
    if request.method == "POST":
        status = 400
        # Refused for who they are (recused, no declaration) before what they typed.
        refusal = svc.score_refusal(proposal=proposal, user=request.user)
        if refusal is not None:
            status = 403 if refusal.rule in svc.ROLE_RULES else 400
        elif form.is_valid():
            try:
                svc.scores_record(proposal=proposal, user=request.user, scores=form.scores())
            except svc.Refused as refused:
                _place(form, refused)
                status = _refused_status(refused)
            else:
                messages.success(request, f"Your scores for {proposal.partner} are saved.")
                return redirect("scoring:overview", hub_slug=hub_slug, call_id=call_id)
    context = _context(
        seat,
        proposal=proposal,
        declaration=declaration,
        form=form,
        refusal=refusal,
        existing=existing,
        attachments=proposal.attachments.all(),
    )
    return render(request, "commissioning/scoring/score.html", context, status=status)


READ_AFTER_DECLARING = (
    "Panel members read a proposal's files once they have declared no conflict of interest in it."
)


@login_required
@require_GET
def attachment(
    request: HttpRequest, hub_slug: str, call_id: int, proposal_id: int, attachment_id: int
) -> HttpResponse:
    """A proposal's file, for those who read it to score or oversee the call."""
    seat = _seat(request, hub_slug, call_id)
    proposal = sel.proposal_in(seat.call, proposal_id)
    if not seat.sees_results:
        if not seat.on_panel:
            raise PermissionDenied(PANEL_ONLY)
        declaration = sel.declaration_of(proposal, request.user)
        if declaration is None or declaration.has_conflict:
            raise PermissionDenied(READ_AFTER_DECLARING)
    file = get_object_or_404(proposal.attachments, pk=attachment_id)
    return serve_private(file.file, filename=file.original_name, content_type=file.content_type)


# ── moderation ───────────────────────────────────────────────────────────────


@login_required
@GET_POST
def moderate(request: HttpRequest, hub_slug: str, call_id: int, proposal_id: int) -> HttpResponse:
    seat = _seat(request, hub_slug, call_id)
    if not seat.manages:
        raise PermissionDenied(OFFICERS_ONLY)
    call = seat.call
    proposal = sel.proposal_in(call, proposal_id)
    result = sel.call_results(call, proposal_id=proposal.pk)[0]
    criteria = [c.call_criterion for c in result.criteria]
    existing = {
        c.call_criterion.criterion_id: c.moderation for c in result.criteria if c.moderation
    }
    scale = scale_of(call.commission.policy)
    form = ModerationForm(request.POST or None, criteria=criteria, scale=scale, existing=existing)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                svc.moderations_record(proposal=proposal, user=request.user, agreed=form.agreed())
            except svc.Refused as refused:
                _place(form, refused)
                status = _refused_status(refused)
            else:
                messages.success(request, f"The agreed scores for {proposal.partner} are saved.")
                return redirect(
                    "scoring:moderate", hub_slug=hub_slug, call_id=call_id, proposal_id=proposal_id
                )
    scores: dict[int, list] = {}
    for s in sel.scores_for_moderation(call, proposal):
        scores.setdefault(s.criterion_id, []).append(s)
    rows = [
        (c, scores.get(c.call_criterion.criterion_id, []), agreed, rationale)
        for c, (_, agreed, rationale) in zip(result.criteria, form.groups(), strict=True)
    ]
    recused = [d for d in sel.declarations_for(call).filter(proposal=proposal) if d.has_conflict]
    context = _context(
        seat,
        proposal=proposal,
        result=result,
        rows=rows,
        form=form,
        recused=recused,
    )
    return render(request, "commissioning/scoring/moderate.html", context, status=status)


# ── results and the award ────────────────────────────────────────────────────


def _results_page(request, seat: CallSeat, form=None, status: int = 200) -> HttpResponse:
    results = form.results if form is not None else sel.ranked(sel.call_results(seat.call))
    if form is None and seat.manages and not sel.is_decided(seat.call):
        form = AwardForm(results=results)
    read_co_applicants([r.proposal for r in results])  # a joint bid names its partners
    context = _context(seat, results=results, form=form)
    return render(request, "commissioning/scoring/results.html", context, status=status)


@login_required
@require_GET
def results(request: HttpRequest, hub_slug: str, call_id: int) -> HttpResponse:
    seat = _seat(request, hub_slug, call_id)
    if not seat.sees_results:
        raise PermissionDenied(RESULTS_FOR)
    return _results_page(request, seat)


@login_required
@require_POST
def award(request: HttpRequest, hub_slug: str, call_id: int) -> HttpResponse:
    seat = _seat(request, hub_slug, call_id)
    if not seat.manages:
        raise PermissionDenied(OFFICERS_ONLY)
    call = seat.call
    form = AwardForm(request.POST, results=sel.ranked(sel.call_results(call)))
    if not form.is_valid():
        return _results_page(request, seat, form, status=400)
    data = form.cleaned_data
    try:
        if data["intent"] != "award":
            svc.feedback_save(call=call, user=request.user, feedback=form.feedback())
            messages.success(request, "The feedback is saved; it is sent with the outcome.")
        else:
            winner = data["proposal"]
            svc.call_award(
                call=call,
                user=request.user,
                proposal=winner,
                conflict_declaration=data["conflict_declaration"],
                reason=data["reason"],
                feedback=form.feedback(),
            )
            messages.success(
                request,
                f"Awarded to {winner.partner}. The commission is now "
                f"{call.commission.stage.label.lower()}; every partner is told the outcome.",
            )
    except (svc.Refused, Refused) as refused:
        _place(form, refused)
        return _results_page(request, seat, form, status=_refused_status(refused))
    return redirect("scoring:results", hub_slug=hub_slug, call_id=call_id)
