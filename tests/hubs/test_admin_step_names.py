"""A route step's name was given for the body it had: when a hub admin
changes the body and leaves the name, the name goes, so the route does not
say 'one of the approvers decides' of HLO staff (found configuring a sixth
hub, whose first policy's award route names its approvers)."""

from __future__ import annotations

import pytest

from hubs.decision_routes import DecisionRoute
from hubs.routes import route_words
from tests.hubs import test_admin
from tests.hubs.test_admin import admin_url, page_form_data

pytestmark = pytest.mark.django_db

# The admin tests' fixtures: Avon, and its hub admin signed in.
avon, owner, owner_client = test_admin.avon, test_admin.owner, test_admin.owner_client


def test_changing_a_step_s_body_drops_the_name_given_for_the_old_one(owner_client, avon):
    route = avon.policies.get().routes.get(kind="award")
    url = admin_url(DecisionRoute, "change", route.pk)
    data = page_form_data(owner_client.get(url))
    assert data["steps-0-name"] == "Avon leadership team"
    data |= {"below_value": "10000", "steps-0-body": "officers"}
    data.pop("steps-0-separate", None)
    assert owner_client.post(url, data).status_code == 302
    route.refresh_from_db()
    assert route_words(route) == "Awards under £10,000: one of the HLO staff decides."


def test_a_name_changed_with_the_body_is_kept(owner_client, avon):
    route = avon.policies.get().routes.get(kind="award")
    url = admin_url(DecisionRoute, "change", route.pk)
    data = page_form_data(owner_client.get(url))
    data |= {"steps-0-body": "board", "steps-0-name": "Avon Hub Board"}
    assert owner_client.post(url, data).status_code == 302
    route.refresh_from_db()
    assert route_words(route) == (
        "Awards: one of the Avon Hub Board (not whoever submitted it) decides."
    )
