"""The lists the pages have none of (api.selectors) agree with the pages'
one-object helpers, for every demo person in every hub they belong to: an
agreement is listed if and only if `agreements.selectors.may_see` lets its
page show it, and its commission is one `commissions_visible` gives."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import RequestFactory

from agreements.models import Agreement
from agreements.selectors import may_see
from api import selectors as sel
from commissioning.selectors import commissions_visible
from hubs.access import hub_access
from hubs.models import Membership
from tests import demo_db

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[None]:
    with django_db_blocker.unblock():
        demo_db.load_demo()
        yield
        demo_db.flush()


def _standings():
    pairs = Membership.objects.values_list("hub__slug", "user").distinct().order_by("hub", "user")
    users = {m.user_id: m.user for m in Membership.objects.select_related("user")}
    for slug, user_id in pairs:
        request = RequestFactory().get("/")
        request.user = users[user_id]
        yield hub_access(request, slug)


def test_agreements_listed_are_those_their_pages_show(demo):
    checked = 0
    for access in _standings():
        visible = set(commissions_visible(access).values_list("pk", flat=True))
        hub_agreements = Agreement.objects.filter(hub=access.hub).select_related("commission")
        expected = {
            a.pk for a in hub_agreements if a.commission_id in visible and may_see(access, a)
        }
        assert set(sel.agreements_visible(access).values_list("pk", flat=True)) == expected, (
            access.hub.slug,
            access.user,
        )
        payments = set(sel.instalments_visible(access).values_list("agreement_id", flat=True))
        assert payments <= expected
        checked += 1
    assert checked > 30


def test_a_partner_contact_lists_only_its_own_organisations(demo):
    for access in _standings():
        listed = set(sel.partners_visible(access).values_list("pk", flat=True))
        if access.is_internal:
            assert listed == set(access.hub.partners.values_list("pk", flat=True))
        else:
            assert listed == set(access.partner_ids)
