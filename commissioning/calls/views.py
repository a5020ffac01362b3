"""Call pages: the public's open calls, the hub's calls and publishing one (a
partner's expression of interest, from start to receipt, is in eoi_views.py)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods

from commissioning.calls import questions
from commissioning.calls import services as svc
from commissioning.calls.changes import call_close_refusal, call_extend_refusal
from commissioning.calls.eoi import eoi_eligibility_refusal
from commissioning.calls.forms import (
    AnswerForm,
    CallCloseForm,
    CallExtendForm,
    CallPublishForm,
    EOIForm,
    QuestionForm,
)
from commissioning.calls.selectors import (
    call_for,
    call_proposals,
    calls_listed,
    is_staff,
    partner_proposals,
    proposal_reference,
    public_call,
    public_open_calls,
)
from commissioning.calls.status import NOT_YET_OPEN, WORDS, call_status, phase_of
from commissioning.filters import CALL_COLUMNS, PROPOSAL_COLUMNS, CallFilter, ProposalFilter
from commissioning.models import Call, CallDocument, FundingKind
from commissioning.selectors import commission_for
from commissioning.uploads import serve_private
from hubs.access import HubAccess, hub_access
from hubs.listing import Column, list_page
from hubs.models import Hub, Membership
from partners.models import PartnerOrganisation

# Where a refusal without a form field of its own is shown, and linked to.
ANCHORS = {"budget": "costs", "funding": "funding", "weights": "weights", "top": "main"}
LINE_LABELS = {"costs": "Cost", "funding": "Funding source"}


def _call_context(call: Call) -> dict:
    """What every page of a call shows: the call, its criteria and documents,
    and every question of the expression of interest, before anyone starts."""
    return {
        "hub": call.hub,
        "call": call,
        "is_open": call.is_open(),
        "criteria": call.call_criteria.select_related("criterion"),
        "documents": call.documents.all(),
        "questions": EOIForm(word_limit=call.word_limit),
        "funding_kinds": FundingKind.choices,
    }


# ── the public ───────────────────────────────────────────────────────────────


@require_GET
def public_call_list(request: HttpRequest, hub_slug: str) -> HttpResponse:
    hub = get_object_or_404(Hub, slug=hub_slug)
    context = {"hub": hub, "calls": public_open_calls(hub)}
    return render(request, "commissioning/calls/public_list.html", context)


@require_GET
def public_call_detail(request: HttpRequest, hub_slug: str, call_id: int) -> HttpResponse:
    call = public_call(hub_slug, call_id)
    found = call_status(call, staff=False)
    context = _call_context(call) | {
        "status": found,
        "is_open": found.is_open,
        "answered": list(questions.answered(call)),
        # Someone of another hub (or nobody yet) registers with this one.
        "member_here": _member_here(request, call.hub),
        "join_url": join_url(call),
    }
    return render(request, "commissioning/calls/public_detail.html", context)


@require_GET
def call_document(
    request: HttpRequest, hub_slug: str, call_id: int, document_id: int
) -> HttpResponse:
    """A public call's documents are anyone's; another call's, only those who
    can see the call in the hub."""
    document = get_object_or_404(
        CallDocument.objects.select_related("call"),
        pk=document_id,
        call_id=call_id,
        call__hub__slug=hub_slug,
    )
    call = document.call
    published = call.is_public and call.opens_at <= timezone.now()
    if not published:
        call_for(hub_access(request, hub_slug), call.pk)
    return serve_private(
        document.file,
        filename=document.original_name,
        content_type=document.content_type,
        public=published,
    )


def _member_here(request: HttpRequest, hub: Hub) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    return user.is_superuser or Membership.objects.filter(hub=hub, user=user).exists()


def join_url(call: Call) -> str:
    """Registering with the call's hub (partners.registration), then the call."""
    query = {"next": reverse("calls:detail", args=[call.hub.slug, call.pk])}
    if call.for_schools:
        query["kind"] = "school"
    return f"{reverse('partners:join', args=[call.hub.slug])}?{urlencode(query, safe='/')}"


# ── the hub's calls ──────────────────────────────────────────────────────────


def _is_staff(access: HubAccess) -> bool:
    return access.sees_everything or bool(access.area_ids)


@login_required
@require_GET
def call_list(request: HttpRequest, hub_slug: str) -> HttpResponse:
    access = hub_access(request, hub_slug)
    mine = partner_proposals(access)
    staff = _is_staff(access)
    filters = CallFilter(request.GET, calls_listed(access), access=access)
    columns = CALL_COLUMNS if staff else [*CALL_COLUMNS[:-1], Column("Your expression of interest")]
    context = list_page(request, filters, columns, ["-closes_at"], noun=("call", "calls"))
    now = timezone.now()
    context |= {
        "hub": access.hub,
        "rows": [(call, mine.get(call.pk), _phase_words(call, now)) for call in context["page"]],
        "staff": staff,
        "now": now,
    }
    return render(request, "commissioning/calls/call_list.html", context)


def _phase_words(call: Call, now) -> str:
    """The call's status in the words of its own page (calls.status)."""
    phase = phase_of(call, scoring_started=call.seated or call.scored, now=now)
    if phase == NOT_YET_OPEN:
        return f"Opens {date_format(timezone.localtime(call.opens_at), 'j M Y')}"
    return WORDS[phase]


def render_call_detail(
    request: HttpRequest,
    access: HubAccess,
    call: Call,
    *,
    close_form: CallCloseForm | None = None,
    extend_form: CallExtendForm | None = None,
    question_form: QuestionForm | None = None,
    answer_form: tuple[int, AnswerForm] | None = None,
    error_summary: list[tuple[str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The call's hub page; a refused close or extension comes back here with
    what was typed and the refusal beside its field."""
    staff = is_staff(access, call)
    found = call_status(call, staff=staff)
    # The same gates the services raise decide what the page offers.
    offers_close = staff and call_close_refusal(call, access) is None
    offers_extend = staff and call_extend_refusal(call, access) is None
    partners = list(PartnerOrganisation.objects.filter(pk__in=access.partner_ids))
    context = (
        _call_context(call)
        | {
            "staff": staff,
            "status": found,
            "is_open": found.is_open,
            "mine": partner_proposals(access).get(call.pk),
            "partners": partners,
            # The organisations that may start one (eoi_eligibility_refusal).
            "eligible": [p for p in partners if eoi_eligibility_refusal(call, p) is None],
            "ineligible": next(
                (r for p in partners if (r := eoi_eligibility_refusal(call, p))), None
            ),
            "close_form": close_form or (CallCloseForm(prefix="close") if offers_close else None),
            "extend_form": extend_form
            or (CallExtendForm(prefix="extend") if offers_extend else None),
            "error_summary": error_summary or [],
        }
        | _questions_context(access, call, staff, question_form, answer_form)
    )
    return render(request, "commissioning/calls/call_detail.html", context, status=status)


def _questions_context(access, call, staff, question_form, answer_form) -> dict:
    """Published answers for everyone; the questions waiting for HLO staff,
    each with its answer form; the form to ask for applicants."""
    unanswered = list(questions.waiting(call)) if staff else []
    offers_answer = (
        bool(unanswered) and questions.question_answer_refusal(unanswered[0], access) is None
    )
    bound_pk, bound = answer_form or (None, None)
    answer_forms = [
        (q, bound if q.pk == bound_pk else AnswerForm(prefix=f"answer-{q.pk}")) for q in unanswered
    ]
    offers_ask = bool(access.partner_ids) and questions.question_ask_refusal(call, access) is None
    return {
        "answered": list(questions.answered(call)),
        "answer_forms": answer_forms if offers_answer else [],
        "unanswered": unanswered,
        "question_form": question_form or (QuestionForm(prefix="ask") if offers_ask else None),
    }


@login_required
@require_GET
def call_detail(request: HttpRequest, hub_slug: str, call_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    return render_call_detail(request, access, call_for(access, call_id))


@login_required
@require_GET
def call_proposal_list(request: HttpRequest, hub_slug: str, call_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    call = call_for(access, call_id)
    if not is_staff(access, call):
        raise Http404("No such page")
    filters = ProposalFilter(request.GET, call_proposals(call), access=access)
    context = list_page(
        request,
        filters,
        PROPOSAL_COLUMNS,
        ["submitted_at"],
        noun=("expression of interest", "expressions of interest"),
    )
    rows = [(p, proposal_reference(p)) for p in context["page"]]
    context |= {"hub": access.hub, "call": call, "rows": rows}
    return render(request, "commissioning/calls/call_proposals.html", context)


def _place(form, refusals) -> dict[str | None, list[str]]:
    """Each refusal beside its form field; the rest by where they belong."""
    elsewhere: dict[str, list[str]] = {}
    for refusal in refusals:
        if refusal.field in form.fields and hasattr(form, "cleaned_data"):
            form.add_error(refusal.field, refusal.message)
        else:
            elsewhere.setdefault(refusal.field or "top", []).append(refusal.message)
    return elsewhere


def _error_summary(form, elsewhere, *formsets) -> list[tuple[str, str]]:
    """(message, id to link to) for the summary at the top of a form."""
    found = [(str(e), f"id_{name}") for name, errs in form.errors.items() for e in errs]
    found += [(m, ANCHORS.get(key, key)) for key, msgs in elsewhere.items() for m in msgs]
    for formset in formsets:
        if not formset.is_bound:
            continue
        for i, errors in enumerate(formset.errors, start=1):
            for name, errs in errors.items():
                target = f"id_{formset.prefix}-{i - 1}-{name}"
                found += [(f"{LINE_LABELS[formset.prefix]} {i}: {e}", target) for e in errs]
    return found


@login_required
@require_http_methods(["GET", "POST"])
def call_publish(request: HttpRequest, hub_slug: str, reference: str) -> HttpResponse:
    access = hub_access(request, hub_slug)
    commission = commission_for(access, reference)
    blocked = svc.call_publish_blocked(commission, request.user, access)
    if blocked is not None and blocked.rule == "officer_only":
        raise PermissionDenied(blocked.message)
    if blocked is not None and blocked.rule == "call_exists":
        return redirect("calls:detail", hub_slug, commission.call.pk)
    now = timezone.localtime().replace(second=0, microsecond=0)
    initial = {
        "title": commission.title,
        "summary": commission.description,
        "opens_at": now,
        "closes_at": (now + timedelta(days=28)).replace(hour=12, minute=0),
    }
    criteria = access.hub.criteria.all()
    form = CallPublishForm(
        request.POST or None, request.FILES or None, criteria=criteria, initial=initial
    )
    elsewhere, status = {}, 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            call = svc.call_publish(
                commission=commission,
                user=request.user,
                title=data["title"],
                summary=data["summary"],
                eligibility=data["eligibility"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                is_public=data["is_public"],
                word_limit=data["word_limit"],
                for_schools=data["for_schools"],
                weights=form.weights(),
                documents=data["documents"],
            )
        except svc.Refused as refused:
            elsewhere = _place(form, refused.refusals)
        else:
            messages.success(request, f"Call published: {call.title}.")
            return redirect("calls:detail", hub_slug, call.pk)
    if request.method == "POST":
        status = 400
    context = {
        "hub": access.hub,
        "commission": commission,
        "form": form,
        "blocked": blocked,
        "elsewhere": elsewhere,
        "error_summary": _error_summary(form, elsewhere) if form.is_bound else [],
    }
    return render(request, "commissioning/calls/call_publish.html", context, status=status)
