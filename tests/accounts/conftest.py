"""People for the sign-in tests: an approver and HLO staff of one hub, each
with a password (factories use the fast test hasher)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from hubs.models import Role
from hubs.services import membership_grant
from tests.factories import HubPolicyFactory, UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # allauth keeps rate limits and used one-time codes in the cache, which
    # outlives a test; each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def hub(db):
    return HubPolicyFactory().hub


@pytest.fixture
def approver(hub):
    user = UserFactory(username="amir@example.org", first_name="Amir")
    membership_grant(hub=hub, user=user, role=Role.APPROVER)
    return user


@pytest.fixture
def officer(hub):
    user = UserFactory(username="olivia@example.org", first_name="Olivia")
    membership_grant(hub=hub, user=user, role=Role.HLO_STAFF)
    return user


@pytest.fixture
def hub_admin(hub):
    user = UserFactory(username="ada@example.org", first_name="Ada")
    membership_grant(hub=hub, user=user, role=Role.HUB_ADMIN)
    return user
