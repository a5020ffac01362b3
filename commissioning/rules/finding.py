"""Rules for finding a partner: the route, and the award by any route (a
direct award on the commission page, or an award from a call's results)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format

from commissioning.models import Route
from commissioning.rules import needs_input, text
from hubs.refusals import Refusal

HUNDRED = Decimal(100)


# ── the route ────────────────────────────────────────────────────────────────


@needs_input
def route_allowed(ctx) -> Refusal | None:
    route, policy = ctx.params.get("route"), ctx.policy
    if route not in Route.values:
        return Refusal("route_required", "Choose how the partner will be found.", field="route")
    if policy.open_call_required and route != Route.OPEN_CALL:
        return Refusal(
            "open_call_required",
            f"{ctx.hub_name}'s policy puts every partnership through an open call for "
            "expressions of interest, the HLO's and consortium members' services included.",
            field="route",
        )
    if policy.eoi_for_needs_gaps and route != Route.OPEN_CALL:
        return _eoi_for_gaps(ctx).at("route")
    if route == Route.RESPONSIVE and not policy.responsive_commissioning_allowed:
        return Refusal(
            "no_responsive_commissioning",
            f"{ctx.hub_name}'s policy does not allow ad hoc commissioning; approach a partner "
            "or publish a call.",
            field="route",
        )
    if route == Route.RESPONSIVE and not text(ctx, "reason"):
        return Refusal(
            "responsive_needs_reason",
            "Say which emerging priority this ad hoc commission answers.",
            field="reason",
        )
    if route == Route.OPEN_CALL and policy.existing_partners_first and not text(ctx, "reason"):
        return Refusal(
            "existing_partners_first",
            f"{ctx.hub_name} approaches existing partners first: say why a call for proposals "
            "is needed (no existing partner has the expertise, or several could deliver it).",
            field="reason",
        )
    return None


@needs_input
def in_house_reason_given(ctx) -> Refusal | None:
    if ctx.policy.in_house_reason_required and not text(ctx, "in_house_reason"):
        return Refusal(
            "in_house_reason_required",
            f"{ctx.hub_name}'s policy asks why the HLO cannot deliver this itself before a "
            "partner is sought: say why (for example the expertise, capacity or reach it needs).",
            field="in_house_reason",
        )
    return None


def _eoi_for_gaps(ctx) -> Refusal:
    return Refusal(
        "eoi_for_needs_gaps",
        f"Where the needs analysis identifies a gap in provision, {ctx.hub_name} invites "
        "expressions of interest from partners: publish a call for this commission.",
    )


# ── the award ────────────────────────────────────────────────────────────────


@needs_input
def partner_in_hub(ctx) -> Refusal | None:
    partner = ctx.params.get("partner")
    if partner is None or partner.hub_id != ctx.commission.hub_id:
        return Refusal("partner_required", "Choose a partner organisation of this hub.", "partner")
    return None


@needs_input
def route_fits_partner(ctx) -> Refusal | None:
    c, partner, proposal = ctx.commission, ctx.params["partner"], ctx.params.get("proposal")
    if c.route == Route.OPEN_CALL and proposal is None:
        return Refusal(
            "award_from_call",
            "This commission went to an open call: award it to a proposal submitted to the call.",
            field="proposal",
        )
    if proposal is not None and (
        proposal.commission_id != c.pk or proposal.partner_id != partner.pk
    ):
        return Refusal(
            "proposal_mismatch",
            f"That proposal is not {partner}'s proposal for this commission.",
            field="proposal",
        )
    if proposal is None and ctx.policy.eoi_for_needs_gaps:
        return _eoi_for_gaps(ctx).at("proposal")
    if c.route == Route.EXISTING_PARTNER and not partner.is_existing_partner:
        return Refusal(
            "not_existing_partner",
            f"{partner} is not yet a Hub partner; a new organisation is found through a call "
            "for proposals.",
            field="partner",
        )
    return None


def call_decided(ctx) -> Refusal | None:
    """An open call's commission is awarded once the call has closed and every
    unsuccessful partner has its feedback: on the results page or anywhere."""
    c = ctx.commission
    if c.route != Route.OPEN_CALL:
        return None
    call = getattr(c, "call", None) if _has_call(c) else None
    if call is None:
        return Refusal(
            "call_not_published",
            "This commission goes to an open call: publish the call, and award it from the "
            "call's results once it has closed.",
            waits=True,
        )
    if call.closed_at is None and call.closes_at > timezone.now():
        when = date_format(timezone.localtime(call.closes_at), "j F Y, H:i")
        return Refusal(
            "call_open",
            f"The call is open until {when}; the award is made once it has closed and its "
            "proposals have been scored.",
            waits=True,
        )
    return None


def _has_call(commission) -> bool:
    from commissioning.models import Call

    try:
        return commission.call is not None
    except Call.DoesNotExist:
        return False


@needs_input
def feedback_given(ctx) -> Refusal | None:
    """Every other proposal submitted to the call is told why it was not chosen."""
    c, proposal = ctx.commission, ctx.params.get("proposal")
    if c.route != Route.OPEN_CALL or proposal is None:
        return None
    from commissioning.models import ProposalStatus

    given = {pk: str(t).strip() for pk, t in (ctx.params.get("feedback") or {}).items()}
    others = c.proposals.filter(status=ProposalStatus.SUBMITTED).exclude(pk=proposal.pk)
    for other in others.select_related("partner").order_by("partner__name"):
        if not (given.get(other.pk) or other.feedback.strip()):
            return Refusal(
                "feedback_required",
                f"Write the feedback for {other.partner}: every unsuccessful partner is told why.",
                field=f"feedback_{other.pk}",
            )
    return None


@needs_input
def introductory_meeting(ctx) -> Refusal | None:
    partner = ctx.params["partner"]
    if ctx.policy.introductory_meeting_required and partner.introductory_meeting_on is None:
        return Refusal(
            "introductory_meeting_required",
            f"{ctx.hub_name} requires an introductory meeting with the HLO before an "
            f"organisation can become a partner; none is recorded for {partner}.",
            field="partner",
        )
    return None


@needs_input
def match_funding(ctx) -> Refusal | None:
    """The share of the cost from other sources: the proposal's, or for a
    direct award the amounts the officer records with it."""
    minimum = ctx.policy.min_match_funding_percent
    if not minimum:
        return None
    proposal = ctx.params.get("proposal")
    if proposal is not None:
        share, where, what = proposal.match_funding_percent, "proposal", "this proposal has"
    else:
        grant, match = _direct_amounts(ctx)
        total = grant + match
        share = (match * HUNDRED / total).quantize(Decimal("0.1")) if total else Decimal(0)
        where, what = "match_funding_amount", "this award has"
    if share < minimum:
        return Refusal(
            "match_funding",
            f"{ctx.hub_name} requires at least {minimum}% of the cost from sources other than "
            f"the Hub Grant; {what} {share.normalize():f}%.",
            field=where,
        )
    return None


def _direct_amounts(ctx) -> tuple[Decimal, Decimal]:
    c = ctx.commission
    grant = ctx.params.get("hub_grant_amount")
    match = ctx.params.get("match_funding_amount")
    return (
        Decimal(c.hub_grant_amount if grant is None else grant),
        Decimal(c.match_funding_amount if match is None else match),
    )


@needs_input
def service_area(ctx) -> Refusal | None:
    c = ctx.commission
    if not ctx.policy.commissioning_by_service_area:
        return None
    proposal, partner = ctx.params.get("proposal"), ctx.params["partner"]
    if proposal is not None and proposal.service_area_id is None:
        return Refusal(
            "one_service_area",
            f"In {ctx.hub_name} each music service commissions its own partners: this "
            f"proposal must name its service area ({c.service_area}).",
            field="proposal",
        )
    if proposal is not None and proposal.service_area_id != c.service_area_id:
        return Refusal(
            "one_service_area",
            f"This proposal is for another service area; this commission belongs to "
            f"{c.service_area}.",
            field="proposal",
        )
    if partner.service_area_id is not None and partner.service_area_id != c.service_area_id:
        return Refusal(
            "one_service_area",
            f"In {ctx.hub_name} each music service commissions its own partners: "
            f"{partner} is a partner of {partner.service_area}, and this commission belongs "
            f"to {c.service_area}.",
            field="partner",
        )
    return None


@needs_input
def self_commissioning(ctx) -> Refusal | None:
    partner = ctx.params["partner"]
    if not partner.is_self_commissioning:
        return None
    if ctx.policy.self_commissioning_declaration_required and not text(ctx, "conflict_declaration"):
        who = "the HLO" if partner.is_hlo else "a consortium member"
        return Refusal(
            "conflict_declaration_required",
            f"{partner} is {who}: record its conflict of interest declaration, as "
            f"{ctx.hub_name}'s policy requires when a consortium member commissions itself.",
            field="conflict_declaration",
        )
    return None
