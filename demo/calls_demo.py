"""The demo's calls for proposals, made through the real services: in every
hub, a call not yet open, a call open now (one partner has a draft, one has
submitted), a call closed with its proposals waiting for a panel, and a call
that has closed with its panel part-way through declaring and scoring. (The
decided calls are those the open-call hubs' commissions were awarded from.)
Titles, scopes and bidders come from the hub's story (demo/data/stories.py)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from commissioning import services as cs
from commissioning.calls import services as calls
from commissioning.calls.closing import calls_close_due
from commissioning.models import Call, CallCriterion, Commission, Route
from commissioning.scoring import services as scoring
from demo import clock, stories

ANSWERS = {
    "title": "Inclusive ensembles in three towns",
    "summary": "Weekly ensembles for young people with SEND, in school and after school.",
    "delivery_outline": "Thirty sessions in three schools, led by two tutors, from January; "
    "a sharing concert in July.",
    "quality_and_inclusion": "We follow the Hub's inclusion framework and Youth Music's "
    "quality framework; every session has adapted instruments.",
}
COSTS = [("Tutors' fees", Decimal(8000)), ("Instruments", Decimal(2000))]
# 60% of the cost from sources other than the Hub Grant: enough for every
# policy, Leicestershire's 50% included.
FUNDING = [
    ("hub_grant", "", Decimal(4000)),
    ("other", "Local charitable trust", Decimal(4000)),
    ("in_kind", "School halls and staff time", Decimal(2000)),
]


def demo_calls(pipeline: Any) -> None:
    """Both calls for the hub of `pipeline` (a load_demo.Pipeline)."""
    cast = pipeline.cast
    items = {item.stage: item for item in stories.work(cast.hub.slug)}

    clock.set_day(3)
    upcoming = items["call not yet open"]
    _publish(pipeline, upcoming, opens_in=timedelta(days=12), closes_in=timedelta(days=45))

    clock.set_day(10)
    item = items["call open"]
    strong, other = _bidders(cast, item)
    open_call = _publish(pipeline, item, closes_in=timedelta(days=21))
    clock.set_day(4, hour=16)
    _draft(cast, open_call, other)
    calls.proposal_submit_eoi(
        proposal=_draft(cast, open_call, strong), user=cast.contacts[strong.pk]
    )

    # Closed two days ago: its proposals wait for the officer to seat a panel.
    clock.set_day(30)
    item = items["call closed"]
    waiting = _publish(pipeline, item, closes_in=timedelta(days=27))
    for partner in _bidders(cast, item):
        clock.later(days=12)
        calls.proposal_submit_eoi(
            proposal=_draft(cast, waiting, partner), user=cast.contacts[partner.pk]
        )
    clock.set_day(2, hour=9)
    Call.objects.filter(pk=waiting.pk).update(closes_at=timezone.now() - timedelta(hours=12))
    calls_close_due()  # the five-minute sweep, the morning after the deadline

    clock.set_day(40)
    item = items["call scoring"]
    strong, other = _bidders(cast, item)
    closed = _publish(pipeline, item, closes_in=timedelta(days=28))
    clock.later(days=20)
    first = _draft(cast, closed, strong)
    second = _draft(cast, closed, other)
    for proposal in (first, second):
        calls.proposal_submit_eoi(proposal=proposal, user=cast.contacts[proposal.partner_id])
    # The deadline passed last week, as the beat task would have recorded.
    clock.set_day(10, hour=17)
    now = timezone.now()
    Call.objects.filter(pk=closed.pk).update(closes_at=now - timedelta(hours=1), closed_at=now)
    closed.refresh_from_db()
    clock.set_day(6)
    officer = pipeline._officer()
    for member in (cast.approver, cast.board[0], cast.board[1]):
        scoring.panel_member_add(call=closed, user=officer, member=member)
    criteria = CallCriterion.objects.filter(call=closed).order_by("position")
    for proposal, marks in ((first, 4), (second, 3)):
        scoring.conflict_declare(proposal=proposal, user=cast.approver, has_conflict=False)
        scoring.scores_record(
            proposal=proposal,
            user=cast.approver,
            scores={cc.criterion_id: (marks, "Clear evidence in the proposal.") for cc in criteria},
        )
    scoring.conflict_declare(
        proposal=first,
        user=cast.board[0],
        has_conflict=True,
        details="I am a trustee of this organisation.",
    )


def _bidders(cast: Any, item: Any) -> tuple[Any, Any]:
    strong, other = item.partner.split(">")
    return cast.partners[strong], cast.partners[other]


def _publish(pipeline: Any, item: Any, closes_in: timedelta, opens_in=timedelta(0)) -> Call:
    """The call's commission opened a fortnight ago; the call opens `opens_in`
    from now and closes `closes_in` from now."""
    clock.later(days=-14)
    commission: Commission = pipeline._open(
        item.title,
        description=item.scope,
        need=stories.need_of(pipeline.hub, item),
        category=stories.CATEGORY_BY_NEED.get(item.need, ""),
    )
    clock.later(days=7)
    officer = pipeline._officer()
    cs.commission_begin_identification(
        commission=commission,
        user=officer,
        route=Route.OPEN_CALL,
        reason="No existing partner offers this; the needs analysis found the gap.",
    )
    clock.later(days=7)
    now = timezone.now()
    return calls.call_publish(
        commission=commission,
        user=officer,
        title=f"{item.title}: call for expressions of interest",
        summary=item.scope,
        eligibility="Organisations working with children and young people, with safeguarding "
        "policies in place.",
        opens_at=now + opens_in - timedelta(minutes=1),
        closes_at=now + closes_in,
    )


def _draft(cast: Any, call: Call, partner: Any):
    contact = cast.contacts[partner.pk]
    proposal = calls.proposal_start_eoi(call=call, partner=partner, user=contact)
    calls.proposal_save_draft(
        proposal=proposal,
        user=contact,
        answers=ANSWERS | {"title": call.commission.title, "summary": call.summary},
        budget_lines=COSTS,
        funding_sources=FUNDING,
    )
    return proposal
