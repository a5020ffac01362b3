"""Hub admins keep their hub's agreement templates; agreements are read-only
and scoped to the admin's own hub."""

from __future__ import annotations

import json

import pytest

from agreements.drafting import standard_sections
from agreements.models import Agreement, AgreementTemplate
from agreements.services import agreement_create
from tests.auth_helpers import sign_in

pytestmark = pytest.mark.django_db


def awarded(build, pipeline, slug):
    cast = build(slug)
    p = pipeline(cast)
    c = p._open(f"{slug} ensembles")
    p.identify(c)
    p.award(c)
    return cast, c


def test_a_hub_admin_sees_only_their_hubs_agreements(client, build, pipeline):
    herts, _ = awarded(build, pipeline, "herts")
    awarded(build, pipeline, "kent")
    herts.admin.is_staff = True
    herts.admin.save()
    sign_in(client, herts.admin)
    page = client.get("/admin/agreements/agreement/").content.decode()
    assert "HERTS-0001" in page and "KENT-0001" not in page


def test_a_template_must_keep_the_minimum_contents_and_is_used_for_drafts(client, build, pipeline):
    cast, c = awarded(build, pipeline, "leics")
    cast.admin.is_staff = True
    cast.admin.save()
    sign_in(client, cast.admin)
    sections = standard_sections("delivery")
    body = {"hub": cast.hub.pk, "partnership_type": "delivery"}
    short = client.post(
        "/admin/agreements/agreementtemplate/add/",
        body | {"sections": json.dumps(sections[:3])},
    )
    assert "add the sections: monitoring" in short.content.decode()
    sections[0]["body"] = "Leicestershire's own purpose for {partner}."
    response = client.post(
        "/admin/agreements/agreementtemplate/add/", body | {"sections": json.dumps(sections)}
    )
    assert response.status_code == 302
    assert AgreementTemplate.objects.filter(hub=cast.hub).count() == 1
    Agreement.objects.filter(commission=c).delete()
    drafted = agreement_create(commission=c, user=cast.officer, partnership_type="delivery")
    assert drafted.section("scope")["body"] == f"Leicestershire's own purpose for {c.partner}."
