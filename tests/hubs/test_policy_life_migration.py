"""hubs 0008 gives every policy version a life, both ways on a copy of the
demo's hubs: back, the columns and the policy approval routes go; forward,
every version is approved and in force from the day it was approved (or
saved), with the same policy approval route the demo writes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from hubs.models import HubPolicy
from hubs.routes import route_for, route_words
from hubs.services import policy_current
from tests.conftest import POLICY_SLUGS

BEFORE = ("hubs", "0007_policy_awards_within_allocation")


def _policy_routes() -> dict[str, str]:
    return {
        p.hub.slug: route_words(route_for(p, "policy"))
        for p in HubPolicy.objects.select_related("hub")
    }


@pytest.mark.django_db(transaction=True)
def test_every_version_is_given_a_life_and_loses_it_both_ways(build):
    for slug in POLICY_SLUGS:
        build(slug)
    routes_before = _policy_routes()
    assert routes_before["leics"].endswith("then the chair decides, and the decision is final.")
    assert "then one of the Board of Kent Music" in routes_before["kent"]
    assert "then 2 of the Hertfordshire Music Hub board" in routes_before["herts"]
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate([BEFORE])
        state = executor.loader.project_state([BEFORE]).apps
        old = state.get_model("hubs", "HubPolicy")
        assert "status" not in {f.name for f in old._meta.get_fields()}
        assert "policydecision" not in state.all_models["hubs"]
        route = state.get_model("hubs", "DecisionRoute")
        assert not route.objects.filter(kind="policy").exists()
        assert old.objects.count() == len(POLICY_SLUGS)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(leaves)
    for policy in HubPolicy.objects.select_related("hub"):
        assert policy.status == "approved"
        assert policy.effective_from == policy.approved_on  # every demo policy has its date
        assert policy_current(hub=policy.hub) == policy
    assert _policy_routes() == routes_before
