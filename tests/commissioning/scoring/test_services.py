"""Scoring a call: the panel, declarations of interest and recusal, weighted
totals and spread computed by the database, and moderation to agreed scores.

The helpers here (`open_call`, `submit`, `seat`) make a call and its
proposals directly, as the calls pages would; the award tests use them too."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from commissioning import services as cs
from commissioning.models import (
    Call,
    CallCriterion,
    ConflictDeclaration,
    Moderation,
    PanelMember,
    Proposal,
    Route,
    Score,
)
from commissioning.scoring import selectors as sel
from commissioning.scoring import services as svc
from hubs.models import Criterion
from tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


# ── helpers shared by the scoring tests ──────────────────────────────────────


def open_call(cast, pipeline, *, title="Inclusive ensembles", open_for=None, weights=None) -> Call:
    """A commission of the hub gone to an open call, with the hub's criteria
    (or `weights`: {criterion name: weight}); closed a day ago unless
    `open_for` says how long it stays open."""
    flow = pipeline(cast)
    commission = flow._open(title)
    cs.commission_begin_identification(
        commission=commission,
        user=flow._officer(),
        route=Route.OPEN_CALL,
        reason="No existing partner has the expertise.",
    )
    now = timezone.now()
    call = Call.objects.create(
        hub=cast.hub,
        commission=commission,
        title=f"Call for proposals: {title}",
        summary="Weekly inclusive ensembles for young people with SEND.",
        opens_at=now - timedelta(days=30),
        closes_at=now + open_for if open_for else now - timedelta(days=1),
        created_by=cast.officer,
    )
    criteria = Criterion.objects.filter(hub=cast.hub).order_by("position")
    if weights:
        criteria = [criteria.get(name=name) for name in weights]
    for position, criterion in enumerate(criteria):
        CallCriterion.objects.create(
            call=call,
            criterion=criterion,
            weight=weights[criterion.name] if weights else criterion.weight,
            position=position,
        )
    return call


def submit(call: Call, partner, *, match="0.6", total=20000, checked=True) -> Proposal:
    """A submitted proposal to the call, with `match` of its cost from
    sources other than the Hub Grant. Unchecked, it is a row as if it had
    gone in before the policy's rules tightened (the submission gate would
    refuse it today), for testing that the award asks them again."""
    total = Decimal(total)
    other = (total * Decimal(match)).quantize(Decimal(1))
    figures = {
        "commission": call.commission,
        "partner": partner,
        "summary": f"{partner.name}'s proposal",
        "total_cost": total,
        "hub_grant_requested": total - other,
        "other_funding": other,
        "service_area": partner.service_area,
    }
    if not checked:
        return ProposalFactory(**figures, call=call, submitted_at=timezone.now())
    proposal = cs.proposal_submit(**figures, call=call)
    return proposal


def result_of(call: Call, proposal: Proposal) -> sel.ProposalResult:
    return next(r for r in sel.call_results(call) if r.proposal.pk == proposal.pk)


def seat(call: Call, officer, *members) -> None:
    for member in members:
        svc.panel_member_add(call=call, user=officer, member=member)


def card(call: Call, *scores: int, comment="Clear evidence in the proposal.") -> dict:
    """A scorecard in the call's criteria order."""
    criteria = CallCriterion.objects.filter(call=call).order_by("position")
    return {cc.criterion_id: (s, comment) for cc, s in zip(criteria, scores, strict=True)}


def score(proposal, user, *scores: int) -> None:
    if not ConflictDeclaration.objects.filter(proposal=proposal, member=user).exists():
        svc.conflict_declare(proposal=proposal, user=user, has_conflict=False)
    svc.scores_record(proposal=proposal, user=user, scores=card(proposal.call, *scores))


# Kent's criteria, weighted 40/35/25 for this call.
WEIGHTS = {"Quality": 40, "Value for money": 35, "Inclusion": 25}


@pytest.fixture
def kent(build, pipeline):
    cast = build("kent")
    call = open_call(cast, pipeline, weights=WEIGHTS)
    medway = submit(call, cast.partners["medway"])
    coastal = submit(call, cast.partners["coastal"])
    seat(call, cast.officer, cast.approver, cast.board[0], cast.board[1])
    return cast, call, medway, coastal


# ── the panel ────────────────────────────────────────────────────────────────


def test_hlo_staff_seat_approvers_board_members_and_staff_on_the_panel(build, pipeline):
    cast = build("kent")
    call = open_call(cast, pipeline)
    seat(call, cast.officer, cast.officer, cast.approver, cast.board[0])
    assert set(PanelMember.objects.filter(call=call).values_list("user", flat=True)) == {
        cast.officer.pk,
        cast.approver.pk,
        cast.board[0].pk,
    }


@pytest.mark.parametrize("who", ["partner_contact", "hub_admin"])
def test_it_refuses_a_panel_member_without_a_role_in_commissioning(build, pipeline, who):
    cast = build("kent")
    call = open_call(cast, pipeline)
    member = cast.contacts[cast.partners["medway"].pk] if who == "partner_contact" else cast.admin
    with pytest.raises(svc.Refused) as refused:
        svc.panel_member_add(call=call, user=cast.officer, member=member)
    assert refused.value.rule == "not_eligible"
    assert refused.value.field == "member"
    assert "cannot sit on this panel" in str(refused.value)


def test_only_hlo_staff_choose_the_panel(build, pipeline):
    cast = build("kent")
    call = open_call(cast, pipeline)
    with pytest.raises(svc.Refused) as refused:
        svc.panel_member_add(call=call, user=cast.approver, member=cast.board[0])
    assert refused.value.rule == "officer_only"
    assert not PanelMember.objects.filter(call=call).exists()


def test_the_areas_service_lead_may_sit_but_another_areas_may_not(build, pipeline):
    cast = build("blmk")  # the commission belongs to Luton
    call = open_call(cast, pipeline)
    seat(call, cast.leads["Luton"], cast.leads["Luton"])
    with pytest.raises(svc.Refused) as refused:
        svc.panel_member_add(call=call, user=cast.officer, member=cast.leads["Bedford Borough"])
    assert refused.value.rule == "not_eligible"


def test_a_seat_is_taken_once(build, pipeline):
    cast = build("kent")
    call = open_call(cast, pipeline)
    seat(call, cast.officer, cast.approver)
    with pytest.raises(svc.Refused, match="already on the panel"):
        svc.panel_member_add(call=call, user=cast.officer, member=cast.approver)


# ── declarations and recusal ─────────────────────────────────────────────────


def test_a_member_declares_before_scoring(kent):
    cast, call, medway, _ = kent
    with pytest.raises(svc.Refused) as refused:
        svc.scores_record(proposal=medway, user=cast.approver, scores=card(call, 4, 3, 5))
    assert refused.value.rule == "declaration_required"
    assert "Declare whether you have a conflict of interest with Medway Youth Strings" in str(
        refused.value
    )
    assert not Score.objects.exists()


def test_only_the_panel_declares_and_scores(kent):
    cast, call, medway, _ = kent
    with pytest.raises(svc.Refused) as refused:
        svc.conflict_declare(proposal=medway, user=cast.officer, has_conflict=False)
    assert refused.value.rule == "not_on_panel"
    with pytest.raises(svc.Refused) as refused:
        svc.scores_record(proposal=medway, user=cast.officer, scores=card(call, 4, 3, 5))
    assert refused.value.rule == "not_on_panel"


def test_a_declared_conflict_recuses_with_a_clear_message(kent):
    cast, call, medway, coastal = kent
    declaration = svc.conflict_declare(
        proposal=medway, user=cast.approver, has_conflict=True, details="I chair its trustees."
    )
    assert (declaration.member, declaration.has_conflict) == (cast.approver, True)
    assert declaration.declared_at is not None

    with pytest.raises(svc.Refused) as refused:
        svc.scores_record(proposal=medway, user=cast.approver, scores=card(call, 4, 3, 5))
    assert refused.value.rule == "recused"
    message = str(refused.value)
    assert "You declared a conflict of interest with Medway Youth Strings" in message
    assert "so you are recused: you cannot score this proposal." in message
    # Recusal is per proposal: the other one can still be scored.
    score(coastal, cast.approver, 3, 3, 3)
    assert Score.objects.filter(scorer=cast.approver).count() == 3


def test_a_conflict_needs_its_details(kent):
    cast, _, medway, _ = kent
    with pytest.raises(svc.Refused) as refused:
        svc.conflict_declare(proposal=medway, user=cast.approver, has_conflict=True, details=" ")
    assert (refused.value.rule, refused.value.field) == ("conflict_details_required", "details")


def test_a_declared_conflict_stands(kent):
    cast, _, medway, _ = kent
    svc.conflict_declare(proposal=medway, user=cast.approver, has_conflict=True, details="Trustee.")
    with pytest.raises(svc.Refused) as refused:
        svc.conflict_declare(proposal=medway, user=cast.approver, has_conflict=False)
    assert refused.value.rule == "already_recused"
    assert ConflictDeclaration.objects.get(proposal=medway, member=cast.approver).has_conflict


def test_a_conflict_found_later_recuses_and_drops_earlier_scores(kent):
    cast, call, medway, _ = kent
    score(medway, cast.approver, 4, 3, 5)
    score(medway, cast.board[0], 5, 5, 5)
    before = ConflictDeclaration.objects.get(proposal=medway, member=cast.board[0])

    later = svc.conflict_declare(
        proposal=medway, user=cast.board[0], has_conflict=True, details="My son plays in it."
    )

    assert later.pk == before.pk and later.has_conflict
    assert later.declared_at > before.declared_at  # when the conflict was declared
    result = result_of(call, medway)
    assert result.scorers == 1
    assert result.mean_total == Decimal("78")  # the approver's card only
    assert Score.objects.filter(scorer=cast.board[0]).count() == 3  # kept, not counted


# ── totals ───────────────────────────────────────────────────────────────────


def test_weighted_totals_and_spread_for_a_worked_example(kent, django_assert_num_queries):
    """Weights 40/35/25; SCORE_MAX 5. A scorer's total is sum(score/5 x weight).

    approver    4, 3, 5  ->  32 + 21 + 25   = 78.0
    board 1     2, 5, 4  ->  16 + 35 + 20   = 71.0
    board 2     5, 5, 5  ->  100, then declares a conflict: not counted
    mean 74.5, spread 7.0; per criterion: spreads 2, 2, 1 and means 3, 4, 4.5.
    """
    cast, call, medway, coastal = kent
    score(medway, cast.approver, 4, 3, 5)
    score(medway, cast.board[0], 2, 5, 4)
    score(medway, cast.board[1], 5, 5, 5)
    svc.conflict_declare(
        proposal=medway, user=cast.board[1], has_conflict=True, details="Former employee."
    )

    with django_assert_num_queries(4):
        results = {r.proposal.pk: r for r in sel.call_results(call)}

    r = results[medway.pk]
    assert r.scorers == 2
    assert r.mean_total == Decimal("74.5")
    assert r.spread == Decimal("7")
    assert [c.spread for c in r.criteria] == [2, 2, 1]
    assert [c.mean for c in r.criteria] == [Decimal(3), Decimal(4), Decimal("4.5")]
    assert r.moderated_total == Decimal("74.5")  # nothing agreed yet: the means
    unscored = results[coastal.pk]
    assert (unscored.scorers, unscored.mean_total, unscored.spread) == (0, None, None)
    assert unscored.moderated_total is None


def test_totals_for_a_single_scorer_have_no_spread(kent):
    cast, call, medway, _ = kent
    score(medway, cast.approver, 1, 2, 3)  # 8 + 14 + 15 = 37
    r = result_of(call, medway)
    assert (r.mean_total, r.spread) == (Decimal(37), Decimal(0))


def test_a_comment_is_required_for_every_score(kent):
    cast, call, medway, _ = kent
    svc.conflict_declare(proposal=medway, user=cast.approver, has_conflict=False)
    scores = card(call, 4, 3, 5)
    quality = next(iter(scores))
    scores[quality] = (4, "  ")
    with pytest.raises(svc.Refused) as refused:
        svc.scores_record(proposal=medway, user=cast.approver, scores=scores)
    assert (refused.value.rule, refused.value.field) == ("comment_required", f"comment_{quality}")
    assert not Score.objects.exists()


def test_scores_must_cover_every_criterion_within_the_scale(kent):
    cast, call, medway, _ = kent
    svc.conflict_declare(proposal=medway, user=cast.approver, has_conflict=False)
    scores = card(call, 4, 3, 5)
    last = list(scores)[-1]
    scores[last] = (6, "Beyond the scale.")
    with pytest.raises(svc.Refused) as refused:
        svc.scores_record(proposal=medway, user=cast.approver, scores=scores)
    assert refused.value.field == f"score_{last}"
    del scores[last]
    with pytest.raises(svc.Refused, match="Score Inclusion from 0 to 5"):
        svc.scores_record(proposal=medway, user=cast.approver, scores=scores)


def test_a_member_may_change_their_scores_before_the_award(kent):
    cast, call, medway, _ = kent
    score(medway, cast.approver, 4, 3, 5)
    svc.scores_record(proposal=medway, user=cast.approver, scores=card(call, 5, 5, 5))
    assert Score.objects.filter(scorer=cast.approver).count() == 3
    r = result_of(call, medway)
    assert r.mean_total == Decimal(100)


def test_scoring_waits_for_the_call_to_close(build, pipeline):
    cast = build("kent")
    call = open_call(cast, pipeline, open_for=timedelta(days=3))
    proposal = submit(call, cast.partners["medway"])
    seat(call, cast.officer, cast.approver)
    svc.conflict_declare(proposal=proposal, user=cast.approver, has_conflict=False)
    with pytest.raises(svc.Refused) as refused:
        svc.scores_record(proposal=proposal, user=cast.approver, scores=card(call, 3, 3, 3, 3))
    assert refused.value.rule == "call_open"
    assert "proposals are scored once it has closed" in str(refused.value)


# ── moderation ───────────────────────────────────────────────────────────────


def test_moderation_records_an_agreed_score_with_its_rationale(kent):
    cast, call, medway, _ = kent
    score(medway, cast.approver, 4, 3, 5)
    score(medway, cast.board[0], 2, 5, 4)
    quality = Criterion.objects.get(hub=cast.hub, name="Quality")

    [saved] = svc.moderations_record(
        proposal=medway,
        user=cast.officer,
        agreed={quality.pk: (4, "The partnership with schools is already in place.")},
    )

    assert (saved.agreed_score, saved.moderated_by) == (4, cast.officer)
    r = result_of(call, medway)
    # Quality agreed at 4; value for money and inclusion keep their means, 4 and 4.5:
    # (4 x 40 + 4 x 35 + 4.5 x 25) / 5 = 82.5
    assert r.moderated_total == Decimal("82.5")
    assert r.mean_total == Decimal("74.5")  # the panel's own scores are unchanged
    assert r.moderated_count == 1


def test_moderation_requires_a_rationale(kent):
    cast, _, medway, _ = kent
    score(medway, cast.approver, 4, 3, 5)
    quality = Criterion.objects.get(hub=cast.hub, name="Quality")
    with pytest.raises(svc.Refused) as refused:
        svc.moderations_record(proposal=medway, user=cast.officer, agreed={quality.pk: (4, " ")})
    assert (refused.value.rule, refused.value.field) == (
        "rationale_required",
        f"rationale_{quality.pk}",
    )
    assert "Give the rationale for the agreed score for Quality" in str(refused.value)
    assert not Moderation.objects.exists()


def test_only_officers_moderate_and_not_when_recused(kent):
    cast, _, medway, _ = kent
    quality = Criterion.objects.get(hub=cast.hub, name="Quality")
    agreed = {quality.pk: (4, "Agreed at the panel meeting.")}
    with pytest.raises(svc.Refused) as refused:
        svc.moderations_record(proposal=medway, user=cast.approver, agreed=agreed)
    assert refused.value.rule == "officer_only"

    seat(medway.call, cast.officer, cast.officer)
    svc.conflict_declare(
        proposal=medway, user=cast.officer, has_conflict=True, details="Ex-colleague."
    )
    with pytest.raises(svc.Refused) as refused:
        svc.moderations_record(proposal=medway, user=cast.officer, agreed=agreed)
    assert refused.value.rule == "recused"
