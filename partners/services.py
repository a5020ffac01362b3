"""Writes for partner organisations. The admin and any other route save a
partner through `partner_save`, which asks the one gate a partner's record
has: its type must be one its hub's current policy lists, and its charity
number, company number and school URN must be in their regulators' formats
(partners/identifiers.py)."""

from __future__ import annotations

from django.db import transaction

from hubs.refusals import Refused
from partners.identifiers import partner_identifier_refusals
from partners.models import PartnerOrganisation
from partners.types import partner_type_refusal


@transaction.atomic
def partner_save(*, partner: PartnerOrganisation) -> PartnerOrganisation:
    refusals = [partner_type_refusal(partner=partner), *partner_identifier_refusals(partner)]
    refusals = [refusal for refusal in refusals if refusal is not None]
    if refusals:
        raise Refused(refusals)
    partner.save()
    return partner
