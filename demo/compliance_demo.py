"""Compliance records for the demo's partners, each added and verified
through compliance.services on its own day (demo.clock), and
Leicestershire's policy requiring public liability insurance before an
award (its policy speaks of "the minimum standards required of a Partner").

Run before a hub's commissions are played, so the awards the story makes
are asked the rule and pass: every Leicestershire partner holds insurance
for the whole story, last year's cover and this year's renewal (one renewal
expires within 30 days, so the load's reminder sweep tells its people).
Wigston Inclusive Voices' cover has lapsed, so an award to it is refused.
Hertfordshire shows the rest: a partner's full set, cover expiring soon, a
record waiting for staff, and one expired. Idempotent: a hub with records
is left as it is.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from compliance import kinds as k
from compliance.models import ComplianceRecord, ComplianceRequirement
from compliance.requirements import requirement_save
from compliance.services import record_add, record_verify
from demo import clock, partners_demo

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
INSURERS = ["Hiscox", "Aviva", "Zurich Municipal", "Ecclesiastical", "Markel"]
COVER = Decimal(5_000_000)
# Days before the load: last year's cover, then this year's renewal.
LAST_YEAR, RENEWED = 600, 235
LAPSED = "wigstonvoices"  # its renewal was never sent in
EXPIRING = "leicjazz"  # this year's cover ends within 30 days of the load


def _document(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _add(cast: Any, partner: Any, kind: str, days_ago: int, *, verify: bool = True, **fields):
    """Added by the partner's contact (or staff) on its day, verified the next."""
    added = min(days_ago, clock.SET_UP_DAYS_AGO - 1)  # sent in once the hub was set up
    clock.set_day(added)
    user = fields.pop("by", None) or cast.officer
    today = clock.today()
    dates = {
        name: today + timedelta(days=value)
        for name, value in fields.items()
        if name in ("expires_on", "review_on")
    }
    fields = {name: value for name, value in fields.items() if name not in dates}
    record = record_add(
        partner=partner,
        user=user,
        kind=kind,
        valid_from=today - timedelta(days=days_ago),
        **dates,
        **fields,
    )
    if verify:
        clock.set_day(max(added - 1, 0))
        record_verify(record=record, user=cast.officer)
    return record


def _insurance(cast: Any, partner: Any, n: int, *, until: int) -> dict:
    return {
        "insurer": INSURERS[n % len(INSURERS)],
        "cover_amount": COVER,
        "document": _document(f"{partner.name[:40]} insurance schedule.pdf"),
        "expires_on": until,
    }


def leics(cast: Any) -> None:
    policy = cast.hub.policies.in_force().order_by("-version").first()
    if not ComplianceRequirement.objects.filter(policy=policy).exists():
        requirement_save(
            ComplianceRequirement(policy=policy, kind=k.PUBLIC_LIABILITY, before_award=True)
        )
    for n, (key, partner) in enumerate(sorted(cast.partners.items())):
        _add(
            cast,
            partner,
            k.PUBLIC_LIABILITY,
            LAST_YEAR,
            **_insurance(cast, partner, n, until=1 - RENEWED),  # a day's overlap
        )
        if key == LAPSED:
            continue
        until = 20 if key == EXPIRING else 130 + n
        _add(
            cast, partner, k.PUBLIC_LIABILITY, RENEWED, **_insurance(cast, partner, n, until=until)
        )


def herts(cast: Any) -> None:
    p = cast.partners
    full = p.get("soundwaves")
    if full is not None:
        _add(
            cast,
            full,
            k.SAFEGUARDING_POLICY,
            300,
            document=_document("Soundwaves safeguarding policy.pdf"),
            review_on=65,
        )
        _add(
            cast,
            full,
            k.SAFEGUARDING_LEAD,
            300,
            person_name="Priya Raman",
            contact_email="safeguarding@soundwaves.demo",
        )
        for days, name, number in (
            (250, "Priya Raman", "001234567890"),
            (90, "Sam Okoro", "001298765432"),
        ):
            _add(
                cast,
                full,
                k.DBS_CHECK,
                days,
                person_name=name,
                certificate_number=number,
                barred_list_checked=True,
                update_service=True,
            )
        _add(cast, full, k.PUBLIC_LIABILITY, 340, **_insurance(cast, full, 0, until=25))
    if "beats" in p:
        _add(
            cast, p["beats"], k.PUBLIC_LIABILITY, 200, **_insurance(cast, p["beats"], 1, until=165)
        )
    if "steelband" in p:  # expired, and not yet renewed
        _add(
            cast,
            p["steelband"],
            k.PUBLIC_LIABILITY,
            377,
            **_insurance(cast, p["steelband"], 2, until=-12),
        )
    if "tabla" in p:  # sent in by the partner, waiting for staff
        contact = cast.contacts.get(p["tabla"].pk)
        _add(
            cast,
            p["tabla"],
            k.SAFEGUARDING_POLICY,
            3,
            verify=False,
            by=contact,
            document=_document("Tabla & Tala safeguarding policy.pdf"),
            review_on=362,
        )


LOADERS = {"leics": leics, "herts": herts}


def load(cast: Any) -> None:
    loader = LOADERS.get(cast.hub.slug)
    if loader is None or ComplianceRecord.objects.filter(hub=cast.hub).exists():
        return
    partners_demo.load(cast)  # the story's partners too (idempotent)
    loader(cast)
    clock.set_day(clock.SET_UP_DAYS_AGO)
