"""An organisation, or an individual practitioner, registers itself with a
hub: the profile's gate (identifiers in their formats and unique in the hub,
an address), every refusal beside its field with what was typed kept, the
person as its contact, and one person speaking for several organisations in
several hubs, seeing only their own."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils.html import escape

from hubs.models import Membership, Role
from hubs.refusals import Refused
from hubs.services import membership_grant
from notices.models import Notification
from partners.models import PartnerOrganisation
from partners.registration.rules import (
    organisation_registration_refusal,
    organisation_registration_refusals,
)
from partners.registration.services import organisation_register, organisations_of
from tests.access import ALL_200, assert_matrix, personas
from tests.auth_helpers import sign_in
from tests.factories import HubPolicyFactory, PartnerFactory, UserFactory, newcomer

pytestmark = pytest.mark.django_db

# Anyone may open it: the public are shown the ways in; anyone signed in, in
# this hub or another, registers an organisation with it.
ACCESS_MATRIX = {"partners:join": ("get", ALL_200)}
PROFILE = {
    "name": "Riverside Young Musicians",
    "organisation_type": "charity",
    "charity_number": "1187654",
    "address_line_1": "4 The Old Wharf",
    "town": "Riverside",
    "postcode": "rv1 4wq",
}


@pytest.fixture
def hub(db):
    return HubPolicyFactory(hub__name="Consortium Music Hub", hub__slug="consortium").hub


@pytest.fixture
def officer(hub):
    user = UserFactory(username="olu@example.org")
    membership_grant(hub=hub, user=user, role=Role.HLO_STAFF)
    return user


def join_url(hub, **query) -> str:
    from urllib.parse import urlencode

    return reverse("partners:join", args=[hub.slug]) + (f"?{urlencode(query)}" if query else "")


def post(client, hub, data, **query):
    return client.post(join_url(hub, **query), data)


# ── the service and its gate ─────────────────────────────────────────────────


def test_registering_makes_a_new_organisation_with_its_person_as_contact(hub, officer):
    nia = newcomer("nia@example.org")

    partner = organisation_register(hub=hub, user=nia, profile=PROFILE, contact_title="Director")

    assert partner.hub == hub and partner.registered_by == nia
    assert partner.is_newcomer and not partner.is_existing_partner
    assert partner.postcode == "RV1 4WQ"
    assert partner.partnership_type == "delivery"
    membership = Membership.objects.get(user=nia, hub=hub)
    assert (membership.role, membership.partner, membership.title) == (
        Role.PARTNER_CONTACT,
        partner,
        "Director",
    )
    told = Notification.objects.get(user=officer, kind="partner_registered")
    assert "Riverside Young Musicians" in told.subject


def test_an_unverified_account_may_not_register(hub):
    user = UserFactory(username="fresh@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    refusal = organisation_registration_refusal(hub=hub, user=user, profile=PROFILE)
    assert refusal.rule == "email_unverified"
    with pytest.raises(Refused):
        organisation_register(hub=hub, user=user, profile=PROFILE)
    assert not PartnerOrganisation.objects.filter(hub=hub).exists()


@pytest.mark.parametrize(
    "change,rule,field",
    [
        ({"charity_number": "12345"}, "charity_number_format", "charity_number"),
        ({"company_number": "ABC"}, "company_number_format", "company_number"),
        ({"school_urn": "12"}, "school_urn_format", "school_urn"),
        ({"organisation_type": "cic"}, "company_number_required", "company_number"),
        ({"organisation_type": "school"}, "school_urn_required", "school_urn"),
        ({"organisation_type": ""}, "type_required", "organisation_type"),
        ({"name": " "}, "name_required", "name"),
        ({"postcode": "ZZZ"}, "postcode_format", "postcode"),
        ({"address_line_1": ""}, "address_required", "address_line_1"),
    ],
)
def test_each_part_of_the_profile_is_checked(hub, change, rule, field):
    found = organisation_registration_refusals(
        hub=hub, user=newcomer("nia@example.org"), profile=PROFILE | change
    )
    assert (rule, field) in {(r.rule, r.field) for r in found}


def test_an_identifier_names_one_organisation_in_a_hub_but_may_recur_elsewhere(hub):
    PartnerFactory(hub=hub, name="Wharf Music Trust", charity_number="1187654")
    nia = newcomer("nia@example.org")

    found = organisation_registration_refusals(hub=hub, user=nia, profile=PROFILE)
    assert [(r.rule, r.field) for r in found] == [("charity_number_taken", "charity_number")]
    assert "Wharf Music Trust is already registered with Consortium Music Hub" in found[0].message

    other = HubPolicyFactory().hub
    assert organisation_register(hub=other, user=nia, profile=PROFILE).hub == other


def test_one_person_speaks_for_several_organisations_in_several_hubs(hub):
    nia = newcomer("nia@example.org")
    other = HubPolicyFactory(hub__name="Kent Music Hub").hub
    first = organisation_register(hub=hub, user=nia, profile=PROFILE)
    second = organisation_register(
        hub=hub,
        user=nia,
        profile=PROFILE
        | {"name": "Nia Okonkwo", "organisation_type": "individual", "charity_number": ""},
    )
    third = organisation_register(hub=other, user=nia, profile=PROFILE)

    assert set(organisations_of(nia, hub=hub)) == {first, second}
    assert set(organisations_of(nia)) == {first, second, third}


# ── the page ─────────────────────────────────────────────────────────────────


def test_the_public_are_shown_the_ways_in(client, hub):
    page = client.get(join_url(hub, next="/h/consortium/calls/3/"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Create an account" in body and "Sign in" in body
    assert reverse("accounts:register") in body


def test_registering_from_the_page_goes_on_to_the_call(client, hub):
    sign_in(client, newcomer("nia@example.org"))
    next_url = "/h/consortium/calls/3/"

    response = post(client, hub, PROFILE | {"contact_title": "Director"}, next=next_url)

    assert response.status_code == 302
    assert response["Location"] == next_url
    partner = PartnerOrganisation.objects.get(hub=hub)
    assert partner.charity_number == "1187654"


def test_a_duplicate_charity_number_and_a_bad_company_number_are_refused_beside_them(client, hub):
    PartnerFactory(hub=hub, name="Wharf Music Trust", charity_number="1187654")
    sign_in(client, newcomer("nia@example.org"))

    response = post(
        client, hub, PROFILE | {"company_number": "12AB", "website": "riverside.example"}
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_charity_number_error"' in body
    assert "Wharf Music Trust is already registered" in body
    assert 'id="id_company_number_error"' in body
    assert escape("'12AB' is not a company number") in body
    # nothing typed is lost
    for value in ("Riverside Young Musicians", "1187654", "12AB", "4 The Old Wharf", "Riverside"):
        assert f'value="{escape(value)}"' in body
    assert 'class="error-summary"' in body
    assert PartnerOrganisation.objects.filter(hub=hub).count() == 1


def test_a_school_registers_with_its_urn(client, hub):
    sign_in(client, newcomer("head@school.example.org"))
    page = client.get(join_url(hub, kind="school"))
    assert 'value="school" selected' in page.content.decode()

    refused = post(
        client,
        hub,
        PROFILE | {"organisation_type": "school", "charity_number": "", "school_urn": "1182"},
        kind="school",
    )
    assert refused.status_code == 400
    assert 'id="id_school_urn_error"' in refused.content.decode()

    done = post(
        client,
        hub,
        PROFILE | {"organisation_type": "school", "charity_number": "", "school_urn": "118234"},
        kind="school",
    )
    assert done.status_code == 302
    assert PartnerOrganisation.objects.get(hub=hub).school_urn == "118234"


def test_an_organisation_of_another_hub_starts_the_form_with_its_details(client, hub):
    nia = newcomer("nia@example.org")
    elsewhere = organisation_register(hub=HubPolicyFactory().hub, user=nia, profile=PROFILE)
    sign_in(client, nia)

    page = client.get(join_url(hub))
    assert f"from={elsewhere.pk}" in page.content.decode()
    copied = client.get(join_url(hub, **{"from": elsewhere.pk}))
    assert 'value="Riverside Young Musicians"' in copied.content.decode()

    stranger = organisation_register(
        hub=HubPolicyFactory().hub,
        user=newcomer("x@example.org"),
        profile=PROFILE | {"name": "Theirs"},
    )
    not_mine = client.get(join_url(hub, **{"from": stranger.pk}))
    assert 'value="Theirs"' not in not_mine.content.decode()


def test_an_unverified_account_is_told_to_confirm_its_address(client, hub):
    user = UserFactory(username="fresh@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    client.force_login(user)
    response = client.get(join_url(hub))
    assert response.status_code == 403
    assert "Confirm your email address first" in response.content.decode()


def test_a_newcomer_sees_only_its_own_organisations_data(client, build, pipeline):
    from tests.commissioning.calls.test_services import draft, publish, submit

    cast = build("consortium")
    call = publish(cast, pipeline)
    submit(draft(call, cast, "mtech"), cast)
    nia = newcomer("nia@example.org")
    partner = organisation_register(hub=cast.hub, user=nia, profile=PROFILE)
    sign_in(client, nia)
    slug = cast.hub.slug
    theirs = cast.partners["mtech"].proposals.get()

    assert client.get(reverse("calls:detail", args=[slug, call.pk])).status_code == 200
    assert client.get(reverse("calls:proposal", args=[slug, theirs.pk])).status_code == 404
    listing = client.get(reverse("commissioning:list", args=[slug]))
    assert listing.status_code == 200
    assert not listing.context["page"].object_list
    api_partners = client.get(reverse("calls:index", args=[slug]))
    assert api_partners.status_code == 200
    started = client.post(reverse("calls:eoi_start", args=[slug, call.pk]))
    assert started.status_code == 302
    assert partner.proposals.get().call == call


@pytest.fixture
def matrix_world(build, django_user_model):
    return personas(build("blmk"), build("herts"), django_user_model)


def test_access_matrix(matrix_world):
    method, expected = ACCESS_MATRIX["partners:join"]
    assert_matrix(matrix_world, "partners:join", ["blmk"], method, expected)
