"""A joint bid's pages: who sees them (the URL matrix's rows for them), the
co-applicant confirming, and the lead naming a co-applicant with every
refusal beside its field and what was typed kept."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commissioning.models import ProposalPartner
from tests.access import assert_matrix, members, personas
from tests.agreements.test_joint_signing import issued
from tests.auth_helpers import sign_in
from tests.commissioning.test_joint import close_call, joint_bid

pytestmark = pytest.mark.django_db

# A draft joint bid in Luton: Luton Youth Beats leads, Luton Music Service
# (the matrix's partner contact) is named and has not yet confirmed. Staff see
# a bid once it is submitted; nobody else sees it at all.
DRAFT_ONLY_PARTNERS = members(404, partner_contact=200)
ACCESS_MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "joint:partners": ("get", DRAFT_ONLY_PARTNERS),
    "joint:confirm": ("post", members(404, partner_contact=302)),
    "joint:remove": ("post", members(404, partner_contact=403)),  # only the lead's contact
    # The issued agreement of a joint partnership in Luton: only a
    # co-applicant's contact signs here; the rest who see the agreement get 403.
    "agreements:co_sign": (
        "get",
        members(403, partner_contact=200, other_area_lead=404, other_partner=404),
    ),
}


@pytest.fixture
def blmk_people(build, django_user_model):
    blmk, herts = build("blmk"), build("herts")
    return blmk, personas(blmk, herts, django_user_model)


@pytest.mark.parametrize("url_name", ["joint:partners", "joint:confirm", "joint:remove"])
def test_a_draft_joint_bids_pages(blmk_people, pipeline, url_name):
    blmk, people = blmk_people
    _, proposal, link = joint_bid(
        blmk, pipeline, "lutonbeats", "lutonms", confirm=False, submitted=False
    )
    args = [blmk.hub.slug, proposal.pk] + ([] if url_name == "joint:partners" else [link.pk])
    method, expected = ACCESS_MATRIX[url_name]
    assert_matrix(people, url_name, args, method, expected)


def test_a_joint_agreements_signing_page(blmk_people, pipeline):
    blmk, people = blmk_people
    # Luton Music Service is a consortium member: BLMK asks its declaration.
    agreement = issued(
        blmk, pipeline, "lutonbeats", "lutonms", declaration="Its head of service stood aside."
    )
    args = [blmk.hub.slug, agreement.commission.reference, 1]
    method, expected = ACCESS_MATRIX["agreements:co_sign"]
    assert_matrix(people, "agreements:co_sign", args, method, expected)


def test_staff_see_the_bids_partners_once_it_is_submitted(build, pipeline):
    cast = build("consortium")
    _, proposal, _ = joint_bid(cast, pipeline, "mtech", "earlyyears")
    client = Client()
    sign_in(client, cast.officer)
    page = client.get(reverse("joint:partners", args=[cast.hub.slug, proposal.pk]))
    assert page.status_code == 200
    assert b"Tiny Tunes Early Years" in page.content
    assert b"Name a co-applicant" not in page.content  # nothing to change now


def _lead_client(cast, proposal) -> Client:
    client = Client()
    sign_in(client, cast.contacts[proposal.partner_id])
    return client


def test_the_lead_names_a_co_applicant_from_the_page(build, pipeline):
    cast = build("consortium")
    _, proposal, _ = joint_bid(cast, pipeline, "mtech", "earlyyears", submitted=False)
    client = _lead_client(cast, proposal)
    url = reverse("joint:partners", args=[cast.hub.slug, proposal.pk])
    page = client.get(url)
    assert b"Name a co-applicant" in page.content
    assert b"Midshire University Music Education" in page.content  # offered
    uni = cast.partners["uni"]
    response = client.post(
        url,
        {
            "partner": uni.pk,
            "role_in_bid": "The evaluation",
            "share_of_activity": "10",
            "share_of_budget": "£500",
        },
    )
    assert response.status_code == 302
    assert ProposalPartner.objects.get(proposal=proposal, partner=uni).share_of_budget == 500


@pytest.mark.parametrize(
    ("typed", "field", "words"),
    [
        ({"share_of_activity": "70"}, "share_of_activity", "would have 110% of the activity"),
        ({"share_of_activity": "ten"}, "share_of_activity", "Enter a number."),
        ({"share_of_budget": "4000"}, "share_of_budget", "£6,000.00 of the £5,000.00 Hub grant"),
        ({"role_in_bid": ""}, "role_in_bid", "Say what Midshire University"),
    ],
)
def test_a_refusal_is_beside_its_field_and_keeps_what_was_typed(
    build, pipeline, typed, field, words
):
    cast = build("consortium")
    _, proposal, _ = joint_bid(cast, pipeline, "mtech", "earlyyears", submitted=False)
    client = _lead_client(cast, proposal)
    sent = {
        "partner": cast.partners["uni"].pk,
        "role_in_bid": "The evaluation",
        "share_of_activity": "10",
        "share_of_budget": "500",
    } | typed
    response = client.post(reverse("joint:partners", args=[cast.hub.slug, proposal.pk]), sent)
    assert response.status_code == 400
    form = response.context["form"]
    assert any(words in e for e in form.errors[field]), form.errors
    text = response.content.decode()
    assert "There is a problem" in text
    assert f'id="id_{field}_error"' in text or f"id_{field}" in text
    for key, value in sent.items():
        if key != "partner" and value:
            assert f'value="{value}"' in text or f">{value}<" in text


def test_another_hubs_organisation_is_refused_in_words_beside_the_field(build, pipeline):
    cast, herts = build("consortium"), build("herts")
    _, proposal, _ = joint_bid(cast, pipeline, "mtech", "earlyyears", submitted=False)
    client = _lead_client(cast, proposal)
    elsewhere = herts.partners["soundwaves"]
    response = client.post(
        reverse("joint:partners", args=[cast.hub.slug, proposal.pk]),
        {
            "partner": elsewhere.pk,
            "role_in_bid": "Sessions",
            "share_of_activity": "10",
            "share_of_budget": "100",
        },
    )
    assert response.status_code == 400
    assert "is not a partner organisation of" in response.context["form"].errors["partner"][0]


def test_the_co_applicant_confirms_from_the_page_and_the_submit_then_goes_in(build, pipeline):
    cast = build("consortium")
    _, proposal, link = joint_bid(
        cast, pipeline, "mtech", "earlyyears", confirm=False, submitted=False
    )
    lead = _lead_client(cast, proposal)
    form = lead.get(reverse("calls:eoi_edit", args=[cast.hub.slug, proposal.pk]))
    partners_url = reverse("joint:partners", args=[cast.hub.slug, proposal.pk])
    assert f'href="{partners_url}"' in form.content.decode()

    co = Client()
    sign_in(co, cast.contacts[link.partner_id])
    dashboard = co.get(reverse("commissioning:dashboard", args=[cast.hub.slug]))
    assert b"Joint bids you are named in" in dashboard.content
    assert b"waiting for you to confirm" in dashboard.content
    url = reverse("joint:confirm", args=[cast.hub.slug, proposal.pk, link.pk])
    assert co.post(url).status_code == 302
    link.refresh_from_db()
    assert link.confirmed_at is not None
    assert co.post(url).status_code == 400  # already confirmed: said on the page


def test_scoring_shows_every_partner_of_a_joint_bid(build, pipeline):
    cast = build("consortium")
    call, _, _ = joint_bid(cast, pipeline, "mtech", "earlyyears")
    close_call(call)
    client = Client()
    sign_in(client, cast.officer)
    results = client.get(reverse("scoring:results", args=[cast.hub.slug, call.pk]))
    assert results.status_code == 200
    assert "(a joint bid, with Tiny Tunes Early Years)" in results.content.decode()


def test_the_co_applicants_dashboard_costs_the_same_queries_for_1_or_3_bids(
    build, pipeline, django_assert_num_queries
):
    cast = build("consortium")
    joint_bid(cast, pipeline, "mtech", "earlyyears", confirm=False, submitted=False)
    client = Client()
    sign_in(client, cast.contacts[cast.partners["earlyyears"].pk])
    url = reverse("commissioning:dashboard", args=[cast.hub.slug])
    client.get(url)  # the first request reads the person's standing; later ones the cache
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    few = len(one)  # now: the log it slices keeps only the latest queries
    for lead in ("uni", "northms"):
        joint_bid(cast, pipeline, lead, "earlyyears", confirm=False, submitted=False)
    client.get(url)  # being told of the new bids renewed the cached standing: read it again
    with django_assert_num_queries(few):
        page = client.get(url)
    assert page.content.decode().count("waiting for you to confirm") == 3
