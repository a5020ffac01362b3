"""The gate of compliance: what a policy requires before an award or a
signature, and every write to a record. Each `*_refusal(...)` returns the
first Refusal or None; the services raise it and the pages ask the same
function what to offer.

`compliance_refusal(partner, at, stage, policy=...)` is the one answer to
"does this partner hold what the policy requires now?". Commissioning asks
it through its hooks (CompliancConfig.ready registers `award_compliance` for
the award, whichever route makes it: a direct award, a call's results, the
admin, the API, the demo loader; `signature_compliance` for the partner's
signature and the HLO's countersignature, the first agreement's or a
renewal's), so no route goes round it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format

from commissioning.joint import partners_of
from commissioning.rules import needs_input
from commissioning.rules.joint import co_applicants_of
from compliance.kinds import DBS_CHECK, kind_of, kinds_of
from compliance.models import ComplianceRecord
from compliance.requirements import AWARD, SIGNATURE, STAGE_WORDS, required_before
from hubs.refusals import Refusal

RULE = "compliance_required"


def _day(d: date) -> str:
    return date_format(d, "j F Y")


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


# ── who may do what ──────────────────────────────────────────────────────────


def is_staff_for(access: Any, partner: Any) -> bool:
    """HLO staff of the hub, or the service lead of the partner's area: who
    verifies a partner's records and reads certificate numbers."""
    if access.can("run_commissions"):
        return True
    return partner.service_area_id is not None and partner.service_area_id in access.area_ids


def sees_records(access: Any) -> bool:
    return access.is_internal or access.is_partner


# ── the gate for awards and signatures ───────────────────────────────────────


def _records_by_kind(partner_ids: list[int]) -> dict[tuple[int, str], list[ComplianceRecord]]:
    found: dict[tuple[int, str], list[ComplianceRecord]] = defaultdict(list)
    for r in ComplianceRecord.objects.filter(partner_id__in=partner_ids).order_by("-valid_from"):
        found[(r.partner_id, r.kind)].append(r)
    return found


def _lacking(partner: Any, kind: Any, records: list, at: date, stage: str) -> str | None:
    """Why the partner does not meet one requirement at `at`, or None."""
    when = STAGE_WORDS[stage]
    who, what = possessive(partner.name), kind.name[0].lower() + kind.name[1:]
    if any(r.in_force_on(at) for r in records):
        return None
    waiting = [r for r in records if not r.is_verified]
    if any(r.valid_from <= at and (r.lapses_on is None or r.lapses_on >= at) for r in waiting):
        return f"{who} {what} is waiting for HLO staff to verify it: it must be verified {when}."
    verified = [r for r in records if r.is_verified]
    lapsed = [r for r in verified if r.lapses_on is not None and r.lapses_on < at]
    if lapsed:
        last = max(lapsed, key=lambda r: r.lapses_on)
        verb = "was due for review on" if last.review_on == last.lapses_on else "expired on"
        return f"{who} {what} {verb} {_day(last.lapses_on)}: add a verified record {when}."
    later = [r for r in verified if r.valid_from > at]
    if later:
        start = min(r.valid_from for r in later)
        return f"{who} {what} starts on {_day(start)}: it must be in force {when}."
    if records:
        return f"{who} {what} is waiting for HLO staff to verify it: it must be verified {when}."
    return f"{partner.name} has no record of its {what}: add a verified record {when}."


def compliance_refusal(
    partners: Any, at: date, stage: str, *, policy: Any, field: str | None = "partner"
) -> Refusal | None:
    """The first requirement of `policy` that `partners` (one organisation, or
    every partner of a joint bid) does not meet on `at`, before `stage`
    ("award" or "signature"); None when they meet them all."""
    wanted = required_before(policy, stage)
    if not wanted:
        return None
    partners = [p for p in (partners if isinstance(partners, list | tuple) else [partners]) if p]
    records = _records_by_kind([p.pk for p in partners])
    kinds = kinds_of(policy.hub)
    for partner in partners:
        for requirement in wanted:
            kind = kinds.get(requirement.kind) or kind_of(policy.hub, requirement.kind)
            why = _lacking(partner, kind, records.get((partner.pk, kind.key), []), at, stage)
            if why is not None:
                return Refusal(RULE, why, field)
    return None


def bidders(partner: Any, proposal: Any) -> list[Any]:
    """The lead partner and, for a joint bid, every co-applicant."""
    found = [partner]
    if proposal is not None:
        found += [link.partner for link in co_applicants_of(proposal)]
    return list(dict.fromkeys(found))


@needs_input
def award_compliance(ctx: Any) -> Refusal | None:
    """award: the partner (every partner of a joint bid) holds the verified,
    in-date records the commission's policy requires before the award."""
    partner, proposal = ctx.params.get("partner"), ctx.params.get("proposal")
    if partner is None:
        return None
    field = "proposal" if proposal is not None else "partner"
    return compliance_refusal(
        bidders(partner, proposal), timezone.localdate(), AWARD, policy=ctx.policy, field=field
    )


def signature_compliance(ctx: Any) -> Refusal | None:
    """sign and countersign: the partner holds what the policy requires before
    the agreement is signed, on the day it is signed."""
    partner = ctx.commission.partner
    if partner is None:
        return None
    # A joint commission's every partner (the lead among them); else its one partner.
    joint = [row.partner for row in partners_of(ctx.commission)]
    partners = list(dict.fromkeys([partner, *joint]))
    return compliance_refusal(
        partners, timezone.localdate(), SIGNATURE, policy=ctx.policy, field=None
    )


def co_signature_compliance(agreement: Any, cp: Any) -> Refusal | None:
    """A co-applicant's own signature (agreements.joint_rules): its
    organisation holds what the policy requires before a signature, on the
    day it signs, as the lead's signature asks of the lead."""
    return compliance_refusal(
        cp.partner, timezone.localdate(), SIGNATURE, policy=agreement.commission.policy, field=None
    )


# ── records ──────────────────────────────────────────────────────────────────


def record_add_refusal(access: Any, partner: Any = None) -> Refusal | None:
    """Who may add a record for this partner: its own contacts, and staff."""
    if partner is None:
        if access.is_officer or access.is_partner:
            return None
    elif partner.hub_id == access.hub.pk and (
        partner.pk in access.partner_ids or is_staff_for(access, partner)
    ):
        return None
    return Refusal(
        "partner_or_staff_only",
        "Only the organisation's own contacts and HLO staff add its compliance records.",
        "partner",
    )


def record_checks(hub: Any, data: dict[str, Any], document: Any) -> list[Refusal]:
    """What a record of its kind must hold, each beside its field."""
    kind = kinds_of(hub).get(data.get("kind") or "")
    if kind is None:
        return [Refusal("unknown_kind", "Choose what this record is.", "kind")]
    found = []
    names = {
        "person_name": kind.label("person_name", "Name of the person"),
        "contact_email": "Contact email",
        "certificate_number": "Certificate number",
        "insurer": "Insurer",
        "cover_amount": "Cover",
    }
    for name in kind.fields:
        value = data.get(name)
        if name == "barred_list_checked" and not value:
            found.append(
                Refusal(
                    "barred_list_required",
                    "Only an enhanced check that includes the children's barred list counts: "
                    "confirm the certificate includes it.",
                    name,
                )
            )
        elif name in names and (value is None or str(value).strip() == ""):
            found.append(Refusal("field_required", f"Enter the {names[name].lower()}.", name))
    number = str(data.get("certificate_number") or "").replace(" ", "")
    if (
        "certificate_number" in kind.fields
        and number
        and not (number.isdigit() and len(number) == 12)
    ):
        found.append(
            Refusal(
                "certificate_number",
                "A DBS certificate number is 12 digits, printed at the top right of the "
                "certificate.",
                "certificate_number",
            )
        )
    cover = data.get("cover_amount")
    if "cover_amount" in kind.fields and cover is not None and cover <= 0:
        found.append(
            Refusal("cover_amount", "Enter the cover in pounds, more than £0.", "cover_amount")
        )
    found += _date_checks(kind, data)
    if kind.needs_document and document is None:
        found.append(
            Refusal("document_required", f"Attach the {kind.name.lower()} document.", "document")
        )
    return found


def _date_checks(kind: Any, data: dict[str, Any]) -> list[Refusal]:
    found = []
    start, ends = data.get("valid_from"), data.get("expires_on")
    review = data.get("review_on")
    if kind.expires and kind.key != DBS_CHECK and ends is None:
        found.append(
            Refusal(
                "expiry_required", f"Enter the date the {kind.name.lower()} expires.", "expires_on"
            )
        )
    if kind.reviewed and review is None:
        found.append(
            Refusal(
                "review_required", "Enter the date the policy is next reviewed by.", "review_on"
            )
        )
    for name, when in (("expires_on", ends), ("review_on", review)):
        if start is not None and when is not None and when <= start:
            found.append(Refusal("dates_in_order", f"This date must be after {_day(start)}.", name))
    return found


def record_verify_refusal(record: ComplianceRecord, access: Any) -> Refusal | None:
    if not is_staff_for(access, record.partner):
        return Refusal("staff_verify", "Only HLO staff verify compliance records.")
    if record.is_verified:
        return Refusal("already_verified", "This record has already been verified.")
    kind = kind_of(access.hub, record.kind)
    if kind.needs_document and not record.document:
        return Refusal(
            "document_required",
            f"A {kind.name.lower()} record is verified against its document; none is attached.",
        )
    return None
