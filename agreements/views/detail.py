"""The agreement page, with what this person can do with it, and the steps
taken from it: the officer's steps, the approver's decision, the board's
comments and the officer's responses.

What the page offers comes from the gates the services ask
(agreements/rules.py and commissioning.policy.moves_offered), so it never
offers what the service would refuse.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from agreements import forms as f
from agreements import payments
from agreements import rules as r
from agreements import rules_variations as rv
from agreements import selectors as sel
from agreements import services as ag
from agreements.models import Agreement, BoardComment
from agreements.views.common import back, field_of, forbid_role, load
from commissioning.policy import moves_offered
from commissioning.routing import route_of
from hubs.decision_routes import DecisionKind
from hubs.refusals import Refusal, Refused
from hubs.routes import comment_step, decide_steps

DECISIONS = ("approve", "return_to_draft")


def page_steps(agreement: Agreement) -> tuple[str, ...]:
    """The officer's steps this page takes; a renewal is also withdrawn here
    (the first agreement is withdrawn with its commission)."""
    return (*ag.STEPS, "withdraw") if not agreement.is_first else tuple(ag.STEPS)


def step_labels(agreement: Agreement) -> dict[str, str]:
    """The bodies of this agreement's own route (a hub's routes may differ by
    value: HLO staff decide small awards, the approvers larger ones)."""
    route = route_of(agreement, DecisionKind.AWARD)
    comment, decide = comment_step(route), decide_steps(route)
    policy = agreement.commission.policy
    board = comment.body_name if comment else policy.board_name
    body = decide[0].body_name if decide else policy.approving_body
    return {
        "send_to_board": f"Send the draft to the {board} for comment",
        "submit_for_approval": f"Submit the draft to the {body}",
        "close_board_comment": f"Close board comment and submit to the {body}",
        "withdraw": f"Withdraw period {agreement.period_number}'s agreement",
    }


@login_required
@require_GET
def agreement_detail(request, hub_slug: str, reference: str, period: int) -> HttpResponse:
    access, agreement = load(request, hub_slug, reference, period)
    return detail_page(request, access, agreement)


def _instalment_rows(agreement: Agreement, user, access) -> list[tuple]:
    """Each instalment, its value and the one move this person may make on it."""
    next_move = {"scheduled": "mark_due", "due": "approve", "approved": "paid"}
    rows = []
    worth = payments.as_rows(
        agreement.instalments.all(), agreement.grant_amount, agreement.capital_amount
    )
    for instalment, value in worth:
        instalment.agreement = agreement  # already read
        action = next_move.get(instalment.status)
        if action and r.instalment_refusal(instalment, action, user, access) is not None:
            action = None
        rows.append((instalment, value, action))
    return rows


def detail_page(
    request, access, agreement, *, forms=None, refusal: Refusal | str | None = None, status=200
) -> HttpResponse:
    forms = forms or {}
    user = request.user
    internal = access.is_internal
    comments = sel.board_comments(agreement) if internal else []
    offers = {
        o.action: o
        for o in moves_offered(r.subject_of(agreement), user, checker=access)
        if o.action in (*page_steps(agreement), *DECISIONS)
    }
    labels = step_labels(agreement)
    steps = [(a, labels[a], o.waits) for a, o in offers.items() if a in page_steps(agreement)]
    decisions = [a for a, o in offers.items() if a in DECISIONS and o.waits is None]
    # Approved by this person, waiting for more of the step's body: say so.
    decision_waits = next((o.waits for a, o in offers.items() if a in DECISIONS and o.waits), None)
    countersign = r.countersign_refusal(agreement, user, access)
    sign = r.sign_refusal(agreement, user, access)
    context = {
        "access": access,
        "hub": access.hub,
        "commission": agreement.commission,
        "agreement": agreement,
        "internal": internal,
        "rows": _instalment_rows(agreement, user, access),
        "payments_shown": internal and agreement.status == "signed",
        "signatures": list(agreement.signatures.select_related("user")),
        "comment_groups": sel.comments_by_section(agreement, comments),
        "comments": comments,
        "can_edit": r.draft_refusal(agreement, user, access) is None,
        "can_respond": internal and r.comment_response_refusal(agreement, user, access) is None,
        "can_comment": r.board_comment_refusal(agreement, user, access) is None,
        "can_decide": bool(decisions),
        "decision_waits": decision_waits,
        "can_sign": sign is None,
        # A partner whose records the policy requires is told what is missing.
        "sign_refusal": sign if sign is not None and sign.rule == "compliance_required" else None,
        "can_countersign": countersign is None,
        # Staff who may countersign but are not the signatory named are told whom to ask.
        "countersign_refusal": countersign
        if countersign is not None
        and countersign.rule in ("named_signatory", "compliance_required")
        else None,
        "can_renew": r.renewal_draft_refusal(agreement, user, access) is None,
        "steps": steps,
        "comment_form": forms.get("comment") or f.CommentForm(sections=agreement.sections),
        "decision_form": forms.get("decision") or f.DecisionForm(offered=decisions),
        "refusal": refusal,
        "has_errors": bool(refusal or any(form.errors for form in forms.values())),
        "pdf_offered": agreement.status in sel.SIGNING,
        # Variations of the signed agreement (agreements/rules_variations.py).
        "variations": rv.variations_read(agreement) if agreement.status == "signed" else [],
        "can_vary": rv.variation_propose_refusal(agreement, access) is None,
    }
    return render(request, "agreements/detail.html", context, status=status)


@login_required
@require_POST
def agreement_step(request, hub_slug: str, reference: str, period: int) -> HttpResponse:
    access, agreement = load(request, hub_slug, reference, period)
    form = f.StepForm(request.POST)
    action = form.data.get("action", "")
    if action not in page_steps(agreement):
        refusal = Refusal("unknown_action", "Choose one of the steps offered.")
        return detail_page(request, access, agreement, refusal=refusal, status=400)
    forbid_role(r.agreement_step_refusal(agreement, action, request.user, access, offering=True))
    if not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        refusal = Refusal("invalid_input", f"{name.capitalize()}: {errors[0]}", field=name)
        return detail_page(request, access, agreement, refusal=refusal, status=400)
    reason = form.cleaned_data["reason"]
    try:
        if action == "withdraw":
            ag.agreement_withdraw(agreement=agreement, user=request.user, reason=reason)
        else:
            ag.STEPS[action](agreement=agreement, user=request.user)
    except Refused as refused:
        forbid_role(refused.refusal)
        return detail_page(request, access, agreement, refusal=refused.refusal, status=400)
    agreement.refresh_from_db()
    messages.success(request, f"Done. The agreement is now: {agreement.get_status_display()}.")
    return back(agreement)


@login_required
@require_POST
def agreement_decide(request, hub_slug: str, reference: str, period: int) -> HttpResponse:
    access, agreement = load(request, hub_slug, reference, period)
    form = f.DecisionForm(request.POST)
    chosen = f.DECISIONS.get(form.data.get("decision", ""), "approve")
    forbid_role(r.agreement_step_refusal(agreement, chosen, request.user, access, offering=True))
    if not form.is_valid():
        return detail_page(request, access, agreement, forms={"decision": form}, status=400)
    reason = form.cleaned_data["reason"]
    was = agreement.status
    try:
        if chosen == "approve":
            ag.agreement_approve(agreement=agreement, user=request.user, note=reason)
        else:
            ag.agreement_return_to_draft(agreement=agreement, user=request.user, reason=reason)
    except Refused as refused:
        forbid_role(refused.refusal)
        form.add_error(field_of(refused, form), refused.message)
        return detail_page(request, access, agreement, forms={"decision": form}, status=400)
    agreement.refresh_from_db()
    if agreement.status == was:  # one approval of several: the route waits for the rest
        messages.success(request, "Your approval is recorded; the agreement still awaits approval.")
        return back(agreement)
    messages.success(request, f"Done. The agreement is now: {agreement.get_status_display()}.")
    return back(agreement)


@login_required
@require_POST
def comment_add(request, hub_slug: str, reference: str, period: int) -> HttpResponse:
    access, agreement = load(request, hub_slug, reference, period)
    refusal = r.board_comment_refusal(agreement, request.user, access)
    forbid_role(refusal)
    form = f.CommentForm(request.POST, sections=agreement.sections)
    if not form.is_valid():
        return detail_page(request, access, agreement, forms={"comment": form}, status=400)
    try:
        ag.board_comment_add(
            agreement=agreement,
            user=request.user,
            body=form.cleaned_data["body"],
            section_key=form.cleaned_data["section_key"] or "",
            form_key=form.cleaned_data["form_key"],
        )
    except Refused as refused:
        forbid_role(refused.refusal)
        form.add_error(field_of(refused, form), refused.message)
        return detail_page(request, access, agreement, forms={"comment": form}, status=400)
    messages.success(request, "Your comment is recorded; the officer has been told.")
    return back(agreement)


@login_required
@require_POST
def comment_respond(
    request, hub_slug: str, reference: str, period: int, comment_id: int
) -> HttpResponse:
    access, agreement = load(request, hub_slug, reference, period)
    if not access.is_internal:
        raise Http404("No such comment")
    comment = get_object_or_404(BoardComment, pk=comment_id, agreement=agreement)
    comment.agreement = agreement  # already read, with its commission
    forbid_role(r.comment_response_refusal(agreement, request.user, access))
    form = f.ResponseForm(request.POST)
    response = form.cleaned_data["response"] if form.is_valid() else ""
    try:
        ag.board_comment_respond(comment=comment, user=request.user, response=response)
    except Refused as refused:
        forbid_role(refused.refusal)
        return detail_page(request, access, agreement, refusal=refused.refusal, status=400)
    messages.success(request, "Your response is recorded; the board member has been told.")
    return back(agreement)
