"""Who gets what from each endpoint: the token's person, in the token's hub,
as on the pages. Personas: Hertfordshire's officer, its partnership's
partner contact and another partner's contact, and Kent's officer (another
hub)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings

from api.models import ApiToken
from api.services import token_issue
from hubs.models import Membership
from hubs.services import membership_revoke
from tests.api.conftest import TokenClient, url
from tests.auth_helpers import sign_in

pytestmark = pytest.mark.django_db


def _ids(side):
    """Each endpoint's detail arguments for the side's live partnership."""
    c = side.commission
    agreement = c.agreements.get(period_number=1)
    return {
        "commission": [c.reference],
        "partner": [c.partner_id],
        "agreement": [agreement.pk],
        "payment": [agreement.instalments.order_by("position").first().pk],
        "report": [c.reports.order_by("due_on", "pk").first().pk],
        "register_entry": [c.reference],
    }


LISTS = ["commissions", "partners", "calls", "agreements", "payments", "reports", "register"]


def test_no_token_invalid_token_and_a_session_all_get_401(client, world):
    target = url("commissions", "herts")

    missing = TokenClient(None).get(target)
    invalid = TokenClient("hc_not-a-key").get(target)
    malformed = TokenClient(None).get(target, HTTP_AUTHORIZATION="Bearer two words")
    sign_in(client, world.herts.officer)
    session = client.get(target)  # a page's session cookie is not a way in

    for response in (missing, invalid, malformed, session):
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert response.json()["detail"]
    assert "not valid" in invalid.json()["detail"]


def test_a_token_works_only_in_its_own_hub(world):
    herts_officer = world.client(world.herts, world.herts.officer)
    kent = _ids(world.kent)

    for name in LISTS:
        assert herts_officer.get(url(name, "kent")).status_code == 404, name
        assert herts_officer.get(url(name, "no-such-hub")).status_code == 404, name
    for name, args in kent.items():
        assert herts_officer.get(url(name, "kent", *args)).status_code == 404, name
        # Kent's objects are not found under Hertfordshire's slug either.
        assert herts_officer.get(url(name, "herts", *args)).status_code == 404, name


def test_the_officer_reads_every_endpoint_of_their_hub(world):
    api = world.client(world.herts, world.herts.officer)
    herts = _ids(world.herts)

    for name in LISTS:
        response = api.get(url(name, "herts"))
        assert response.status_code == 200, name
        assert response["Cache-Control"] == "no-store, private"
        assert set(response.json()) == {"count", "next", "previous", "results"}
    for name, args in herts.items():
        assert api.get(url(name, "herts", *args)).status_code == 200, name
    body = api.get(url("commissions", "herts")).json()["results"]
    assert [c["reference"] for c in body] == [world.herts.commission.reference]


def test_a_partner_sees_only_its_own_organisations_things(world):
    side = world.herts
    own = world.client(side, side.partner)
    other = world.client(side, side.other_partner)
    herts = _ids(side)

    for name, args in herts.items():
        assert own.get(url(name, "herts", *args)).status_code == 200, name
    partners = own.get(url("partners", "herts")).json()
    assert [p["id"] for p in partners["results"]] == [side.commission.partner_id]
    for name in ("commission", "partner", "agreement", "payment", "report"):
        assert other.get(url(name, "herts", *herts[name])).status_code == 404, name
    for name in ("commissions", "agreements", "payments", "reports"):
        assert other.get(url(name, "herts")).json()["count"] == 0, name
    # The register is public: every member of the hub reads all of it.
    assert other.get(url("register_entry", "herts", *herts["register_entry"])).status_code == 200


def test_a_partner_does_not_see_the_payment_reference(world):
    side = world.herts
    payment = _ids(side)["payment"]
    officer = world.client(side, side.officer).get(url("payment", "herts", *payment)).json()
    partner = world.client(side, side.partner).get(url("payment", "herts", *payment)).json()
    assert "payment_reference" in officer and partner["payment_reference"] is None


def test_someone_whose_role_was_taken_away_gets_404s(world):
    side = world.herts
    api = world.client(side, side.other_partner)
    assert api.get(url("commissions", "herts")).status_code == 200

    for membership in Membership.objects.filter(hub=side.hub, user=side.other_partner):
        membership_revoke(membership=membership)

    assert api.get(url("commissions", "herts")).status_code == 404


def test_the_schema_is_public_and_anything_else_is_a_json_404(client):
    schema = client.get("/api/v1/schema/")
    unknown = client.get("/api/v1/hubs/herts/agreements/-1/")
    assert schema.status_code == 200 and b"/api/v1/hubs/{hub_slug}/commissions/" in schema.content
    assert unknown.status_code == 404 and unknown.json()["detail"]


@override_settings(API_RATE_LIMIT="3/minute")
def test_requests_are_limited_per_token(world):
    cache.clear()
    side = world.herts
    first = world.client(side, side.officer)
    _, key = token_issue(hub=side.hub, user=side.officer, name="Second", by=side.cast.admin)
    second = TokenClient(key)

    answers = [first.get(url("partners", "herts")).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    assert "Retry-After" in first.get(url("partners", "herts"))
    assert second.get(url("partners", "herts")).status_code == 200  # its own count
    assert ApiToken.objects.count() == 2
    cache.clear()
