"""The kinds of compliance record: the standard four every hub knows, and the
hub's own (`ComplianceItemKind` rows), read together by `kinds_of(hub)`.

Each kind says what a record of it holds: whether it names a person, asks
for a document, has an expiry date, and which of the fields of the standard
kinds it uses (a hub's own kinds use the document and the dates only). The
words each date is known by come with the kind, so the form and the pages
say "Cover expires on" for insurance and "Next review by" for a policy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from compliance.models import ComplianceItemKind

SAFEGUARDING_POLICY = "safeguarding_policy"
SAFEGUARDING_LEAD = "safeguarding_lead"
DBS_CHECK = "dbs_check"
PUBLIC_LIABILITY = "public_liability"

# The fields a kind may use, beyond the dates, notes and document every one has.
FIELDS = (
    "person_name",
    "contact_email",
    "certificate_number",
    "barred_list_checked",
    "update_service",
    "insurer",
    "cover_amount",
)


@dataclass(frozen=True)
class Kind:
    key: str
    name: str
    description: str = ""
    per_individual: bool = False
    needs_document: bool = True
    expires: bool = True
    reviewed: bool = False  # a review date rather than an expiry (a policy)
    fields: tuple[str, ...] = ()  # of FIELDS, all required
    optional: tuple[str, ...] = ()  # of FIELDS, asked but not required
    valid_from_label: str = "Valid from"
    expires_label: str = "Expires on"
    standard: bool = True
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def asks(self) -> tuple[str, ...]:
        return self.fields + self.optional

    def label(self, name: str, default: str) -> str:
        return self.labels.get(name, default)


STANDARD: dict[str, Kind] = {
    k.key: k
    for k in (
        Kind(
            SAFEGUARDING_POLICY,
            "Safeguarding policy",
            "The organisation's safeguarding and child protection policy, and when it is next "
            "reviewed.",
            expires=False,
            reviewed=True,
            valid_from_label="Adopted on",
        ),
        Kind(
            SAFEGUARDING_LEAD,
            "Designated safeguarding lead",
            "The person who leads on safeguarding, and how to reach them.",
            per_individual=True,
            needs_document=False,
            expires=False,
            fields=("person_name", "contact_email"),
            valid_from_label="Appointed on",
            labels={"person_name": "Name of the designated safeguarding lead"},
        ),
        Kind(
            DBS_CHECK,
            "Enhanced DBS check with barred list",
            "An enhanced Disclosure and Barring Service check, with the children's barred "
            "list, for a named person working with children.",
            per_individual=True,
            needs_document=False,
            fields=("person_name", "certificate_number", "barred_list_checked"),
            optional=("update_service",),
            valid_from_label="Certificate issued on",
            expires_label="Recheck due by",
            labels={"person_name": "Name of the person checked"},
        ),
        Kind(
            PUBLIC_LIABILITY,
            "Public liability insurance",
            "Insurance against claims by the public, with the insurer and the amount of cover.",
            fields=("insurer", "cover_amount"),
            valid_from_label="Cover starts on",
            expires_label="Cover expires on",
        ),
    )
}


def _own(row: ComplianceItemKind) -> Kind:
    return Kind(
        row.key,
        row.name,
        row.description,
        per_individual=row.per_individual,
        needs_document=row.needs_document,
        expires=row.expires,
        fields=("person_name",) if row.per_individual else (),
        standard=False,
    )


def kinds_of(hub: Any) -> dict[str, Kind]:
    """The standard kinds, then the hub's own, by key (one query, kept on the hub)."""
    cached = getattr(hub, "_compliance_kinds", None)
    if cached is None:
        rows = ComplianceItemKind.objects.filter(hub_id=hub.pk).order_by("name")
        cached = dict(STANDARD) | {r.key: _own(r) for r in rows if r.key not in STANDARD}
        hub._compliance_kinds = cached
    return cached


def kind_of(hub: Any, key: str) -> Kind:
    """The kind a stored key names (a kind the hub has since removed reads as its key)."""
    return kinds_of(hub).get(key) or Kind(key, key.replace("_", " ").capitalize(), standard=False)


def kind_choices(hub: Any) -> list[tuple[str, str]]:
    return [(k.key, k.name) for k in kinds_of(hub).values()]
