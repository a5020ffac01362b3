"""The API lists a joint partnership's partners as the pages do: the
co-applicant's token reads the commission with every partner and its share,
the register names the co-applicants, and another partner's token gets 404."""

from __future__ import annotations

import pytest

from api.services import token_issue
from tests.agreements.test_joint_signing import issued
from tests.api.conftest import TokenClient, url

pytestmark = pytest.mark.django_db


def _client(cast, user) -> TokenClient:
    return TokenClient(token_issue(hub=cast.hub, user=user, name="Tests", by=cast.admin)[1])


def test_the_api_lists_every_partner_and_only_to_those_who_see_it(build, pipeline):
    cast = build("consortium")
    reference = issued(cast, pipeline).commission.reference
    co = _client(cast, cast.contacts[cast.partners["earlyyears"].pk])
    answer = co.get(url("commission", cast.hub.slug, reference))
    assert answer.status_code == 200
    partners = [
        (p["name"], p["is_lead"], p["grant_amount"]) for p in answer.json()["joint_partners"]
    ]
    assert partners == [
        ("Circuit Music Tech", True, "3000.00"),
        ("Tiny Tunes Early Years", False, "2000.00"),
    ]
    listed = co.get(url("commissions", cast.hub.slug)).json()["results"]
    assert [c["reference"] for c in listed] == [reference]

    outsider = _client(cast, cast.contacts[cast.partners["uni"].pk])
    assert outsider.get(url("commission", cast.hub.slug, reference)).status_code == 404
    entry = outsider.get(url("register_entry", cast.hub.slug, reference)).json()
    assert entry["co_applicants"] == ["Tiny Tunes Early Years"]
