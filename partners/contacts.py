"""An organisation's further contact people: added by its own contact (a
newcomer that registered itself, or any partner contact) or by HLO staff
from the partner directory. The one gate is partners.rules'
contact_person_refusals, which the page asks before saving and this
service raises, every refusal beside its field."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from hubs.refusals import Refused
from partners.directory.models import ContactPerson
from partners.models import PartnerOrganisation
from partners.rules import contact_person_refusals, normalise_person


def _raise(access: Any, partner: PartnerOrganisation, person: dict[str, Any]) -> None:
    found = contact_person_refusals(access=access, partner=partner, person=person)
    if found:
        raise Refused(found)


@transaction.atomic
def contact_person_add(
    *, access: Any, partner: PartnerOrganisation, person: dict[str, Any]
) -> ContactPerson:
    """One more person at `partner` the hub may contact: name, email, role, phone."""
    locked = PartnerOrganisation.objects.select_for_update(of=("self",)).get(pk=partner.pk)
    _raise(access, locked, person)
    try:
        with transaction.atomic():
            return ContactPerson.objects.create(
                hub=access.hub, partner=locked, added_by=access.user, **normalise_person(person)
            )
    except IntegrityError:  # the same address added a moment ago, in another tab
        _raise(access, locked, person)
        raise
