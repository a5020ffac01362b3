"""The gates of a joint bid: adding, removing and confirming a co-applicant,
and what submitting and awarding a joint bid ask. Each `*_refusal` returns
the first Refusal or None; commissioning/joint.py raises it and the bid's
partners page asks the same function what to offer.

A co-applicant's shares are of the activity (%) and of the Hub grant the bid
asks for (£); the lead keeps what they leave, so the lead's share must stay
above nothing: together the shares add up to 100% and to the grant.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from commissioning.models import FundingKind, Proposal, ProposalPartner, ProposalStatus
from commissioning.rules import needs_input, text
from hubs.models import Membership, Role
from hubs.refusals import Refusal, first

HUNDRED = Decimal(100)


def _money(value: Decimal) -> str:
    return f"£{value:,.2f}"


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def speaks_for(who: Any, hub_id: int, partner_id: int) -> bool:
    """Whether this person (a HubAccess, or a user) is a contact of the partner."""
    partner_ids = getattr(who, "partner_ids", None)
    if partner_ids is not None:
        return partner_id in partner_ids
    return Membership.objects.filter(
        hub_id=hub_id, user=who, role=Role.PARTNER_CONTACT, partner_id=partner_id
    ).exists()


def co_applicants_of(proposal: Proposal) -> list[ProposalPartner]:
    """The bid's co-applicants, read once per proposal object."""
    cache = proposal.__dict__
    if "_co_applicants" not in cache:
        cache["_co_applicants"] = list(
            ProposalPartner.objects.filter(proposal_id=proposal.pk).select_related("partner")
        )
    return cache["_co_applicants"]


def read_co_applicants(proposals: list[Proposal]) -> None:
    """Every proposal's co-applicants in one query, for a page listing several."""
    by_proposal: dict[int, list[ProposalPartner]] = {p.pk: [] for p in proposals}
    links = ProposalPartner.objects.filter(proposal_id__in=list(by_proposal))
    for link in links.select_related("partner"):
        by_proposal[link.proposal_id].append(link)
    for proposal in proposals:
        proposal.__dict__["_co_applicants"] = by_proposal[proposal.pk]


def forget_co_applicants(proposal: Proposal) -> None:
    proposal.__dict__.pop("_co_applicants", None)


def grant_asked(proposal: Proposal) -> Decimal:
    """The Hub grant the bid asks for: its funding sources while it is a
    draft (the totals are worked out when it is submitted), else its total."""
    if proposal.status != ProposalStatus.DRAFT or proposal.pk is None:
        return proposal.hub_grant_requested
    sources = proposal.funding_sources.filter(kind=FundingKind.HUB_GRANT)
    return sum((s.amount for s in sources), Decimal(0))


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value).strip()) if value is not None and str(value).strip() else None
    except InvalidOperation:
        return None


def _lead_only(proposal: Proposal, who: Any) -> Refusal | None:
    if speaks_for(who, proposal.hub_id, proposal.partner_id):
        return None
    return Refusal(
        "lead_contact_only",
        f"Only a named contact of {proposal.partner}, the lead partner, can change who bids "
        "with it.",
    )


def _draft_only(proposal: Proposal) -> Refusal | None:
    if proposal.status == ProposalStatus.DRAFT:
        return None
    return Refusal(
        "bid_not_a_draft",
        f"This expression of interest is {proposal.get_status_display().lower()}; its "
        "partners can no longer change.",
    )


def co_applicant_refusal(
    proposal: Proposal,
    who: Any,
    *,
    partner: Any = None,
    role_in_bid: str | None = None,
    share_of_activity: Any = None,
    share_of_budget: Any = None,
    offering: bool = False,
) -> Refusal | None:
    """Adding a co-applicant to a draft bid: by the lead's contact, an
    organisation of the same hub, not the lead itself, once, with what it
    delivers and shares that leave the lead some of the work and the grant.
    With `offering`, only whether the page should offer the form at all."""
    refusal = first(_lead_only(proposal, who), _draft_only(proposal))
    if refusal is not None or offering:
        return refusal
    if partner is None:
        return Refusal(
            "co_applicant_required", "Choose the organisation bidding with you.", "partner"
        )
    if partner.hub_id != proposal.hub_id:
        return Refusal(
            "co_applicant_other_hub",
            f"{partner} is not a partner organisation of {proposal.hub}; a joint bid is made "
            "by organisations of the hub the call is for.",
            "partner",
        )
    if partner.pk == proposal.partner_id:
        return Refusal(
            "co_applicant_is_lead",
            f"{partner} leads this bid; name the other organisations bidding with it.",
            "partner",
        )
    others = [c for c in co_applicants_of(proposal) if c.partner_id != partner.pk]
    if len(others) != len(co_applicants_of(proposal)):
        return Refusal(
            "co_applicant_already",
            f"{partner} is already a co-applicant of this bid.",
            "partner",
        )
    return first(
        None
        if (role_in_bid or "").strip()
        else Refusal("role_required", f"Say what {partner} delivers in the bid.", "role_in_bid"),
        _activity_refusal(others, _decimal(share_of_activity)),
        _budget_refusal(proposal, others, _decimal(share_of_budget)),
    )


def _activity_refusal(others: list[ProposalPartner], share: Decimal | None) -> Refusal | None:
    if share is None or share <= 0 or share >= HUNDRED:
        return Refusal(
            "activity_share",
            "Give its share of the activity as a percentage, more than 0 and less than 100.",
            "share_of_activity",
        )
    total = sum((c.share_of_activity for c in others), Decimal(0)) + share
    if total >= HUNDRED:
        return Refusal(
            "shares_add_up",
            f"With this share the co-applicants would have {_percent(total)} of the activity; "
            "with the lead's share the shares add up to 100%, so the co-applicants' must come "
            "to less than 100%.",
            "share_of_activity",
        )
    return None


def _budget_refusal(
    proposal: Proposal, others: list[ProposalPartner], share: Decimal | None
) -> Refusal | None:
    if share is None or share <= 0:
        return Refusal(
            "budget_share",
            "Give its share of the Hub grant in pounds, more than £0.",
            "share_of_budget",
        )
    asked = grant_asked(proposal)
    if asked <= 0:
        return Refusal(
            "grant_not_asked",
            "Add the Hub grant to the bid's funding sources first: each partner's share is "
            "part of it.",
            "share_of_budget",
        )
    total = sum((c.share_of_budget for c in others), Decimal(0)) + share
    if total >= asked:
        return Refusal(
            "shares_add_up",
            f"With this share the co-applicants would have {_money(total)} of the "
            f"{_money(asked)} Hub grant the bid asks for; with the lead's share the shares add "
            "up to the grant, so the co-applicants' must come to less.",
            "share_of_budget",
        )
    return None


def co_applicant_remove_refusal(link: ProposalPartner, who: Any) -> Refusal | None:
    return first(_lead_only(link.proposal, who), _draft_only(link.proposal))


def co_applicant_confirm_refusal(link: ProposalPartner, who: Any) -> Refusal | None:
    """A co-applicant's own contact confirms its part, while the bid is a draft."""
    if not speaks_for(who, link.proposal.hub_id, link.partner_id):
        return Refusal(
            "co_applicant_contact_only",
            f"Only a named contact of {link.partner} can confirm its part in this bid.",
        )
    if link.is_confirmed:
        return Refusal("already_confirmed", f"{link.partner} has already confirmed its part.")
    return _draft_only(link.proposal)


# ── submitting and awarding a joint bid ──────────────────────────────────────


def joint_bid_refusals(proposal: Proposal) -> list[Refusal]:
    """What a joint bid must be to go in, and to be awarded: every
    co-applicant confirmed, of the bid's hub, and the lead keeping a share of
    the Hub grant asked for. Empty for a solo bid."""
    if proposal.pk is None:
        return []
    found = []
    links = co_applicants_of(proposal)
    for link in links:
        if link.partner.hub_id != proposal.hub_id:
            found.append(
                Refusal(
                    "co_applicant_other_hub",
                    f"{link.partner} is not a partner organisation of {proposal.hub}.",
                    "co_applicants",
                )
            )
        elif (area := _area_refusal(proposal, link.partner)) is not None:
            found.append(area)
        elif proposal.commission.policy.introductory_meeting_required and (
            link.partner.introductory_meeting_on is None
        ):
            found.append(
                Refusal(
                    "introductory_meeting_required",
                    f"{proposal.hub.name} requires an introductory meeting with the HLO before "
                    f"an organisation can become a partner; none is recorded for "
                    f"{link.partner}, a co-applicant.",
                    "co_applicants",
                )
            )
        elif not link.is_confirmed:
            found.append(
                Refusal(
                    "co_applicant_unconfirmed",
                    f"{link.partner} has not yet confirmed its part in this joint bid: its "
                    "contact confirms it on the bid's partners page.",
                    "co_applicants",
                    waits=True,
                )
            )
    budget = sum((link.share_of_budget for link in links), Decimal(0))
    if links and budget >= proposal.hub_grant_requested:
        found.append(
            Refusal(
                "shares_add_up",
                f"The co-applicants' shares of the Hub grant come to {_money(budget)}, and the "
                f"bid asks for {_money(proposal.hub_grant_requested)}: the shares, the lead's "
                "included, must add up to the grant. Change the funding sources or a share.",
                "co_applicants",
            )
        )
    return found


def _area_refusal(proposal: Proposal, partner: Any) -> Refusal | None:
    """BLMK's rule (each music service commissions its own partners), asked
    of a co-applicant as finding.service_area asks it of the lead."""
    c = proposal.commission
    if not c.policy.commissioning_by_service_area or partner.service_area_id is None:
        return None
    if partner.service_area_id == c.service_area_id:
        return None
    return Refusal(
        "one_service_area",
        f"In {proposal.hub.name} each music service commissions its own partners: "
        f"{partner}, a co-applicant, is a partner of {partner.service_area}, and this "
        f"commission belongs to {c.service_area}.",
        "co_applicants",
    )


def _declaration_refusal(ctx, proposal: Proposal) -> Refusal | None:
    """A co-applicant that is the HLO or a consortium member would be
    commissioning itself, as a lead would (finding.self_commissioning)."""
    if not ctx.policy.self_commissioning_declaration_required or text(ctx, "conflict_declaration"):
        return None
    for link in co_applicants_of(proposal):
        if link.partner.is_self_commissioning:
            who = "the HLO" if link.partner.is_hlo else "a consortium member"
            return Refusal(
                "conflict_declaration_required",
                f"{link.partner}, a co-applicant of this joint bid, is {who}: record its "
                f"conflict of interest declaration, as {ctx.hub_name}'s policy requires when "
                "a consortium member commissions itself.",
                "conflict_declaration",
            )
    return None


@needs_input
def co_applicants_confirmed(ctx) -> Refusal | None:
    """award: a joint proposal is awarded only as its partners confirmed it,
    and with what the policy asks of each partner (its area, its declaration)."""
    proposal = ctx.params.get("proposal")
    if proposal is None:
        return None
    refusals = joint_bid_refusals(proposal)
    if refusals:
        return refusals[0].at("proposal")
    return _declaration_refusal(ctx, proposal)
