"""The daily digest: one email a day per person who chose it, listing that
day's notifications in the hubs where they chose it; never twice."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from notices.models import Delivery, OutboxMessage
from notices.services import digests_send, outbox_deliver, preference_set
from notices.tasks import send_digests
from tests.factories import HubFactory, NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db


def on(day, hour: int):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def test_one_digest_per_person_per_day_once(mailoutbox):
    herts, kent = HubFactory(name="Herts"), HubFactory(name="Kent")
    reader, other = UserFactory(), UserFactory()
    preference_set(user=reader, hub=herts, delivery=Delivery.DIGEST)
    preference_set(user=reader, hub=kent, delivery=Delivery.DIGEST)
    yesterday = timezone.localdate() - timedelta(days=1)
    NotificationFactory(hub=herts, user=reader, subject="Herts 1", created_at=on(yesterday, 9))
    NotificationFactory(hub=kent, user=reader, subject="Kent 1", created_at=on(yesterday, 17))
    NotificationFactory(hub=herts, user=reader, subject="Today", created_at=timezone.now())
    NotificationFactory(hub=herts, user=other, subject="Immediate", created_at=on(yesterday, 9))

    assert digests_send() == 1
    assert send_digests.delay().get() == 0  # the next hourly tick: already queued
    outbox_deliver()

    assert len(mailoutbox) == 1
    digest = mailoutbox[0]
    assert digest.to == [reader.email]
    assert digest.subject == f"Your daily digest for {yesterday:%-d %B %Y}"
    assert "Herts 1" in digest.body and "Kent 1" in digest.body
    assert "Today" not in digest.body
    assert OutboxMessage.objects.get().dedupe_key == f"digest:{reader.pk}:{yesterday}"


def test_no_digest_for_a_quiet_day(mailoutbox):
    person = UserFactory()
    preference_set(user=person, hub=HubFactory(), delivery=Delivery.DIGEST)
    assert digests_send() == 0
