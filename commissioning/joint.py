"""Joint bids: the lead's contact names its co-applicants with their shares,
each co-applicant's contact confirms its part, and the award carries every
partner on to the commission (CommissionPartner), where the agreement, the
instalments, the register and 360Giving read them.

Each write locks the proposal, asks its gate (commissioning/rules/joint.py)
and tells whom it concerns through the messenger, in its transaction.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Commission, CommissionPartner, Proposal, ProposalPartner
from commissioning.rules.joint import (
    _decimal,
    co_applicant_confirm_refusal,
    co_applicant_refusal,
    co_applicant_remove_refusal,
    co_applicants_of,
    forget_co_applicants,
)
from hubs.models import Membership, Role
from hubs.refusals import raise_first
from notices.services import notify
from partners.models import PartnerOrganisation

PENNY = Decimal("0.01")
HUNDRED = Decimal(100)


def _locked(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("hub", "partner", "commission")
        .get(pk=proposal.pk)
    )


def _contacts(hub_id: int, partner_id: int) -> list[Any]:
    return [
        m.user
        for m in Membership.objects.filter(
            hub_id=hub_id, role=Role.PARTNER_CONTACT, partner_id=partner_id, user__is_active=True
        )
        .select_related("user")
        .order_by("user_id")
    ]


def _page(proposal: Proposal) -> str:
    return reverse("joint:partners", args=[proposal.hub.slug, proposal.pk])


def co_applicant_add(
    *,
    proposal: Proposal,
    user: Any,
    partner: PartnerOrganisation | None,
    role_in_bid: str,
    share_of_activity: Any,
    share_of_budget: Any,
) -> ProposalPartner:
    """Name an organisation bidding with the lead; its contacts are asked to confirm."""
    with transaction.atomic():
        p = _locked(proposal)
        raise_first(
            co_applicant_refusal(
                p,
                user,
                partner=partner,
                role_in_bid=role_in_bid,
                share_of_activity=share_of_activity,
                share_of_budget=share_of_budget,
            )
        )
        link = ProposalPartner.objects.create(
            proposal=p,
            partner=partner,
            role_in_bid=role_in_bid.strip(),
            share_of_activity=_decimal(share_of_activity),
            share_of_budget=_decimal(share_of_budget),
            added_by=user,
        )
        notify(
            hub=p.hub,
            recipients=_contacts(p.hub_id, partner.pk),
            kind="joint_bid",
            subject=f"[{p.hub.name}] {p.partner} names {partner} in its joint bid: please confirm",
            body=(
                f"{p.partner} has named {partner} as a co-applicant of its expression of interest "
                f"for '{p.commission.title}', delivering: {link.role_in_bid}; "
                f"{link.share_of_activity.normalize():f}% of the activity and "
                f"£{link.share_of_budget:,.2f} of the Hub grant. Confirm your part (or ask "
                "them to change it) on the bid's partners page before they submit."
            ),
            url=_page(p),
        )
    forget_co_applicants(proposal)
    return link


def co_applicant_remove(*, link: ProposalPartner, user: Any) -> None:
    with transaction.atomic():
        p = _locked(link.proposal)
        locked = ProposalPartner.objects.select_related("partner").get(pk=link.pk, proposal=p)
        locked.proposal = p
        raise_first(co_applicant_remove_refusal(locked, user))
        locked.delete()
    forget_co_applicants(link.proposal)


def co_applicant_confirm(*, link: ProposalPartner, user: Any) -> ProposalPartner:
    """The co-applicant's contact confirms its part and shares as named."""
    with transaction.atomic():
        p = _locked(link.proposal)
        locked = (
            ProposalPartner.objects.select_for_update(of=("self",))
            .select_related("partner")
            .get(pk=link.pk, proposal=p)
        )
        locked.proposal = p
        raise_first(co_applicant_confirm_refusal(locked, user))
        locked.confirmed_by = user
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["confirmed_by", "confirmed_at"])
        leads = _contacts(p.hub_id, p.partner_id)
        notify(
            hub=p.hub,
            recipients=leads,
            kind="joint_bid",
            subject=f"[{p.hub.name}] {locked.partner} confirmed its part in your joint bid",
            body=f"{locked.partner} confirmed its part in your bid for '{p.commission.title}'.",
            url=_page(p),
        )
    forget_co_applicants(link.proposal)
    return locked


# ── the award carries every partner ──────────────────────────────────────────


def commission_partners_follow(commission: Commission, log: Any) -> None:
    """commissioning's own follower (hooks): at the award of a joint
    proposal, every partner and its share, inside the award's transaction."""
    if log.action != "award":
        return
    CommissionPartner.objects.filter(commission=commission).delete()
    proposal = commission.awarded_proposal
    if proposal is None:
        return
    forget_co_applicants(proposal)
    links = co_applicants_of(proposal)
    if not links:
        return
    grant = commission.hub_grant_amount
    co_grant = sum((link.share_of_budget for link in links), Decimal(0))
    co_activity = sum((link.share_of_activity for link in links), Decimal(0))
    rows = [
        CommissionPartner(
            commission=commission,
            partner_id=proposal.partner_id,
            is_lead=True,
            role_in_bid="Lead partner",
            share_of_activity=HUNDRED - co_activity,
            grant_amount=grant - co_grant,
        )
    ]
    rows += [
        CommissionPartner(
            commission=commission,
            partner_id=link.partner_id,
            role_in_bid=link.role_in_bid,
            share_of_activity=link.share_of_activity,
            grant_amount=link.share_of_budget,
        )
        for link in links
    ]
    CommissionPartner.objects.bulk_create(rows)


def partners_of(commission: Commission) -> list[CommissionPartner]:
    """Every partner of a joint commission, the lead first; empty for a solo
    one. Read once per commission object (or from a prefetch of joint_partners)."""
    prefetched = getattr(commission, "_prefetched_objects_cache", {}).get("joint_partners")
    if prefetched is not None:
        return sorted(prefetched, key=lambda c: (not c.is_lead, c.partner.name))
    if commission.awarded_proposal_id is None:
        return []  # a direct award is to one partner: nothing to read
    cache = commission.__dict__
    if "_joint_partners" not in cache:
        cache["_joint_partners"] = list(
            CommissionPartner.objects.filter(commission_id=commission.pk).select_related("partner")
        )
    return cache["_joint_partners"]


def joint_partners_prefetch() -> Prefetch:
    """For lists (the register, 360Giving): every commission's partners in one query."""
    return Prefetch(
        "joint_partners",
        queryset=CommissionPartner.objects.select_related("partner").only(
            "commission_id",
            "is_lead",
            "role_in_bid",
            "share_of_activity",
            "grant_amount",
            "partner__name",
            "partner__organisation_type",
            "partner__org_id",
            "partner__charity_number",
            "partner__company_number",
            "partner__is_hlo",
            "partner__hub_id",
        ),
    )


def joint_partners_of_hub(hub: Any) -> dict[int, list[CommissionPartner]]:
    """Every joint partnership's partners in the hub, by commission id, the
    lead first: one query, for exports reading every commission."""
    found: dict[int, list[CommissionPartner]] = {}
    for cp in (
        joint_partners_prefetch()
        .queryset.filter(commission__hub=hub)
        .order_by("commission_id", "-is_lead", "partner__name")
    ):
        found.setdefault(cp.commission_id, []).append(cp)
    return found


def co_applicants(commission: Commission) -> list[CommissionPartner]:
    return [c for c in partners_of(commission) if not c.is_lead]


def split(amount: Decimal, partners: list[CommissionPartner], grant: Decimal) -> list[tuple]:
    """An amount of the Hub grant (an instalment) shared as the grant is:
    each co-applicant its proportion, rounded down to the penny, the lead the
    rest, so the parts always add up to the amount."""
    if not partners or not grant:
        return []
    parts = []
    for cp in partners:
        if cp.is_lead:
            continue
        part = (amount * cp.grant_amount / grant).quantize(PENNY, rounding=ROUND_DOWN)
        parts.append((cp, part))
    lead = next(cp for cp in partners if cp.is_lead)
    return [(lead, amount - sum((p for _, p in parts), Decimal(0))), *parts]
