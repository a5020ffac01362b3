"""Decision routes as data (issue 14): value bands, several approvers, a
service area's approvers, the chair's final say on not renewing, the route
in plain words, and the five hubs' settings carried into routes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from commissioning import services as cs
from commissioning.models import Commission, Decision
from commissioning.policy import moves_offered
from commissioning.workflow import Stage
from hubs.decision_routes import Body, DecisionKind, DecisionRoute, RouteStep, StepKind
from hubs.models import Role
from hubs.refusals import Refused
from hubs.routes import route_for, route_words
from hubs.services import membership_grant
from notices.models import Notification
from tests.agreements.test_views import walk
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def banded_awards(policy) -> None:
    """A sixth hub's awards: officers approve under £10,000; from £10,000 the
    board comments (advisory, 7 days) and two approvers must both approve."""
    DecisionRoute.objects.filter(policy=policy, kind=DecisionKind.AWARD).delete()
    small = DecisionRoute.objects.create(
        policy=policy, kind=DecisionKind.AWARD, below_value=Decimal("10000")
    )
    RouteStep.objects.create(route=small, kind=StepKind.DECIDE, body=Body.OFFICERS, separate=False)
    large = DecisionRoute.objects.create(
        policy=policy, kind=DecisionKind.AWARD, from_value=Decimal("10000")
    )
    RouteStep.objects.create(
        route=large,
        position=0,
        kind=StepKind.COMMENT,
        body=Body.BOARD,
        required=False,
        window_days=7,
    )
    RouteStep.objects.create(
        route=large, position=1, kind=StepKind.DECIDE, body=Body.APPROVERS, needed=2
    )
    policy._routes_cache = None


def drafted(pipeline, cast, grant: str) -> Commission:
    p = pipeline(cast)
    c = p._open("Inclusive ensembles")
    p.identify(c)
    Commission.objects.filter(pk=c.pk).update(hub_grant_amount=Decimal(grant))
    c.refresh_from_db()
    p.award(c)
    c.refresh_from_db()
    return c


def refusal_of(call) -> str:
    with pytest.raises(Refused) as caught:
        call()
    return str(caught.value)


def test_the_route_says_itself_in_plain_words(build):
    cast = build("kent")
    banded_awards(cast.hub.policies.get())
    policy = cast.hub.policies.get()
    small = route_for(policy, DecisionKind.AWARD, Decimal("5000"))
    large = route_for(policy, DecisionKind.AWARD, Decimal("20000"))
    assert route_words(small) == "Awards under £10,000: one of the HLO staff decides."
    assert route_words(large) == (
        "Awards of £10,000 or more: the Hub board may be asked to comment (advisory) for 7 "
        "days, closing early once every member has commented; then 2 of the approvers (not "
        "whoever submitted it) must all approve."
    )
    assert route_for(policy, DecisionKind.AWARD, Decimal("10000")) == large


def test_an_award_under_the_threshold_is_approved_by_an_officer(build, pipeline):
    cast = build("kent")
    banded_awards(cast.hub.policies.get())
    c = drafted(pipeline, cast, "5000")
    cs.commission_submit_for_approval(commission=c, user=cast.officer)
    refused = refusal_of(lambda: cs.commission_approve(commission=c, user=cast.approver))
    assert refused == (
        "Kent & Medway Music Hub's policy gives this decision to the HLO staff; you are not "
        "one of its members here."
    )
    cs.commission_approve(commission=c, user=cast.officer)
    c.refresh_from_db()
    assert c.status == Stage.ISSUED


def test_a_larger_award_needs_two_approvers(build, pipeline):
    cast = build("kent")
    banded_awards(cast.hub.policies.get())
    second = UserFactory(email="second.approver@kent.example")
    membership_grant(hub=cast.hub, user=second, role=Role.APPROVER)
    c = drafted(pipeline, cast, "20000")
    offered = {o.action for o in moves_offered(c, cast.officer)}
    assert {"send_to_board", "submit_for_approval"} <= offered  # the board is advisory
    cs.commission_submit_for_approval(commission=c, user=cast.officer)

    cs.commission_approve(commission=c, user=cast.approver, reason="Good value.")
    c.refresh_from_db()
    assert c.status == Stage.APPROVAL  # one of two: it waits
    again = refusal_of(lambda: cs.commission_approve(commission=c, user=cast.approver))
    assert again == (
        "You have approved this already; 1 more of the approvers must approve before it "
        "moves on (1 of 2 so far)."
    )
    [waiting] = [o for o in moves_offered(c, cast.approver) if o.action == "approve"]
    assert waiting.waits is not None and waiting.waits.rule == "already_decided"
    with pytest.raises(Refused):  # the partner cannot sign what is not approved
        cs.commission_sign(commission=c, user=cast.contacts[c.partner_id])

    cs.commission_approve(commission=c, user=second, reason="Agreed.")
    c.refresh_from_db()
    assert c.status == Stage.ISSUED
    decisions = list(Decision.objects.filter(commission=c).values_list("actor", "outcome"))
    assert decisions == [(cast.approver.pk, "approve"), (second.pk, "approve")]


def test_a_return_by_either_approver_starts_the_round_again(build, pipeline):
    cast = build("kent")
    banded_awards(cast.hub.policies.get())
    second = UserFactory(email="second.approver@kent.example")
    membership_grant(hub=cast.hub, user=second, role=Role.APPROVER)
    c = drafted(pipeline, cast, "20000")
    cs.commission_submit_for_approval(commission=c, user=cast.officer)
    cs.commission_approve(commission=c, user=cast.approver)
    cs.commission_return_to_draft(commission=c, user=second, reason="Name the venues.")
    cs.commission_submit_for_approval(commission=c, user=cast.officer)
    cs.commission_approve(commission=c, user=cast.approver)  # counts afresh
    c.refresh_from_db()
    assert c.status == Stage.APPROVAL
    cs.commission_approve(commission=c, user=second)
    c.refresh_from_db()
    assert c.status == Stage.ISSUED


def test_blmk_a_service_area_s_approvers_approve_only_its_commissions(build, pipeline):
    cast = build("blmk")
    policy = cast.hub.policies.get()
    RouteStep.objects.filter(
        route__policy=policy, route__kind=DecisionKind.AWARD, kind=StepKind.DECIDE
    ).update(body=Body.AREA_APPROVERS, name="")
    areas = {a.name: a for a in cast.hub.service_areas.all()}
    approvers = {}
    for area in ("Luton", "Milton Keynes"):
        approvers[area] = UserFactory(email=f"approver.{area[:5].lower()}@blmk.example")
        membership_grant(
            hub=cast.hub, user=approvers[area], role=Role.APPROVER, service_area=areas[area]
        )
    c = walk(pipeline, cast, "identify", "award", "to_approval")
    assert c.service_area == areas["Luton"]
    refused = refusal_of(
        lambda: cs.commission_approve(commission=c, user=approvers["Milton Keynes"])
    )
    assert refused == (
        "BLMK Music Hub's policy gives this decision to the approvers for Luton; you are not "
        "one of them."
    )
    hub_wide = refusal_of(lambda: cs.commission_approve(commission=c, user=cast.approver))
    assert "the approvers for Luton" in hub_wide
    cs.commission_approve(commission=c, user=approvers["Luton"])
    c.refresh_from_db()
    assert c.status == Stage.ISSUED


def test_the_other_approvers_hear_of_the_first_approval(build, pipeline):
    cast = build("kent")
    banded_awards(cast.hub.policies.get())
    second = UserFactory(email="second.approver@kent.example")
    membership_grant(hub=cast.hub, user=second, role=Role.APPROVER)
    c = drafted(pipeline, cast, "20000")
    cs.commission_submit_for_approval(commission=c, user=cast.officer)
    cs.commission_approve(commission=c, user=cast.approver)
    told = Notification.objects.filter(user=second, kind="commission_move").latest("pk")
    assert "It waits for another decision from you or your colleagues." in told.body
    assert not Notification.objects.filter(
        user=cast.approver, kind="commission_move", created_at__gte=told.created_at
    ).exists()  # not the one who approved
