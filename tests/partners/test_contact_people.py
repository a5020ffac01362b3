"""An organisation's further contact people: its own contact (a newcomer
that registered itself) or HLO staff add a name, an email address, a role
and a phone number; the address is checked, a bad entry is refused beside
its field with everything typed kept, and one person may be a contact of
several organisations. A contact sees and adds only its own organisations'."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from hubs.access import _read_standing
from hubs.models import Role
from hubs.refusals import Refused
from hubs.services import membership_grant
from partners.contacts import contact_person_add
from partners.directory import services
from partners.directory.models import ContactPerson
from tests.auth_helpers import sign_in
from tests.factories import HubFactory, HubPolicyFactory, PartnerFactory, UserFactory, newcomer

pytestmark = pytest.mark.django_db
PERSON = {
    "name": "Amara Mensah",
    "email": "Amara.Mensah@Example.org ",
    "role": "Finance officer",
    "phone": "01632 960 001",
}


@pytest.fixture
def world():
    hub = HubFactory(name="Avon Music Hub", slug="avon", hlo_name="Avon Music Service")
    HubPolicyFactory(hub=hub)
    mine = PartnerFactory(
        hub=hub,
        name="Bristol Beat Collective",
        is_existing_partner=False,
        registered_at=timezone.now(),
    )
    theirs = PartnerFactory(hub=hub, name="Severn Strings")
    contact = newcomer("nia@bristolbeat.example")
    membership_grant(hub=hub, user=contact, role=Role.PARTNER_CONTACT, partner=mine)
    membership_grant(hub=hub, user=UserFactory(), role=Role.PARTNER_CONTACT, partner=theirs)
    officer = UserFactory()
    membership_grant(hub=hub, user=officer, role=Role.HLO_STAFF)
    return hub, mine, theirs, contact, officer


def _client(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def _url(partner, name="directory:contact_person_add") -> str:
    return reverse(name, args=[partner.hub.slug, partner.pk])


def test_the_newcomers_contact_adds_a_contact_person_who_shows_on_its_page(world):
    hub, mine, _, contact, _ = world
    client = _client(contact)
    page = client.get(_url(mine, "directory:detail")).content.decode()
    assert "Add a contact person" in page
    response = client.post(_url(mine), PERSON)
    assert response.status_code == 302
    person = ContactPerson.objects.get(partner=mine)
    assert (person.email, person.added_by, person.hub) == ("amara.mensah@example.org", contact, hub)
    page = client.get(_url(mine, "directory:detail")).content.decode()
    assert "Amara Mensah, Finance officer" in page
    assert "amara.mensah@example.org</a>, 01632 960 001" in page


@pytest.mark.parametrize(
    ("typed", "field", "words"),
    [
        ({"email": "amara-at-example"}, "email", "'amara-at-example' is not an email address"),
        ({"email": ""}, "email", "Enter their email address."),
        ({"name": "  "}, "name", "Enter the person's name."),
        ({"phone": "call me"}, "phone", "'call me' is not a phone number"),
        ({"phone": "0163"}, "phone", "'0163' is not a phone number"),
    ],
)
def test_bad_input_is_refused_beside_its_field_with_everything_typed_kept(
    world, typed, field, words
):
    _, mine, _, contact, _ = world
    response = _client(contact).post(_url(mine), PERSON | typed)
    assert response.status_code == 400
    form = response.context["form"]
    assert any(words in e for e in form.errors[field])
    page = response.content.decode()
    assert "There is a problem" in page and words.replace("'", "&#x27;") in page
    for value in (PERSON | typed).values():
        if value.strip():
            assert f'value="{escape(value)}"' in page  # as typed, spaces and all
    assert not ContactPerson.objects.exists()


def test_one_address_is_one_contact_of_an_organisation_and_may_be_of_several(world):
    hub, mine, theirs, contact, officer = world
    contact_person_add(access=_read_standing(hub, contact), partner=mine, person=PERSON)
    again = _client(contact).post(_url(mine), PERSON | {"email": "amara.mensah@example.org"})
    assert again.status_code == 400
    assert (
        "amara.mensah@example.org is already a contact of Bristol Beat Collective."
        in (again.context["form"].errors["email"])
    )
    # The same person at another organisation of the hub, added by HLO staff,
    # and at an organisation of another hub: a contact of each.
    assert _client(officer).post(_url(theirs), PERSON).status_code == 302
    other_hub = HubFactory()
    elsewhere = PartnerFactory(hub=other_hub)
    their_officer = UserFactory()
    membership_grant(hub=other_hub, user=their_officer, role=Role.HLO_STAFF)
    contact_person_add(
        access=_read_standing(other_hub, their_officer), partner=elsewhere, person=PERSON
    )
    assert ContactPerson.objects.filter(email="amara.mensah@example.org").count() == 3


def test_someone_who_signs_in_for_it_already_is_refused(world):
    hub, mine, _, _, officer = world
    with pytest.raises(Refused) as caught:
        contact_person_add(
            access=_read_standing(hub, officer),
            partner=mine,
            person=PERSON | {"email": "NIA@bristolbeat.example"},
        )
    assert caught.value.rule == "contact_signs_in"
    assert caught.value.field == "email"


def test_a_contact_adds_only_to_its_own_organisations(world):
    hub, mine, theirs, contact, _ = world
    client = _client(contact)
    assert client.get(_url(theirs)).status_code == 404
    assert client.post(_url(theirs), PERSON).status_code == 404
    assert client.get(_url(theirs, "directory:detail")).status_code == 404
    with pytest.raises(Refused) as caught:
        contact_person_add(access=_read_standing(hub, contact), partner=theirs, person=PERSON)
    assert caught.value.rule == "partner_or_staff_only"
    board = UserFactory()
    membership_grant(hub=hub, user=board, role=Role.BOARD_MEMBER)
    assert _client(board).get(_url(mine)).status_code == 403
    assert not ContactPerson.objects.exists()


def test_a_merge_keeps_one_of_a_contact_person_both_records_have(world):
    hub, mine, theirs, _, officer = world
    staff = _read_standing(hub, officer)
    contact_person_add(access=staff, partner=mine, person=PERSON)
    contact_person_add(access=staff, partner=theirs, person=PERSON)
    contact_person_add(access=staff, partner=theirs, person=PERSON | {"email": "b@example.org"})
    services.partner_merge(access=staff, kept=mine, duplicate=theirs)
    assert sorted(mine.contact_people.values_list("email", flat=True)) == [
        "amara.mensah@example.org",
        "b@example.org",
    ]
