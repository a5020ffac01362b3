"""Who gets the pages of a policy's life, and what they cost: a version's page
and the reviews page for the hub's own staff, approvers, board and hub admins
(partners and other hubs get a 404); the public consultation page for
everyone; each in a number of queries that does not grow with the comments
and decisions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hubs.models import PolicyComment
from hubs.policy_life import services
from hubs.services import policy_current, policy_revise
from tests.access import ALL_200, assert_matrix, members, personas
from tests.auth_helpers import sign_in

pytestmark = pytest.mark.django_db

INSIDERS = members(200, partner_contact=404, other_partner=404)
ACCESS_MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "hubs:policy_draft": ("get", INSIDERS),
    "hubs:policy_reviews": ("get", INSIDERS),
    "hubs:policy_consultation": ("get", ALL_200),
}


def open_draft(cast, days: int = 14):
    draft = policy_revise(policy=policy_current(hub=cast.hub), user=cast.admin)
    closes = timezone.localdate() + timedelta(days=days)
    return services.policy_open_for_comment(
        policy=draft, user=cast.admin, consultation_closes_on=closes
    )


@pytest.fixture
def world(build, django_user_model):
    blmk, herts = build("blmk"), build("herts")
    draft = open_draft(blmk)
    args = {
        "hubs:policy_draft": [blmk.hub.slug, draft.version],
        "hubs:policy_reviews": [blmk.hub.slug],
        "hubs:policy_consultation": [blmk.hub.slug, draft.version],
    }
    return personas(blmk, herts, django_user_model), args


@pytest.mark.parametrize("url_name", sorted(ACCESS_MATRIX))
def test_access_matrix(world, url_name):
    people, args = world
    method, expected = ACCESS_MATRIX[url_name]
    assert_matrix(people, url_name, args[url_name], method, expected)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def _comment(draft, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        services.public_comment_add(
            policy=draft, name=f"Parent {i}", body="Please keep the summer school.", form_key=str(i)
        )


def test_the_draft_page_costs_the_same_queries_for_2_or_20_comments(client, build):
    cast = build("herts")
    draft = open_draft(cast)
    for member in cast.board:
        services.policy_comment_add(policy=draft, user=member, body="Seen and content.")
    _comment(draft, 2)
    sign_in(client, cast.admin)  # the hub admin: a response form beside each comment
    url = reverse("hubs:policy_draft", args=["herts", draft.version])
    client.get(url)
    few = _queries(client, url)
    _comment(draft, 18, start=2)
    many = _queries(client, url)
    print(f"\ndraft page queries: {few} then {many}")
    assert PolicyComment.objects.filter(policy=draft).count() == 22
    assert few == many and many <= 16


def test_the_consultation_page_costs_the_same_queries_for_any_number_of_comments(client, build):
    cast = build("kent")
    draft = open_draft(cast)
    url = reverse("hubs:policy_consultation", args=["kent", draft.version])
    few = _queries(client, url)
    _comment(draft, 20)
    many = _queries(client, url)
    print(f"\nconsultation page queries: {few} then {many}")
    assert few == many and many <= 4
    # The board reads the public's comments on the draft's page.
    sign_in(client, cast.board[0])
    text = client.get(reverse("hubs:policy_draft", args=["kent", draft.version])).content.decode()
    assert text.count("Please keep the summer school.") == 20


def test_the_boards_dashboard_costs_the_same_queries_for_2_or_20_comments(client, build):
    cast = build("herts")
    draft = open_draft(cast)
    _comment(draft, 2)
    sign_in(client, cast.board[0])
    url = reverse("commissioning:dashboard", args=["herts"])
    client.get(url)
    few = _queries(client, url)
    _comment(draft, 18, start=2)
    many = _queries(client, url)
    print(f"\nboard dashboard queries, a draft open: {few} then {many}")
    assert few == many
    assert "Comment on the draft policy (version 2)" in client.get(url).content.decode()
