"""Asking a clarification question about a call, and answering it, from the
call's page (the gates and services are in questions.py). A refusal that is
not the person's to act on answers 403; any other comes back on the call's
page, 400, with what was typed and the refusal beside its field."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from commissioning.calls import questions
from commissioning.calls.forms import AnswerForm, QuestionForm
from commissioning.calls.selectors import call_for, is_staff
from commissioning.calls.views import render_call_detail
from commissioning.models import CallQuestion
from hubs.access import hub_access
from hubs.refusals import Refused
from partners.models import PartnerOrganisation


def _back(request, access, call, form, refused: Refused, **forms) -> HttpResponse:
    if refused.refusal.is_role:
        raise PermissionDenied(refused.message)
    field = refused.field if refused.field in form.fields else None
    form.add_error(field, refused.message)
    target = f"id_{form.prefix}-{field}" if field else "questions"
    summary = [(refused.message, target)]
    return render_call_detail(request, access, call, error_summary=summary, status=400, **forms)


@login_required
@require_POST
def question_ask(request: HttpRequest, hub_slug: str, call_id: int) -> HttpResponse:
    access = hub_access(request, hub_slug)
    call = call_for(access, call_id)
    form = QuestionForm(request.POST, prefix="ask")
    form.is_valid()  # optional fields: the service judges what was typed
    # The organisation asking: the one chosen on the call's page, else the
    # person's only one (a question is never asked for someone else's).
    chosen = request.POST.get("partner") or next(iter(sorted(access.partner_ids)), None)
    partner = PartnerOrganisation.objects.filter(pk=chosen, hub=access.hub).first()
    if partner is None and access.partner_ids:
        raise Http404("No such organisation")
    try:
        questions.question_ask(
            call=call,
            user=request.user,
            partner=partner,
            question=form.cleaned_data.get("question", ""),
        )
    except Refused as refused:
        return _back(request, access, call, form, refused, question_form=form)
    messages.success(
        request, "Question sent. Its answer will be published here for every applicant."
    )
    return redirect("calls:detail", hub_slug, call.pk)


@login_required
@require_POST
def question_answer(
    request: HttpRequest, hub_slug: str, call_id: int, question_id: int
) -> HttpResponse:
    access = hub_access(request, hub_slug)
    call = call_for(access, call_id)
    question = CallQuestion.objects.filter(pk=question_id, call=call).first()
    if question is None or not is_staff(access, call):
        raise Http404("No such question")
    question.call = call
    form = AnswerForm(request.POST, prefix=f"answer-{question.pk}")
    form.is_valid()
    try:
        questions.question_answer(
            question=question, user=request.user, answer=form.cleaned_data.get("answer", "")
        )
    except Refused as refused:
        return _back(request, access, call, form, refused, answer_form=(question.pk, form))
    messages.success(request, "Answer published to every applicant.")
    return redirect("calls:detail", hub_slug, call.pk)
