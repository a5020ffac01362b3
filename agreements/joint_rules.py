"""The gates of a joint partnership's signatures: a co-applicant's own
signature (`co_sign_refusal`), and the countersignature waiting until every
co-applicant has signed (`co_applicants_signed`, a rule of the commission's
countersign move, registered in AgreementsConfig.ready).

The lead partner signs the agreement as any partner does (agreements.rules);
each co-applicant signs beside it, by its own contact, on its own page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agreements.models import Agreement, AgreementStatus, CoSignature
from agreements.rules import _signature_given, agreement_of
from commissioning.joint import co_applicants
from commissioning.models import CommissionPartner
from commissioning.rules.joint import speaks_for
from hubs.refusals import Refusal, first

A = AgreementStatus
CO_SIGNING = [A.ISSUED, A.PARTNER_SIGNED]

# What apps above agreements ask of a co-applicant's signature, as they ask
# the lead's through commissioning's hooks: compliance's records required
# before a signature (compliance/apps.py). (agreement, CommissionPartner) ->
# Refusal | None.
_co_sign_rules: list[Callable[[Agreement, CommissionPartner], Refusal | None]] = []


def add_co_sign_rule(rule: Callable[[Agreement, CommissionPartner], Refusal | None]) -> None:
    if rule not in _co_sign_rules:
        _co_sign_rules.append(rule)


def _others_refusal(agreement: Agreement, cp: CommissionPartner) -> Refusal | None:
    for rule in _co_sign_rules:
        if (refusal := rule(agreement, cp)) is not None:
            return refusal
    return None


def co_signed_partner_ids(agreement: Agreement) -> set[int]:
    cache = agreement.__dict__
    if "_co_signed" not in cache:
        cache["_co_signed"] = set(
            CoSignature.objects.filter(agreement=agreement).values_list("partner_id", flat=True)
        )
    return cache["_co_signed"]


def co_signing_partner(agreement: Agreement, who: Any) -> CommissionPartner | None:
    """The co-applicant this person signs for: the first of theirs still to
    sign, else the first of theirs."""
    hub_id = agreement.commission.hub_id
    mine = [
        cp for cp in co_applicants(agreement.commission) if speaks_for(who, hub_id, cp.partner_id)
    ]
    signed = co_signed_partner_ids(agreement) if mine else set()
    return next((cp for cp in mine if cp.partner_id not in signed), mine[0] if mine else None)


def co_sign_refusal(
    agreement: Agreement,
    user: Any,
    checker: Any = None,
    *,
    full_name: str | None = None,
    role_title: str | None = None,
    consent: bool | None = None,
) -> Refusal | None:
    """A co-applicant's signature: by a contact of a co-applicant of this
    joint partnership, once the agreement is issued and before the HLO
    countersigns, once for each co-applicant."""
    who = checker if checker is not None else user
    cp = co_signing_partner(agreement, who)
    if cp is None:
        return Refusal(
            "co_signatory_only",
            "Only a named contact of one of the partnership's co-applicants signs here.",
        )
    if agreement.status not in CO_SIGNING:
        if agreement.status == A.SIGNED or cp.partner_id in co_signed_partner_ids(agreement):
            return Refusal("already_signed", f"{cp.partner} has already signed this agreement.")
        return Refusal(
            "agreement_not_issued",
            "Each partner signs the partnership agreement once it has been approved and issued.",
        )
    if cp.partner_id in co_signed_partner_ids(agreement):
        return Refusal("already_signed", f"{cp.partner} has already signed this agreement.")
    return first(_others_refusal(agreement, cp), _signature_given(full_name, role_title, consent))


def co_applicants_signed(ctx) -> Refusal | None:
    """countersign: every co-applicant of a joint partnership has signed."""
    agreement = agreement_of(ctx)
    if agreement is None:
        return None
    signed = co_signed_partner_ids(agreement)
    missing = [
        cp.partner.name for cp in co_applicants(ctx.commission) if cp.partner_id not in signed
    ]
    if not missing:
        return None
    names = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
    return Refusal(
        "co_applicants_sign_first",
        f"{names} must sign too: every partner of a joint partnership signs before the Hub "
        "Lead Organisation countersigns.",
        waits=True,
    )
