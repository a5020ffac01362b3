"""The rules of a hub's partner directory: one `*_refusal` for each write,
returning the words of the first refusal or None. The services in
partners/directory/services.py and partners/meetings.py raise them; the pages
ask the same functions to decide what they offer.

Who: HLO staff (and service leads) keep the directory; a partner contact
asks for an introductory meeting for its own organisation, and adds its
further contact people (as staff may). How an
organisation becomes an official Hub partner is its hub's policy's
(`HubPolicy.official_partner_when`).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format

from accounts.registration.rules import address_refusal
from hubs.models import Membership, OfficialPartnerWhen, Role
from hubs.refusals import Refusal, first
from partners import hooks
from partners.directory.merging import clashes
from partners.directory.models import IntroductoryMeeting, MeetingOrigin, MeetingOutcome
from partners.models import PartnerOrganisation
from partners.types import partner_type_refusal, type_choices


def _day(on: date) -> str:
    return date_format(on, "j F Y")


def staff_refusal(access: Any) -> Refusal | None:
    if access.is_officer:
        return None
    return Refusal(
        "officer_only", f"Only {access.hub.hlo_name}'s staff keep {access.hub.name}'s partners."
    )


def _in_hub(access: Any, partner: PartnerOrganisation) -> Refusal | None:
    if partner.hub_id != access.hub.pk:
        return Refusal("partner_required", "Choose a partner organisation of this hub.", "partner")
    return None


# ── adding a partner ─────────────────────────────────────────────────────────


def partner_add_refusal(*, access: Any, partner: PartnerOrganisation) -> Refusal | None:
    if refusal := staff_refusal(access):
        return refusal
    name = partner.name.strip()
    if not name:
        return Refusal("name_required", "Enter the organisation's name.", "name")
    same = PartnerOrganisation.objects.filter(hub=access.hub, name__iexact=name)
    if same.exclude(pk=partner.pk).exists():
        return Refusal(
            "partner_exists",
            f"{access.hub.name} already has a partner called {name}: find it in the "
            "directory (or, if this is a second record of it, merge the two there).",
            "name",
        )
    refusal = partner_type_refusal(partner=partner)
    return refusal.at("partnership_type") if refusal else None


# ── official Hub partner, and former ─────────────────────────────────────────


def official_refusal(*, access: Any, partner: PartnerOrganisation, policy: Any) -> Refusal | None:
    """Whether staff may mark `partner` an official Hub partner now: the way
    `policy` says an organisation becomes one."""
    if refusal := first(staff_refusal(access), _in_hub(access, partner)):
        return refusal
    if partner.is_existing_partner:
        return Refusal("already_official", f"{partner} is already an official Hub partner.")
    hub = access.hub.name
    when = (
        policy.official_partner_when if policy is not None else OfficialPartnerWhen.OFFICER_DECIDES
    )
    if when == OfficialPartnerWhen.AFTER_MEETING and partner.introductory_meeting_on is None:
        return Refusal(
            "official_after_meeting",
            f"{hub}'s policy makes an organisation an official Hub partner after a successful "
            f"introductory meeting with the HLO; none is recorded for {partner}. Record the "
            "meeting first.",
        )
    if when == OfficialPartnerWhen.AFTER_PARTNERSHIP and not hooks.completed_partnerships(partner):
        return Refusal(
            "official_after_partnership",
            f"{hub}'s policy makes an organisation an official Hub partner after its first "
            f"completed partnership; {partner} has not completed one yet.",
        )
    return None


def former_refusal(*, access: Any, partner: PartnerOrganisation, reason: str) -> Refusal | None:
    if refusal := first(staff_refusal(access), _in_hub(access, partner)):
        return refusal
    if partner.former_on is not None:
        return Refusal(
            "already_former",
            f"{partner} has been a former partner since {_day(partner.former_on)}.",
        )
    if partner.is_hlo:
        return Refusal("hlo_not_former", f"{partner} is the Hub Lead Organisation itself.")
    live = hooks.commitments(partner)
    if live:
        return Refusal(
            "live_partnership",
            f"{partner} still has a live partnership ({', '.join(live)}); a partner becomes "
            "former once its partnerships have ended.",
        )
    if not (reason or "").strip():
        return Refusal("reason_required", "Say why the hub no longer works with it.", "reason")
    return None


# ── notes ────────────────────────────────────────────────────────────────────


def note_refusal(*, access: Any, partner: PartnerOrganisation, text: str) -> Refusal | None:
    if refusal := first(staff_refusal(access), _in_hub(access, partner)):
        return refusal
    if not (text or "").strip():
        return Refusal("note_required", "Write the note.", "text")
    return None


# ── merging a duplicate ──────────────────────────────────────────────────────


def merge_refusal(
    *, access: Any, kept: PartnerOrganisation, duplicate: PartnerOrganisation | None
) -> Refusal | None:
    """Whether `duplicate` may be folded into `kept`: both this hub's, two
    records, and nothing of the duplicate's that would clash with the kept
    record's own (two expressions of interest for one commission)."""
    if refusal := first(staff_refusal(access), _in_hub(access, kept)):
        return refusal
    if duplicate is None:
        return Refusal("duplicate_required", "Choose the duplicate record.", "duplicate")
    if duplicate.hub_id != kept.hub_id:
        return Refusal(
            "merge_across_hubs",
            "Those records belong to two hubs; only a hub's own records of one organisation "
            "can be merged.",
            "duplicate",
        )
    if duplicate.pk == kept.pk:
        return Refusal("merge_itself", "Choose a record other than the one kept.", "duplicate")
    if duplicate.is_hlo and not kept.is_hlo:
        return Refusal(
            "merge_hlo",
            f"{duplicate} is the Hub Lead Organisation's record: keep it, and merge the other "
            "into it.",
            "duplicate",
        )
    clash = clashes(kept, duplicate)
    if clash:
        return Refusal(
            "merge_clash",
            f"{duplicate} and {kept} both have {clash}, which one organisation cannot have "
            "twice; resolve that first (for example, withdraw one).",
            "duplicate",
        )
    return None


# ── introductory meetings ────────────────────────────────────────────────────


def open_meeting(partner: PartnerOrganisation) -> IntroductoryMeeting | None:
    return partner.introductory_meetings.filter(held_on__isnull=True).order_by("-asked_at").first()


def meeting_request_refusal(*, access: Any, partner: PartnerOrganisation) -> Refusal | None:
    """A partner contact asks for a meeting for its own organisation; staff
    propose one to any of the hub's."""
    if refusal := _in_hub(access, partner):
        return refusal
    if not (access.is_officer or partner.pk in access.partner_ids):
        return Refusal(
            "partner_only",
            f"Only {partner}'s contacts or {access.hub.hlo_name}'s staff arrange its "
            "introductory meeting.",
        )
    if partner.introductory_meeting_on is not None:
        return Refusal(
            "meeting_held",
            f"{partner} had its introductory meeting on {_day(partner.introductory_meeting_on)}.",
        )
    waiting = open_meeting(partner)
    if waiting is not None:
        asked = date_format(timezone.localtime(waiting.asked_at), "j F Y")
        return Refusal(
            "meeting_being_arranged",
            f"An introductory meeting for {partner} is already being arranged (asked for on "
            f"{asked}); {access.hub.hlo_name} will be in touch.",
        )
    return None


def request_origin(access: Any, partner: PartnerOrganisation) -> str:
    return MeetingOrigin.PROPOSED if access.is_officer else MeetingOrigin.REQUESTED


def meeting_record_refusal(
    *,
    access: Any,
    partner: PartnerOrganisation,
    policy: Any,
    held_on: date | None,
    attendees: str,
    outcome: str,
    partnership_type: str = "",
    safeguarding_explained: bool = False,
    quality_explained: bool = False,
) -> Refusal | None:
    """Recording a meeting as held: staff only; when, who came and how it
    ended; a successful one agrees a partnership type of the hub's policy
    and has had the safeguarding and quality standards explained."""
    if refusal := first(staff_refusal(access), _in_hub(access, partner)):
        return refusal
    if held_on is None:
        return Refusal("held_on_required", "Enter the date the meeting was held.", "held_on")
    if held_on > timezone.localdate():
        return Refusal(
            "held_on_future",
            "A meeting is recorded once it has been held: the date is in the future.",
            "held_on",
        )
    if not (attendees or "").strip():
        return Refusal("attendees_required", "Say who attended, from both sides.", "attendees")
    if outcome not in MeetingOutcome.values:
        return Refusal("outcome_required", "Choose the meeting's outcome.", "outcome")
    if outcome != MeetingOutcome.SUCCESSFUL:
        return None
    keys = dict(type_choices(policy)) if policy is not None else {}
    if keys and partnership_type not in keys:
        return Refusal(
            "partnership_type_required",
            f"Choose the partnership type agreed: one of {', '.join(keys.values())}.",
            "partnership_type",
        )
    if not safeguarding_explained:
        return Refusal(
            "safeguarding_not_explained",
            "A successful meeting explains the Hub's minimum safeguarding standards: tick it "
            "once they were explained.",
            "safeguarding_explained",
        )
    if not quality_explained:
        return Refusal(
            "quality_not_explained",
            "A successful meeting explains the Hub's quality standards: tick it once they "
            "were explained.",
            "quality_explained",
        )
    return None


# ── contact people ───────────────────────────────────────────────────────────

PHONE = re.compile(r"\+?[\d\s()-]+")


def _speaks_or_keeps(access: Any, partner: PartnerOrganisation) -> Refusal | None:
    if access.is_officer or partner.pk in access.partner_ids:
        return None
    return Refusal(
        "partner_or_staff_only",
        f"Only {partner}'s own contacts or {access.hub.hlo_name}'s staff add its contact people.",
    )


def _email_refusal(partner: PartnerOrganisation, email: str) -> Refusal | None:
    refusal = address_refusal(email, "Enter their email address.")
    if refusal is not None:
        return refusal
    if partner.contact_people.filter(email=email).exists():
        return Refusal("contact_exists", f"{email} is already a contact of {partner}.", "email")
    signs_in = Membership.objects.filter(
        partner=partner, role=Role.PARTNER_CONTACT, user__email__iexact=email
    )
    if signs_in.exists():
        return Refusal(
            "contact_signs_in", f"{email} already signs in as a contact of {partner}.", "email"
        )
    return None


def contact_person_refusals(
    *, access: Any, partner: PartnerOrganisation, person: dict[str, str] | None = None
) -> list[Refusal]:
    """Adding a contact person to an organisation: by its own contact or HLO
    staff, with a name and an email address not already its contact's, and a
    phone number if given. Without `person`, whether to offer the form."""
    refusal = first(_in_hub(access, partner), _speaks_or_keeps(access, partner))
    if refusal is not None or person is None:
        return [refusal] if refusal else []
    p = normalise_person(person)
    found = []
    if not p["name"]:
        found.append(Refusal("name_required", "Enter the person's name.", "name"))
    if (email := _email_refusal(partner, p["email"])) is not None:
        found.append(email)
    digits = sum(ch.isdigit() for ch in p["phone"])
    if p["phone"] and not (PHONE.fullmatch(p["phone"]) and 10 <= digits <= 13):
        found.append(
            Refusal(
                "phone_format",
                f"'{p['phone']}' is not a phone number. Enter it like 01632 960 001 or "
                "+44 7700 900 123.",
                "phone",
            )
        )
    return found


def normalise_person(person: dict[str, Any]) -> dict[str, str]:
    """A contact person as kept: trimmed, the address in lower case."""
    from accounts.invitations.rules import normalise_email

    clean = {k: str(person.get(k) or "").strip() for k in ("name", "email", "role", "phone")}
    clean["email"] = normalise_email(clean["email"])
    clean["phone"] = " ".join(clean["phone"].split())
    return clean
