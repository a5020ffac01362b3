"""The partner directory's demo: each hub's contact for queries and its
documents for applicants, Leicestershire's introductory meetings (recorded
in full for the partners that have met the HLO, and one asked for by a new
organisation), a note, and a former partner. Everything through the
directory's own services, so the rules hold as they do on the pages.
Each step is played on its own day (demo.clock): the documents soon after
the hub was set up, each meeting recorded on the day it was held, the
newcomer's request and the former partner in the last weeks. Idempotent: a
hub that has its documents already is left as it is."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from commissioning.uploads import check_upload
from demo import clock
from hubs.access import HubAccess, _read_standing
from hubs.documents import DocumentKind, HubDocument, hub_document_add
from partners import meetings
from partners.directory import services
from partners.directory.models import MeetingOutcome
from partners.models import PartnerOrganisation
from partners.rules import former_refusal, meeting_request_refusal

DOCUMENTS = [
    (DocumentKind.AGREEMENT, "Partnership agreement (blank)", "partnership-agreement.pdf"),
    (DocumentKind.QUALITY, "Quality standards for partners", "quality-standards.pdf"),
    (DocumentKind.SAFEGUARDING, "Safeguarding standards for partners", "safeguarding.pdf"),
    (DocumentKind.INCLUSION, "Inclusion strategy", "inclusion-strategy.pdf"),
]
# Who answers applicants' questions, per hub (its HLO's commissioning inbox).
ENQUIRIES = {
    "herts": ("Partnerships team, Hertfordshire Music Service", "partnerships@herts.demo"),
    "kent": ("Kent Music partnerships", "partnerships@kent.demo"),
    "blmk": ("BLMK Music Hub Executive Group", "hub@blmk.demo"),
    "leics": ("Service Manager, Leicestershire Music", "hub@leics.demo"),
    "consortium": ("County Music Service commissioning", "commissioning@consortium.demo"),
}
FORMER = {"herts": "The organisation closed its youth programme in the summer."}


def _pdf(title: str) -> bytes:
    """A small, real PDF naming the document (the upload check reads content)."""
    text = title.replace("(", "").replace(")", "")
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >> endobj\n"
        b"4 0 obj << /Length " + str(len(stream)).encode() + b" >> stream\n" + stream + b"\n"
        b"endstream endobj\n5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> "
        b"endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )


def _as(cast: Any, user: Any) -> HubAccess:
    return _read_standing(cast.hub, user)


def load(cast: Any) -> None:
    hub = cast.hub
    if HubDocument.objects.filter(hub=hub).exists():
        return
    name, email = ENQUIRIES.get(hub.slug, ("", ""))
    hub.enquiries_name, hub.enquiries_email = name, email
    hub.save(update_fields=["enquiries_name", "enquiries_email"])
    clock.set_day(clock.SET_UP_DAYS_AGO - 7)
    admin = _as(cast, cast.admin)
    for kind, title, filename in DOCUMENTS:
        upload = SimpleUploadedFile(filename, _pdf(title), content_type="application/pdf")
        hub_document_add(access=admin, kind=kind, title=title, checked=check_upload(upload))
    officer = _as(cast, cast.officer)
    if hub.slug == "leics":
        _leics_meetings(cast, officer)
    if hub.slug in FORMER:
        _former(cast, officer, FORMER[hub.slug])


def _leics_meetings(cast: Any, officer: HubAccess) -> None:
    """Each partner that has met the HLO has its meeting recorded in full; a
    new organisation (Soar Valley Sound) has asked for one."""
    met = PartnerOrganisation.objects.filter(hub=cast.hub, introductory_meeting_on__isnull=False)
    for partner in met.order_by("pk"):
        clock.set_day((clock.today() - partner.introductory_meeting_on).days, hour=15)
        meetings.meeting_record(
            access=officer,
            partner=partner,
            held_on=partner.introductory_meeting_on,
            attendees=f"{cast.officer.get_full_name()} (Leicestershire Music); "
            f"{_contact_name(cast, partner)} ({partner.name})",
            outcome=MeetingOutcome.SUCCESSFUL,
            partnership_type=partner.partnership_type,
            safeguarding_explained=True,
            quality_explained=True,
            notes="Agreed how the partnership supports the needs analysis; minimum standards "
            "for safeguarding and quality sent after the meeting.",
        )
    newcomer = cast.partners.get("newco")
    contact = newcomer and cast.contacts.get(newcomer.pk)
    if contact is not None:
        access = _as(cast, contact)
        clock.set_day(12)
        if meeting_request_refusal(access=access, partner=newcomer) is None:
            meetings.meeting_request(
                access=access,
                partner=newcomer,
                note="We run music technology clubs in Loughborough and would like to talk "
                "about becoming a partner. Weekday afternoons suit us.",
            )
        clock.set_day(10)
        services.partner_note_add(
            access=officer,
            partner=newcomer,
            text="Met their director at the county music education conference; keen to work "
            "with SEND settings. Arrange the introductory meeting "
            f"before {(clock.today() + timedelta(days=11)):%-d %B}.",
        )


def _contact_name(cast: Any, partner: PartnerOrganisation) -> str:
    contact = cast.contacts.get(partner.pk)
    return contact.get_full_name() if contact is not None else "their director"


def _former(cast: Any, officer: HubAccess, reason: str) -> None:
    """The first of the hub's partners with no live partnership becomes former."""
    clock.set_day(45)
    candidates = PartnerOrganisation.objects.filter(
        hub=cast.hub, is_hlo=False, former_on__isnull=True, commissions__isnull=True
    ).order_by("name")
    for partner in candidates:
        if former_refusal(access=officer, partner=partner, reason=reason) is None:
            services.partner_mark_former(access=officer, partner=partner, reason=reason)
            return
