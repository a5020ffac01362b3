"""The formats of a partner's public identifiers, checked before they are kept.

Charity numbers: England and Wales (the Charity Commission) registers 6 to 8
digits, a linked charity with a suffix (`1123456-1`); Scotland (OSCR) `SC`
and six digits; Northern Ireland (the Charity Commission for NI) `NIC` and
five or six digits. Company numbers (Companies House) are eight characters:
eight digits, or two letters (SC, NI, OC, ...) and six digits; a number typed
without its leading zeros is padded, as Companies House prints it. A school's
unique reference number (URN, from Get Information about Schools) is six
digits. Each `*_refusal` says what is wrong in words a newcomer reads; each
`normalise_*` gives the form stored (capitals, no spaces).
"""

from __future__ import annotations

import re

from hubs.refusals import Refusal

_CHARITY = (
    re.compile(r"\d{6,8}(-\d{1,2})?"),  # England and Wales
    re.compile(r"SC\d{6}"),  # Scotland
    re.compile(r"NIC\d{5,6}"),  # Northern Ireland
)
_COMPANY = re.compile(r"(\d{8}|[A-Z]{2}\d{6})")
_URN = re.compile(r"\d{6}")


def _squash(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def normalise_charity_number(value: str) -> str:
    return _squash(value)


def normalise_company_number(value: str) -> str:
    number = _squash(value)
    if number.isdigit() and 5 <= len(number) < 8:
        number = number.zfill(8)
    return number


def normalise_school_urn(value: str) -> str:
    return _squash(value)


def charity_number_refusal(value: str, field: str = "charity_number") -> Refusal | None:
    number = normalise_charity_number(value)
    if not number or any(pattern.fullmatch(number) for pattern in _CHARITY):
        return None
    return Refusal(
        "charity_number_format",
        f"'{value.strip()}' is not a charity number. Enter the number the charity "
        "regulator gives: 6 to 8 digits in England and Wales (for example 1123456, or "
        "1123456-1 for a linked charity), SC and 6 digits in Scotland, NIC and 5 or 6 "
        "digits in Northern Ireland.",
        field,
    )


def company_number_refusal(value: str, field: str = "company_number") -> Refusal | None:
    number = normalise_company_number(value)
    if not number or _COMPANY.fullmatch(number):
        return None
    return Refusal(
        "company_number_format",
        f"'{value.strip()}' is not a company number. Companies House numbers are 8 "
        "characters: 8 digits (for example 01234567) or 2 letters and 6 digits (for "
        "example SC123456).",
        field,
    )


def school_urn_refusal(value: str, field: str = "school_urn") -> Refusal | None:
    urn = normalise_school_urn(value)
    if not urn or _URN.fullmatch(urn):
        return None
    return Refusal(
        "school_urn_format",
        f"'{value.strip()}' is not a school URN. A school's unique reference number is "
        "6 digits (for example 118234); find it on Get Information about Schools.",
        field,
    )


def partner_identifier_refusals(partner) -> list[Refusal]:
    """A partner's record, however it is saved (partners.services.partner_save,
    the admin's form): each identifier it gives in its regulator's format."""
    checks = (
        charity_number_refusal(partner.charity_number or ""),
        company_number_refusal(partner.company_number or ""),
        school_urn_refusal(partner.school_urn or ""),
    )
    return [refusal for refusal in checks if refusal is not None]
