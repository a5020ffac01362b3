"""People for the sign-in tests, one of each role in one hub, each with a
password (factories use the fast test hasher)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from hubs.models import Role
from hubs.services import membership_grant
from tests.factories import HubPolicyFactory, PartnerFactory, ServiceAreaFactory, UserFactory

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


@pytest.fixture
def board_member(hub):
    user = UserFactory(username="bea@example.org", first_name="Bea")
    membership_grant(hub=hub, user=user, role=Role.BOARD_MEMBER)
    return user


@pytest.fixture
def chair(hub):
    user = UserFactory(username="chidi@example.org", first_name="Chidi")
    membership_grant(hub=hub, user=user, role=Role.BOARD_MEMBER, is_chair=True)
    return user


@pytest.fixture
def service_lead(hub):
    user = UserFactory(username="sam@example.org", first_name="Sam")
    area = ServiceAreaFactory(hub=hub)
    membership_grant(hub=hub, user=user, role=Role.SERVICE_LEAD, service_area=area)
    return user


@pytest.fixture
def partner_contact(hub):
    user = UserFactory(username="pat@example.org", first_name="Pat")
    partner = PartnerFactory(hub=hub)
    membership_grant(hub=hub, user=user, role=Role.PARTNER_CONTACT, partner=partner)
    return user
