"""What registering an organisation with a hub asks: one gate,
`organisation_registration_refusal` (the first refusal) over
`organisation_registration_refusals` (all of them, for a form), asked by the
page before it saves and raised by the service.

- The person is signed in with an address they have verified (an account
  that registered itself and has not followed its link may not).
- The profile: a legal name not already registered with the hub, one of the
  organisation types, an address with a UK postcode; identifiers in their
  regulators' formats (partners/identifiers.py), each naming one organisation
  in the hub; a company or CIC gives its company number and a school its URN.
- The partner's type must be one the hub's policy lists (partners.types);
  a newcomer starts as the policy's first.
"""

from __future__ import annotations

import re
from typing import Any

from hubs.models import Hub
from hubs.refusals import Refusal
from partners.identifiers import (
    charity_number_refusal,
    company_number_refusal,
    normalise_charity_number,
    normalise_company_number,
    normalise_school_urn,
    school_urn_refusal,
)
from partners.models import OrganisationType, PartnerOrganisation

POSTCODE = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}")
NEEDS_COMPANY_NUMBER = {OrganisationType.COMPANY, OrganisationType.CIC}
# The fields of the profile the form and the service share.
PROFILE = (
    "name",
    "organisation_type",
    "charity_number",
    "company_number",
    "school_urn",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "website",
    "phone",
)


def normalise_profile(profile: dict[str, Any]) -> dict[str, Any]:
    """The profile as it is kept: trimmed, identifiers in capitals without spaces."""
    clean = {name: str(profile.get(name) or "").strip() for name in PROFILE}
    clean["charity_number"] = normalise_charity_number(clean["charity_number"])
    clean["company_number"] = normalise_company_number(clean["company_number"])
    clean["school_urn"] = normalise_school_urn(clean["school_urn"])
    clean["postcode"] = " ".join(clean["postcode"].upper().split())
    return clean


def registrant_refusal(user: Any) -> Refusal | None:
    from accounts.registration.services import awaits_verification

    if user is None or not user.is_authenticated or not user.is_active:
        return Refusal("sign_in_first", "Sign in, or create an account, to register.")
    if awaits_verification(user):
        return Refusal(
            "email_unverified",
            f"Confirm your email address first: follow the link we sent to {user.email}.",
        )
    return None


def _taken(hub: Hub, field: str, value: str) -> PartnerOrganisation | None:
    if not value:
        return None
    lookup = {f"{field}__iexact": value}
    return PartnerOrganisation.objects.filter(hub=hub, **lookup).only("name").first()


def _already(hub: Hub, what: str, found: PartnerOrganisation, field: str) -> Refusal:
    return Refusal(
        f"{field}_taken",
        f"{found.name} is already registered with {hub.name} with this {what}. If you work "
        f"for it, ask its contact or {hub.name} to add you as a contact; if the number is "
        "wrong, correct it.",
        field,
    )


def _profile_refusals(hub: Hub, p: dict[str, Any]) -> list[Refusal]:
    found: list[Refusal] = []
    kind = p["organisation_type"]
    if not p["name"]:
        found.append(Refusal("name_required", "Enter the organisation's legal name.", "name"))
    elif (other := _taken(hub, "name", p["name"])) is not None:
        found.append(
            Refusal(
                "name_taken",
                f"An organisation called {other.name} is already registered with {hub.name}. "
                "If it is yours, ask its contact to add you; otherwise give your legal name "
                "in full.",
                "name",
            )
        )
    if kind not in OrganisationType.values:
        found.append(
            Refusal("type_required", "Choose what kind of organisation it is.", "organisation_type")
        )
    for refusal in (
        charity_number_refusal(p["charity_number"]),
        company_number_refusal(p["company_number"]),
        school_urn_refusal(p["school_urn"]),
    ):
        if refusal is not None:
            found.append(refusal)
    if kind in NEEDS_COMPANY_NUMBER and not p["company_number"]:
        label = OrganisationType(kind).label
        found.append(
            Refusal(
                "company_number_required",
                f"A {label.split(' (')[0].lower()} is registered at Companies House: enter its "
                "company number.",
                "company_number",
            )
        )
    if kind == OrganisationType.SCHOOL and not p["school_urn"]:
        found.append(
            Refusal("school_urn_required", "Enter the school's URN (6 digits).", "school_urn")
        )
    failed = {r.field for r in found}
    for field, what in (
        ("charity_number", "charity number"),
        ("company_number", "company number"),
        ("school_urn", "school URN"),
    ):
        other = None if field in failed else _taken(hub, field, p[field])
        if other is not None:
            found.append(_already(hub, what, other, field))
    if not p["address_line_1"]:
        found.append(
            Refusal("address_required", "Enter the first line of the address.", "address_line_1")
        )
    if not p["town"]:
        found.append(Refusal("town_required", "Enter the town or city.", "town"))
    if not p["postcode"]:
        found.append(Refusal("postcode_required", "Enter the postcode.", "postcode"))
    elif not POSTCODE.fullmatch(p["postcode"]):
        found.append(
            Refusal(
                "postcode_format",
                f"'{p['postcode']}' is not a UK postcode. Enter it like LE1 6ZG.",
                "postcode",
            )
        )
    return found


def organisation_registration_refusals(
    *, hub: Hub, user: Any, profile: dict[str, Any]
) -> list[Refusal]:
    """Every reason `user` may not register this profile with `hub` (the
    person's own first: nothing else is asked of someone not signed in)."""
    person = registrant_refusal(user)
    if person is not None:
        return [person]
    return _profile_refusals(hub, normalise_profile(profile))


def organisation_registration_refusal(
    *, hub: Hub, user: Any, profile: dict[str, Any]
) -> Refusal | None:
    found = organisation_registration_refusals(hub=hub, user=user, profile=profile)
    return found[0] if found else None
