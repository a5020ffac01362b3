"""Every write to a call or an expression of interest goes through here (the
expression of interest's own writes are in eoi.py, re-exported below).

Publishing a call and submitting an expression of interest each run in one
transaction on a locked row. Refusals name the rule, in the words of the
person refused, and say which field of the form they belong beside; several
can come back at once (`Refused.refusals`) so each sits beside its field.
The receipt is emailed by a Celery task after the submission commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from commissioning import policy
from commissioning.calls.common import ANSWERS, LONG_ANSWERS, Refused, money, refuse, when, words

# The partner's expression of interest lives in commissioning/calls/eoi.py;
# re-exported so `services.proposal_submit_eoi` and the like keep working.
from commissioning.calls.eoi import (
    _answer_refusals,
    _attach,
    _budget_refusals,
    _closed,
    _contact_only,
    _draft_only,
    _locked,
    _receipt,
    _set_totals,
    proposal_save_draft,
    proposal_start_eoi,
    proposal_submit_eoi,
    proposal_withdraw_eoi,
)
from commissioning.models import Call, CallCriterion, CallDocument, Commission, Route
from commissioning.uploads import check_upload
from commissioning.workflow import Stage
from hubs.refusals import Refusal

__all__ = [
    "ANSWERS",
    "LONG_ANSWERS",
    "Refusal",
    "Refused",
    "_answer_refusals",
    "_attach",
    "_budget_refusals",
    "_closed",
    "_contact_only",
    "_draft_only",
    "_locked",
    "_receipt",
    "_set_totals",
    "money",
    "proposal_save_draft",
    "proposal_start_eoi",
    "proposal_submit_eoi",
    "proposal_withdraw_eoi",
    "refuse",
    "when",
    "words",
]


# ── publishing a call ────────────────────────────────────────────────────────


def call_publish_blocked(c: Commission, user: Any, checker: Any = None) -> Refusal | None:
    """Why this person cannot publish a call for this commission now, if so."""
    refusal = policy.officer_refusal(checker if checker is not None else user, c, "publish a call")
    if refusal is not None:
        return refusal
    if c.status != Stage.IDENTIFY:
        return Refusal(
            "wrong_stage",
            f"This commission is '{c.stage.label}'; a call is published while identifying "
            "a partner.",
        )
    if c.route != Route.OPEN_CALL:
        label = c.get_route_display() or "no route yet"
        return Refusal(
            "not_open_call",
            f"This commission's partner is found by '{label}'; a call is published only for "
            "an open call.",
        )
    if Call.objects.filter(commission=c).exists():
        return Refusal("call_exists", "This commission already has a call.")
    return None


def _publish_refusals(
    *, title: str, summary: str, opens_at, closes_at, word_limit: int, weights: dict[int, int]
) -> list[Refusal]:
    total = sum(weights.values())
    checks = [
        (not title.strip(), "title_required", "Give the call a title.", "title"),
        (
            not summary.strip(),
            "summary_required",
            "Say what the Hub wants delivered, and for whom.",
            "summary",
        ),
        (
            closes_at <= opens_at,
            "closes_after_opening",
            "It must close after it opens.",
            "closes_at",
        ),
        (
            opens_at < closes_at <= timezone.now(),
            "closes_in_future",
            "The closing time must be in the future.",
            "closes_at",
        ),
        (word_limit < 1, "word_limit", "Set a word limit of at least one word.", "word_limit"),
        (
            total != 100,
            "weights_total_100",
            f"The criteria's weights add up to {total}%; they must add up to 100%.",
            "weights",
        ),
    ]
    return [Refusal(rule, message, field) for failed, rule, message, field in checks if failed]


def call_publish(
    *,
    commission: Commission,
    user: Any,
    title: str,
    summary: str,
    opens_at: datetime,
    closes_at: datetime,
    eligibility: str = "",
    is_public: bool = True,
    word_limit: int = 500,
    weights: dict[int, int] | None = None,
    documents: Sequence[UploadedFile] = (),
    for_schools: bool = False,
) -> Call:
    """Publish the call for an open-call commission, with the hub's criteria
    as weighted for this call (the hub's own weights unless `weights`, by
    criterion id, says otherwise) and its documents."""
    with transaction.atomic():
        c = (
            Commission.objects.select_for_update(of=("self",))
            .select_related("hub", "policy", "service_area")
            .get(pk=commission.pk)
        )
        blocked = call_publish_blocked(c, user)
        if blocked is not None:
            raise Refused([blocked])
        criteria = {cr.pk: cr for cr in c.hub.criteria.all()}
        weights = {cr.pk: cr.weight for cr in criteria.values()} if weights is None else weights
        if set(weights) - set(criteria):
            refuse("criteria_of_hub", "Use this hub's criteria.", "weights")
        weights = {pk: w for pk, w in weights.items() if w}
        refusals = _publish_refusals(
            title=title,
            summary=summary,
            opens_at=opens_at,
            closes_at=closes_at,
            word_limit=word_limit,
            weights=weights,
        )
        checked = []
        for upload in documents:
            try:
                checked.append(check_upload(upload))
            except Refused as refused:
                refusals.append(Refusal("document_refused", refused.message, "documents"))
        if refusals:
            raise Refused(refusals)
        call = Call.objects.create(
            hub=c.hub,
            commission=c,
            title=title.strip(),
            summary=summary.strip(),
            eligibility=eligibility.strip(),
            opens_at=opens_at,
            closes_at=closes_at,
            is_public=is_public,
            word_limit=word_limit,
            for_schools=for_schools,
            created_by=user,
        )
        CallCriterion.objects.bulk_create(
            CallCriterion(
                call=call, criterion=criteria[pk], weight=w, position=criteria[pk].position
            )
            for pk, w in weights.items()
        )
        for doc in checked:
            CallDocument.objects.create(
                hub=c.hub,
                call=call,
                title=PurePath(doc.original_name).stem[:200],
                file=doc.file,
                original_name=doc.original_name,
                content_type=doc.content_type,
                size=doc.size,
            )
    return call
