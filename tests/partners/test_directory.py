"""The partner directory as HLO staff use it: search, filters by status,
type, kind, specialism and area, paginated, in a number of queries that does
not grow with the hub's partners; a partner's page with its contacts,
meetings, commissions, reports, compliance and notes, in a constant number
too. A partner contact sees only its own organisations, and none of the
notes; another hub's partner is a 404."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hubs.access import _read_standing
from hubs.models import Membership, Role
from partners.directory import services
from partners.directory.models import ContactPerson, PartnerNote
from partners.models import Specialism
from tests.auth_helpers import sign_in
from tests.factories import (
    IntroductoryMeetingFactory,
    PartnerFactory,
    PartnerNoteFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Every filter at once, and a search, on the second page.
FILTERED = {"q": "orchestra", "status": "new", "type": "delivery", "kind": "charity"}


def _names(response) -> list[str]:
    return [p.name for p, _, _ in response.context["rows"]]


def _officer(cast) -> Client:
    client = Client()
    sign_in(client, cast.officer)
    return client


def _queries(client: Client, url: str, data=None) -> int:
    client.get(url, data)  # the first request reads the person's standing
    with CaptureQueriesContext(connection) as counted:
        response = client.get(url, data)
    assert response.status_code == 200
    return len(counted)


def _more_partners(cast, n: int, start: int = 0) -> None:
    strings = Specialism.objects.get_or_create(name="Strings")[0]
    for i in range(start, start + n):
        partner = PartnerFactory(
            hub=cast.hub,
            name=f"Youth Orchestra {i:03d}",
            is_existing_partner=False,
            partnership_type="delivery",
        )
        partner.specialisms.add(strings)
        contact = UserFactory()
        Membership.objects.create(
            hub=cast.hub, user=contact, role=Role.PARTNER_CONTACT, partner=partner
        )


def test_staff_filter_the_directory_by_status(build):
    cast = build("leics")
    url = reverse("directory:index", args=["leics"])
    officer = _officer(cast)
    assert _names(officer.get(url, {"status": "met"})) == [
        "Bhangra Beats Leicester",
        "Leicester Jazz Futures",
    ]
    assert _names(officer.get(url, {"status": "new"})) == ["Soar Valley Sound Ltd"]
    official = _names(officer.get(url, {"status": "official"}))
    assert "Charnwood Community Choirs" in official and "Soar Valley Sound Ltd" not in official
    services.partner_mark_former(
        access=_read_standing(cast.hub, cast.officer),
        partner=cast.partners["bhangra"],
        reason="Stopped running sessions.",
    )
    assert _names(officer.get(url, {"status": "former"})) == ["Bhangra Beats Leicester"]
    assert "Bhangra Beats Leicester" not in _names(officer.get(url, {"status": "met"}))


def test_staff_search_and_filter_by_kind_specialism_and_type(build):
    cast = build("leics")
    url = reverse("directory:index", args=["leics"])
    officer = _officer(cast)
    assert _names(officer.get(url, {"q": "jazz"})) == ["Leicester Jazz Futures"]
    assert _names(officer.get(url, {"kind": "company"})) == ["Soar Valley Sound Ltd"]
    send = Specialism.objects.get(name="SEND")
    assert _names(officer.get(url, {"specialism": send.pk})) == ["Inclusive Music Leicester"]
    assert _names(officer.get(url, {"type": "strategic"})) == []


def test_a_value_that_is_not_a_choice_is_left_out_beside_its_field(build):
    cast = build("leics")
    response = _officer(cast).get(reverse("directory:index", args=["leics"]), {"type": "gold"})
    page = response.content.decode()
    assert "That is not one of the choices here, so this filter was left out." in page
    assert len(response.context["rows"]) == len(cast.partners)


def test_a_partner_contact_sees_only_its_own_organisation(build):
    cast = build("leics")
    mine, theirs = cast.partners["leicjazz"], cast.partners["charnwood"]
    PartnerNote.objects.create(hub=cast.hub, partner=mine, text="Chase their DBS renewals.")
    contact = Client()
    sign_in(contact, cast.contacts[mine.pk])
    listed = contact.get(reverse("directory:index", args=["leics"]))
    assert _names(listed) == ["Leicester Jazz Futures"]
    own = contact.get(reverse("directory:detail", args=["leics", mine.pk]))
    assert own.status_code == 200
    assert "Chase their DBS renewals." not in own.content.decode()
    assert reverse("directory:contact_add", args=["leics", mine.pk]) not in own.content.decode()
    # Its own further contact people it adds itself (tests/partners/test_contact_people.py).
    assert "Add a contact person" in own.content.decode()
    other = contact.get(reverse("directory:detail", args=["leics", theirs.pk]))
    assert other.status_code == 404


def test_another_hub_s_partner_is_a_404(build):
    leics, herts = build("leics"), build("herts")
    officer = _officer(herts)
    url = reverse("directory:detail", args=["herts", leics.partners["leicjazz"].pk])
    assert officer.get(url).status_code == 404
    url = reverse("directory:detail", args=["leics", leics.partners["leicjazz"].pk])
    assert officer.get(url).status_code == 404


def test_staff_see_the_notes_and_keep_one(build):
    cast = build("leics")
    partner = cast.partners["newco"]
    officer = _officer(cast)
    url = reverse("directory:note_add", args=["leics", partner.pk])
    refused = officer.post(url, {"text": "  "})
    assert refused.status_code == 400
    assert "Write the note." in refused.content.decode()
    officer.post(url, {"text": "Met at the conference."})
    page = officer.get(reverse("directory:detail", args=["leics", partner.pk])).content.decode()
    assert "Met at the conference." in page


def test_the_list_costs_the_same_for_3_or_33_partners(build):
    cast = build("leics")
    url = reverse("directory:index", args=["leics"])
    officer = _officer(cast)
    _more_partners(cast, 3)
    few = _queries(officer, url, FILTERED | {"page": 1})
    plain_few = _queries(officer, url)
    _more_partners(cast, 30, start=3)
    assert len(officer.get(url, FILTERED | {"page": 2}).context["rows"]) == 8
    assert _queries(officer, url, FILTERED | {"page": 2}) == few
    assert _queries(officer, url) == plain_few
    # The person's session and user, the session saved (3), and the page's own 7:
    # the policy, its types, the filters' choices, the count, a page of ids, its
    # rows and their specialisms.
    assert few == 12, few


def test_the_partner_page_costs_the_same_however_much_it_holds(build):
    cast = build("leics")
    partner = cast.partners["charnwood"]
    url = reverse("directory:detail", args=["leics", partner.pk])
    officer = _officer(cast)
    few = _queries(officer, url)
    for n in range(6):
        PartnerNoteFactory(partner=partner)
        ContactPerson.objects.create(
            hub=cast.hub, partner=partner, name=f"Person {n}", email=f"p{n}@example.org"
        )
        IntroductoryMeetingFactory(partner=partner, held_on=date(2025, 1, 6), outcome="follow_up")
        contact = UserFactory()
        Membership.objects.create(
            hub=cast.hub, user=contact, role=Role.PARTNER_CONTACT, partner=partner
        )
    assert _queries(officer, url) == few
    # The session and user, the session saved (3), and the page's own 16: the
    # partner, the policy, its types, specialisms, contacts, other contact
    # people, invitations, meetings, notes, merges, live partnerships, the
    # sections' commissions, expressions of interest and reports, and the
    # compliance section's two.
    assert few == 21, few
