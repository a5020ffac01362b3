"""The policy record's "Who decides what": every move under the version in
force, who may make it and what applies, written from the services' own
rules (commissioning/policy_text.py). Who may open the page is
test_access.py's matrix."""

from __future__ import annotations

from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commissioning.workflow import ACTIONS
from hubs.models import RouteStep
from hubs.services import policy_revise
from tests.auth_helpers import sign_in
from tests.factories import policy_through_its_route

pytestmark = pytest.mark.django_db


def policy_page(client, cast) -> str:
    sign_in(client, cast.board[0])
    response = client.get(reverse("oversight:policy_versions", args=[cast.hub.slug]))
    assert response.status_code == 200
    return unescape(response.content.decode())  # the text as read, apostrophes and all


def test_hertfordshire_shows_the_board_comments_before_approval(client, build):
    page = policy_page(client, build("herts"))
    assert '<h2 id="who-decides">Who decides what</h2>' in page
    assert "<caption>Who decides what under version 1 of Hertfordshire Music Hub's policy" in page
    assert page.count('<th scope="row" role="rowheader">') == len(ACTIONS)
    assert '<th scope="col" role="columnheader">Who may make it</th>' in page
    assert (
        "Not a step in Hertfordshire Music Hub's policy: the Hertfordshire Music Hub board "
        "comments on every draft partnership agreement first" in page
    )
    assert "Once the Hertfordshire Music Hub board's comment window of 14 days" in page
    assert "HMS Executive Leadership Team" in page
    assert "From 'Drafting the agreement' to 'With the board for comment'" in page


def test_blmk_has_no_board_step_and_its_service_leads_commission(client, build):
    page = policy_page(client, build("blmk"))
    assert "Not a step in BLMK Music Hub's policy: a draft goes to the BLMK" in page
    assert "HLO staff or the service lead for the commission's service area" in page


def test_only_the_version_in_force_is_set_out(client, build):
    cast = build("leics")
    policy = cast.hub.policies.get()
    policy.min_match_funding_percent = 40
    draft = policy_revise(policy=policy, user=cast.admin)
    page = policy_page(client, cast)
    assert "under version 1 of" in page, "a draft is not the version in force"
    policy_through_its_route(draft, proposer=cast.admin)
    page = policy_page(client, cast)
    assert page.count("Who decides what</h2>") == 1
    assert "under version 2 of" in page
    assert "at least 40% of the cost from sources other than the Hub Grant" in page
    assert "at least 50% of the cost" not in page


def test_the_table_costs_no_query_per_move(client, build):
    cast = build("kent")
    sign_in(client, cast.board[0])
    url = reverse("oversight:policy_versions", args=["kent"])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert len(ctx) < len(ACTIONS)


def test_the_decision_routes_are_listed_and_a_change_to_them_is_a_change(client, build):
    cast = build("herts")
    page = policy_page(client, cast)
    assert (
        "Awards: the Hertfordshire Music Hub board must comment for 14 days, closing early once "
        "every member has commented; then one of the HMS Executive Leadership Team (not "
        "whoever submitted it) decides." in page
    )
    policy = cast.hub.policies.get()
    revised = policy_revise(policy=policy, user=cast.admin)
    RouteStep.objects.filter(route__policy=revised, kind="comment").update(window_days=10)
    policy_through_its_route(revised, proposer=cast.admin)
    page = policy_page(client, cast)
    assert "<caption>Who decides what under version 2" in page
    assert "Who comments and decides" in page  # listed among version 2's changes
    assert "must comment for 10 days" in page
