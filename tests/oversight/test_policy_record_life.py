"""The policy record shows where each version is in its life: the draft open
for comment (linked to its page), the version in force with its date, an
approved version still to take effect, a superseded one; with each version's
approval decisions and annual reviews, and the board's range reviews."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from hubs.policy_life import services
from hubs.services import policy_current, policy_revise
from tests.auth_helpers import sign_in
from tests.factories import policy_through_its_route

pytestmark = pytest.mark.django_db


def record(client, cast) -> str:
    sign_in(client, cast.board[0])
    response = client.get(reverse("oversight:policy_versions", args=[cast.hub.slug]))
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_each_version_says_where_it_is_in_its_life(client, build):
    cast = build("kent")
    later = timezone.localdate() + timedelta(days=60)
    v2 = policy_revise(policy=policy_current(hub=cast.hub), user=cast.admin)
    policy_through_its_route(v2, proposer=cast.admin, effective_from=later)
    v3 = policy_revise(policy=v2, user=cast.admin)
    services.policy_open_for_comment(policy=v3, user=cast.admin)
    services.range_review_add(
        hub=cast.hub,
        user=cast.board[1],
        body="Few partners for secondary schools in Swale.",
        reviewed_on=timezone.localdate(),
    )
    page = record(client, cast)
    sections = {n: page[page.index(f'id="version-{n}"') :] for n in (1, 2, 3)}
    assert "Open for comment and decision" in sections[3]
    assert reverse("hubs:policy_draft", args=["kent", 3]) in page
    assert f"Approved: in force from {later:%-d %B %Y}" in sections[2]
    assert "Approval decisions" in sections[2] and "Board of Kent Music" in sections[2]
    assert "Version 1 (in force)" in page and "Who decides what under version 1" in page
    assert "Few partners for secondary schools in Swale." in page


def test_a_superseded_version_says_so(client, build):
    cast = build("leics")
    v2 = policy_revise(policy=policy_current(hub=cast.hub), user=cast.admin)
    policy_through_its_route(v2, proposer=cast.admin)
    page = record(client, cast)
    first = page[page.index('id="version-1"') :]
    assert "Superseded" in first
    assert "Version 2 (in force)" in page
    second = page[page.index('id="version-2"') : page.index('id="version-1"')]
    assert f"{cast.chair.get_full_name()} (chair) approved" in second
