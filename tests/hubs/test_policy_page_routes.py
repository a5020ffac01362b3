"""The public policy page says each decision's route in words, value bands
included, and lists the policy's own grounds for decommissioning (a sixth
hub's, configured in the admin, as much as the five's)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hubs.grounds import Ground
from tests.hubs.test_decision_routes import banded_awards

pytestmark = pytest.mark.django_db

BRANDING = "Negative: repeated failure to meet branding guidelines"


def test_the_policy_page_says_each_route_and_the_hub_s_own_grounds(client, build):
    policy = build("kent").hub.policies.get()
    banded_awards(policy)
    Ground.objects.create(policy=policy, key="branding", label=BRANDING, position=99)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("hubs:policy", args=["kent"]))

    page = response.content.decode()
    assert "Awards under £10,000: one of the HLO staff decides." in page
    assert (
        "Awards of £10,000 or more: the Hub board may be asked to comment (advisory) for 7 "
        "days, closing early once every member has commented; then 2 of the approvers (not "
        "whoever submitted it) must all approve." in page
    )
    assert BRANDING in page
    # 10, and the hub's documents for applicants (1).
    assert len(queries) <= 11, [q["sql"] for q in queries.captured_queries]
