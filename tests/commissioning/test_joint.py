"""Joint bids through the services: the lead's contact names co-applicants
with their shares, each co-applicant's contact confirms, the bid goes in only
then, and the award carries every partner on to the commission. Every
refusal in the words of the one gate (commissioning/rules/joint.py), beside
its field. The helpers here are shared by the other joint-bid test modules."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from commissioning import joint
from commissioning import services as cs
from commissioning.models import Call, CommissionPartner, ProposalStatus
from commissioning.policy import moves_offered
from commissioning.rules import joint as rules
from commissioning.scoring.award import call_award
from commissioning.workflow import Stage
from hubs.refusals import Refused
from tests.commissioning.calls.test_services import draft, publish, submit
from tests.factories import ProposalPartnerFactory

pytestmark = pytest.mark.django_db

SHARES = {"share_of_activity": Decimal(40), "share_of_budget": Decimal(2000)}


def name(proposal, cast, co_key, **overrides):
    """The lead's contact names `co_key` as a co-applicant."""
    kwargs = {"partner": cast.partners[co_key], "role_in_bid": "The weekly sessions"}
    return joint.co_applicant_add(
        proposal=proposal,
        user=cast.contacts[proposal.partner_id],
        **(kwargs | SHARES | overrides),
    )


def joint_bid(cast, pipeline, lead_key, co_key, *, confirm=True, submitted=True):
    """A call of the hub, the lead's draft (£5,000 of Hub grant asked for)
    with `co_key` named for 40% and £2,000, confirmed and submitted."""
    call = publish(cast, pipeline)
    proposal = draft(call, cast, lead_key)
    link = name(proposal, cast, co_key)
    if confirm:
        link = joint.co_applicant_confirm(link=link, user=cast.contacts[link.partner_id])
    if submitted:
        proposal = submit(proposal, cast)
    return call, proposal, link


def close_call(call) -> None:
    Call.objects.filter(pk=call.pk).update(closed_at=timezone.now())
    call.refresh_from_db()


def joint_award(cast, pipeline, call, proposal, declaration=""):
    """The award from the closed call; `declaration`, the conflict of interest
    declaration a policy asks when a partner (any of the bid's) is the HLO or
    a consortium member."""
    close_call(call)
    officer = pipeline(cast)._officer()
    return cs.commission_award(
        commission=call.commission,
        user=officer,
        partner=proposal.partner,
        proposal=proposal,
        conflict_declaration=declaration,
    )


def refused(action) -> Refused:
    with pytest.raises(Refused) as caught:
        action()
    return caught.value


# ── the whole path ───────────────────────────────────────────────────────────


def test_a_joint_bid_is_named_confirmed_submitted_and_awarded_to_every_partner(build, pipeline):
    cast = build("consortium")
    call, proposal, link = joint_bid(cast, pipeline, "mtech", "earlyyears")
    assert proposal.status == ProposalStatus.SUBMITTED
    assert link.confirmed_by == cast.contacts[cast.partners["earlyyears"].pk]

    joint_award(cast, pipeline, call, proposal)
    commission = call.commission
    commission.refresh_from_db()
    assert commission.status == Stage.DRAFT
    assert commission.partner == cast.partners["mtech"]  # the lead stays the partner
    rows = {cp.partner.name: cp for cp in joint.partners_of(commission)}
    lead, co = rows["Circuit Music Tech"], rows["Tiny Tunes Early Years"]
    assert (lead.is_lead, lead.share_of_activity, lead.grant_amount) == (True, 60, 3000)
    assert (co.is_lead, co.share_of_activity, co.grant_amount) == (False, 40, 2000)
    assert lead.grant_amount + co.grant_amount == commission.hub_grant_amount


def test_the_co_applicants_contact_is_told_and_the_lead_hears_of_the_confirmation(build, pipeline):
    from notices.models import Notification

    cast = build("consortium")
    call = publish(cast, pipeline)
    proposal = draft(call, cast, "mtech")
    link = name(proposal, cast, "earlyyears")
    co_contact = cast.contacts[cast.partners["earlyyears"].pk]
    asked = Notification.objects.get(user=co_contact, kind="joint_bid")
    assert "please confirm" in asked.subject
    joint.co_applicant_confirm(link=link, user=co_contact)
    lead_contact = cast.contacts[proposal.partner_id]
    assert Notification.objects.filter(user=lead_contact, kind="joint_bid").exists()


def test_a_solo_bid_copies_no_partners(build, pipeline):
    cast = build("consortium")
    call = publish(cast, pipeline)
    proposal = submit(draft(call, cast, "mtech"), cast)
    joint_award(cast, pipeline, call, proposal)
    assert joint.partners_of(call.commission) == []
    assert not CommissionPartner.objects.filter(commission=call.commission).exists()


# ── naming a co-applicant: the refusals, beside their fields ─────────────────


@pytest.mark.parametrize(
    ("overrides", "rule", "field", "words"),
    [
        (
            {"share_of_activity": Decimal(100)},
            "activity_share",
            "share_of_activity",
            "less than 100",
        ),
        ({"share_of_activity": None}, "activity_share", "share_of_activity", "percentage"),
        ({"share_of_budget": Decimal(0)}, "budget_share", "share_of_budget", "more than £0"),
        (
            {"share_of_budget": Decimal(5000)},
            "shares_add_up",
            "share_of_budget",
            "£5,000.00 of the £5,000.00 Hub grant",
        ),
        ({"role_in_bid": " "}, "role_required", "role_in_bid", "what Tiny Tunes"),
        ({"partner": None}, "co_applicant_required", "partner", "Choose the organisation"),
    ],
)
def test_naming_refuses_in_words_beside_the_field(build, pipeline, overrides, rule, field, words):
    cast = build("consortium")
    proposal = draft(publish(cast, pipeline), cast, "mtech")
    caught = refused(lambda: name(proposal, cast, "earlyyears", **overrides))
    assert (caught.rule, caught.field) == (rule, field)
    assert words in caught.message
    assert not proposal.co_applicants.exists()


def test_the_activity_shares_must_leave_the_lead_some_of_the_work(build, pipeline):
    cast = build("consortium")
    proposal = draft(publish(cast, pipeline), cast, "mtech")
    name(proposal, cast, "earlyyears", share_of_activity=Decimal(60), share_of_budget=Decimal(1000))
    caught = refused(
        lambda: name(proposal, cast, "uni", share_of_activity=Decimal(40), share_of_budget=1000)
    )
    assert caught.rule == "shares_add_up"
    assert caught.field == "share_of_activity"
    assert "would have 100% of the activity" in caught.message


def test_a_co_applicant_from_another_hub_is_refused(build, pipeline):
    cast, herts = build("consortium"), build("herts")
    proposal = draft(publish(cast, pipeline), cast, "mtech")
    elsewhere = herts.partners["soundwaves"]
    caught = refused(lambda: name(proposal, cast, "earlyyears", partner=elsewhere))
    assert (caught.rule, caught.field) == ("co_applicant_other_hub", "partner")
    assert f"{elsewhere} is not a partner organisation of {cast.hub}" in caught.message


def test_the_lead_cannot_name_itself_nor_anyone_twice(build, pipeline):
    cast = build("consortium")
    proposal = draft(publish(cast, pipeline), cast, "mtech")
    caught = refused(lambda: name(proposal, cast, "mtech"))
    assert (caught.rule, caught.field) == ("co_applicant_is_lead", "partner")
    assert "Circuit Music Tech leads this bid" in caught.message
    name(proposal, cast, "earlyyears", share_of_activity=Decimal(10), share_of_budget=100)
    caught = refused(lambda: name(proposal, cast, "earlyyears", share_of_activity=Decimal(10)))
    assert caught.rule == "co_applicant_already"


def test_only_the_leads_contact_names_or_removes_co_applicants(build, pipeline):
    cast = build("consortium")
    proposal = draft(publish(cast, pipeline), cast, "mtech")
    link = name(proposal, cast, "earlyyears")
    co_contact = cast.contacts[cast.partners["earlyyears"].pk]
    caught = refused(
        lambda: joint.co_applicant_add(
            proposal=proposal,
            user=co_contact,
            partner=cast.partners["uni"],
            role_in_bid="Evaluation",
            **SHARES,
        )
    )
    assert caught.rule == "lead_contact_only" and caught.status == 403
    assert refused(lambda: joint.co_applicant_remove(link=link, user=co_contact)).status == 403
    joint.co_applicant_remove(link=link, user=cast.contacts[proposal.partner_id])
    assert not proposal.co_applicants.exists()


def test_once_submitted_the_partners_no_longer_change(build, pipeline):
    cast = build("consortium")
    _, proposal, link = joint_bid(cast, pipeline, "mtech", "earlyyears")
    caught = refused(lambda: name(proposal, cast, "uni"))
    assert caught.rule == "bid_not_a_draft"
    lead = cast.contacts[proposal.partner_id]
    assert refused(lambda: joint.co_applicant_remove(link=link, user=lead)).rule == (
        "bid_not_a_draft"
    )


# ── confirming, and submitting only once every co-applicant has ──────────────


def test_only_the_co_applicants_contact_confirms_and_only_once(build, pipeline):
    cast = build("consortium")
    proposal = draft(publish(cast, pipeline), cast, "mtech")
    link = name(proposal, cast, "earlyyears")
    lead = cast.contacts[proposal.partner_id]
    caught = refused(lambda: joint.co_applicant_confirm(link=link, user=lead))
    assert caught.rule == "co_applicant_contact_only" and caught.status == 403
    co_contact = cast.contacts[link.partner_id]
    joint.co_applicant_confirm(link=link, user=co_contact)
    caught = refused(lambda: joint.co_applicant_confirm(link=link, user=co_contact))
    assert caught.rule == "already_confirmed"


def test_submitting_before_every_co_applicant_confirmed_is_refused_and_keeps_the_draft(
    build, pipeline
):
    cast = build("consortium")
    _, proposal, link = joint_bid(
        cast, pipeline, "mtech", "earlyyears", confirm=False, submitted=False
    )
    caught = refused(lambda: submit(proposal, cast))
    unconfirmed = next(r for r in caught.refusals if r.rule == "co_applicant_unconfirmed")
    assert unconfirmed.field == "co_applicants"
    assert "Tiny Tunes Early Years has not yet confirmed its part" in unconfirmed.message
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT
    joint.co_applicant_confirm(link=link, user=cast.contacts[link.partner_id])
    assert submit(proposal, cast).status == ProposalStatus.SUBMITTED


def test_submitting_refuses_shares_that_outgrow_the_grant_asked_for(build, pipeline):
    """The lead lowers the Hub grant in its budget after naming a share."""
    cast = build("consortium")
    call = publish(cast, pipeline)
    proposal = draft(call, cast, "mtech")
    link = name(proposal, cast, "earlyyears", share_of_budget=Decimal(4000))
    joint.co_applicant_confirm(link=link, user=cast.contacts[link.partner_id])
    funding = [("hub_grant", "", Decimal(3000)), ("other", "Local trust", Decimal(7000))]
    draft(call, cast, "mtech", funding=funding)
    caught = refused(lambda: submit(proposal, cast))
    shares = next(r for r in caught.refusals if r.rule == "shares_add_up")
    assert shares.field == "co_applicants"
    assert "£4,000.00" in shares.message and "£3,000.00" in shares.message


def test_a_co_applicant_without_the_introductory_meeting_is_refused_in_leicestershire(
    build, pipeline
):
    cast = build("leics")
    leicjazz, bhangra = cast.partners["leicjazz"], cast.partners["bhangra"]
    bhangra.introductory_meeting_on = None
    bhangra.save(update_fields=["introductory_meeting_on"])
    funding = [("hub_grant", "", Decimal(5000)), ("other", "Arts trust", Decimal(5000))]
    call = publish(cast, pipeline)
    proposal = draft(call, cast, "leicjazz", funding=funding)
    assert proposal.partner == leicjazz
    link = name(proposal, cast, "bhangra")
    joint.co_applicant_confirm(link=link, user=cast.contacts[bhangra.pk])
    caught = refused(lambda: submit(proposal, cast))
    meeting = next(r for r in caught.refusals if r.rule == "introductory_meeting_required")
    assert "a co-applicant" in meeting.message


# ── the award: every route asks the same rule ────────────────────────────────


def test_the_award_refuses_a_joint_proposal_a_co_applicant_has_not_confirmed(build, pipeline):
    """However the proposal came to be submitted, the award is asked too: by
    the commission's own award and by the call's."""
    cast = build("consortium")
    call = publish(cast, pipeline)
    proposal = submit(draft(call, cast, "mtech"), cast)
    ProposalPartnerFactory(proposal=proposal, partner=cast.partners["earlyyears"])
    close_call(call)
    officer = pipeline(cast)._officer()
    award = refused(lambda: joint_award(cast, pipeline, call, proposal))
    assert (award.rule, award.field) == ("co_applicant_unconfirmed", "proposal")
    from_call = refused(lambda: call_award(call=call, user=officer, proposal=proposal))
    assert from_call.rule == "co_applicant_unconfirmed"
    call.commission.refresh_from_db()
    assert call.commission.status == Stage.IDENTIFY
    # The page still offers the award (the proposal is chosen on it).
    offered = {o.action for o in moves_offered(call.commission, officer)}
    assert "award" in offered


def test_the_rule_is_asked_of_the_proposal_awarded_and_not_of_a_direct_award(build, pipeline):
    cast = build("consortium")
    call = publish(cast, pipeline)
    proposal = submit(draft(call, cast, "mtech"), cast)
    assert rules.joint_bid_refusals(proposal) == []
    link = ProposalPartnerFactory(proposal=proposal, partner=cast.partners["earlyyears"])
    rules.forget_co_applicants(proposal)
    assert [r.rule for r in rules.joint_bid_refusals(proposal)] == ["co_applicant_unconfirmed"]
    link.confirmed_at = timezone.now()
    link.save()
    rules.forget_co_applicants(proposal)
    assert rules.joint_bid_refusals(proposal) == []
