"""Clarification questions on a call: an applicant asks while the call is
open, HLO staff answer, and the answer is published on the call's pages to
every applicant, without who asked (so that no applicant learns more than
another). Applicants with an expression of interest in progress or submitted
are told of each new answer, once.

One gate per write: `question_ask_refusal` and `question_answer_refusal`,
raised by the services and asked by the call's page before it offers a form.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from commissioning.calls.changes import applicants_of
from commissioning.calls.common import when
from commissioning.models import Call, CallQuestion
from commissioning.policy import officer_refusal
from commissioning.workflow import Stage
from hubs.models import Membership, Role
from hubs.refusals import Refusal, Refused
from notices.services import notify
from partners.models import PartnerOrganisation


def _speaks_for(call: Call, user: Any) -> list[int]:
    partner_ids = getattr(user, "partner_ids", None)  # a HubAccess already knows
    if partner_ids is not None:
        return list(partner_ids)
    found = Membership.objects.filter(hub_id=call.hub_id, user=user, role=Role.PARTNER_CONTACT)
    return list(found.values_list("partner_id", flat=True))


def question_ask_refusal(
    call: Call,
    user: Any,
    *,
    partner: PartnerOrganisation | None = None,
    question: str | None = None,
    now: datetime | None = None,
) -> Refusal | None:
    """Why this person cannot ask a question about this call now, if so. A
    page asks it without a question (None) to decide whether to offer the form."""
    now = now or timezone.now()
    speaks_for = _speaks_for(call, user)
    if not speaks_for or (partner is not None and partner.pk not in speaks_for):
        return Refusal(
            "partner_only",
            "Only a named contact of an organisation of this hub can ask a question about a call.",
        )
    if call.opens_at > now:
        return Refusal("call_not_open", f"This call opens at {when(call.opens_at)}.")
    if (
        call.closed_at is not None
        or call.closes_at <= now
        or call.commission.status != (Stage.IDENTIFY)
    ):
        closed = min(call.closed_at or call.closes_at, call.closes_at)
        return Refusal(
            "call_closed",
            f"This call closed at {when(closed)}; questions are taken only while it is open.",
        )
    if question is not None and not question.strip():
        return Refusal("question_required", "Write your question.", field="question")
    return None


def question_answer_refusal(
    question: CallQuestion, user: Any, *, answer: str | None = None
) -> Refusal | None:
    refusal = officer_refusal(user, question.call.commission, "answer questions about a call")
    if refusal is not None:
        return refusal
    if question.answered_at is not None:
        return Refusal(
            "answered_already",
            f"This question was answered at {when(question.answered_at)}; its answer is "
            "published and stays as applicants read it.",
        )
    if question.call.commission.status != Stage.IDENTIFY:
        return Refusal(
            "call_decided",
            f"This call's commission is '{question.call.commission.stage.label}'; its questions "
            "are no longer answered.",
        )
    if answer is not None and not answer.strip():
        return Refusal("answer_required", "Write the answer.", field="answer")
    return None


def question_ask(
    *, call: Call, user: Any, partner: PartnerOrganisation, question: str
) -> CallQuestion:
    with transaction.atomic():
        locked = Call.objects.select_for_update(of=("self",)).select_related("commission")
        c = locked.get(pk=call.pk)
        refusal = question_ask_refusal(c, user, partner=partner, question=question)
        if refusal is not None:
            raise Refused(refusal)
        return CallQuestion.objects.create(
            hub_id=c.hub_id, call=c, partner=partner, asked_by=user, question=question.strip()
        )


def question_answer(*, question: CallQuestion, user: Any, answer: str) -> CallQuestion:
    """Answer and publish; applicants with an expression of interest are told."""
    with transaction.atomic():
        q = (
            CallQuestion.objects.select_for_update(of=("self",))
            .select_related("call", "call__hub", "call__commission", "call__commission__hub")
            .select_related("call__commission__service_area")
            .get(pk=question.pk)
        )
        refusal = question_answer_refusal(q, user, answer=answer)
        if refusal is not None:
            raise Refused(refusal)
        q.answer, q.answered_by, q.answered_at = answer.strip(), user, timezone.now()
        q.save(update_fields=["answer", "answered_by", "answered_at"])
        call = q.call
        notify(
            hub=call.hub,
            recipients=applicants_of(call),
            kind="call_answer",
            subject=f"[{call.hub.name}] {call.title}: a question answered",
            # The question and its answer, never who asked.
            body=f"{call.title}\nQ: {q.question}\nA: {q.answer}",
            url=reverse("calls:detail", args=[call.hub.slug, call.pk]) + "#questions",
            dedupe_key=f"call_answer:{q.pk}",
        )
    question.refresh_from_db()
    return question


def answered(call: Call) -> QuerySet[CallQuestion]:
    """What every applicant reads: answered questions, oldest first; only the
    question and answer, so a page cannot show who asked."""
    return (
        CallQuestion.objects.filter(call=call, answered_at__isnull=False)
        .only("pk", "question", "answer", "answered_at")
        .order_by("answered_at", "pk")
    )


def waiting(call: Call) -> QuerySet[CallQuestion]:
    """For HLO staff: questions not yet answered, with the asking organisation."""
    return (
        CallQuestion.objects.filter(call=call, answered_at__isnull=True)
        .select_related("partner")
        .order_by("asked_at", "pk")
    )
