"""Partnership types as a list on each policy version: a hub adds a third
type and its partners may take it; a type its current policy does not list
is refused in words (the admin form and the service); schedules may be per
type; a new version copies the list; the admin is the hub admin's own; the
migration that gives every policy today's two runs both ways in
tests/test_migrations_both_ways.py."""

from __future__ import annotations

import pytest
from django.forms import modelform_factory

from hubs.models import HubPolicy, Role
from hubs.refusals import Refused
from hubs.services import membership_grant, policy_revise
from partners.admin import PartnerForm
from partners.models import PartnerOrganisation, PolicyPartnershipType
from partners.services import partner_save
from partners.types import partnership_types_words, type_label, type_save, types_of
from tests.auth_helpers import sign_in
from tests.hubs.test_admin import admin_url, make_hub, make_policy, make_user

pytestmark = pytest.mark.django_db

ASSOCIATE = {"key": "associate", "name": "Associate partner", "position": 5}


def _partner(hub, kind: str) -> PartnerOrganisation:
    return PartnerOrganisation(
        hub=hub, name="Strings Together", organisation_type="charity", partnership_type=kind
    )


def test_a_third_type_is_accepted_and_an_unknown_one_refused_in_words():
    hub = make_hub("Avon")
    policy = make_policy(hub)
    with pytest.raises(Refused) as refused:
        partner_save(partner=_partner(hub, "associate"))
    assert refused.value.rule == "unknown_partnership_type"
    assert refused.value.field == "partnership_type"
    assert str(refused.value) == (
        "'associate' is not one of Avon's partnership types. Choose one its policy lists: "
        "Delivery partner, Strategic partner."
    )
    assert not PartnerOrganisation.objects.exists()

    type_save(PolicyPartnershipType(policy=policy, **ASSOCIATE))
    saved = partner_save(partner=_partner(hub, "associate"))
    assert saved.pk and type_label(policy, saved.partnership_type) == "Associate partner"
    assert [t.key for t in types_of(HubPolicy.objects.get(pk=policy.pk))] == [
        "delivery",
        "strategic",
        "associate",
    ], "added to the standard list, not instead of it"


def test_the_hubs_current_policy_decides_not_an_older_one():
    hub = make_hub("Avon")
    first = make_policy(hub)
    PolicyPartnershipType.objects.create(policy=first, **ASSOCIATE)
    second = policy_revise(policy=HubPolicy.objects.get(pk=first.pk))
    PolicyPartnershipType.objects.filter(policy=second, key="associate").delete()
    # A draft is not yet the policy: the version in force still decides.
    assert partner_save(partner=_partner(hub, "associate")).partnership_type == "associate"
    # Approved and in force (as hubs.policy_life would leave it), the second decides.
    HubPolicy.objects.filter(pk=second.pk).update(status="approved")
    with pytest.raises(Refused, match="not one of Avon's partnership types"):
        partner_save(partner=_partner(hub, "associate"))


def test_a_new_version_copies_the_list_and_words_say_it():
    first = make_policy(make_hub("Avon"))
    PolicyPartnershipType.objects.create(policy=first, description="Shares a venue.", **ASSOCIATE)
    second = policy_revise(policy=HubPolicy.objects.get(pk=first.pk))
    assert [t.key for t in types_of(second)] == ["associate"]
    assert partnership_types_words(second) == ["Associate partner: Shares a venue."]
    fresh = policy_revise(policy=HubPolicy(hub=make_hub("Cleve")))
    assert [t.key for t in PolicyPartnershipType.objects.filter(policy=fresh)] == [
        "delivery",
        "strategic",
    ], "a hub's first policy starts with the standard two"


# ── the admin ────────────────────────────────────────────────────────────────


@pytest.fixture
def avon():
    hub = make_hub("Avon")
    make_policy(hub)
    return hub


@pytest.fixture
def owner_client(client, django_user_model, avon):
    user = make_user(django_user_model, "olive", staff=True)
    membership_grant(hub=avon, user=user, role=Role.HUB_ADMIN)
    sign_in(client, user)
    return client


PARTNER = {
    "name": "Strings Together",
    "organisation_type": "charity",
    "reach": "local",
    "charity_number": "",
    "company_number": "",
    "org_id": "",
}


def test_the_admin_offers_the_hubs_types_and_refuses_one_it_does_not_list(owner_client, avon):
    policy = avon.policies.get()
    page = owner_client.get(admin_url(PartnerOrganisation, "add")).content.decode()
    assert '<option value="strategic">Strategic partner</option>' in page
    assert "associate" not in page
    data = PARTNER | {"hub": avon.pk, "partnership_type": "associate"}
    response = owner_client.post(admin_url(PartnerOrganisation, "add"), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert 'value="Strings Together"' in response.content.decode(), "what was typed stays"

    response = owner_client.post(
        admin_url(PolicyPartnershipType, "add"), {"policy": policy.pk, **ASSOCIATE}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    response = owner_client.post(admin_url(PartnerOrganisation, "add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert PartnerOrganisation.objects.get(hub=avon).partnership_type == "associate"
    assert [t.key for t in types_of(HubPolicy.objects.get(pk=policy.pk))] == [
        "delivery",
        "strategic",
        "associate",
    ]


def test_the_admin_form_asks_the_same_gate_for_a_type_the_list_no_longer_has(owner_client, avon):
    """Another hub's type can reach the choices of someone who configures
    both; the gate still refuses it beside the field, in words."""
    other = make_hub("Brent")
    brent_policy = make_policy(other)
    PolicyPartnershipType.objects.create(policy=brent_policy, **ASSOCIATE)
    policies = [avon.policies.get(), brent_policy]
    fields = ["hub", "name", "organisation_type", "partnership_type", "reach"]
    form_class = modelform_factory(PartnerOrganisation, form=PartnerForm, fields=fields)
    form = form_class(
        data=PARTNER | {"hub": avon.pk, "partnership_type": "associate"}, policies=policies
    )
    assert not form.is_valid()
    assert (
        "'associate' is not one of Avon's partnership types" in form.errors["partnership_type"][0]
    )


def test_another_hubs_types_are_not_there_and_a_used_key_stays(owner_client, avon):
    brent = make_policy(make_hub("Brent"))
    theirs = PolicyPartnershipType.objects.create(policy=brent, **ASSOCIATE)
    assert owner_client.get(admin_url(PolicyPartnershipType, "change", theirs.pk)).status_code in (
        302,
        404,
    )
    listing = owner_client.get(admin_url(PolicyPartnershipType, "changelist")).content.decode()
    assert "Associate partner" not in listing
    page = owner_client.get(admin_url(PolicyPartnershipType, "add")).content.decode()
    assert f'value="{brent.pk}"' not in page

    mine = PolicyPartnershipType.objects.create(policy=avon.policies.get(), **ASSOCIATE)
    PartnerOrganisation.objects.create(
        hub=avon, name="Strings Together", organisation_type="charity", partnership_type="associate"
    )
    page = owner_client.get(admin_url(PolicyPartnershipType, "change", mine.pk)).content.decode()
    assert 'name="key"' not in page, "partners use the key: it is shown, not edited"
    assert owner_client.get(admin_url(PolicyPartnershipType, "delete", mine.pk)).status_code == 403


# ── the migration, both ways ─────────────────────────────────────────────────
