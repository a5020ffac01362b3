"""Every move of the graph under each of the five published policies: taken
where the policy allows it, refused with the rule's words where it does not."""

from __future__ import annotations

from decimal import Decimal

import pytest

from commissioning import services as cs
from commissioning.models import Commission, DecommissionGrounds, TransitionLog
from commissioning.policy import Refused
from commissioning.workflow import Stage
from demo import agreements_demo
from tests.conftest import POLICY_SLUGS

pytestmark = pytest.mark.django_db

# What each policy does with each move, from the stage the move starts at.
# None: the move is taken. A string: the rule that refuses it.
SKIPS_BOARD = {"no_board_comment"}
EXPECTED: dict[str, dict[str, str | None]] = {
    "herts": {
        "submit_for_approval": "board_comment_required",
        "submit_decommission_for_decision": "board_comment_required",
        "terminate_immediately": "no_immediate_termination",
    },
    "kent": {"terminate_immediately": "no_immediate_termination"},
    "blmk": {
        "send_to_board": "no_board_comment",
        "send_decommission_to_board": "no_board_comment",
        "terminate_immediately": "no_immediate_termination",
    },
    "leics": {
        "send_to_board": "no_board_comment",
        "send_decommission_to_board": "no_board_comment",
    },
    "consortium": {
        "send_to_board": "no_board_comment",
        "send_decommission_to_board": "no_board_comment",
        "terminate_immediately": "no_immediate_termination",
    },
}


class Journey:
    """A commission of one seed hub, and the people to move it."""

    def __init__(self, cast, pipeline_cls) -> None:
        self.cast = cast
        self.p = pipeline_cls(cast)
        self.c: Commission = self.p._open("Inclusive ensembles")

    @property
    def officer(self):
        return self.p._officer()

    @property
    def decider(self):
        return self.cast.chair or self.cast.approver

    def at(self, stage: str) -> Journey:
        p, c = self.p, self.c
        paths = {
            Stage.NEEDS: [],
            Stage.IDENTIFY: [p.identify],
            Stage.DRAFT: [p.identify, p.award],
            Stage.BOARD_COMMENT: [p.identify, p.award, p._to_board, p._window_passed],
            Stage.APPROVAL: [p.identify, p.award, p.to_approval],
            Stage.ISSUED: [p.identify, p.award, p.to_approval, p.approve],
            Stage.MONITORING: [p.identify, p.award, p.to_approval, p.approve, p.sign],
        }
        monitoring = paths[Stage.MONITORING]
        paths |= {
            Stage.DECOMMISSION_RECOMMENDED: [*monitoring, p.recommend],
            Stage.DECOMMISSION_BOARD_COMMENT: [
                *monitoring,
                p.recommend,
                p._decommission_to_board,
                p._window_passed,
            ],
            Stage.DECOMMISSION_DECISION: [*monitoring, p.recommend, p.to_decision],
            Stage.DECOMMISSION_APPROVED: [*monitoring, p.recommend, p.to_decision, p.decide],
        }
        for step in paths[stage]:
            step(c)
        return self

    def log(self) -> list[tuple[str, str, str]]:
        return list(
            TransitionLog.objects.filter(commission=self.c).values_list(
                "action", "from_stage", "to_stage"
            )
        )


@pytest.fixture
def journey(build, pipeline):
    def _journey(slug: str) -> Journey:
        return Journey(build(slug), pipeline)

    return _journey


# (start stage, who acts, service call) for every move of the graph.
def _moves(j: Journey):
    plan = j.p._plan()
    return {
        "begin_identification": (
            Stage.NEEDS,
            lambda: cs.commission_begin_identification(
                commission=j.c, user=j.officer, route=plan["route"], reason="No partner fits."
            ),
        ),
        "award": (Stage.IDENTIFY, lambda: j.p.award(j.c)),
        "send_to_board": (
            Stage.DRAFT,
            lambda: cs.commission_send_to_board(commission=j.c, user=j.officer),
        ),
        "submit_for_approval": (
            Stage.DRAFT,
            lambda: cs.commission_submit_for_approval(commission=j.c, user=j.officer),
        ),
        "close_board_comment": (
            Stage.BOARD_COMMENT,
            lambda: cs.commission_close_board_comment(commission=j.c, user=j.officer),
        ),
        "approve": (
            Stage.APPROVAL,
            lambda: cs.commission_approve(commission=j.c, user=j.cast.approver),
        ),
        "return_to_draft": (
            Stage.APPROVAL,
            lambda: cs.commission_return_to_draft(
                commission=j.c, user=j.cast.approver, reason="Add the payment schedule."
            ),
        ),
        # Both are made on the agreement's signing pages (agreements): the
        # partner's signature, then the HLO's countersignature.
        "sign": (Stage.ISSUED, lambda: _signed(j, j.p._partner_signs, "sign")),
        "countersign": (
            Stage.ISSUED,
            lambda: _signed(j, lambda c: agreements_demo.countersigns(j.cast, c), "countersign"),
        ),
        "complete": (
            Stage.MONITORING,
            lambda: j.p._complete(j.c),  # once the final evaluation is accepted
        ),
        "recommend_decommission": (Stage.MONITORING, lambda: j.p.recommend(j.c)),
        "withdraw_decommission": (
            Stage.DECOMMISSION_RECOMMENDED,
            lambda: cs.commission_withdraw_decommission(
                commission=j.c, user=j.officer, reason="Targets recovered."
            ),
        ),
        "send_decommission_to_board": (
            Stage.DECOMMISSION_RECOMMENDED,
            lambda: cs.commission_send_decommission_to_board(commission=j.c, user=j.officer),
        ),
        "submit_decommission_for_decision": (
            Stage.DECOMMISSION_RECOMMENDED,
            lambda: cs.commission_submit_decommission_for_decision(commission=j.c, user=j.officer),
        ),
        "close_decommission_comment": (
            Stage.DECOMMISSION_BOARD_COMMENT,
            lambda: cs.commission_close_decommission_comment(commission=j.c, user=j.officer),
        ),
        "approve_decommission": (Stage.DECOMMISSION_DECISION, lambda: j.p.decide(j.c)),
        "reject_decommission": (
            Stage.DECOMMISSION_DECISION,
            lambda: cs.commission_reject_decommission(
                commission=j.c, user=j.decider, reason="Give it one more term."
            ),
        ),
        "end_partnership": (
            Stage.DECOMMISSION_APPROVED,
            lambda: cs.commission_end_partnership(commission=j.c, user=j.officer),
        ),
        "terminate_immediately": (
            Stage.MONITORING,
            lambda: cs.commission_terminate_immediately(
                commission=j.c, user=j.decider, reason="Safeguarding breach."
            ),
        ),
        "withdraw": (
            Stage.DRAFT,
            lambda: cs.commission_withdraw(commission=j.c, user=j.officer, reason="Need met."),
        ),
    }


def _signed(j: Journey, sign, action: str) -> TransitionLog:
    sign(j.c)
    return TransitionLog.objects.filter(commission=j.c, action=action).latest("pk")


# What a move needs done first, from its start stage, that is not itself counted.
BEFORE = {"countersign": lambda j: j.p._partner_signs(j.c)}

ALL_MOVES = [
    "begin_identification",
    "award",
    "send_to_board",
    "submit_for_approval",
    "close_board_comment",
    "approve",
    "return_to_draft",
    "sign",
    "countersign",
    "complete",
    "recommend_decommission",
    "withdraw_decommission",
    "send_decommission_to_board",
    "submit_decommission_for_decision",
    "close_decommission_comment",
    "approve_decommission",
    "reject_decommission",
    "end_partnership",
    "terminate_immediately",
    "withdraw",
]
UNREACHABLE_WITHOUT_BOARD = {"close_board_comment", "close_decommission_comment"}


@pytest.mark.parametrize("slug", POLICY_SLUGS)
@pytest.mark.parametrize("move", ALL_MOVES)
def test_every_move_under_every_policy(journey, slug, move):
    j = journey(slug)
    expected_rule = EXPECTED[slug].get(move)
    if move in UNREACHABLE_WITHOUT_BOARD and j.p.policy.board_comment_on_drafts == "skipped":
        # The board stages can't be entered under this policy (send_to_board is refused).
        assert EXPECTED[slug].get("send_to_board") == "no_board_comment"
        return
    start, call = _moves(j)[move]
    j.at(start)
    if move in BEFORE:
        BEFORE[move](j)
    assert j.c.status == start
    before = TransitionLog.objects.filter(commission=j.c).count()
    if expected_rule is None:
        log = call()
        j.c.refresh_from_db()
        assert log.action == move and log.from_stage == start and log.to_stage == j.c.status
        assert TransitionLog.objects.filter(commission=j.c).count() == before + 1
    else:
        with pytest.raises(Refused) as refused:
            call()
        assert refused.value.rule == expected_rule
        j.c.refresh_from_db()
        assert j.c.status == start, "a refused move changes nothing"
        assert TransitionLog.objects.filter(commission=j.c).count() == before


@pytest.mark.parametrize("slug", POLICY_SLUGS)
def test_each_policy_runs_from_need_to_completion(journey, slug):
    j = journey(slug)
    j.at(Stage.MONITORING)
    j.p._complete(j.c)  # the final evaluation accepted, then completed
    j.c.refresh_from_db()
    assert j.c.status == Stage.COMPLETED
    path = [to for _, _, to in j.log()]
    # The demo's officers send drafts to the board wherever the policy offers it.
    board = ["board_comment"] if j.p.policy.board_comment_on_drafts != "skipped" else []
    assert path == [
        "needs",
        "identify",
        "draft",
        *board,
        "approval",
        "issued",
        "issued",  # the partner's signature; the HLO's countersignature makes it live
        "monitoring",
        "completed",
    ]
    assert j.c.partner is not None and j.c.policy == j.p.policy


@pytest.mark.parametrize("slug", POLICY_SLUGS)
def test_each_policy_decommissions_through_its_route(journey, slug):
    j = journey(slug)
    j.at(Stage.DECOMMISSION_APPROVED)
    cs.commission_end_partnership(commission=j.c, user=j.officer)
    actions = [a for a, _, _ in j.log()]
    if j.p.policy.board_comment_on_decommission != "skipped":
        assert "send_decommission_to_board" in actions
    else:
        assert "submit_decommission_for_decision" in actions
    decision = TransitionLog.objects.get(commission=j.c, action="approve_decommission")
    assert decision.actor == (j.cast.chair or j.cast.approver)
    j.c.refresh_from_db()
    assert j.c.status == Stage.DECOMMISSIONED
    assert j.c.decommission_grounds == DecommissionGrounds.OBJECTIVES_MET


# ── refusals, in the words the hub officer reads ─────────────────────────────


def refusal(call) -> Refused:
    with pytest.raises(Refused) as refused:
        call()
    return refused.value


def test_herts_draft_must_go_to_the_board_first(journey):
    j = journey("herts").at(Stage.DRAFT)
    r = refusal(lambda: cs.commission_submit_for_approval(commission=j.c, user=j.officer))
    assert str(r) == (
        "Hertfordshire Music Hub's policy requires the Hertfordshire Music Hub board to comment "
        "on every draft partnership agreement before it is decided; send it to the board first."
    )


def test_herts_board_window_must_close_before_approval(journey):
    j = journey("herts").at(Stage.DRAFT)
    cs.commission_send_to_board(commission=j.c, user=j.officer)
    r = refusal(lambda: cs.commission_close_board_comment(commission=j.c, user=j.officer))
    assert r.rule == "comment_window_open"
    assert "Hertfordshire Music Hub board's comment window is open until" in str(r)


def test_herts_a_call_needs_a_reason_because_existing_partners_come_first(journey):
    j = journey("herts")
    r = refusal(
        lambda: cs.commission_begin_identification(
            commission=j.c, user=j.officer, route="open_call"
        )
    )
    assert r.field == "reason"
    assert str(r) == (
        "Hertfordshire Music Hub approaches existing partners first: say why a call for "
        "proposals is needed (no existing partner has the expertise, or several could "
        "deliver it)."
    )


def test_herts_the_submitter_cannot_approve_their_own_draft(journey):
    from hubs.services import membership_grant

    j = journey("herts").at(Stage.APPROVAL)
    membership_grant(hub=j.cast.hub, user=j.officer, role="approver")
    r = refusal(lambda: cs.commission_approve(commission=j.c, user=j.officer))
    assert r.rule == "separate_approver"
    assert str(r).startswith("You submitted this draft for approval, so someone else")


def test_herts_only_the_executive_leadership_team_approves(journey):
    j = journey("herts").at(Stage.APPROVAL)
    r = refusal(lambda: cs.commission_approve(commission=j.c, user=j.cast.board[0]))
    assert str(r) == (
        "Hertfordshire Music Hub's policy gives this decision to the HMS Executive Leadership "
        "Team; you are not one of its members here."
    )


def test_kent_board_comment_is_advisory_either_route_works(journey):
    direct = journey("kent").at(Stage.DRAFT)
    cs.commission_submit_for_approval(commission=direct.c, user=direct.officer)
    via_board = journey("kent").at(Stage.DRAFT)
    cs.commission_send_to_board(commission=via_board.c, user=via_board.officer)
    direct.c.refresh_from_db()
    via_board.c.refresh_from_db()
    assert (direct.c.status, via_board.c.status) == (Stage.APPROVAL, Stage.BOARD_COMMENT)


def test_blmk_service_lead_commissions_only_in_their_own_area(journey):
    j = journey("blmk")
    bedford_lead = j.cast.leads["Bedford Borough"]
    r = refusal(
        lambda: cs.commission_begin_identification(
            commission=j.c, user=bedford_lead, route="existing_partner"
        )
    )
    assert str(r) == (
        "Only HLO staff or the service lead for Luton can start identifying a partner for "
        "this commission."
    )
    cs.commission_begin_identification(
        commission=j.c, user=j.cast.leads["Luton"], route="existing_partner"
    )


def test_blmk_a_commission_belongs_to_a_service_area(journey):
    j = journey("blmk")
    r = refusal(
        lambda: (
            cs.commission_open(need=j.c.need, user=j.cast.officer, title="No area")
            if j.c.need.service_area is None
            else cs.commission_open(
                need=_need_without_area(j), user=j.cast.officer, title="No area"
            )
        )
    )
    assert r.rule == "service_area_required"
    assert "each music service commissions its own partners" in str(r)


def _need_without_area(j):
    from commissioning.models import Need

    need = Need.objects.get(pk=j.c.need_id)
    return Need.objects.create(hub=need.hub, analysis=need.analysis, title="Hub-wide need")


def test_blmk_board_comment_is_not_a_step(journey):
    j = journey("blmk").at(Stage.DRAFT)
    r = refusal(lambda: cs.commission_send_to_board(commission=j.c, user=j.officer))
    assert str(r) == (
        "Board comment is not a step in BLMK Music Hub's policy; submit it to the BLMK "
        "Executive Group directly."
    )


def test_blmk_consortium_member_needs_a_conflict_declaration(journey):
    j = journey("blmk").at(Stage.IDENTIFY)
    r = refusal(
        lambda: cs.commission_award(
            commission=j.c, user=j.officer, partner=j.cast.partners["lutonms"]
        )
    )
    assert r.field == "conflict_declaration"
    assert str(r) == (
        "Luton Music Service is a consortium member: record its conflict of interest "
        "declaration, as BLMK Music Hub's policy requires when a consortium member "
        "commissions itself."
    )


def test_blmk_allows_responsive_commissioning_with_a_reason(journey):
    j = journey("blmk")
    lead = j.cast.leads["Luton"]
    r = refusal(
        lambda: cs.commission_begin_identification(commission=j.c, user=lead, route="responsive")
    )
    assert r.rule == "responsive_needs_reason"
    cs.commission_begin_identification(
        commission=j.c, user=lead, route="responsive", reason="New SEND unit opening in Luton."
    )


def test_blmk_proposal_from_another_area_is_refused(journey):
    j = journey("blmk")
    lead = j.cast.leads["Luton"]
    cs.commission_begin_identification(
        commission=j.c, user=lead, route="open_call", reason="Open tender."
    )
    mk = j.cast.partners["mkrock"]
    # Refused when it is submitted, whichever route it comes by, in the award's words.
    r = refusal(
        lambda: cs.proposal_submit(
            commission=j.c,
            partner=mk,
            summary="Rock school",
            total_cost=Decimal(1000),
            hub_grant_requested=Decimal(1000),
            service_area=mk.service_area,
        )
    )
    assert str(r) == (
        "This proposal is for another service area; this commission belongs to Luton."
    )


def _leics_call(j):
    cs.commission_begin_identification(
        commission=j.c, user=j.officer, route="open_call", reason="Gap in the needs analysis."
    )


def test_leics_refuses_a_proposal_with_too_little_match_funding(journey):
    j = journey("leics")
    _leics_call(j)
    partner = j.cast.partners["leicjazz"]
    r = refusal(
        lambda: cs.proposal_submit(
            commission=j.c,
            partner=partner,
            summary="Jazz futures",
            total_cost=Decimal(20000),
            hub_grant_requested=Decimal(13000),
            other_funding=Decimal(7000),
        )
    )
    assert str(r) == (
        "Leicestershire Music Hub requires at least 50% of the cost from sources other than "
        "the Hub Grant; this proposal has 35%."
    )


def test_leics_refuses_an_organisation_without_an_introductory_meeting(journey):
    j = journey("leics")
    _leics_call(j)
    newco = j.cast.partners["newco"]
    r = refusal(
        lambda: cs.proposal_submit(
            commission=j.c,
            partner=newco,
            summary="Sound lab",
            total_cost=Decimal(10000),
            hub_grant_requested=Decimal(4000),
            other_funding=Decimal(6000),
        )
    )
    assert str(r) == (
        "Leicestershire Music Hub requires an introductory meeting with the HLO before an "
        "organisation can become a partner; none is recorded for Soar Valley Sound Ltd. "
        "Ask the HLO to arrange one before you submit an expression of interest."
    )


def test_leics_only_the_chair_decides_a_termination(journey):
    j = journey("leics").at(Stage.DECOMMISSION_DECISION)
    r = refusal(
        lambda: cs.commission_approve_decommission(
            commission=j.c, user=j.cast.approver, reason="Agreed."
        )
    )
    assert str(r) == (
        "Leicestershire Music Hub's policy gives the chair the final say on ending a "
        "partnership; only the chair can take this decision."
    )
    cs.commission_approve_decommission(commission=j.c, user=j.cast.chair, reason="Agreed.")


def test_leics_safeguarding_breach_terminates_at_once_with_who_and_why(journey):
    j = journey("leics").at(Stage.MONITORING)
    r = refusal(
        lambda: cs.commission_terminate_immediately(commission=j.c, user=j.cast.chair, reason="")
    )
    assert r.rule == "reason_required" and r.field == "reason"
    log = cs.commission_terminate_immediately(
        commission=j.c, user=j.cast.chair, reason="Breach of the safeguarding policy."
    )
    assert (log.actor, log.to_stage, log.reason) == (
        j.cast.chair,
        Stage.DECOMMISSIONED,
        "Breach of the safeguarding policy.",
    )


def test_herts_has_no_immediate_termination(journey):
    j = journey("herts").at(Stage.MONITORING)
    r = refusal(
        lambda: cs.commission_terminate_immediately(
            commission=j.c, user=j.cast.approver, reason="Breach."
        )
    )
    assert str(r).startswith("Hertfordshire Music Hub's policy has no immediate termination")


def test_consortium_puts_even_the_hlo_through_an_open_call(journey):
    j = journey("consortium")
    r = refusal(
        lambda: cs.commission_begin_identification(
            commission=j.c, user=j.officer, route="existing_partner"
        )
    )
    assert str(r) == (
        "Three Counties Consortium Music Hub's policy puts every partnership through an open "
        "call for expressions of interest, the HLO's and consortium members' services included."
    )


def test_consortium_award_must_come_from_a_proposal(journey):
    j = journey("consortium")
    cs.commission_begin_identification(commission=j.c, user=j.officer, route="open_call")
    award = lambda: cs.commission_award(  # noqa: E731
        commission=j.c, user=j.officer, partner=j.cast.partners["countyms"]
    )
    assert refusal(award).rule == "call_not_published"
    call = j.p._closed_call(j.c)
    assert call.commission_id == j.c.pk
    assert refusal(award).rule == "award_from_call"


def test_a_move_from_the_wrong_stage_says_where_it_can_be_taken(journey):
    j = journey("kent")
    r = refusal(lambda: cs.commission_approve(commission=j.c, user=j.cast.approver))
    assert str(r) == (
        "This commission is 'Need identified'; 'Approve the partnership' is only possible "
        "when it is 'Awaiting approval'."
    )


def test_return_to_draft_needs_reasons(journey):
    j = journey("kent").at(Stage.APPROVAL)
    r = refusal(
        lambda: cs.commission_return_to_draft(commission=j.c, user=j.cast.approver, reason=" ")
    )
    assert str(r) == "Give a reason to return to draft; it is kept in the commission's record."


def test_only_the_awarded_partner_signs(journey):
    j = journey("kent").at(Stage.ISSUED)
    other = j.cast.contacts[j.cast.partners["coastal"].pk]
    r = refusal(lambda: cs.commission_sign(commission=j.c, user=other))
    assert (
        str(r)
        == "Only a named contact of Medway Youth Strings can sign this partnership agreement."
    )


def test_a_partner_of_another_hub_cannot_be_awarded(journey, build):
    j = journey("kent").at(Stage.IDENTIFY)
    stranger = build("herts").partners["soundwaves"]
    r = refusal(lambda: cs.commission_award(commission=j.c, user=j.officer, partner=stranger))
    assert r.rule == "partner_required"


def test_an_outsider_cannot_move_a_commission(journey, build):
    j = journey("kent")
    herts_officer = build("herts").officer
    r = refusal(
        lambda: cs.commission_begin_identification(
            commission=j.c, user=herts_officer, route="existing_partner"
        )
    )
    assert r.rule == "officer_only"
