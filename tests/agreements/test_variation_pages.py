"""Variation pages and the revenue and capital page: who gets what (the
access matrix), the proposal form keeping what was typed beside each
refusal, a partner seeing only its own, another hub's a 404."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from agreements import variations as svc
from agreements.models import Agreement, Variation
from tests.access import assert_matrix, members, personas
from tests.auth_helpers import sign_in
from tests.factories import signed_agreement, variation_change

pytestmark = pytest.mark.django_db

OUT = {"other_area_lead": 404, "other_partner": 404}
NOT_THEIRS = {"approver": 403, "board_member": 403, "hub_admin": 403, **OUT}

ACCESS_MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "agreements:variation_new": ("get", members(200, **NOT_THEIRS)),
    "agreements:variation": ("get", members(200, **OUT)),
    # BLMK's routes ask no one to comment: everyone who sees it is told so.
    "agreements:variation_comment": ("post", members(400, **OUT)),
    "agreements:variation_decide": ("post", members(403, approver=302, superuser=302, **OUT)),
    # Still to be decided: nobody signs it yet, and each is told why.
    "agreements:variation_sign": ("post", members(400, **OUT)),
    "agreements:variation_withdraw": (
        "post",
        members(403, hlo_staff=302, service_lead=302, superuser=302, **OUT),
    ),
    "agreements:streams": (
        "get",
        members(200, approver=403, hub_admin=403, board_member=404, partner_contact=404, **OUT),
    ),
}


@pytest.fixture
def world(build, pipeline, django_user_model):
    blmk, herts = build("blmk"), build("herts")
    signed = signed_agreement(pipeline, blmk)
    variation = svc.variation_propose(
        agreement=signed,
        user=blmk.officer,
        change=variation_change(ends_on=signed.ends_on + timedelta(days=30)),
    )
    p = pipeline(blmk)
    c = p._open("A draft to split")
    p.identify(c)
    p.award(c)
    draft = Agreement.objects.get(commission=c, period_number=1)
    slug = blmk.hub.slug

    def one(agreement):
        return [slug, agreement.commission.reference, agreement.period_number]

    args = {
        "agreements:variation_new": one(signed),
        "agreements:variation": [*one(signed), variation.number],
        "agreements:variation_comment": [*one(signed), variation.number],
        "agreements:variation_decide": [*one(signed), variation.number],
        "agreements:variation_sign": [*one(signed), variation.number],
        "agreements:variation_withdraw": [*one(signed), variation.number],
        "agreements:streams": one(draft),
    }
    bodies = {
        "agreements:variation_comment": {"body": "Fine by us."},
        "agreements:variation_decide": {"decision": "approve", "reason": ""},
        "agreements:variation_sign": {"full_name": "P", "role_title": "D", "consent": "on"},
        "agreements:variation_withdraw": {"reason": "Not needed."},
    }
    return personas(blmk, herts, django_user_model), args, bodies


@pytest.mark.parametrize("url_name", sorted(ACCESS_MATRIX))
def test_access_matrix(world, url_name):
    people, args, bodies = world
    method, expected = ACCESS_MATRIX[url_name]
    assert_matrix(people, url_name, args[url_name], method, expected, bodies.get(url_name))


@pytest.fixture
def herts_live(build, pipeline):
    from demo.variations_demo import variation_route

    cast = build("herts")
    agreement = signed_agreement(pipeline, cast)
    variation_route(agreement.commission.policy, "HMS Executive Leadership Team")
    return cast, agreement


def _url(name, agreement, *more):
    return reverse(
        name,
        args=[agreement.hub.slug, agreement.commission.reference, agreement.period_number, *more],
    )


def test_the_partner_proposes_and_a_refusal_keeps_what_was_typed(client, herts_live):
    cast, agreement = herts_live
    contact = cast.contacts[agreement.commission.partner_id]
    sign_in(client, contact)
    detail = client.get(_url("agreements:detail", agreement))
    assert _url("agreements:variation_new", agreement) in detail.content.decode()
    form = {
        "reason": "",
        "starts_on": agreement.starts_on.isoformat(),
        "ends_on": (agreement.ends_on + timedelta(days=30)).isoformat(),
        "hub_grant_amount": str(agreement.grant_amount),
        "hub_grant_capital": "0",
        "kpi_changes": "Forty sessions, not thirty.",
        **{f"section_{s['key']}": s["body"] for s in agreement.sections},
    }
    response = client.post(_url("agreements:variation_new", agreement), form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page and 'class="error-summary"' in page
    assert "Forty sessions, not thirty." in page  # what was typed is kept
    # The service's own refusal, beside its field: the capital part over the grant.
    form |= {"reason": "The venue moved.", "hub_grant_capital": str(agreement.grant_amount + 1)}
    response = client.post(_url("agreements:variation_new", agreement), form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "cannot be more than the whole Hub grant" in page
    assert 'id="id_hub_grant_capital_error"' in page or "field-error" in page
    form["hub_grant_capital"] = "0"
    response = client.post(_url("agreements:variation_new", agreement), form)
    assert response.status_code == 302
    variation = Variation.objects.get(agreement=agreement)
    assert variation.by_partner and variation.ends_on == agreement.ends_on + timedelta(days=30)
    page = client.get(response.url).content.decode()
    assert "What changes" in page and "Forty sessions, not thirty." in page
    # A second proposal while this one is open: the page says why, in words.
    page = client.get(_url("agreements:variation_new", agreement)).content.decode()
    assert "Variation 1 is still open" in page and "Propose the change</button>" not in page


def test_the_approver_decides_on_the_page_and_both_sign(client, herts_live):
    cast, agreement = herts_live
    contact = cast.contacts[agreement.commission.partner_id]
    variation = svc.variation_propose(
        agreement=agreement,
        user=contact,
        change=variation_change(hub_grant_amount=agreement.grant_amount + Decimal(500)),
    )
    sign_in(client, cast.approver)
    page = client.get(_url("agreements:variation", agreement, 1)).content.decode()
    assert "Decide on this variation" in page
    response = client.post(
        _url("agreements:variation_decide", agreement, 1), {"decision": "refuse"}
    )
    assert response.status_code == 400
    assert "Give the reason for refusing" in response.content.decode()
    response = client.post(
        _url("agreements:variation_decide", agreement, 1), {"decision": "approve"}
    )
    assert response.status_code == 302
    client.logout()
    sign_in(client, contact)
    sign = {"full_name": "Pat Partner", "role_title": "Director", "consent": "on"}
    assert client.post(_url("agreements:variation_sign", agreement, 1), sign).status_code == 302
    client.logout()
    sign_in(client, cast.officer)
    assert client.post(_url("agreements:variation_sign", agreement, 1), sign).status_code == 302
    variation.refresh_from_db()
    assert variation.status == "signed" and variation.to_version
    page = client.get(_url("agreements:variation", agreement, 1)).content.decode()
    assert f"?a={variation.from_version}&amp;b={variation.to_version}" in page


def test_another_partner_and_another_hub_see_nothing(client, build, herts_live):
    cast, agreement = herts_live
    svc.variation_propose(
        agreement=agreement, user=cast.officer, change=variation_change(kpi_changes="More.")
    )
    other = next(u for pk, u in cast.contacts.items() if pk != agreement.commission.partner_id)
    sign_in(client, other)
    assert client.get(_url("agreements:variation", agreement, 1)).status_code == 404
    client.logout()
    sign_in(client, build("kent").officer)
    assert client.get(_url("agreements:variation", agreement, 1)).status_code == 404
    assert client.get(_url("agreements:variation_new", agreement)).status_code == 404
