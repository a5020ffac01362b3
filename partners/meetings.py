"""Introductory meetings (Leicestershire's policy: "any individual or
organisation wishing to become an official partner must participate in an
introductory meeting with representatives from the HLO").

An organisation's contact asks for one, or HLO staff propose one; staff
record it once held: the date, who attended, the partnership type agreed,
that the safeguarding and quality standards were explained, and the
outcome. A successful meeting sets the partner's `introductory_meeting_on`
(and its type), which is what the one rule for an award and an expression
of interest asks (commissioning.rules.finding.introductory_meeting): the
EOI page asks it up front, the submission is refused by it, and nothing
else writes that date.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from hubs.models import Membership, Role
from hubs.refusals import raise_first
from notices.services import notify
from partners.directory.models import IntroductoryMeeting, MeetingOrigin, MeetingOutcome
from partners.models import PartnerOrganisation
from partners.rules import (
    meeting_record_refusal,
    meeting_request_refusal,
    open_meeting,
    request_origin,
)
from partners.types import current_policy


def _locked(partner: PartnerOrganisation) -> PartnerOrganisation:
    return (
        PartnerOrganisation.objects.select_for_update(of=("self",))
        .select_related("hub")
        .get(pk=partner.pk)
    )


def _page(partner: PartnerOrganisation) -> str:
    return reverse("directory:detail", args=[partner.hub.slug, partner.pk])


@transaction.atomic
def meeting_request(
    *,
    access: Any,
    partner: PartnerOrganisation,
    note: str = "",
    proposed_for: date | None = None,
) -> IntroductoryMeeting:
    """Asked for by the organisation's contact (HLO staff are told), or
    proposed by staff (the organisation's contacts are told)."""
    locked = _locked(partner)
    raise_first(meeting_request_refusal(access=access, partner=locked))
    origin = request_origin(access, locked)
    meeting = IntroductoryMeeting.objects.create(
        hub=access.hub,
        partner=locked,
        origin=origin,
        asked_by=access.user,
        request_note=note.strip(),
        proposed_for=proposed_for,
    )
    hub = access.hub
    if origin == MeetingOrigin.REQUESTED:
        staff = Membership.objects.filter(hub=hub, role=Role.HLO_STAFF).select_related("user")
        notify(
            hub=hub,
            recipients={m.user for m in staff},
            kind="meeting_requested",
            subject=f"{locked} asks for an introductory meeting",
            body=note.strip(),
            url=_page(locked),
            dedupe_key=f"meeting_requested:{meeting.pk}",
        )
    else:
        when = f" on {date_format(proposed_for, 'j F Y')}" if proposed_for else ""
        notify(
            hub=hub,
            recipients=_contacts(locked),
            kind="meeting_proposed",
            subject=f"{hub.hlo_name} proposes an introductory meeting{when}",
            body=note.strip(),
            url=_page(locked),
            dedupe_key=f"meeting_proposed:{meeting.pk}",
        )
    return meeting


def _contacts(partner: PartnerOrganisation) -> set:
    rows = Membership.objects.filter(partner=partner, role=Role.PARTNER_CONTACT)
    return {m.user for m in rows.select_related("user")}


@transaction.atomic
def meeting_record(
    *,
    access: Any,
    partner: PartnerOrganisation,
    held_on: date | None,
    attendees: str,
    outcome: str,
    partnership_type: str = "",
    safeguarding_explained: bool = False,
    quality_explained: bool = False,
    notes: str = "",
) -> IntroductoryMeeting:
    """The meeting held: the one being arranged, or a new record of it."""
    locked = _locked(partner)
    policy = current_policy(locked.hub_id)
    facts = {
        "held_on": held_on,
        "attendees": attendees,
        "outcome": outcome,
        "partnership_type": partnership_type,
        "safeguarding_explained": safeguarding_explained,
        "quality_explained": quality_explained,
    }
    raise_first(meeting_record_refusal(access=access, partner=locked, policy=policy, **facts))
    meeting = open_meeting(locked) or IntroductoryMeeting(
        hub=access.hub, partner=locked, origin=MeetingOrigin.PROPOSED, asked_by=access.user
    )
    successful = outcome == MeetingOutcome.SUCCESSFUL
    meeting.held_on = held_on
    meeting.attendees = attendees.strip()
    meeting.outcome = outcome
    meeting.partnership_type_agreed = partnership_type if successful else ""
    meeting.safeguarding_explained = safeguarding_explained
    meeting.quality_explained = quality_explained
    meeting.outcome_notes = notes.strip()
    meeting.recorded_by, meeting.recorded_at = access.user, timezone.now()
    meeting.save()
    if successful:
        if locked.introductory_meeting_on is None or held_on < locked.introductory_meeting_on:
            locked.introductory_meeting_on = held_on
        locked.partnership_type = partnership_type or locked.partnership_type
        locked.save(update_fields=["introductory_meeting_on", "partnership_type"])
        notify(
            hub=access.hub,
            recipients=_contacts(locked),
            kind="meeting_recorded",
            subject=f"{locked}'s introductory meeting with {access.hub.hlo_name} is recorded",
            body=f"Held on {date_format(held_on, 'j F Y')}. You can now submit expressions "
            f"of interest to {access.hub.name}'s calls.",
            url=_page(locked),
            dedupe_key=f"meeting_recorded:{meeting.pk}",
        )
    partner.refresh_from_db()
    return meeting
