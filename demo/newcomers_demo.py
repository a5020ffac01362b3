"""Newcomers in the demo, made through the real services: in the consortium
hub, an organisation new to the Hub registers itself from the open call and
starts an expression of interest (its contact signs in as
newcomer@consortium.demo); in BLMK, HLO staff send the open call to two
email addresses and one of the hub's organisations (BLMK's direct outreach).
Idempotent: what is already there is left as it is."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress

from accounts.registration.services import account_register
from commissioning.calls import services as calls
from commissioning.calls.invitations import call_invitations_send
from commissioning.calls.selectors import open_q
from commissioning.models import Call, CallInvitation
from demo import clock
from demo.data import DEMO_PASSWORD
from partners.models import PartnerOrganisation
from partners.registration.services import organisation_register

NEWCOMER = "newcomer@consortium.demo"
PROFILE = {
    "name": "Riverside Young Musicians CIC",
    "organisation_type": "cic",
    "company_number": "14520987",
    "address_line_1": "Unit 4, The Old Wharf",
    "town": "Riverside",
    "postcode": "RV1 4WQ",
    "website": "https://riverside-young-musicians.example.org",
}
OUTREACH = ["hello@lutonsteelpan.example.org", "info@mk-grime-collective.example.org"]


def load(cast: Any) -> None:
    if cast.hub.slug == "consortium":
        _newcomer(cast)
    elif cast.hub.slug == "blmk":
        _outreach(cast)


def _open_call(cast: Any) -> Call | None:
    return Call.objects.filter(open_q(), hub=cast.hub).order_by("closes_at", "pk").first()


def _newcomer(cast: Any) -> None:
    cast.logins.append(("Partner contact (new to the Hub, registered itself)", NEWCOMER))
    if PartnerOrganisation.objects.filter(hub=cast.hub, name=PROFILE["name"]).exists():
        return
    call = _open_call(cast)
    clock.set_day(2, hour=19)
    user = account_register(
        email=NEWCOMER, first_name="Nia", last_name="Okonkwo", password=DEMO_PASSWORD
    )
    # She followed the link in allauth's confirmation email.
    EmailAddress.objects.filter(user=user).update(verified=True)
    clock.later(hours=1)
    partner = organisation_register(
        hub=cast.hub, user=user, profile=PROFILE, contact_title="Founder and director"
    )
    cast.partners["newcomer"] = partner
    cast.contacts[partner.pk] = user
    if call is not None:
        clock.later(hours=1)
        calls.proposal_start_eoi(call=call, partner=partner, user=user)


def _outreach(cast: Any) -> None:
    call = _open_call(cast)
    if call is None or CallInvitation.objects.filter(call=call).exists():
        return
    clock.set_day(3)
    chosen = cast.partners.get("lutondhol")
    if chosen is None or call.proposals.filter(partner=chosen).exists():
        chosen = None
    partners = [chosen] if chosen is not None else []
    call_invitations_send(call=call, by=cast.officer, emails=OUTREACH, partners=partners)
