"""The person's standing in a hub is kept in the cache between requests
(hubs.standing_cache), and never grants more than the database: whatever
changes a role is read on the person's very next request.

Run with the embedded default cache (memory) and, when REDIS_URL is set, with
a real Redis as production has it."""

from __future__ import annotations

import os

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hubs.models import Membership, Role
from hubs.services import membership_grant, membership_revoke
from tests.auth_helpers import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CACHES = {"memory": LOCMEM}
if os.environ.get("REDIS_URL"):
    CACHES["redis"] = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "test-standing",
        }
    }


@pytest.fixture(params=sorted(CACHES))
def shared_cache(request):
    with override_settings(CACHES=CACHES[request.param]):
        from django.core.cache import cache

        cache.clear()
        yield cache
        cache.clear()


@pytest.fixture
def herts(build, shared_cache):
    return build("herts")


def dashboard(cast) -> str:
    return reverse("commissioning:dashboard", args=[cast.hub.slug])


def standing_queries(queries) -> list[str]:
    """hub_access's own: the hub by its slug, the hub-wide grants, the areas
    led and organisations spoken for (one union)."""
    reads = (
        'WHERE "hubs_hub"."slug" =',
        'FROM "hubs_hubuserobjectpermission"',
        'FROM "hubs_serviceareauserobjectpermission"',
    )
    return [q["sql"] for q in queries if any(r in q["sql"] for r in reads)]


def test_the_second_page_reads_no_standing(client, herts):
    sign_in(client, herts.officer)
    with CaptureQueriesContext(connection) as first:
        assert client.get(dashboard(herts)).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get(dashboard(herts)).status_code == 200
    assert standing_queries(first.captured_queries)
    assert not standing_queries(second.captured_queries)
    assert len(second) < len(first)


def test_a_revoked_role_takes_effect_on_the_next_request(client, herts):
    sign_in(client, herts.officer)
    assert client.get(dashboard(herts)).status_code == 200
    for membership in Membership.objects.filter(hub=herts.hub, user=herts.officer):
        membership_revoke(membership=membership)
    assert client.get(dashboard(herts)).status_code == 404


def test_a_role_taken_away_in_part_shows_at_once(client, herts):
    """An approver who was HLO staff too loses the staff role: the next page
    no longer offers the commissions' record as staff."""
    person = herts.approver
    membership_grant(hub=herts.hub, user=person, role=Role.HLO_STAFF)
    sign_in(client, person)
    client.get(dashboard(herts))
    assert "HLO staff" in client.get(dashboard(herts)).content.decode()
    membership_revoke(membership=Membership.objects.get(user=person, role=Role.HLO_STAFF))
    page = client.get(dashboard(herts)).content.decode()
    assert "HLO staff" not in page and "Approver" in page


def test_a_granted_role_takes_effect_on_the_next_request(client, herts):
    newcomer = UserFactory()
    sign_in(client, newcomer)
    assert client.get(dashboard(herts)).status_code == 404  # and that is cached too
    partner = next(iter(herts.partners.values()))
    membership_grant(hub=herts.hub, user=newcomer, role=Role.PARTNER_CONTACT, partner=partner)
    assert client.get(dashboard(herts)).status_code == 200


def test_a_deleted_partner_takes_its_contact_out_at_once(client, herts):
    partner_id, contact = next(iter(herts.contacts.items()))
    sign_in(client, contact)
    assert client.get(dashboard(herts)).status_code == 200
    herts.hub.partners.get(pk=partner_id).delete()  # cascades the membership, no service
    assert client.get(dashboard(herts)).status_code == 404


def test_a_deleted_hub_is_gone_at_once(client, herts):
    sign_in(client, herts.officer)
    assert client.get(dashboard(herts)).status_code == 200
    herts.hub.delete()
    assert client.get(dashboard(herts)).status_code == 404


def test_a_superuser_demoted_is_demoted_at_once(client, herts, django_user_model):
    root = django_user_model.objects.create_superuser("root@example.org", "root@example.org", "x")
    sign_in(client, root)
    assert client.get(dashboard(herts)).status_code == 200
    root.is_superuser = False
    root.save(update_fields=["is_superuser"])
    assert client.get(dashboard(herts)).status_code == 404


def test_the_hub_renamed_shows_at_once(client, herts):
    sign_in(client, herts.officer)
    client.get(dashboard(herts))
    herts.hub.name = "Hertfordshire Music Service, renamed"
    herts.hub.save()
    assert "renamed" in client.get(dashboard(herts)).content.decode()


def test_a_cache_that_does_not_answer_costs_only_queries(client, build):
    """Nothing listens on port 1: every cache call fails, every page reads
    the database as before the cache, and a revoked role still takes effect."""
    dead = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    cast = build("herts")
    with override_settings(CACHES=dead):
        sign_in(client, cast.officer)
        assert client.get(dashboard(cast)).status_code == 200
        for membership in Membership.objects.filter(hub=cast.hub, user=cast.officer):
            membership_revoke(membership=membership)
        assert client.get(dashboard(cast)).status_code == 404


def test_the_cached_navigation_follows_the_role_and_the_page(client, herts):
    """The layout's navigation is kept in the cache per hub, roles, page and
    unread count (templates/base.html): each of them changes what it shows."""
    person = herts.approver
    settings_link = f'href="{reverse("admin:index")}"'
    sign_in(client, person)
    assert settings_link not in client.get(dashboard(herts)).content.decode()

    membership_grant(hub=herts.hub, user=person, role=Role.HUB_ADMIN)
    assert settings_link in client.get(dashboard(herts)).content.decode()
    membership_revoke(membership=Membership.objects.get(user=person, role=Role.HUB_ADMIN))
    assert settings_link not in client.get(dashboard(herts)).content.decode()

    listing = reverse("commissioning:list", args=[herts.hub.slug])
    current = f'<a href="{listing}" aria-current="page">'
    assert current in client.get(listing).content.decode()
    assert current not in client.get(dashboard(herts)).content.decode()
