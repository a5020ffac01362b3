"""The award from a call's results, under each of the five published
policies, and the partners told the outcome only after it commits."""

from __future__ import annotations

from datetime import timedelta

import pytest

from commissioning.models import Commission, Proposal, ProposalStatus, TransitionLog
from commissioning.policy import Refused
from commissioning.scoring import services as svc
from commissioning.workflow import Stage
from tests.commissioning.scoring.test_services import open_call, submit

pytestmark = pytest.mark.django_db

FEEDBACK = "A strong idea; the budget did not show how the work would continue."


def award(call, user, proposal, *, declaration="", feedback=None):
    others = Proposal.objects.filter(call=call).exclude(pk=proposal.pk)
    return svc.call_award(
        call=call,
        user=user,
        proposal=proposal,
        conflict_declaration=declaration,
        feedback=feedback if feedback is not None else {p.pk: FEEDBACK for p in others},
    )


def assert_awarded(call, winner, loser) -> Commission:
    commission = Commission.objects.get(pk=call.commission_id)
    assert commission.status == Stage.DRAFT
    assert (commission.partner, commission.awarded_proposal) == (winner.partner, winner)
    winner.refresh_from_db()
    loser.refresh_from_db()
    assert (winner.status, loser.status) == (ProposalStatus.SUCCESSFUL, ProposalStatus.UNSUCCESSFUL)
    assert loser.feedback == FEEDBACK
    return commission


def test_leicestershire_refuses_35_percent_match_funding_and_awards_60(build, pipeline):
    cast = build("leics")
    call = open_call(cast, pipeline)
    # Submitted today, a 35% proposal is refused at once, in the award's words...
    with pytest.raises(Refused) as refused:
        submit(call, cast.partners["bhangra"], match="0.35")
    assert refused.value.rule == "match_funding" and refused.value.field == "funding"
    # ...and one that went in before the rule applied is refused at the award.
    thin = submit(call, cast.partners["bhangra"], match="0.35", checked=False)
    matched = submit(call, cast.partners["leicjazz"], match="0.6")

    with pytest.raises(Refused) as refused:
        award(call, cast.officer, thin)

    assert refused.value.rule == "match_funding"
    assert refused.value.field == "proposal"
    assert str(refused.value) == (
        "Leicestershire Music Hub requires at least 50% of the cost from sources other than "
        "the Hub Grant; this proposal has 35%."
    )
    thin.refresh_from_db()
    matched.refresh_from_db()
    assert (thin.status, matched.feedback) == (ProposalStatus.SUBMITTED, "")  # all rolled back
    assert Commission.objects.get(pk=call.commission_id).status == Stage.IDENTIFY

    award(call, cast.officer, matched)
    assert_awarded(call, matched, thin)


def test_the_consortium_hubs_hlo_wins_through_the_call_with_its_declaration(build, pipeline):
    cast = build("consortium")  # every partnership through an open call, the HLO's too
    call = open_call(cast, pipeline)
    county = submit(call, cast.partners["countyms"])
    rival = submit(call, cast.partners["mtech"])
    declaration = (
        "County Music Service is the HLO; its bid was scored by a panel without HLO staff."
    )

    award(call, cast.officer, county, declaration=declaration)

    commission = assert_awarded(call, county, rival)
    assert commission.conflict_declaration == declaration
    assert TransitionLog.objects.filter(commission=commission, action="award").count() == 1


def test_blmk_needs_the_declaration_for_luton_music_service(build, pipeline):
    cast = build("blmk")  # per service area; the commission is Luton's
    call = open_call(cast, pipeline)
    luton = submit(call, cast.partners["lutonms"])
    beats = submit(call, cast.partners["lutonbeats"])
    lead = cast.leads["Luton"]

    with pytest.raises(Refused) as refused:
        award(call, lead, luton)
    assert (refused.value.rule, refused.value.field) == (
        "conflict_declaration_required",
        "conflict_declaration",
    )
    assert "Luton Music Service is a consortium member" in str(refused.value)

    award(call, lead, luton, declaration="Luton Music Service is a consortium member.")
    assert_awarded(call, luton, beats)


@pytest.mark.parametrize(
    ("slug", "winner", "loser"),
    [("herts", "tabla", "soundwaves"), ("kent", "coastal", "medway")],
)
def test_hertfordshire_and_kent_award_from_the_call(build, pipeline, slug, winner, loser):
    cast = build(slug)
    call = open_call(cast, pipeline)
    won = submit(call, cast.partners[winner], match="0.1")
    lost = submit(call, cast.partners[loser])

    award(call, cast.officer, won)

    assert_awarded(call, won, lost)


def test_every_unsuccessful_partner_needs_feedback(build, pipeline):
    cast = build("kent")
    call = open_call(cast, pipeline)
    won = submit(call, cast.partners["medway"])
    lost = submit(call, cast.partners["coastal"])
    with pytest.raises(svc.Refused) as refused:
        award(call, cast.officer, won, feedback={lost.pk: "  "})
    assert (refused.value.rule, refused.value.field) == ("feedback_required", f"feedback_{lost.pk}")
    assert "Write the feedback for Coastal Rhythms CIC" in str(refused.value)


def test_only_hlo_staff_award(build, pipeline):
    cast = build("kent")
    call = open_call(cast, pipeline)
    won = submit(call, cast.partners["medway"])
    submit(call, cast.partners["coastal"])
    with pytest.raises(svc.Refused) as refused:
        award(call, cast.approver, won)
    assert refused.value.rule == "officer_only"


def test_no_award_while_the_call_is_open(build, pipeline):
    cast = build("kent")
    call = open_call(cast, pipeline, open_for=timedelta(hours=2))
    won = submit(call, cast.partners["medway"])
    with pytest.raises(svc.Refused) as refused:
        award(call, cast.officer, won)
    assert refused.value.rule == "call_open"


def _sent_to(outbox, email):
    return [m for m in outbox if email in m.to]


def test_partners_hear_the_outcome_with_their_feedback_only_after_commit(
    build, pipeline, django_capture_on_commit_callbacks, mailoutbox
):
    cast = build("kent")
    call = open_call(cast, pipeline)
    won = submit(call, cast.partners["medway"])
    lost = submit(call, cast.partners["coastal"])
    winner_email = cast.contacts[won.partner_id].email
    loser_email = cast.contacts[lost.partner_id].email

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        svc.call_award(
            call=call,
            user=cast.officer,
            proposal=won,
            feedback={won.pk: "Well evidenced.", lost.pk: FEEDBACK},
        )

    assert mailoutbox == []  # nothing before the award commits
    for callback in callbacks:
        callback()

    [to_loser] = _sent_to(mailoutbox, loser_email)
    assert to_loser.subject == (
        "[Kent & Medway Music Hub] Call for proposals: Inclusive ensembles: the outcome of "
        "your proposal"
    )
    assert "not chosen" in to_loser.body
    assert FEEDBACK in to_loser.body
    assert "Well evidenced." not in to_loser.body  # only its own feedback
    [to_winner] = _sent_to(mailoutbox, winner_email)
    assert to_winner.subject.endswith(": your proposal was successful")
    assert "Well evidenced." in to_winner.body and FEEDBACK not in to_winner.body
    assert "Board of Kent Music has approved it" in to_winner.body
    # The other partners' contacts hear nothing.
    partners_told = {winner_email, loser_email}
    other_contacts = {u.email for u in cast.contacts.values()} - partners_told
    assert not any(set(m.to) & other_contacts for m in mailoutbox)


def test_a_refused_award_tells_nobody(
    build, pipeline, django_capture_on_commit_callbacks, mailoutbox
):
    cast = build("leics")
    call = open_call(cast, pipeline)
    thin = submit(call, cast.partners["bhangra"], match="0.35", checked=False)
    submit(call, cast.partners["leicjazz"])
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Refused),
    ):
        award(call, cast.officer, thin)
    assert callbacks == []
    assert mailoutbox == []
