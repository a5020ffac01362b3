"""Charity numbers, company numbers and school URNs in their regulators' formats."""

from __future__ import annotations

import pytest

from partners.identifiers import (
    charity_number_refusal,
    company_number_refusal,
    normalise_charity_number,
    normalise_company_number,
    school_urn_refusal,
)


@pytest.mark.parametrize(
    "number",
    [
        "1123456",
        "123456",
        "12345678",
        "1123456-1",
        "1123456-12",
        " 1123 456 ",
        "SC012345",
        "sc012345",
        "NIC100123",
        "NIC10012",
        "",
    ],
)
def test_charity_numbers_of_the_three_regulators_pass(number):
    assert charity_number_refusal(number) is None


@pytest.mark.parametrize(
    "number",
    ["12345", "123456789", "1123456-123", "SC12345", "SC0123456", "NI100123", "CC123456", "abc"],
)
def test_other_charity_numbers_are_refused_in_words(number):
    refusal = charity_number_refusal(number)
    assert refusal.rule == "charity_number_format"
    assert refusal.field == "charity_number"
    assert "6 to 8 digits in England and Wales" in refusal.message


def test_charity_numbers_are_kept_in_capitals_without_spaces():
    assert normalise_charity_number(" sc 012 345 ") == "SC012345"


@pytest.mark.parametrize(
    "number", ["01234567", "12345678", "SC123456", "oc123456", "NI 012345", "1234567", ""]
)
def test_company_numbers_pass(number):
    assert company_number_refusal(number) is None


@pytest.mark.parametrize(
    "number", ["1234", "123456789", "S1234567", "SCO12345", "ABC12345", "12-34-56"]
)
def test_other_company_numbers_are_refused_in_words(number):
    refusal = company_number_refusal(number)
    assert refusal.rule == "company_number_format"
    assert "8 characters" in refusal.message


def test_a_company_number_typed_without_its_leading_zeros_is_padded():
    assert normalise_company_number("1234567") == "01234567"
    assert normalise_company_number("sc 123456") == "SC123456"


@pytest.mark.parametrize(
    "urn,ok",
    [
        ("118234", True),
        (" 118234 ", True),
        ("11823", False),
        ("1182345", False),
        ("URN118", False),
        ("", True),
    ],
)
def test_school_urns_are_six_digits(urn, ok):
    refusal = school_urn_refusal(urn)
    assert (refusal is None) is ok
    if not ok:
        assert refusal.rule == "school_urn_format"


@pytest.mark.django_db
def test_every_route_that_saves_a_partner_asks_the_formats():
    from hubs.refusals import Refused
    from partners.models import PartnerOrganisation
    from partners.services import partner_save
    from tests.factories import HubPolicyFactory

    hub = HubPolicyFactory().hub
    partner = PartnerOrganisation(
        hub=hub,
        name="Wharf Music",
        organisation_type="charity",
        charity_number="12",
        school_urn="x",
    )
    with pytest.raises(Refused) as refused:
        partner_save(partner=partner)
    assert {(r.rule, r.field) for r in refused.value.refusals} == {
        ("charity_number_format", "charity_number"),
        ("school_urn_format", "school_urn"),
    }
    assert not PartnerOrganisation.objects.exists()
    partner.charity_number, partner.school_urn = "1123456", ""
    assert partner_save(partner=partner).pk


@pytest.mark.django_db
def test_the_admin_refuses_a_bad_number_beside_its_field_keeping_what_was_typed(
    client, django_user_model
):
    from hubs.models import Role
    from hubs.services import membership_grant
    from partners.models import PartnerOrganisation
    from tests.auth_helpers import sign_in
    from tests.hubs.test_admin import admin_url, make_hub, make_policy, make_user
    from tests.partners.test_types import PARTNER

    avon = make_hub("Avon")
    make_policy(avon)
    owner = make_user(django_user_model, "olive", staff=True)
    membership_grant(hub=avon, user=owner, role=Role.HUB_ADMIN)
    sign_in(client, owner)
    data = PARTNER | {"hub": avon.pk, "partnership_type": "delivery", "company_number": "ABC"}

    response = client.post(admin_url(PartnerOrganisation, "add"), data)

    assert response.status_code == 200
    body = response.content.decode()
    assert "is not a company number" in body
    assert 'value="ABC"' in body
    assert not PartnerOrganisation.objects.exists()
