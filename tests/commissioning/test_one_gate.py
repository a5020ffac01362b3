"""One gate: the commission page offers a move if and only if the service
accepts it, for every demo persona, every commission they can see and every
move; a move that only waits is shown with its reason, and refused.

And each way round a rule that was found is now refused with the rule's words.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from commissioning import hooks
from commissioning import services as cs
from commissioning.models import Call, Commission, DecommissionGrounds, Proposal, Route
from commissioning.policy import move_refusal
from commissioning.selectors import commissions_visible
from commissioning.workflow import ACTIONS, Stage
from hubs.access import HubAccess, hub_access
from hubs.models import Membership
from hubs.refusals import Refusal, Refused
from partners.models import PartnerOrganisation
from tests.auth_helpers import sign_in
from tests.conftest import POLICY_SLUGS

pytestmark = pytest.mark.django_db

OFFERED = re.compile(r'<section class="move" data-move="(\w+)"')
WAITS = re.compile(r'data-waits="(\w+)"')
REASON = "Checked against the page by the one-gate test."


class _Undo(Exception):
    """Raised to roll back an accepted move: the test only asks."""


def _attempt(make) -> Refusal | None:
    """None if the service accepts the move (then undone), else its refusal."""
    try:
        with transaction.atomic():
            make()
            raise _Undo
    except _Undo:
        return None
    except Refused as refused:
        return refused.refusal


def _inputs(commission: Commission, action: str) -> list[dict]:
    """Plausible input for a move, as a person would type it: the service
    must accept at least one where the page offers the move."""
    if action == "begin_identification":
        return [{"route": route, "reason": REASON} for route in Route.values]
    if action == "award":
        proposals = list(Proposal.objects.filter(commission=commission, status="submitted"))
        feedback = {p.pk: "Not chosen this time; thank you." for p in proposals}
        tries = [{"partner": p.partner, "proposal": p, "feedback": feedback} for p in proposals]
        partners = PartnerOrganisation.objects.filter(hub_id=commission.hub_id).order_by("pk")
        tries += [
            {
                "partner": partner,
                "hub_grant_amount": Decimal(5000),
                "match_funding_amount": Decimal(5000),
            }
            for partner in partners
        ]
        for attempt in tries:
            attempt |= {"conflict_declaration": "Declared to the board.", "reason": REASON}
        return tries
    if action == "recommend_decommission":
        return [{"grounds": DecommissionGrounds.OBJECTIVES_MET, "reason": REASON}]
    return [{"reason": REASON}]


def _service_accepts(commission: Commission, user, action: str) -> Refusal | None:
    refusal = None
    for params in _inputs(commission, action):
        fresh = Commission.objects.get(pk=commission.pk)
        if action == "award" and params.get("feedback"):
            feedback = params.pop("feedback")
            refusal = _attempt(
                lambda p=params, f=feedback, c=fresh: cs.commission_award(
                    commission=c, user=user, feedback=f, **p
                )
            )
        else:
            refusal = _attempt(
                lambda p=params, c=fresh: cs.commission_take(
                    commission=c, user=user, action=action, **p
                )
            )
        if refusal is None:
            return None
    return refusal


def _personas(hub) -> list:
    users = {m.user for m in Membership.objects.filter(hub=hub).select_related("user")}
    return sorted(users, key=lambda u: u.email)


def _access(rf, user, hub) -> HubAccess:
    request = rf.get("/")
    request.user = user
    return hub_access(request, hub.slug)


@pytest.mark.parametrize("slug", POLICY_SLUGS)
def test_the_page_offers_a_move_if_and_only_if_the_service_accepts_it(
    slug, build, pipeline, client, rf
):
    cast = build(slug)
    pipeline(cast).run()
    page_moves = [a for a in ACTIONS if not hooks.is_hidden(a)]
    mismatches, checked, offered_total = [], 0, 0
    for user in _personas(cast.hub):
        access = _access(rf, user, cast.hub)
        client.logout()
        sign_in(client, user)
        for commission in commissions_visible(access).select_related("hub", "policy"):
            response = client.get(f"/h/{cast.hub.slug}/commissions/{commission.reference}/")
            assert response.status_code == 200, (user.email, commission.reference)
            html = response.content.decode()
            waiting = set(WAITS.findall(html))
            offered = set(OFFERED.findall(html)) - waiting
            offered_total += len(offered)
            for action in page_moves:
                checked += 1
                fsm = getattr(Commission, action)._django_fsm
                if not fsm.has_transition(commission.status):
                    refusal = move_refusal(commission, action, user)
                    if action in offered | waiting or refusal is None:
                        mismatches.append((user.email, commission.reference, action, "stage"))
                    continue
                refusal = _service_accepts(commission, user, action)
                if action in offered and refusal is not None:
                    mismatches.append(
                        (user.email, commission.reference, action, f"offered, refused: {refusal}")
                    )
                if action not in offered and refusal is None:
                    shown = "shown as waiting" if action in waiting else "not offered"
                    mismatches.append(
                        (user.email, commission.reference, action, f"{shown}, yet accepted")
                    )
    assert not mismatches, "\n".join(map(str, mismatches))
    assert checked > 100 and offered_total > 5, (checked, offered_total)


# ── the ways round a rule that were found, now refused with its words ────────


def _journey(build, pipeline, slug):
    cast = build(slug)
    p = pipeline(cast)
    return cast, p, p._open("Inclusive ensembles")


def test_blmk_cannot_award_a_luton_commission_straight_to_a_milton_keynes_partner(build, pipeline):
    cast, _p, c = _journey(build, pipeline, "blmk")
    lead = cast.leads["Luton"]
    cs.commission_begin_identification(commission=c, user=lead, route=Route.EXISTING_PARTNER)
    mk = PartnerOrganisation.objects.filter(hub=cast.hub, service_area__name="Milton Keynes")
    mk = mk.filter(is_existing_partner=True).first() or mk.first()
    PartnerOrganisation.objects.filter(pk=mk.pk).update(is_existing_partner=True)
    mk.refresh_from_db()
    with pytest.raises(Refused) as refused:
        cs.commission_award(commission=c, user=lead, partner=mk)
    assert refused.value.rule == "one_service_area"
    assert refused.value.field == "partner"
    assert str(refused.value) == (
        "In BLMK Music Hub each music service commissions its own partners: "
        f"{mk} is a partner of Milton Keynes, and this commission belongs to Luton."
    )


def test_leicestershire_invites_expressions_of_interest_for_every_gap(build, pipeline):
    cast, p, c = _journey(build, pipeline, "leics")
    with pytest.raises(Refused) as refused:
        cs.commission_begin_identification(
            commission=c, user=p._officer(), route=Route.EXISTING_PARTNER
        )
    assert refused.value.rule == "eoi_for_needs_gaps"
    assert str(refused.value) == (
        "Where the needs analysis identifies a gap in provision, Leicestershire Music Hub "
        "invites expressions of interest from partners: publish a call for this commission."
    )
    # A commission already on the direct route (say, from before the rule) still can't
    # be awarded without an expression of interest.
    Commission.objects.filter(pk=c.pk).update(status=Stage.IDENTIFY, route=Route.EXISTING_PARTNER)
    with pytest.raises(Refused) as refused:
        cs.commission_award(commission=c, user=p._officer(), partner=cast.partners["charnwood"])
    assert refused.value.rule == "eoi_for_needs_gaps"


def test_a_direct_award_below_the_match_funding_minimum_is_refused(build, pipeline):
    """Leicestershire's 50% holds on a direct award too (here with its EOI rule
    switched off, as a hub with only the 50% rule would have it)."""
    cast, p, c = _journey(build, pipeline, "leics")
    c.policy.eoi_for_needs_gaps = False
    c.policy.save(update_fields=["eoi_for_needs_gaps"])
    officer = p._officer()
    cs.commission_begin_identification(commission=c, user=officer, route=Route.EXISTING_PARTNER)
    charnwood = cast.partners["charnwood"]
    with pytest.raises(Refused) as refused:
        cs.commission_award(
            commission=c,
            user=officer,
            partner=charnwood,
            hub_grant_amount=Decimal(13000),
            match_funding_amount=Decimal(7000),
        )
    assert refused.value.rule == "match_funding"
    assert refused.value.field == "match_funding_amount"
    assert str(refused.value) == (
        "Leicestershire Music Hub requires at least 50% of the cost from sources other than "
        "the Hub Grant; this award has 35%."
    )
    cs.commission_award(
        commission=c,
        user=officer,
        partner=charnwood,
        hub_grant_amount=Decimal(10000),
        match_funding_amount=Decimal(10000),
    )
    c.refresh_from_db()
    assert (c.status, c.hub_grant_amount, c.match_funding_amount) == (
        Stage.DRAFT,
        Decimal(10000),
        Decimal(10000),
    )


def test_the_commission_page_cannot_award_while_its_call_is_open(build, pipeline, client):
    cast, p, c = _journey(build, pipeline, "consortium")
    officer = p._officer()
    cs.commission_begin_identification(commission=c, user=officer, route=Route.OPEN_CALL)
    call = p._closed_call(c)
    Call.objects.filter(pk=call.pk).update(
        closes_at=timezone.now() + timedelta(days=7), closed_at=None
    )
    proposal = cs.proposal_submit(
        commission=c,
        call=call,
        partner=cast.partners["countyms"],
        summary="County Music Service's bid",
        total_cost=Decimal(20000),
        hub_grant_requested=Decimal(14000),
        other_funding=Decimal(6000),
    )
    sign_in(client, officer)
    page = client.get(f"/h/{cast.hub.slug}/commissions/{c.reference}/").content.decode()
    assert 'data-waits="award"' in page  # shown, with why it waits
    assert "The call is open until" in page
    response = client.post(
        f"/h/{cast.hub.slug}/commissions/{c.reference}/move/",
        {
            "action": "award",
            "partner": proposal.partner_id,
            "proposal": proposal.pk,
            "conflict_declaration": "County Music Service is the HLO.",
        },
    )
    assert response.status_code == 400
    assert "The call is open until" in response.content.decode()
    c.refresh_from_db()
    assert c.status == Stage.IDENTIFY
