"""Variations and funding streams in the demo, made by the real services.

- Hertfordshire: its policy in force gets a route of its own for variations
  (the HMS Executive Leadership Team decides, not whoever proposed it). A
  partner asks to change a live partnership's delivery plan, as the policy
  asks partners to "inform HMS if there is any need to change the initial
  agreed delivery plan": two more months, two more schools and £2,000 more.
  It is approved, signed by both parties and becomes the agreement's next
  version; the payments and reports still to come follow it.
- Kent & Medway: the capital grant is allocated apart from the revenue Hub
  grant, and a live partnership is varied to buy instruments from it, so it
  has revenue and capital parts (the dashboard and the 360Giving export keep
  them apart). Another live one has an open proposal waiting for the board.
- Every commission page's history shows the meeting HMS holds with a partner
  before drafting (the commission's record).

Idempotent: a hub whose agreements already have variations is left alone.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from agreements import rules_variations as rv
from agreements import variations
from agreements.models import Agreement, AgreementStatus, Variation
from commissioning.models import Commission, CommissionRecord, RecordKind
from commissioning.records import record_add
from commissioning.workflow import Stage
from demo import clock, stories
from hubs.decision_routes import Body, DecisionKind, DecisionRoute, RouteStep, StepKind
from hubs.policy_life.selectors import in_force
from hubs.routes import members_of
from oversight.models import HubAllocation

CAPITAL = {"kent": Decimal("60000")}


def variation_route(policy: Any, approving_body: str) -> DecisionRoute:
    """A policy's own route for variations: one of its approvers decides
    (not whoever proposed it)."""
    route = DecisionRoute.objects.filter(policy=policy, kind=DecisionKind.VARIATION).first()
    if route is None:
        route = DecisionRoute.objects.create(policy=policy, kind=DecisionKind.VARIATION)
        RouteStep.objects.create(
            route=route, kind=StepKind.DECIDE, body=Body.APPROVERS, name=approving_body
        )
        policy._routes_cache = None
    return route


def decide_through(variation: Variation, proposer: Any) -> Variation:
    """Every member of a comment step comments, then enough members of each
    decide step approve (never the proposer)."""
    c = variation.agreement.commission
    now = rv.standing(variation)
    if now.comment is not None and variation.comment_closes_at:
        for member in members_of(now.comment, c):
            variations.variation_comment_add(
                variation=variation, user=member, body="Content with the change."
            )
    while (step := rv.standing(variation).awaited) is not None:
        done = set(rv.standing(variation).approved_by) | {proposer.pk}
        member = members_of(step, c).exclude(pk__in=done).order_by("pk").first()
        assert member is not None, f"no one left in the {step.body_name} to approve"
        variations.variation_decide(variation=variation, user=member, outcome="approve")
        variation = Variation.objects.get(pk=variation.pk)
        variation.agreement = _agreement(c)
    return variation


def sign_through(variation: Variation, partner_contact: Any, officer: Any) -> Variation:
    for user in (partner_contact, officer):
        variations.variation_sign(
            variation=variation,
            user=user,
            full_name=user.get_full_name() or user.email,
            role_title="Director" if user == partner_contact else "Head of Service",
            consent=True,
        )
        variation = Variation.objects.get(pk=variation.pk)
        variation.agreement = _agreement(variation.agreement.commission)
    return variation


def _agreement(commission: Commission) -> Agreement:
    agreement = Agreement.objects.select_related("commission__hub", "commission__policy").get(
        commission_id=commission.pk, period_number=1
    )
    return agreement


def _live(cast: Any) -> list[Agreement]:
    rows = Agreement.objects.filter(
        hub=cast.hub,
        period_number=1,
        status=AgreementStatus.SIGNED,
        commission__status=Stage.MONITORING,
    ).select_related("commission__hub", "commission__policy", "commission__partner")
    return list(rows.order_by("commission__reference"))


def _vary(cast: Any, agreement: Agreement, proposer: Any, change: rv.Change) -> Variation:
    return variations.variation_propose(agreement=agreement, user=proposer, change=change)


def load(cast: Any) -> None:
    slug = cast.hub.slug
    if Variation.objects.filter(hub=cast.hub).exists():
        return
    if slug == "herts":
        _herts(cast)
    elif slug == "kent":
        _kent(cast)


def _herts(cast: Any) -> None:
    live = _live(cast)
    policy = in_force(cast.hub)
    for each in {policy, *(a.commission.policy for a in live)}:
        variation_route(each, each.approving_body or "HMS Executive Leadership Team")
    if not live:
        return
    agreement = live[0]
    c = agreement.commission
    contact = cast.contacts[c.partner_id]
    clock.set_day(40)
    scope = agreement.section("scope")
    sections = {}
    if scope is not None:
        sections["scope"] = (
            scope["body"] + "\n\nFrom the spring term the programme also reaches two more "
            "schools, at the heads' request."
        )
    change = rv.Change(
        reason="Two schools on the waiting list asked to join; the partner can reach them "
        "with two more months' delivery and £2,000 more for sessions.",
        sections=sections,
        ends_on=agreement.ends_on + timedelta(days=61),
        hub_grant_amount=c.hub_grant_amount + Decimal(2000),
        hub_grant_capital=c.hub_grant_capital,
    )
    variation = _vary(cast, agreement, contact, change)
    clock.later(days=3)
    variation = decide_through(variation, contact)
    clock.later(days=2)
    sign_through(variation, contact, cast.officer)
    _meetings(cast, c)


def _kent(cast: Any) -> None:
    previous, current = stories.cycles()
    for year in (previous, current):
        HubAllocation.objects.filter(hub=cast.hub, year=year).update(capital_amount=CAPITAL["kent"])
    live = _live(cast)
    if not live:
        return
    agreement = live[0]
    c = agreement.commission
    clock.set_day(30)
    change = rv.Change(
        reason="Instruments for the programme are bought from the capital grant, as Kent "
        "Music's instrument service does, in line with ACE's guidance on purchasing.",
        hub_grant_amount=c.hub_grant_amount + Decimal(4500),
        hub_grant_capital=Decimal(4500),
        kpi_changes="Instruments loaned: 30 by the end of the spring term.",
    )
    variation = _vary(cast, agreement, cast.officer, change)
    clock.later(days=2)
    variation = decide_through(variation, cast.officer)
    clock.later(days=1)
    sign_through(variation, cast.contacts[c.partner_id], cast.officer)
    if len(live) > 1:  # a proposal still on its route
        other = live[1]
        clock.set_day(3)
        _vary(
            cast,
            other,
            cast.contacts[other.commission.partner_id],
            rv.Change(
                reason="The summer sessions move to the autumn term: the venue is closed.",
                ends_on=other.ends_on + timedelta(days=92),
            ),
        )


def _meetings(cast: Any, varied: Commission) -> list[CommissionRecord]:
    """HMS meets the partner before drafting (stage 3 of its policy), and
    about the change to a live partnership's delivery plan."""
    officer = f"{cast.officer.get_full_name()} (HMS)"
    kept = [
        record_add(
            commission=varied,
            user=cast.officer,
            kind=RecordKind.MEETING,
            title="Meeting about the change to the delivery plan",
            held_on=timezone.localdate() - timedelta(days=1),
            attendees=f"{officer}, the partner's director",
            agreed="Two more schools from the spring term, two more months' delivery and "
            "£2,000 more for sessions; the partner proposes the variation.",
        )
    ]
    drafting = Commission.objects.filter(hub=cast.hub, status=Stage.DRAFT, partner__isnull=False)
    first = drafting.order_by("reference").first()
    if first is not None:
        kept.append(
            record_add(
                commission=first,
                user=cast.officer,
                kind=RecordKind.MEETING,
                title="Meeting with the partner before drafting",
                held_on=timezone.localdate() - timedelta(days=2),
                attendees=f"{officer}, {first.partner.name}",
                agreed="How the need is best met: the sessions, the schools, the term, and "
                "that HMS drafts the partnership agreement on that basis.",
            )
        )
    return kept
