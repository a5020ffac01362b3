"""An agreement's type of partnership is one of its commission's policy's
partnership types (a list on each policy version, partners/types.py), not
the two fixed in code: a hub's third type is offered, saved and named on the
agreement, in its versions and in the oversight partner mix; a type the
policy does not list is refused in words by the service and the admin."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from agreements import services as ag
from agreements.admin import AgreementTemplateForm
from agreements.drafting import SECTION_TITLES
from hubs.refusals import Refused
from oversight import dashboard
from partners.models import PolicyPartnershipType
from partners.types import type_save
from tests.agreements.test_views import _edit_body, agreement_of, walk
from tests.auth_helpers import sign_in

pytestmark = pytest.mark.django_db

ASSOCIATE = {"key": "associate", "name": "Associate partner", "position": 5}


@pytest.fixture
def drafted(build, pipeline):
    cast = build("herts")
    agreement = agreement_of(walk(pipeline, cast, "identify", "award"))
    type_save(PolicyPartnershipType(policy=agreement.commission.policy, **ASSOCIATE))
    return cast, agreement


def test_the_agreement_form_offers_the_policys_own_types(client, drafted):
    cast, agreement = drafted
    sign_in(client, cast.officer)
    url = reverse("agreements:edit", args=[cast.hub.slug, agreement.commission.reference, 1])

    form = client.get(url).context["form"]
    assert form.fields["partnership_type"].choices == [
        ("delivery", "Delivery partner"),
        ("strategic", "Strategic partner"),
        ("associate", "Associate partner"),
    ]

    response = client.post(url, _edit_body(agreement, partnership_type="associate"))
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.partnership_type == "associate"
    assert agreement.get_partnership_type_display() == "Associate partner"
    assert agreement.versions.order_by("-number").first().details["Type of partnership"] == (
        "Associate partner"
    )
    page = client.get(
        reverse("agreements:detail", args=[cast.hub.slug, agreement.commission.reference, 1])
    )
    assert "Associate partner" in page.content.decode()


def test_a_type_the_policy_does_not_list_is_refused_in_words(drafted):
    cast, agreement = drafted
    with pytest.raises(Refused) as refused:
        ag.agreement_save(
            agreement=agreement,
            user=cast.officer,
            bodies={},
            partnership_type="sponsor",
            starts_on=agreement.starts_on,
            ends_on=agreement.ends_on,
        )
    assert refused.value.rule == "unknown_partnership_type"
    assert refused.value.field == "partnership_type"
    assert str(refused.value) == (
        "'sponsor' is not one of this policy's partnership types. Choose one it lists: "
        "Delivery partner, Strategic partner, Associate partner."
    )
    agreement.refresh_from_db()
    assert agreement.partnership_type == "delivery"


def test_the_template_admin_refuses_a_type_the_hub_does_not_have(drafted):
    cast, _ = drafted
    sections = [{"key": k, "title": t, "body": "Text."} for k, t in SECTION_TITLES]
    form = AgreementTemplateForm(
        {"hub": cast.hub.pk, "partnership_type": "sponsor", "sections": json.dumps(sections)}
    )
    assert not form.is_valid()
    assert form.errors["partnership_type"][0].startswith("'sponsor' is not one of this policy's")
    form = AgreementTemplateForm(
        {"hub": cast.hub.pk, "partnership_type": "associate", "sections": json.dumps(sections)}
    )
    assert form.is_valid(), form.errors


def test_the_partner_mix_names_the_hubs_own_types(drafted):
    cast, agreement = drafted
    partner = agreement.commission.partner
    partner.partnership_type = "associate"
    partner.save(update_fields=["partnership_type"])

    mix = dashboard.partner_mix(cast.hub)

    assert ("Associate partner", 1) in mix.by_partnership
