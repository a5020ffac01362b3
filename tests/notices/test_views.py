"""The activity feed and the preferences page: every member of a hub has
their own, nobody else's; the header shows the unread count for one query."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notices.models import Delivery, NoticePreference, Notification
from notices.services import notify
from tests.access import assert_matrix, members, personas
from tests.auth_helpers import sign_in
from tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db

ACCESS_MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "notices:feed": ("get", members(200)),
    "notices:mark_read": ("post", members(302)),
    "notices:preferences": ("get", members(200)),
}


@pytest.fixture
def world(build, django_user_model):
    blmk, herts = build("blmk"), build("herts")
    return blmk, personas(blmk, herts, django_user_model)


@pytest.mark.parametrize("url_name", sorted(ACCESS_MATRIX))
def test_access_matrix(world, url_name):
    blmk, people = world
    method, expected = ACCESS_MATRIX[url_name]
    assert_matrix(people, url_name, [blmk.hub.slug], method, expected)


@pytest.fixture
def herts(build):
    return build("herts")


def feed_url(cast, **query) -> str:
    url = reverse("notices:feed", args=[cast.hub.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_feed_shows_only_my_notifications_newest_first(client, herts):
    notify(hub=herts.hub, recipients=[herts.officer], kind="t", subject="Older")
    notify(hub=herts.hub, recipients=[herts.officer], kind="t", subject="Newer")
    notify(hub=herts.hub, recipients=[herts.approver], kind="t", subject="Not yours")
    sign_in(client, herts.officer)
    page = client.get(feed_url(herts)).content.decode()
    assert page.index("Newer") < page.index("Older")
    assert "Not yours" not in page


def test_the_header_shows_the_unread_count(client, herts):
    for _ in range(3):
        NotificationFactory(hub=herts.hub, user=herts.officer)
    sign_in(client, herts.officer)
    page = client.get(reverse("commissioning:dashboard", args=[herts.hub.slug])).content.decode()
    assert '<span class="count">3<span class="visually-hidden"> unread</span></span>' in page


def test_the_unread_count_costs_one_query_then_none_from_the_cache(client, herts):
    sign_in(client, herts.officer)
    url = reverse("commissioning:list", args=[herts.hub.slug])
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    counting = [q["sql"] for q in first if "notices_notification" in q["sql"]]
    assert len(counting) == 1
    assert not [q["sql"] for q in second if "notices_notification" in q["sql"]]


def test_marking_one_then_all_as_read(client, herts):
    first, *_ = (NotificationFactory(hub=herts.hub, user=herts.officer) for _ in "abc")
    sign_in(client, herts.officer)
    url = reverse("notices:mark_read", args=[herts.hub.slug])

    response = client.post(url, {"notification": first.pk, "page": "1"})
    assert response.status_code == 302 and response.url.endswith("?page=1")
    assert Notification.objects.filter(read_at__isnull=True).count() == 2

    client.post(url)
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    page = client.get(feed_url(herts)).content.decode()
    assert "Unread</span>" not in page


def test_nobody_marks_another_persons_notifications(client, herts):
    theirs = NotificationFactory(hub=herts.hub, user=herts.approver)
    sign_in(client, herts.officer)
    client.post(reverse("notices:mark_read", args=[herts.hub.slug]), {"notification": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_feed_is_paginated_at_constant_cost(client, herts):
    sign_in(client, herts.officer)
    client.get(feed_url(herts))  # the person's standing, read once and kept (hubs.access)
    NotificationFactory.create_batch(3, hub=herts.hub, user=herts.officer)
    with CaptureQueriesContext(connection) as few:
        client.get(feed_url(herts))
    NotificationFactory.create_batch(60, hub=herts.hub, user=herts.officer)
    with CaptureQueriesContext(connection) as many:
        response = client.get(feed_url(herts, page=2))
    assert len(many) == len(few) <= 15
    assert "Page 2 of 3" in response.content.decode()


def test_choosing_the_daily_digest(client, herts):
    sign_in(client, herts.officer)
    url = reverse("notices:preferences", args=[herts.hub.slug])
    page = client.get(url).content.decode()
    assert re.search(r'value="immediate"[^>]*checked', page), "immediate email is the default"

    response = client.post(url, {"delivery": Delivery.DIGEST})
    assert response.status_code == 302
    pref = NoticePreference.objects.get(user=herts.officer, hub=herts.hub)
    assert pref.delivery == Delivery.DIGEST
    assert "Saved. Email me one daily digest." in client.get(url).content.decode()


def test_a_preference_must_be_chosen(client, herts):
    sign_in(client, herts.officer)
    url = reverse("notices:preferences", args=[herts.hub.slug])
    response = client.post(url, {"delivery": "carrier-pigeon"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and 'href="#id_delivery_0"' in page
    assert 'aria-describedby="delivery-hint delivery-error"' in page
    assert not NoticePreference.objects.exists()
