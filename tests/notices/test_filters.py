"""The activity feed's search and "Unread only", for the person's own
notifications in this hub alone."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notices.models import Notification
from notices.services import notify
from tests.auth_helpers import sign_in

pytestmark = pytest.mark.django_db


def _feed(client, hub, **params):
    response = client.get(reverse("notices:feed", args=[hub.slug]), params)
    assert response.status_code == 200
    return response


def _subjects(client, hub, **params) -> list[str]:
    return [n.subject for n in _feed(client, hub, **params).context["page"].object_list]


def test_the_feed_searches_and_shows_unread_only(client, build):
    cast = build("herts")
    kent = build("kent")
    me = cast.officer
    notify(hub=cast.hub, recipients=[me], kind="t", subject="Report due: Soundwaves")
    notify(hub=cast.hub, recipients=[me], kind="t", subject="Board comment closes", body="Strings")
    notify(hub=cast.hub, recipients=[cast.approver], kind="t", subject="Someone else's strings")
    notify(hub=kent.hub, recipients=[me], kind="t", subject="Strings in Kent")
    Notification.objects.filter(subject="Report due: Soundwaves").update(read_at=timezone.now())
    sign_in(client, me)
    assert _subjects(client, cast.hub, q="strings") == ["Board comment closes"]
    assert _subjects(client, cast.hub, q="soundwaves") == ["Report due: Soundwaves"]
    assert _subjects(client, cast.hub, unread="on") == ["Board comment closes"]
    assert _subjects(client, cast.hub, unread="on", q="soundwaves") == []
    assert "0 notifications match" in _feed(client, cast.hub, q="nothing").content.decode()


def test_the_searched_feed_costs_the_same_queries_for_3_or_30(client, build):
    cast = build("herts")
    me = cast.officer
    sign_in(client, me)
    url = reverse("notices:feed", args=[cast.hub.slug])
    params = {"q": "report", "unread": "on"}

    def tell(n: int) -> None:
        for i in range(n):
            notify(hub=cast.hub, recipients=[me], kind="t", subject=f"Report {i} due")

    def queries() -> int:
        client.get(url, params)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, params).status_code == 200
        return len(ctx)

    tell(3)
    few = queries()
    tell(27)
    assert queries() == few
    assert "30 notifications match" in client.get(url, params).content.decode()
