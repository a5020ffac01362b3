"""A joint partnership on its agreement's page: every partner and its share,
each co-applicant's signature, the link to sign for a co-applicant's contact
(offered when the gate would accept it) and each instalment's split."""

from __future__ import annotations

from django import template

from agreements import payments
from agreements.joint_rules import co_sign_refusal
from agreements.models import CoSignature
from commissioning.joint import partners_of, split

register = template.Library()


@register.inclusion_tag("agreements/_joint.html")
def joint_partnership(agreement, access):
    partners = partners_of(agreement.commission)
    if not partners:
        return {"partners": []}
    signed = {
        s.partner_id: s for s in CoSignature.objects.filter(agreement=agreement).order_by("pk")
    }
    grant = agreement.grant_amount
    rows = payments.as_rows(agreement.instalments.all(), grant)
    return {
        "hub": access.hub,
        "agreement": agreement,
        "commission": agreement.commission,
        "partners": [(cp, signed.get(cp.partner_id)) for cp in partners],
        "can_co_sign": co_sign_refusal(agreement, access.user, access) is None,
        "waiting": [
            cp.partner for cp in partners if not cp.is_lead and cp.partner_id not in signed
        ],
        "splits": [(instalment, split(value, partners, grant)) for instalment, value in rows],
    }
