"""Writes for partner organisations. The admin and any other route save a
partner through `partner_save`, which asks the one gate a partner's record
has: its type must be one its hub's current policy lists."""

from __future__ import annotations

from django.db import transaction

from hubs.refusals import Refused
from partners.models import PartnerOrganisation
from partners.types import partner_type_refusal


@transaction.atomic
def partner_save(*, partner: PartnerOrganisation) -> PartnerOrganisation:
    refusal = partner_type_refusal(partner=partner)
    if refusal is not None:
        raise Refused(refusal)
    partner.save()
    return partner
