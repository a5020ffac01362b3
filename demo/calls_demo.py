"""The demo's calls for proposals, made through the real services: in every
hub, a call open now (one partner has a draft, one has submitted) and a call
that has closed, with its panel part-way through declaring and scoring."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from commissioning import services as cs
from commissioning.calls import services as calls
from commissioning.models import Call, CallCriterion, Commission, Route
from commissioning.scoring import services as scoring

# Who bids in each hub's calls: (the stronger proposal, the other).
BIDDERS = {
    "herts": ("tabla", "beats"),
    "kent": ("medway", "coastal"),
    "blmk": ("lutonbeats", "lutonms"),
    "leics": ("leicjazz", "bhangra"),
    "consortium": ("countyms", "mtech"),
}
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
    strong, other = (cast.partners[key] for key in BIDDERS[cast.hub.slug])
    now = timezone.now()

    open_call = _publish(pipeline, "Open call: inclusive ensembles", now + timedelta(days=21))
    _draft(cast, open_call, other)
    calls.proposal_submit_eoi(
        proposal=_draft(cast, open_call, strong), user=cast.contacts[strong.pk]
    )

    closed = _publish(pipeline, "Call closed, being scored: music technology", now)
    first = _draft(cast, closed, strong)
    second = _draft(cast, closed, other)
    for proposal in (first, second):
        calls.proposal_submit_eoi(proposal=proposal, user=cast.contacts[proposal.partner_id])
    # The deadline passed last week, as the beat task would have recorded.
    Call.objects.filter(pk=closed.pk).update(
        opens_at=now - timedelta(days=35), closes_at=now - timedelta(days=7), closed_at=now
    )
    closed.refresh_from_db()
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


def _publish(pipeline: Any, title: str, closes_at) -> Call:
    commission: Commission = pipeline._open(title)
    officer = pipeline._officer()
    cs.commission_begin_identification(
        commission=commission,
        user=officer,
        route=Route.OPEN_CALL,
        reason="No existing partner offers this; the needs analysis found the gap.",
    )
    now = timezone.now()
    return calls.call_publish(
        commission=commission,
        user=officer,
        title=f"{title.split(': ', 1)[1].capitalize()}: call for expressions of interest",
        summary="Weekly inclusive ensembles for young people with SEND, across the hub's area.",
        eligibility="Organisations working with children and young people, with safeguarding "
        "policies in place.",
        opens_at=now - timedelta(days=1),
        closes_at=closes_at if closes_at > now else now + timedelta(days=14),
    )


def _draft(cast: Any, call: Call, partner: Any):
    contact = cast.contacts[partner.pk]
    proposal = calls.proposal_start_eoi(call=call, partner=partner, user=contact)
    calls.proposal_save_draft(
        proposal=proposal,
        user=contact,
        answers=ANSWERS,
        budget_lines=COSTS,
        funding_sources=FUNDING,
    )
    return proposal
