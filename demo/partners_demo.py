"""The rest of a demo hub's partners (demo/data/partners.py), each saved
through partners.services.partner_save (which refuses a partnership type the
hub's policy does not list) with a named contact who can sign in. Idempotent:
a partner already there is left as it is."""

from __future__ import annotations

from datetime import date
from typing import Any

from demo.cast import _user
from demo.data.partners import EXTRA_PARTNERS
from hubs.models import Role, ServiceArea
from hubs.services import membership_grant
from partners.models import PartnerOrganisation, Specialism
from partners.services import partner_save


def load(cast: Any) -> None:
    hub = cast.hub
    areas = {area.name: area for area in ServiceArea.objects.filter(hub=hub)}
    specialisms = {s.name: s for s in Specialism.objects.all()}
    existing = {p.name: p for p in PartnerOrganisation.objects.filter(hub=hub)}
    for line in EXTRA_PARTNERS.get(hub.slug, "").strip().splitlines():
        key, name, kind, partnership, reach, wanted, contact, extra = _row(line)
        partner = existing.get(name)
        if partner is None:
            fields = dict(extra)
            area = areas.get(fields.pop("area", None))
            partner = partner_save(
                partner=PartnerOrganisation(
                    hub=hub,
                    name=name,
                    organisation_type=kind,
                    partnership_type=partnership,
                    reach=reach,
                    service_area=area,
                    **fields,
                )
            )
            for specialism in wanted:
                if specialism not in specialisms:
                    specialisms[specialism] = Specialism.objects.get_or_create(name=specialism)[0]
                partner.specialisms.add(specialisms[specialism])
        cast.partners[key] = partner
        first, last = contact.rsplit(" ", 1)
        contact = _user(f"{key}@{hub.slug}.demo", first, last)
        membership_grant(hub=hub, user=contact, role=Role.PARTNER_CONTACT, partner=partner)
        cast.contacts[partner.pk] = contact


WORDS = {"existing": ("is_existing_partner", True), "consortium": ("is_consortium_member", True)}
FIELDS = {"charity": "charity_number", "company": "company_number", "area": "area"}


def _row(line: str) -> tuple:
    """One line of demo/data/partners.py, its extras as model fields."""
    cells = [cell.strip() for cell in line.split("|")]
    cells += [""] * (8 - len(cells))
    key, name, kind, partnership, reach, wanted, contact, words = cells
    extra: dict[str, Any] = {}
    for word in words.split():
        if word in WORDS:
            extra.update([WORDS[word]])
        elif word.startswith("met="):
            extra["introductory_meeting_on"] = date.fromisoformat(word[4:])
        else:
            name_, value = word.split("=", 1)
            extra[FIELDS[name_]] = value.replace("_", " ")
    specialisms = [s for s in wanted.split(";") if s]
    return key, name, kind, partnership, reach, specialisms, contact, extra
