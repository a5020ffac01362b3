"""The public pages: the list of hubs, each hub's policy in plain words, and
the health check. Hubs are built exactly as the demo configures them."""

from __future__ import annotations

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

SLUGS = ["blmk", "consortium", "herts", "kent", "leics"]

# What each hub's page must say: its approving body and its distinctive rules.
POLICY_WORDS = {
    "herts": [
        "HMS Executive Leadership Team",
        "Required before approval (Hertfordshire Music Hub board, 14 days)",
        "Existing partners are approached first; a call for proposals needs a recorded reason.",
    ],
    "kent": [
        "Board of Kent Music",
        "Advisory: the officer may send it to the board (Hub Board (advisory), 10 days)",
        "Service categories",
        "Schools (Funded Opportunities)",
        "Musical instruments",
        "a review against KPIs every 3 months",
    ],
    "blmk": [
        "BLMK Executive Group",
        "Each service area commissions its own partners.",
        "Milton Keynes",
        "Central Bedfordshire",
        "Partners may also be commissioned ad hoc to meet an emerging priority.",
        "a conflict of interest declaration is recorded",
    ],
    "leics": [
        "Leicestershire Music (HLO)",
        "At least 50% of a proposal's cost comes from sources other than the Hub Grant.",
        "The chair, whose decision is final",
        "An organisation has an introductory meeting with the HLO before it can become a partner.",
        "One academic year, reviewed annually",
    ],
    "consortium": [
        "Hub Board",
        "Every partnership goes through an open call, the HLO's and consortium members' "
        "services included.",
    ],
}


def page_text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def five_hubs(build):
    return {slug: build(slug).hub for slug in SLUGS}


def test_home_lists_every_hub_with_a_link_to_its_policy(client, five_hubs):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    text = page_text(response)
    for hub in five_hubs.values():
        link = reverse("hubs:policy", args=[hub.slug])
        assert f'<a href="{link}">{hub.name}</a>' in text
        assert hub.policies.get().approving_body in text


def test_home_without_hubs_says_how_to_load_the_demo(client):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert "python manage.py load_demo" in page_text(response)


@pytest.mark.parametrize("slug", SLUGS)
def test_the_policy_page_explains_the_hubs_rules(client, build, slug):
    hub = build(slug).hub

    response = client.get(reverse("hubs:policy", args=[slug]))

    assert response.status_code == 200
    text = page_text(response)
    assert hub.name in text
    for words in POLICY_WORDS[slug]:
        assert words in text, (slug, words)


def test_rules_a_hub_does_not_have_are_not_shown(client, build):
    build("herts")

    text = page_text(client.get(reverse("hubs:policy", args=["herts"])))

    assert "comes from sources other than the Hub Grant" not in text
    assert "Every partnership goes through an open call" not in text
    assert "Each service area commissions its own partners" not in text


def test_an_unknown_hub_gets_404(client, build):
    build("kent")

    response = client.get(reverse("hubs:policy", args=["atlantis"]))

    assert response.status_code == 404


def test_healthz_answers_ok_and_is_never_cached(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("name", ["home", "healthz"])
def test_it_rejects_post(client, name):
    response = client.post(reverse(name))

    assert response.status_code == 405


def test_the_policy_page_rejects_post(client, build):
    build("kent")

    response = client.post(reverse("hubs:policy", args=["kent"]))

    assert response.status_code == 405


def test_home_makes_as_many_queries_for_five_hubs_as_for_one(client, build):
    build("herts")
    with CaptureQueriesContext(connection) as one_hub:
        assert client.get(reverse("home")).status_code == 200

    for slug in SLUGS:
        if slug != "herts":
            build(slug)
    with CaptureQueriesContext(connection) as five_hubs:
        response = client.get(reverse("home"))

    assert response.status_code == 200
    assert len(response.context["hubs"]) == 5
    assert len(five_hubs) == len(one_hub), [q["sql"] for q in five_hubs.captured_queries]


def test_a_hub_without_a_policy_says_so_instead_of_failing(client):
    from tests.factories import HubFactory

    hub = HubFactory(name="New Music Hub")
    response = client.get(f"/hubs/{hub.slug}/policy/")
    assert response.status_code == 404
    assert "has not published its commissioning policy here yet" in response.content.decode()
