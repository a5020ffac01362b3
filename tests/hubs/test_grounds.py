"""A policy's grounds for decommissioning: copied to its next version, edited
by the hub admin in the admin (their own hub's newest version only), and
carried into each policy by a data migration (run both ways in
tests/test_migrations_both_ways.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hubs.grounds import (
    DecommissionGrounds,
    Ground,
    grounds_in_words,
    grounds_of,
    standard_grounds,
)
from hubs.models import HubPolicy, Role
from hubs.services import membership_grant, policy_revise
from tests.auth_helpers import sign_in
from tests.hubs.test_admin import admin_url, make_commissions, make_hub, make_policy, make_user

pytestmark = pytest.mark.django_db

BRANDING = "Negative: repeated failure to meet branding guidelines"


@pytest.fixture
def avon():
    hub = make_hub("Avon")
    make_policy(hub)  # made by a script: it reads the standard list, with no rows
    return hub


@pytest.fixture
def brent():
    hub = make_hub("Brent")
    make_policy(hub)
    return hub


@pytest.fixture
def owner(django_user_model, avon):
    user = make_user(django_user_model, "olive", staff=True)
    membership_grant(hub=avon, user=user, role=Role.HUB_ADMIN)
    return user


@pytest.fixture
def owner_client(client, owner):
    sign_in(client, owner)
    return client


def _keys(policy) -> list[str]:
    return list(Ground.objects.filter(policy=policy).values_list("key", flat=True))


def test_a_new_version_starts_with_its_predecessors_grounds(build):
    cast = build("herts")
    first = cast.hub.policies.get()
    Ground.objects.create(policy=first, key="branding", label=BRANDING, position=20)
    first.title = "Commissioning policy 2026"
    second = policy_revise(policy=HubPolicy.objects.get(pk=first.pk))
    assert second.version == 2
    assert _keys(second) == [*DecommissionGrounds.values, "branding"]
    assert _keys(first) == _keys(second), "the old version keeps its own list"
    assert "repeated failure to meet branding guidelines" in grounds_in_words(second)


def test_a_hubs_first_policy_starts_with_the_standard_list():
    policy = policy_revise(policy=HubPolicy(hub=make_hub("Cleve"), title="First"))
    assert _keys(policy) == DecommissionGrounds.values


def test_the_hub_admin_adds_a_ground_to_their_newest_policy(owner_client, avon, brent):
    policy = avon.policies.get()
    page = owner_client.get(admin_url(Ground, "add")).content.decode()
    assert f'value="{policy.pk}"' in page
    assert f'value="{brent.policies.get().pk}"' not in page, "another hub's policy"
    data = {"policy": policy.pk, "position": 20, "key": "branding", "label": BRANDING}
    response = owner_client.post(admin_url(Ground, "add"), {**data, "kind": "negative"})
    assert response.status_code == 302, response.content.decode()[:2000]
    said = [g.key for g in grounds_of(HubPolicy.objects.get(pk=policy.pk))]
    assert said == [*DecommissionGrounds.values, "branding"], "added to today's list"

    response = owner_client.post(admin_url(Ground, "add"), {**data, "kind": "negative"})
    assert "already has a ground with that key" in response.content.decode()
    response = owner_client.post(
        admin_url(Ground, "add"), {**data, "key": "other", "kind": "termination"}
    )
    assert "kept under the key &#x27;safeguarding&#x27;" in response.content.decode()
    assert f'value="{BRANDING}"' in response.content.decode(), "what was typed stays"

    other = Ground.objects.create(policy=brent.policies.get(), key="x", label="X")
    assert owner_client.get(admin_url(Ground, "change", other.pk)).status_code in (302, 404)
    policy_page = owner_client.get(admin_url(HubPolicy, "change", policy.pk)).content.decode()
    assert f"{BRANDING} (negative)" in policy_page


def test_a_version_commissions_use_keeps_its_grounds_as_they_are(owner_client, owner, avon):
    """Once a commission runs under the version in force, its grounds are
    shown, never changed in place (hubs.admin.scoping.rows_editable): a key
    commissions were decommissioned on cannot change, nor can its label."""
    make_commissions(avon, owner, 1)
    policy = avon.policies.get()
    standard_grounds(policy)
    policy.commissions.update(decommission_grounds="quality")
    ground = Ground.objects.get(policy=policy, key="quality")
    before = (ground.key, ground.label)
    data = {"policy": policy.pk, "position": 2, "key": "standards", "kind": "negative"}
    data["label"] = "Negative: quality standards not met, twice"
    assert owner_client.post(admin_url(Ground, "change", ground.pk), data).status_code == 403
    response = owner_client.post(admin_url(Ground, "change", ground.pk), {**data, "key": "quality"})
    assert response.status_code == 403
    ground.refresh_from_db()
    assert (ground.key, ground.label) == before


def test_an_older_versions_list_is_the_record(owner_client, avon):
    first = avon.policies.get()
    standard_grounds(first)
    policy_revise(policy=HubPolicy.objects.get(pk=first.pk))
    old = Ground.objects.get(policy=first, key="quality")
    data = {"policy": first.pk, "position": 2, "key": "quality", "label": "Changed"}
    owner_client.post(admin_url(Ground, "change", old.pk), {**data, "kind": "negative"})
    old.refresh_from_db()
    assert old.label == "Negative: quality standards not met"


def test_the_admin_list_of_grounds_costs_the_same_for_more_hubs_rows(owner_client, avon):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert owner_client.get(admin_url(Ground, "changelist")).status_code == 200
        return len(queries)

    count()  # the first request of a process also fills Django's caches (content types)
    few = count()
    policy = avon.policies.get()
    Ground.objects.bulk_create(
        Ground(policy=policy, key=f"g{n}", label=f"Ground {n}", position=30 + n) for n in range(20)
    )
    assert count() == few
