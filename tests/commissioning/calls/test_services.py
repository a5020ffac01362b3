"""Calls for proposals and expressions of interest, through the services,
under each of the five published policies: need → call → EOI submitted, and
every refusal in the words the person refused reads.

The helpers here are shared by the other test_calls* modules."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commissioning import services as cs
from commissioning.calls import services as calls
from commissioning.calls.selectors import proposal_reference
from commissioning.models import Call, Proposal, ProposalStatus, Route
from commissioning.workflow import Stage
from hubs.refusals import Refused

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
DEADLINE = datetime(2026, 3, 3, 12, 0, tzinfo=LONDON)
ANSWERS = {
    "title": "Inclusive ensembles in three towns",
    "summary": "Weekly ensembles for young people with SEND.",
    "delivery_outline": "Thirty sessions in three schools, led by two tutors, from January.",
    "quality_and_inclusion": "We follow the Hub's inclusion framework and the Youth Music quality "
    "framework.",
}
COSTS = [("Tutors' fees", Decimal(8000)), ("Instruments", Decimal(2000))]
FIFTY_FIFTY = [
    ("hub_grant", "", Decimal(5000)),
    ("other", "Local trust", Decimal(3000)),
    ("in_kind", "School halls", Decimal(2000)),
]


def open_call_commission(cast, pipeline, *, reason="No existing partner has the expertise."):
    """A commission of the hub at 'identify', its partner to be found by a call."""
    p = pipeline(cast)
    commission = p._open("Inclusive ensembles")
    cs.commission_begin_identification(
        commission=commission, user=p._officer(), route=Route.OPEN_CALL, reason=reason
    )
    commission.refresh_from_db()
    return commission, p._officer()


def publish(cast, pipeline, commission=None, **overrides) -> Call:
    """Publish a call (open from an hour ago, for a fortnight)."""
    if commission is None:
        commission, officer = open_call_commission(cast, pipeline)
    else:
        officer = pipeline(cast)._officer()
    now = timezone.now()
    kwargs = {
        "commission": commission,
        "user": officer,
        "title": "Inclusive ensembles: call for expressions of interest",
        "summary": "Weekly inclusive ensembles for young people with SEND.",
        "opens_at": now - timedelta(hours=1),
        "closes_at": now + timedelta(days=14),
    }
    return calls.call_publish(**(kwargs | overrides))


def draft(call, cast, key, *, answers=ANSWERS, costs=COSTS, funding=FIFTY_FIFTY) -> Proposal:
    """A partner's draft for the call, filled in through the services."""
    partner = cast.partners[key]
    contact = cast.contacts[partner.pk]
    proposal = calls.proposal_start_eoi(call=call, partner=partner, user=contact)
    calls.proposal_save_draft(
        proposal=proposal,
        user=contact,
        answers=answers,
        budget_lines=costs,
        funding_sources=funding,
    )
    return proposal


def submit(proposal, cast) -> Proposal:
    return calls.proposal_submit_eoi(proposal=proposal, user=cast.contacts[proposal.partner_id])


def refusals_of(action) -> dict[str, tuple[str, str | None]]:
    """rule: (message, field) of everything an action was refused for."""
    with pytest.raises(calls.Refused) as refused:
        action()
    return {r.rule: (r.message, r.field) for r in refused.value.refusals}


def close(call, at=DEADLINE) -> None:
    Call.objects.filter(pk=call.pk).update(opens_at=at - timedelta(days=30), closes_at=at)
    call.refresh_from_db()


# ── each policy's path: need → call → EOI submitted ─────────────────────────


@pytest.mark.parametrize(
    ("slug", "key"),
    [
        ("herts", "tabla"),  # a call, with the reason the policy asks for
        ("blmk", "lutonbeats"),  # a call in Luton, with a reason
        ("leics", "leicjazz"),  # EOIs on a gap, after an introductory meeting
        ("consortium", "countyms"),  # the HLO bids through the open call like anyone
    ],
)
def test_need_to_call_to_submitted_eoi(
    build, pipeline, slug, key, django_capture_on_commit_callbacks
):
    cast = build(slug)
    call = publish(cast, pipeline)
    assert call.commission.status == Stage.IDENTIFY
    assert call.call_criteria.count() == cast.hub.criteria.count()
    assert sum(call.call_criteria.values_list("weight", flat=True)) == 100
    proposal = draft(call, cast, key)
    assert proposal.status == ProposalStatus.DRAFT
    with django_capture_on_commit_callbacks(execute=True):
        submitted = submit(proposal, cast)
    assert submitted.status == ProposalStatus.SUBMITTED
    assert submitted.submitted_by == cast.contacts[proposal.partner_id]
    assert submitted.submitted_at is not None
    assert (submitted.total_cost, submitted.hub_grant_requested) == (Decimal(10000), 5000)
    assert (submitted.other_funding, submitted.in_kind) == (Decimal(3000), Decimal(2000))
    assert submitted.service_area_id == call.commission.service_area_id
    contact = cast.contacts[proposal.partner_id]
    assert len([m for m in mail.outbox if m.to == [contact.email]]) == 1, "the receipt"


def test_blmk_proposal_carries_the_commission_s_one_area(build, pipeline):
    cast = build("blmk")
    call = publish(cast, pipeline)
    assert call.commission.service_area.name == "Luton"
    submitted = submit(draft(call, cast, "lutonbeats"), cast)
    assert submitted.service_area == call.commission.service_area


def test_kent_quality_assurance_visits_are_an_open_application(build, pipeline):
    cast = build("kent")
    p = pipeline(cast)
    qa = cast.hub.service_categories.get(name="Quality assurance visits")
    commission = cs.commission_open(
        need=p._need(None), user=cast.officer, title="QA visits 2026/27", service_category=qa
    )
    cs.commission_begin_identification(
        commission=commission, user=cast.officer, route=Route.OPEN_CALL
    )
    call = publish(cast, pipeline, commission=commission)
    assert call.commission.service_category == qa
    assert submit(draft(call, cast, "qa"), cast).status == ProposalStatus.SUBMITTED


def test_an_eoi_from_the_call_can_be_awarded(build, pipeline):
    cast = build("leics")
    call = publish(cast, pipeline)
    proposal = submit(draft(call, cast, "leicjazz"), cast)
    award = lambda: cs.commission_award(  # noqa: E731
        commission=call.commission, user=cast.officer, partner=proposal.partner, proposal=proposal
    )
    with pytest.raises(Refused, match="The call is open until"):
        award()  # by any route, only once the call has closed
    close(call, at=timezone.now() - timedelta(minutes=1))
    award()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUCCESSFUL


# ── publishing a call ───────────────────────────────────────────────────────


def test_weights_must_total_100(build, pipeline):
    cast = build("kent")
    commission, _ = open_call_commission(cast, pipeline)
    weights = dict(cast.hub.criteria.values_list("pk", "weight"))
    first = next(iter(weights))
    weights[first] -= 10
    found = refusals_of(lambda: publish(cast, pipeline, commission=commission, weights=weights))
    assert found["weights_total_100"] == (
        "The criteria's weights add up to 90%; they must add up to 100%.",
        "weights",
    )
    assert not Call.objects.filter(commission=commission).exists()


def test_weights_set_for_the_call_are_copied(build, pipeline):
    cast = build("kent")
    commission, _ = open_call_commission(cast, pipeline)
    ids = list(cast.hub.criteria.values_list("pk", flat=True))
    weights = dict.fromkeys(ids, 0) | {ids[0]: 60, ids[1]: 40}
    call = publish(cast, pipeline, commission=commission, weights=weights)
    assert dict(call.call_criteria.values_list("criterion_id", "weight")) == {
        ids[0]: 60,
        ids[1]: 40,
    }


def test_a_call_only_for_an_open_call_route(build, pipeline):
    cast = build("kent")
    p = pipeline(cast)
    commission = p._open("Ensembles")
    cs.commission_begin_identification(
        commission=commission, user=cast.officer, route=Route.EXISTING_PARTNER
    )
    found = refusals_of(lambda: publish(cast, pipeline, commission=commission))
    assert "only for an open call" in found["not_open_call"][0]


def test_only_officers_publish(build, pipeline):
    cast = build("blmk")
    commission, _ = open_call_commission(cast, pipeline)
    other_lead = cast.leads["Bedford Borough"]
    found = refusals_of(lambda: publish(cast, pipeline, commission=commission, user=other_lead))
    assert found["officer_only"][0] == (
        "Only HLO staff or the service lead for Luton can publish a call for this commission."
    )


def test_a_call_closes_after_it_opens(build, pipeline):
    cast = build("kent")
    now = timezone.now()
    found = refusals_of(lambda: publish(cast, pipeline, opens_at=now, closes_at=now))
    assert found["closes_after_opening"][1] == "closes_at"


def test_hertfordshire_records_why_a_call_is_needed(build, pipeline):
    cast = build("herts")
    p = pipeline(cast)
    commission = p._open("Ensembles")
    with pytest.raises(calls.Refused, match="approaches existing partners first"):
        cs.commission_begin_identification(
            commission=commission, user=cast.officer, route=Route.OPEN_CALL
        )
    call = publish(cast, pipeline)
    assert call.commission.route_reason == "No existing partner has the expertise."


# ── submitting: each refusal, and the draft kept ───────────────────────────


def test_late_submission_is_refused_and_the_draft_kept(build, pipeline):
    cast = build("leics")
    call = publish(cast, pipeline)
    proposal = draft(call, cast, "leicjazz")
    close(call)
    found = refusals_of(lambda: submit(proposal, cast))
    assert found == {
        "deadline_passed": (
            "This call closed at 12:00 on 3 March 2026; late expressions of interest cannot "
            "be accepted.",
            None,
        )
    }
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT
    assert proposal.title == ANSWERS["title"]
    assert proposal.budget_lines.count() == 2 and proposal.funding_sources.count() == 3


def test_a_budget_that_does_not_add_up_is_refused_and_nothing_lost(build, pipeline):
    cast = build("herts")
    call = publish(cast, pipeline)
    short = [("hub_grant", "", Decimal(6000)), ("other", "Trust", Decimal(3000))]
    proposal = draft(call, cast, "tabla", funding=short)
    found = refusals_of(lambda: submit(proposal, cast))
    assert found == {
        "budget_mismatch": (
            "The funding sources add up to £9,000.00 but the costs add up to £10,000.00; "
            "they must match.",
            "budget",
        )
    }
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT
    assert sorted(proposal.funding_sources.values_list("amount", flat=True)) == [3000, 6000]
    assert proposal.total_cost == 0, "totals are set only on submission"


def test_each_cost_and_source_must_be_more_than_nothing(build, pipeline):
    cast = build("herts")
    call = publish(cast, pipeline)
    proposal = draft(
        call,
        cast,
        "tabla",
        costs=[("Tutors", Decimal(10000)), ("", Decimal(0))],
        funding=[("hub_grant", "", Decimal(10000)), ("", "", Decimal(0))],
    )
    found = refusals_of(lambda: submit(proposal, cast))
    assert set(found) == {"cost_line_incomplete", "funding_incomplete"}
    assert found["cost_line_incomplete"][1] == "budget"
    assert found["funding_incomplete"][1] == "funding"


def test_answers_over_the_word_limit_are_refused(build, pipeline):
    cast = build("kent")
    call = publish(cast, pipeline, word_limit=50)
    long = " ".join(["word"] * 60)
    proposal = draft(call, cast, "medway", answers=ANSWERS | {"delivery_outline": long})
    found = refusals_of(lambda: submit(proposal, cast))
    assert found == {
        "word_limit": (
            "'How you will deliver it' is 60 words; this call allows up to 50. Cut 10.",
            "delivery_outline",
        )
    }


def test_every_answer_is_needed(build, pipeline):
    cast = build("kent")
    call = publish(cast, pipeline)
    proposal = draft(call, cast, "medway", answers={"title": "Strings"}, costs=[], funding=[])
    with pytest.raises(calls.Refused) as refused:
        submit(proposal, cast)
    assert [(r.message, r.field) for r in refused.value.refusals] == [
        ("Answer 'Summary'.", "summary"),
        ("Answer 'How you will deliver it'.", "delivery_outline"),
        ("Answer 'Quality and inclusion'.", "quality_and_inclusion"),
        ("Add at least one cost to the budget.", "budget"),
        ("Add where the money comes from: a funding source.", "funding"),
    ]


def test_leicestershire_refuses_35_percent_match_funding(build, pipeline):
    cast = build("leics")
    call = publish(cast, pipeline)
    funding = [("hub_grant", "", Decimal(6500)), ("other", "Arts Council", Decimal(3500))]
    proposal = draft(call, cast, "leicjazz", funding=funding)
    found = refusals_of(lambda: submit(proposal, cast))
    assert found == {
        "match_funding": (
            "Leicestershire Music Hub requires at least 50% of the cost from sources other than "
            "the Hub Grant; this proposal has 35%.",
            "funding",
        )
    }
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT


def test_leicestershire_counts_in_kind_as_match_funding(build, pipeline):
    cast = build("leics")
    call = publish(cast, pipeline)
    funding = [("hub_grant", "", Decimal(5000)), ("in_kind", "Venue", Decimal(5000))]
    assert submit(draft(call, cast, "leicjazz", funding=funding), cast).match_funding_percent == 50


def test_leicestershire_refuses_an_organisation_without_an_introductory_meeting(build, pipeline):
    cast = build("leics")
    call = publish(cast, pipeline)
    proposal = draft(call, cast, "newco")
    found = refusals_of(lambda: submit(proposal, cast))
    message, field = found["introductory_meeting_required"]
    assert message.startswith(
        "Leicestershire Music Hub requires an introductory meeting with the HLO before an "
        "organisation can become a partner; none is recorded for Soar Valley Sound Ltd."
    )
    assert field is None


def test_other_hubs_need_no_introductory_meeting_or_match_funding(build, pipeline):
    cast = build("herts")
    call = publish(cast, pipeline)
    funding = [("hub_grant", "", Decimal(10000))]
    assert submit(draft(call, cast, "tabla", funding=funding), cast).hub_grant_requested == 10000


def test_only_the_partner_s_contacts_submit(build, pipeline):
    cast = build("herts")
    call = publish(cast, pipeline)
    proposal = draft(call, cast, "tabla")
    found = refusals_of(lambda: calls.proposal_submit_eoi(proposal=proposal, user=cast.officer))
    assert "partner_contact_only" in found


def test_one_eoi_per_call_and_partner(build, pipeline):
    cast = build("herts")
    call = publish(cast, pipeline)
    first = draft(call, cast, "tabla")
    again = calls.proposal_start_eoi(
        call=call, partner=cast.partners["tabla"], user=cast.contacts[first.partner_id]
    )
    assert again.pk == first.pk
    assert Proposal.objects.filter(call=call).count() == 1


def test_a_submitted_eoi_cannot_be_changed_or_submitted_again(build, pipeline):
    cast = build("herts")
    call = publish(cast, pipeline)
    proposal = submit(draft(call, cast, "tabla"), cast)
    contact = cast.contacts[proposal.partner_id]
    found = refusals_of(
        lambda: calls.proposal_save_draft(proposal=proposal, user=contact, answers={"title": "x"})
    )
    assert "not_a_draft" in found
    assert "not_a_draft" in refusals_of(lambda: submit(proposal, cast))


# ── the receipt ─────────────────────────────────────────────────────────────


def test_the_receipt_is_emailed_only_after_commit(
    build, pipeline, django_capture_on_commit_callbacks
):
    cast = build("leics")
    call = publish(cast, pipeline)
    proposal = draft(call, cast, "leicjazz")
    with django_capture_on_commit_callbacks() as callbacks:
        submit(proposal, cast)
        assert mail.outbox == []
    assert callbacks and mail.outbox == []  # the delivery waits for the commit
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    receipt = mail.outbox[0]
    proposal.refresh_from_db()
    reference = proposal_reference(proposal)
    assert receipt.to == ["leicjazz@leics.demo"]
    assert reference in receipt.subject
    assert call.title in receipt.body and reference in receipt.body
    when = timezone.localtime(proposal.submitted_at)
    assert f"Received: {when:%H:%M} on {when.day} {when:%B %Y}" in receipt.body


def test_no_receipt_when_refused(build, pipeline, django_capture_on_commit_callbacks):
    cast = build("leics")
    call = publish(cast, pipeline)
    proposal = draft(call, cast, "newco")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        refusals_of(lambda: submit(proposal, cast))
    assert callbacks == [] and mail.outbox == []


# ── withdrawing ─────────────────────────────────────────────────────────────


def test_withdraw_before_the_deadline(build, pipeline):
    cast = build("consortium")
    call = publish(cast, pipeline)
    proposal = submit(draft(call, cast, "countyms"), cast)
    withdrawn = calls.proposal_withdraw_eoi(
        proposal=proposal, user=cast.contacts[proposal.partner_id]
    )
    assert withdrawn.status == ProposalStatus.WITHDRAWN
    assert withdrawn.withdrawn_at is not None


def test_withdraw_after_the_deadline_is_refused(build, pipeline):
    cast = build("consortium")
    call = publish(cast, pipeline)
    proposal = submit(draft(call, cast, "countyms"), cast)
    close(call)
    found = refusals_of(
        lambda: calls.proposal_withdraw_eoi(
            proposal=proposal, user=cast.contacts[proposal.partner_id]
        )
    )
    assert found["deadline_passed"][0].startswith(
        "This call closed at 12:00 on 3 March 2026; an expression of interest cannot be "
        "withdrawn after the deadline."
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


@pytest.mark.postgres
def test_submission_locks_the_proposal_row(build, pipeline):
    cast = build("herts")
    proposal = draft(publish(cast, pipeline), cast, "tabla")
    with CaptureQueriesContext(connection) as ctx:
        submit(proposal, cast)
    locks = [q["sql"] for q in ctx.captured_queries if "FOR UPDATE" in q["sql"]]
    assert locks and '"commissioning_proposal"' in locks[0]
