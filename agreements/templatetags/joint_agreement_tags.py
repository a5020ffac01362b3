"""A joint partnership on its agreement's page: every partner and its share,
each co-applicant's signature, the link to sign for a co-applicant's contact
(offered when the gate would accept it) and each instalment's split."""

from __future__ import annotations

from django import template

from agreements import payments
from agreements.joint_rules import co_sign_refusal
from agreements.models import CoSignature
from commissioning.joint import partners_of

register = template.Library()


@register.inclusion_tag("agreements/_joint.html")
def joint_partnership(agreement, access):
    partners = partners_of(agreement.commission)
    if not partners:
        return {"partners": []}
    signed = {
        s.partner_id: s for s in CoSignature.objects.filter(agreement=agreement).order_by("pk")
    }
    rows = payments.shared_rows(
        agreement.instalments.all(), agreement.grant_amount, agreement.capital_amount, partners
    )
    co_sign = co_sign_refusal(agreement, access.user, access)
    return {
        "hub": access.hub,
        "agreement": agreement,
        "commission": agreement.commission,
        "partners": [(cp, signed.get(cp.partner_id)) for cp in partners],
        "can_co_sign": co_sign is None,
        # A co-applicant whose records the policy requires is told what is missing.
        "co_sign_why": co_sign if co_sign and co_sign.rule == "compliance_required" else None,
        "waiting": [
            cp.partner for cp in partners if not cp.is_lead and cp.partner_id not in signed
        ],
        "split_partners": partners,
        "splits": [(instalment, parts) for instalment, _, parts in rows],
    }


@register.simple_tag
def partner_parts(value, commission):
    """One instalment's parts for each partner of a joint partnership (the
    payment schedule's rows); [] for a solo one."""
    return payments.partner_parts(value, partners_of(commission))


@register.inclusion_tag("agreements/_joint_split.html")
def instalment_split(agreement):
    """The saved schedule's instalments shared between a joint partnership's
    partners (the payment schedule's page); nothing for a solo one."""
    partners = partners_of(agreement.commission)
    if not partners:
        return {"splits": []}
    rows = payments.shared_rows(
        agreement.instalments.all(), agreement.grant_amount, agreement.capital_amount, partners
    )
    return {"split_partners": partners, "splits": [(i, parts) for i, _, parts in rows]}
