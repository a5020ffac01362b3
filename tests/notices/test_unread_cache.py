"""The unread count in the header is kept in the cache (notices.selectors.
unread_count_cached) and is never behind: a notification shows at once, and
marking read takes the count down at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notices.services import notify
from tests.auth_helpers import sign_in
from tests.factories import NotificationFactory
from tests.hubs.test_standing_cache import shared_cache  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def herts(build, shared_cache):  # noqa: F811
    return build("herts")


def badge(n: str) -> str:
    return f'<span class="count">{n}<span class="visually-hidden"> unread</span></span>'


def page(client, cast) -> str:
    return client.get(reverse("commissioning:list", args=[cast.hub.slug])).content.decode()


def test_a_new_notification_shows_at_once(client, herts):
    sign_in(client, herts.officer)
    assert 'class="count"' not in page(client, herts)
    notify(hub=herts.hub, recipients=[herts.officer], kind="t", subject="One")
    assert badge("1") in page(client, herts)
    notify(hub=herts.hub, recipients=[herts.officer, herts.approver], kind="t", subject="Two")
    assert badge("2") in page(client, herts)


def test_marking_read_takes_the_count_down_at_once(client, herts):
    for subject in "abc":
        notify(hub=herts.hub, recipients=[herts.officer], kind="t", subject=subject)
    sign_in(client, herts.officer)
    assert badge("3") in page(client, herts)
    mark = reverse("notices:mark_read", args=[herts.hub.slug])
    first = herts.officer.notifications.order_by("pk").first()
    client.post(mark, {"notification": first.pk})
    assert badge("2") in page(client, herts)
    client.post(mark)
    assert 'class="count"' not in page(client, herts)


def test_someone_elses_notification_leaves_my_count(client, herts):
    sign_in(client, herts.officer)
    notify(hub=herts.hub, recipients=[herts.officer], kind="t", subject="Mine")
    assert badge("1") in page(client, herts)
    notify(hub=herts.hub, recipients=[herts.approver], kind="t", subject="Theirs")
    with CaptureQueriesContext(connection) as queries:
        assert badge("1") in page(client, herts)
    assert not [q for q in queries.captured_queries if "notices_notification" in q["sql"]]


def test_a_notification_saved_another_way_shows_at_once(client, herts):
    sign_in(client, herts.officer)
    assert 'class="count"' not in page(client, herts)
    NotificationFactory(hub=herts.hub, user=herts.officer)
    assert badge("1") in page(client, herts)
