"""Agreement pages: the agreement with what each role can do with it, the
drafting pages, versions, signing and the PDF.

Every view starts with `hub_access`, gets the commission through
`commission_for` and the agreement through `agreement_for`: anything the
person may not see is a 404. Seeing but not being allowed to act is a 403,
with the reason in words.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agreements import forms as f
from agreements import payments
from agreements import selectors as sel
from agreements import services as ag
from agreements.models import Agreement, AgreementStatus, BoardComment, Instalment, SigningParty
from agreements.rules import (
    AgreementRefused,
    may_countersign,
    refuse_unless_board_member,
    refuse_unless_officer,
)
from commissioning.policy import TransitionRefused
from commissioning.policy import is_officer as policy_is_officer
from commissioning.selectors import commission_for
from commissioning.uploads import serve_private
from hubs.access import hub_access
from hubs.models import BoardComment as BoardCommentSetting

A = AgreementStatus
VERSIONS_PER_PAGE = 25


def _load(request, hub_slug: str, reference: str, period: int):
    access = hub_access(request, hub_slug)
    commission = commission_for(access, reference)
    return access, sel.agreement_for(access, commission, period)


def _back(agreement: Agreement):
    return redirect(
        "agreements:detail",
        hub_slug=agreement.hub.slug,
        reference=agreement.commission.reference,
        period=agreement.period_number,
    )


def _forbid(message: str | None) -> None:
    if message:
        raise PermissionDenied(message)


def _client_ip(request: HttpRequest) -> str | None:
    proxies = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [ip.strip() for ip in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= proxies:
            return forwarded[-proxies] or None
    return request.META.get("REMOTE_ADDR") or None


# ── the agreement ────────────────────────────────────────────────────────────


@login_required
@require_GET
def agreement_detail(request, hub_slug: str, reference: str, period: int) -> HttpResponse:
    access, agreement = _load(request, hub_slug, reference, period)
    return _detail(request, access, agreement)


def _detail(request, access, agreement, *, forms=None, refusal=None, status=200) -> HttpResponse:
    forms = forms or {}
    internal = sel.is_internal(access)
    comments = sel.board_comments(agreement) if internal else []
    commission = agreement.commission
    user = request.user
    is_officer = policy_is_officer(user, commission, access)  # from what access already read
    is_approver = access.can("approve_commissions")
    is_board = access.is_board
    partner_may_sign = agreement.status == A.ISSUED and commission.partner_id in access.partner_ids
    context = {
        "access": access,
        "hub": access.hub,
        "commission": commission,
        "agreement": agreement,
        "internal": internal,
        "rows": payments.as_rows(agreement.instalments.all(), agreement.grant_amount),
        "signatures": list(agreement.signatures.select_related("user")),
        "comment_groups": sel.comments_by_section(agreement, comments),
        "comments": comments,
        "is_officer": is_officer,
        "is_approver": is_approver,
        "can_comment": is_board
        and agreement.status in (A.BOARD_COMMENT, A.APPROVAL)
        and agreement.board_comment_closes_at is not None,
        "can_decide": is_approver and agreement.status == A.APPROVAL,
        "can_sign": partner_may_sign,
        "can_countersign": agreement.status == A.PARTNER_SIGNED
        and may_countersign(user, agreement, checker=access) is None,
        "steps": _steps_for(agreement) if is_officer else [],
        "comment_form": forms.get("comment") or f.CommentForm(sections=agreement.sections),
        "decision_form": forms.get("decision") or f.DecisionForm(),
        "response_form": f.ResponseForm(),
        "refusal": refusal,
        "has_errors": bool(refusal or any(form.errors for form in forms.values())),
        "pdf_offered": agreement.status in sel.SIGNING,
        "next_period": agreement.commission.agreements.filter(
            period_number=agreement.period_number + 1
        ).exists(),
    }
    return render(request, "agreements/detail.html", context, status=status)


def _steps_for(agreement: Agreement) -> list[tuple[str, str]]:
    setting = agreement.commission.policy.board_comment_on_drafts
    board = agreement.commission.policy.board_name
    approver = agreement.commission.policy.approving_body
    if agreement.status == A.DRAFT:
        steps = []
        if setting != BoardCommentSetting.SKIPPED:
            steps.append(("send_to_board", f"Send the draft to the {board} for comment"))
        if setting != BoardCommentSetting.REQUIRED:
            steps.append(("submit_for_approval", f"Submit the draft to the {approver}"))
        return steps
    if agreement.status == A.BOARD_COMMENT:
        return [("close_board_comment", f"Close board comment and submit to the {approver}")]
    return []


@login_required
@require_POST
def agreement_create(request, hub_slug: str, reference: str) -> HttpResponse:
    access = hub_access(request, hub_slug)
    commission = commission_for(access, reference)
    _forbid(refuse_unless_officer(request.user, commission))
    try:
        agreement = ag.agreement_create(commission=commission, user=request.user)
    except AgreementRefused as refused:
        messages.error(request, refused.message)
        return redirect("commissioning:detail", hub_slug=hub_slug, reference=reference)
    messages.success(request, "The partnership agreement is drafted from the hub's template.")
    return redirect("agreements:edit", hub_slug, reference, agreement.period_number)


@login_required
@require_POST
def agreement_step(request, hub_slug: str, reference: str, period: int) -> HttpResponse:
    access, agreement = _load(request, hub_slug, reference, period)
    _forbid(refuse_unless_officer(request.user, agreement.commission))
    action = request.POST.get("action", "")
    services = {
        "send_to_board": ag.agreement_send_to_board,
        "submit_for_approval": ag.agreement_submit_for_approval,
        "close_board_comment": ag.agreement_close_board_comment,
    }
    if action not in services:
        return _detail(
            request, access, agreement, refusal="Choose one of the steps offered.", status=400
        )
    try:
        services[action](agreement=agreement, user=request.user)
    except (AgreementRefused, TransitionRefused) as refused:
        return _detail(request, access, agreement, refusal=str(refused), status=400)
    agreement.refresh_from_db()
    messages.success(request, f"Done. The agreement is now: {agreement.get_status_display()}.")
    return _back(agreement)


@login_required
@require_POST
def agreement_decide(request, hub_slug: str, reference: str, period: int) -> HttpResponse:
    access, agreement = _load(request, hub_slug, reference, period)
    if not access.can("approve_commissions"):
        raise PermissionDenied(
            f"This decision belongs to the {agreement.commission.policy.approving_body}."
        )
    form = f.DecisionForm(request.POST)
    if not form.is_valid():
        return _detail(request, access, agreement, forms={"decision": form}, status=400)
    reason = form.cleaned_data["reason"]
    try:
        if form.cleaned_data["decision"] == "approve":
            ag.agreement_approve(agreement=agreement, user=request.user, note=reason)
        else:
            ag.agreement_return_to_draft(agreement=agreement, user=request.user, reason=reason)
    except (AgreementRefused, TransitionRefused) as refused:
        form.add_error(None, str(refused))
        return _detail(request, access, agreement, forms={"decision": form}, status=400)
    agreement.refresh_from_db()
    messages.success(request, f"Done. The agreement is now: {agreement.get_status_display()}.")
    return _back(agreement)


@login_required
@require_POST
def comment_add(request, hub_slug: str, reference: str, period: int) -> HttpResponse:
    access, agreement = _load(request, hub_slug, reference, period)
    _forbid(refuse_unless_board_member(request.user, agreement))
    form = f.CommentForm(request.POST, sections=agreement.sections)
    if not form.is_valid():
        return _detail(request, access, agreement, forms={"comment": form}, status=400)
    try:
        ag.board_comment_add(
            agreement=agreement,
            user=request.user,
            body=form.cleaned_data["body"],
            section_key=form.cleaned_data["section_key"] or "",
        )
    except AgreementRefused as refused:
        form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        return _detail(request, access, agreement, forms={"comment": form}, status=400)
    messages.success(request, "Your comment is recorded; the officer has been told.")
    return _back(agreement)


@login_required
@require_POST
def comment_respond(
    request, hub_slug: str, reference: str, period: int, comment_id: int
) -> HttpResponse:
    access, agreement = _load(request, hub_slug, reference, period)
    if not sel.is_internal(access):
        raise Http404("No such comment")
    comment = get_object_or_404(BoardComment, pk=comment_id, agreement=agreement)
    _forbid(refuse_unless_officer(request.user, agreement.commission))
    form = f.ResponseForm(request.POST)
    if not form.is_valid():
        return _detail(request, access, agreement, refusal="Write your response.", status=400)
    ag.board_comment_respond(
        comment=comment, user=request.user, response=form.cleaned_data["response"]
    )
    messages.success(request, "Your response is recorded; the board member has been told.")
    return _back(agreement)


# ── drafting ─────────────────────────────────────────────────────────────────


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request, hub_slug: str, reference: str, period: int) -> HttpResponse:
    access, agreement = _load(request, hub_slug, reference, period)
    _forbid(refuse_unless_officer(request.user, agreement.commission))
    if not agreement.is_editable:
        raise PermissionDenied("Only a draft can be changed.")
    initial = {
        "partnership_type": agreement.partnership_type,
        "starts_on": agreement.starts_on,
        "ends_on": agreement.ends_on,
        "hlo_signatory_name": agreement.hlo_signatory_name,
        "hlo_signatory_role": agreement.hlo_signatory_role,
        "partner_signatory_name": agreement.partner_signatory_name,
        "partner_signatory_role": agreement.partner_signatory_role,
    }
    data = request.POST if request.method == "POST" else None
    form = f.AgreementForm(data, initial=initial, sections=agreement.sections)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            ag.agreement_save(
                agreement=agreement,
                user=request.user,
                bodies=form.bodies(),
                partnership_type=d["partnership_type"],
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
                hlo_signatory_name=d["hlo_signatory_name"],
                hlo_signatory_role=d["hlo_signatory_role"],
                partner_signatory_name=d["partner_signatory_name"],
                partner_signatory_role=d["partner_signatory_role"],
                note=d["note"],
            )
        except AgreementRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            agreement.refresh_from_db()
            messages.success(request, f"Saved as version {agreement.version_number}.")
            return _back(agreement)
    status = 400 if form.is_bound else 200
    context = {"hub": access.hub, "access": access, "agreement": agreement, "form": form}
    context["commission"] = agreement.commission
    context["error_forms"] = [form] if form.errors else []
    return render(request, "agreements/edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def schedule_edit(request, hub_slug: str, reference: str, period: int) -> HttpResponse:
    access, agreement = _load(request, hub_slug, reference, period)
    _forbid(refuse_unless_officer(request.user, agreement.commission))
    if not agreement.is_editable:
        raise PermissionDenied("Only a draft's payment schedule can be changed.")
    instalments = list(agreement.instalments.all())
    initial = [
        {
            "description": i.description,
            "amount": i.amount,
            "percent": i.percent,
            "due_on": i.due_on,
            "milestone": i.milestone,
        }
        for i in instalments
    ]
    data = request.POST if request.method == "POST" else None
    basis_form = f.ScheduleBasisForm(data, initial={"basis": agreement.payment_basis})
    formset = f.InstalmentFormSet(data, initial=initial, prefix="instalments")
    schedule_errors: list[str] = []
    if request.method == "POST" and basis_form.is_valid() and formset.is_valid():
        planned = [form.planned() for form in formset.forms if not form.is_blank()]
        try:
            ag.schedule_save(
                agreement=agreement,
                user=request.user,
                basis=basis_form.cleaned_data["basis"],
                instalments=planned,
                note=basis_form.cleaned_data["note"],
            )
        except AgreementRefused as refused:
            schedule_errors = [refused.message]
        else:
            messages.success(request, "The payment schedule is saved as a new version.")
            return _back(agreement)
    context = {
        "hub": access.hub,
        "access": access,
        "agreement": agreement,
        "commission": agreement.commission,
        "basis_form": basis_form,
        "formset": formset,
        "schedule_errors": schedule_errors,
        "error_forms": [x for x in [basis_form, *formset.forms] if x.errors],
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "agreements/schedule.html", context, status=status)


@login_required
@require_GET
def versions(request, hub_slug: str, reference: str, period: int) -> HttpResponse:
    access, agreement = _load(request, hub_slug, reference, period)
    if not sel.is_internal(access):
        raise Http404("No such page")
    numbers = list(sel.versions_of(agreement).values_list("number", flat=True))
    newest = numbers[-1] if numbers else 1
    a = _int(request.GET.get("a"), max(newest - 1, 1))
    b = _int(request.GET.get("b"), newest)
    pair = {v.number: v for v in sel.versions_of(agreement).filter(number__in=[a, b])}
    changes = sel.compare(pair[a], pair[b]) if a in pair and b in pair else None
    # Paging the numbers already read saves the paginator its COUNT query.
    page = Paginator(numbers, VERSIONS_PER_PAGE).get_page(request.GET.get("page"))
    rows = sel.versions_of(agreement).filter(number__in=list(page.object_list))
    context = {
        "hub": access.hub,
        "access": access,
        "agreement": agreement,
        "commission": agreement.commission,
        "page": page,
        "rows": rows,
        "numbers": numbers,
        "a": a,
        "b": b,
        "changes": changes,
    }
    return render(request, "agreements/versions.html", context)


def _int(value, default: int) -> int:
    return int(value) if value and str(value).isdigit() else default


# ── signing ──────────────────────────────────────────────────────────────────


@login_required
@require_http_methods(["GET", "POST"])
def sign(request, hub_slug: str, reference: str, period: int) -> HttpResponse:
    access, agreement = _load(request, hub_slug, reference, period)
    if agreement.commission.partner_id not in access.partner_ids:
        raise PermissionDenied(f"Only a named contact of {agreement.commission.partner} signs.")
    return _signing(request, access, agreement, SigningParty.PARTNER)


@login_required
@require_http_methods(["GET", "POST"])
def countersign(request, hub_slug: str, reference: str, period: int) -> HttpResponse:
    access, agreement = _load(request, hub_slug, reference, period)
    _forbid(may_countersign(request.user, agreement))
    return _signing(request, access, agreement, SigningParty.HLO)


def _signing(request, access, agreement, party: str) -> HttpResponse:
    service = ag.agreement_sign if party == SigningParty.PARTNER else ag.agreement_countersign
    ready = A.ISSUED if party == SigningParty.PARTNER else A.PARTNER_SIGNED
    form = f.SignatureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and agreement.status == ready and form.is_valid():
        d = form.cleaned_data
        try:
            service(
                agreement=agreement,
                user=request.user,
                full_name=d["full_name"],
                role_title=d["role_title"],
                consent=d["consent"],
                ip_address=_client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        except (AgreementRefused, TransitionRefused) as refused:
            field = getattr(refused, "field", None)
            form.add_error(field if field in form.fields else None, str(refused))
        else:
            done = "signed" if party == SigningParty.PARTNER else "countersigned"
            messages.success(request, f"You have {done} the partnership agreement.")
            return _back(agreement)
    context = {
        "hub": access.hub,
        "access": access,
        "agreement": agreement,
        "commission": agreement.commission,
        "rows": payments.as_rows(agreement.instalments.all(), agreement.grant_amount),
        "form": form,
        "party": party,
        "ready": agreement.status == ready,
        "pdf_offered": agreement.status in sel.SIGNING,
        "consent_statement": ag.CONSENT_STATEMENT,
        "error_forms": [form] if form.errors else [],
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "agreements/sign.html", context, status=status)


@login_required
@require_GET
def pdf(request, hub_slug: str, reference: str, period: int) -> HttpResponse:
    _, agreement = _load(request, hub_slug, reference, period)
    if not agreement.pdf and agreement.status in sel.SIGNING:
        ag.agreement_pdf_request(agreement=agreement)  # runs at once without a broker
        agreement.refresh_from_db(fields=["pdf", "pdf_generated_at", "pdf_version"])
    if not agreement.pdf:
        messages.info(request, "The PDF is being prepared; try again in a minute.")
        return _back(agreement)
    name = f"{agreement.commission.reference}-agreement-{agreement.period_number}.pdf"
    return serve_private(agreement.pdf, filename=name, content_type="application/pdf")


# ── payments and renewal ─────────────────────────────────────────────────────


@login_required
@require_POST
def instalment_action(
    request, hub_slug: str, reference: str, period: int, instalment_id: int
) -> HttpResponse:
    access, agreement = _load(request, hub_slug, reference, period)
    if not (access.sees_everything or access.is_officer):
        raise Http404("No such instalment")
    instalment = get_object_or_404(Instalment, pk=instalment_id, agreement=agreement)
    form = f.InstalmentActionForm(request.POST)
    if not form.is_valid():
        return _detail(request, access, agreement, refusal="Choose what to do.", status=400)
    action = form.cleaned_data["action"]
    if action == "approve" and not access.can("approve_commissions"):
        raise PermissionDenied("Payments are approved by the approving body.")
    if action != "approve":
        _forbid(refuse_unless_officer(request.user, agreement.commission))
    try:
        if action == "mark_due":
            ag.instalment_mark_due(instalment=instalment, user=request.user, reason="Marked due.")
        elif action == "approve":
            ag.instalment_approve(instalment=instalment, user=request.user)
        else:
            ag.instalment_mark_paid(
                instalment=instalment, user=request.user, reference=form.cleaned_data["reference"]
            )
    except AgreementRefused as refused:
        return _detail(request, access, agreement, refusal=refused.message, status=400)
    instalment.refresh_from_db()
    messages.success(
        request, f"Instalment {instalment.position}: {instalment.get_status_display()}."
    )
    return _back(agreement)


@login_required
@require_POST
def renew(request, hub_slug: str, reference: str, period: int) -> HttpResponse:
    access, agreement = _load(request, hub_slug, reference, period)
    _forbid(refuse_unless_officer(request.user, agreement.commission))
    try:
        renewal = ag.agreement_renew(agreement=agreement, user=request.user)
    except AgreementRefused as refused:
        return _detail(request, access, agreement, refusal=refused.message, status=400)
    messages.success(request, f"Period {renewal.period_number}'s agreement is drafted.")
    return _back(renewal)
