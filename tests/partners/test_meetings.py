"""Introductory meetings (Leicestershire): the expression of interest says at
its start that one comes first, with the same rule its submission is refused
by; the organisation's contact asks for one and HLO staff are told; staff
record it held, in full; then the expression of interest goes in. Refusals
come in words, beside their fields, with what was typed kept."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hubs.access import _read_standing
from hubs.refusals import Refused
from notices.models import Notification
from partners import meetings
from partners.directory.models import IntroductoryMeeting, MeetingOrigin
from tests.auth_helpers import sign_in
from tests.commissioning.calls.test_services import draft, publish, refusals_of, submit

pytestmark = pytest.mark.django_db

NOTICE = "An introductory meeting comes first"


def _as(cast, user):
    return _read_standing(cast.hub, user)


def _held(cast, partner, **overrides):
    facts = {
        "held_on": timezone.localdate() - timedelta(days=2),
        "attendees": "Olivia Officer (Leicestershire Music); their director",
        "outcome": "successful",
        "partnership_type": "delivery",
        "safeguarding_explained": True,
        "quality_explained": True,
    }
    return meetings.meeting_record(
        access=_as(cast, cast.officer), partner=partner, **(facts | overrides)
    )


@pytest.fixture
def leics(build, pipeline):
    cast = build("leics")
    return cast, publish(cast, pipeline), cast.partners["newco"]


def test_the_eoi_says_at_its_start_that_a_meeting_comes_first(leics):
    cast, call, newco = leics
    contact = Client()
    sign_in(contact, cast.contacts[newco.pk])
    response = contact.post(reverse("calls:eoi_start", args=["leics", call.pk]))
    page = contact.get(response["Location"]).content.decode()
    assert NOTICE in page
    assert "none is recorded for Soar Valley Sound Ltd" in page
    asking = reverse("directory:meeting_request", args=["leics", newco.pk])
    assert f'href="{asking}?next=' in page


def test_an_organisation_with_its_meeting_is_not_told(leics, pipeline):
    cast, call, _ = leics
    contact = Client()
    sign_in(contact, cast.contacts[cast.partners["leicjazz"].pk])
    response = contact.post(reverse("calls:eoi_start", args=["leics", call.pk]))
    assert NOTICE not in contact.get(response["Location"]).content.decode()


def test_the_contact_asks_for_a_meeting_and_staff_are_told(leics):
    cast, call, newco = leics
    proposal = draft(call, cast, "newco")
    contact = Client()
    sign_in(contact, cast.contacts[newco.pk])
    eoi = reverse("calls:eoi_edit", args=["leics", proposal.pk])
    url = reverse("directory:meeting_request", args=["leics", newco.pk])
    response = contact.post(url, {"note": "Weekday afternoons suit us.", "next": eoi})
    assert response.status_code == 302 and response["Location"] == eoi

    meeting = IntroductoryMeeting.objects.get(partner=newco)
    assert (meeting.origin, meeting.request_note) == (
        MeetingOrigin.REQUESTED,
        "Weekday afternoons suit us.",
    )
    told = Notification.objects.get(user=cast.officer, kind="meeting_requested")
    assert told.subject == "Soar Valley Sound Ltd asks for an introductory meeting"
    assert "You asked for one on" in contact.get(eoi).content.decode()
    again = contact.post(url, {"note": "Again"})
    assert again.status_code == 400
    assert "already being arranged" in again.content.decode()


def test_a_request_elsewhere_goes_nowhere_but_this_site(leics):
    cast, _, newco = leics
    contact = Client()
    sign_in(contact, cast.contacts[newco.pk])
    url = reverse("directory:meeting_request", args=["leics", newco.pk])
    response = contact.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == reverse("directory:detail", args=["leics", newco.pk])


def test_recording_the_meeting_lets_the_expression_of_interest_through(leics):
    cast, call, newco = leics
    proposal = draft(call, cast, "newco")
    assert "introductory_meeting_required" in refusals_of(lambda: submit(proposal, cast))

    held_on = timezone.localdate() - timedelta(days=2)
    meeting = _held(cast, newco, partnership_type="strategic", notes="Keen on SEND work.")
    newco.refresh_from_db()
    assert newco.introductory_meeting_on == held_on
    assert newco.partnership_type == "strategic"
    assert (meeting.recorded_by, meeting.outcome_notes) == (cast.officer, "Keen on SEND work.")
    assert submit(proposal, cast).status == "submitted"
    told = Notification.objects.get(user=cast.contacts[newco.pk], kind="meeting_recorded")
    assert "introductory meeting" in told.subject


def test_the_open_request_is_the_meeting_recorded(leics):
    cast, _, newco = leics
    asked = meetings.meeting_request(access=_as(cast, cast.contacts[newco.pk]), partner=newco)
    assert _held(cast, newco).pk == asked.pk
    assert IntroductoryMeeting.objects.filter(partner=newco).count() == 1


def test_a_meeting_that_did_not_succeed_does_not_count(leics):
    cast, call, newco = leics
    _held(cast, newco, outcome="not_proceeding", partnership_type="")
    newco.refresh_from_db()
    assert newco.introductory_meeting_on is None
    proposal = draft(call, cast, "newco")
    assert "introductory_meeting_required" in refusals_of(lambda: submit(proposal, cast))


@pytest.mark.parametrize(
    ("overrides", "rule", "field"),
    [
        ({"held_on": None}, "held_on_required", "held_on"),
        ({"held_on": date.today() + timedelta(days=3)}, "held_on_future", "held_on"),
        ({"attendees": " "}, "attendees_required", "attendees"),
        ({"outcome": ""}, "outcome_required", "outcome"),
        ({"partnership_type": "gold"}, "partnership_type_required", "partnership_type"),
        ({"safeguarding_explained": False}, "safeguarding_not_explained", "safeguarding_explained"),
        ({"quality_explained": False}, "quality_not_explained", "quality_explained"),
    ],
)
def test_a_meeting_is_recorded_in_full(leics, overrides, rule, field):
    cast, _, newco = leics
    with pytest.raises(Refused) as refused:
        _held(cast, newco, **overrides)
    assert (refused.value.rule, refused.value.field) == (rule, field)
    assert not IntroductoryMeeting.objects.filter(partner=newco).exists()


def test_only_staff_record_a_meeting(leics):
    cast, _, newco = leics
    with pytest.raises(Refused) as refused:
        meetings.meeting_record(
            access=_as(cast, cast.contacts[newco.pk]),
            partner=newco,
            held_on=timezone.localdate(),
            attendees="Us",
            outcome="successful",
        )
    assert refused.value.rule == "officer_only"


def test_a_refused_record_keeps_what_was_typed_beside_its_field(leics):
    cast, _, newco = leics
    officer = Client()
    sign_in(officer, cast.officer)
    url = reverse("directory:meeting_record", args=["leics", newco.pk])
    response = officer.post(
        url,
        {
            "held_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "attendees": "Ravi Shah, director",
            "outcome": "successful",
            "partnership_type": "delivery",
            "quality_explained": "on",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert 'href="#id_safeguarding_explained"' in page
    assert "Ravi Shah, director" in page
    newco.refresh_from_db()
    assert newco.introductory_meeting_on is None


def test_staff_propose_a_meeting_and_the_contacts_are_told(leics):
    cast, _, newco = leics
    on = timezone.localdate() + timedelta(days=10)
    meetings.meeting_request(access=_as(cast, cast.officer), partner=newco, proposed_for=on)
    told = Notification.objects.get(user=cast.contacts[newco.pk], kind="meeting_proposed")
    assert told.subject.startswith("Leicestershire Music proposes an introductory meeting on")
