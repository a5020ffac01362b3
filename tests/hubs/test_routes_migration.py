"""The data migration that carried the five hubs' settings into decision
routes (hubs 0004), run both ways on a copy of the demo's hubs: back to the
settings, and forward to the same routes again."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from hubs.models import HubPolicy
from hubs.routes import route_words, routes_of
from tests.conftest import POLICY_SLUGS

BEFORE = ("hubs", "0003_policy_eoi_for_needs_gaps")


def _words() -> dict[str, list[str]]:
    said = {}
    for policy in HubPolicy.objects.select_related("hub"):
        said[policy.hub.slug] = sorted(
            route_words(r) for r in routes_of(policy) if r.kind != "non_renewal"
        )
    return said


@pytest.mark.django_db(transaction=True)
def test_the_five_hubs_settings_go_back_and_come_forward_as_the_same_routes(build):
    for slug in POLICY_SLUGS:
        build(slug)
    routes_before = _words()
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate([BEFORE])
        old = executor.loader.project_state([BEFORE]).apps.get_model("hubs", "HubPolicy")
        settings = {
            p.hub.slug: (
                p.approving_body,
                p.board_comment_on_drafts,
                p.board_comment_on_decommission,
                p.decommission_decided_by,
                p.comment_window_days,
            )
            for p in old.objects.select_related("hub")
        }
        assert settings["herts"] == (
            "HMS Executive Leadership Team",
            "required",
            "required",
            "approvers",
            14,
        )
        assert settings["leics"][3] == "chair"
        assert settings["kent"][1] == "optional"
        assert settings["blmk"][1:3] == ("skipped", "skipped")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(leaves)
    assert _words() == routes_before
