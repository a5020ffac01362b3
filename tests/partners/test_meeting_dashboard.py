"""Introductory meetings organisations ask for wait on the HLO's officers:
their dashboard lists each request not yet held, oldest first, with the
organisation, when it asked, what it said and the link to record it; a
meeting staff proposed, one held, another hub's and, for a service lead,
another area's are not theirs to act on. The list costs the same queries
however many requests wait."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hubs.models import Role
from hubs.services import membership_grant
from tests.auth_helpers import sign_in
from tests.factories import (
    HubFactory,
    HubPolicyFactory,
    IntroductoryMeetingFactory,
    PartnerFactory,
    ServiceAreaFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
HEADING = "Introductory meetings asked for"


@pytest.fixture
def hub():
    hub = HubFactory(name="Avon Music Hub", slug="avon", hlo_name="Avon Music Service")
    HubPolicyFactory(hub=hub)
    return hub


def _staff(hub, role=Role.HLO_STAFF, **extra):
    user = UserFactory()
    membership_grant(hub=hub, user=user, role=role, **extra)
    return user


def _asked(hub, name, *, days_ago=1, **extra):
    partner = PartnerFactory(hub=hub, name=name, is_existing_partner=False, **extra)
    return IntroductoryMeetingFactory(
        partner=partner,
        asked_at=timezone.now() - timedelta(days=days_ago),
        asked_by=UserFactory(first_name="Nia", last_name="Okonkwo"),
        proposed_for=date(2027, 1, 14),
    )


def _dashboard(user, hub) -> str:
    client = Client()
    sign_in(client, user)
    response = client.get(reverse("commissioning:dashboard", args=[hub.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_officer_sees_each_request_waiting_oldest_first(hub):
    officer = _staff(hub)
    _asked(hub, "Bristol Beat Collective", days_ago=1)
    _asked(hub, "Severn Strings", days_ago=5)
    held = _asked(hub, "Already Met Ensemble")
    held.held_on = timezone.localdate()
    held.save()
    proposed = _asked(hub, "Staff Proposed Choir")
    proposed.origin = "proposed"
    proposed.save()
    _asked(HubFactory(), "Another Hub's Band")

    page = _dashboard(officer, hub)
    assert HEADING in page
    assert page.index("Severn Strings") < page.index("Bristol Beat Collective")
    assert "by Nia Okonkwo; suggests 14 Jan 2027" in page
    assert "Weekday afternoons suit us." in page
    record = reverse("directory:meeting_record", args=[hub.slug, held.partner.pk])
    assert record not in page
    severn = hub.partners.get(name="Severn Strings")
    assert reverse("directory:meeting_record", args=[hub.slug, severn.pk]) in page
    for absent in ("Already Met Ensemble", "Staff Proposed Choir", "Another Hub's Band"):
        assert absent not in page


def test_a_service_lead_sees_its_own_areas_requests_and_others_see_none(hub):
    mine, theirs = ServiceAreaFactory(hub=hub, name="Bath"), ServiceAreaFactory(hub=hub)
    lead = _staff(hub, Role.SERVICE_LEAD, service_area=mine)
    _asked(hub, "Bath Brass", service_area=mine)
    _asked(hub, "Wells Winds", service_area=theirs)
    _asked(hub, "Anywhere Ukuleles")
    page = _dashboard(lead, hub)
    assert "Bath Brass" in page and "Anywhere Ukuleles" in page
    assert "Wells Winds" not in page

    board = _staff(hub, Role.BOARD_MEMBER)
    assert HEADING not in _dashboard(board, hub)
    asking = hub.partners.get(name="Bath Brass")
    contact = _staff(hub, Role.PARTNER_CONTACT, partner=asking)
    assert HEADING not in _dashboard(contact, hub)


def test_the_list_costs_the_same_queries_however_many_requests(hub, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    officer = _staff(hub)
    _asked(hub, "The First to Ask")
    client = Client()
    sign_in(client, officer)
    url = reverse("commissioning:dashboard", args=[hub.slug])
    client.get(url)  # the session and caches warmed
    with CaptureQueriesContext(connection) as one:
        assert "The First to Ask" in client.get(url).content.decode()
    for n in range(4):
        _asked(hub, f"Newcomer {n}")
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert all(f"Newcomer {n}" in page for n in range(4))
