"""The outbox against real infrastructure: two workers sending at once never
send one message twice and neither waits on the other (PostgreSQL row locks;
each message is claimed and committed as sending before it goes), and an email
queued while the broker was down is sent by a real worker once the broker is
back (Redis)."""

from __future__ import annotations

import threading
import time

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, connections

from config.celery import app
from hubs.models import Role
from hubs.services import membership_grant
from notices import delivery
from notices.models import OutboxMessage, OutboxStatus
from notices.services import notify, outbox_deliver
from notices.tasks import deliver_outbox
from tests.factories import HubFactory, UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor == "sqlite", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def test_two_workers_at_once_send_each_message_once(monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(delivery, "_kick_delivery", lambda: None)  # queued, not yet sent
        notify(hub=HubFactory(), recipients=UserFactory.create_batch(3), kind="t", subject="Hi")
    assert OutboxMessage.objects.filter(status=OutboxStatus.PENDING).count() == 3
    holding = threading.Event()
    release = threading.Event()
    real_send = mail.EmailMessage.send

    def slow_send(self, *args, **kwargs):
        # The first worker holds its locked rows while "talking to the mail server".
        if threading.current_thread().name == "first":
            holding.set()
            release.wait(timeout=10)
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", slow_send)
    sent = {}

    def worker():
        try:
            sent[threading.current_thread().name] = outbox_deliver()
        finally:
            connections.close_all()

    first = threading.Thread(target=worker, name="first")
    first.start()
    assert holding.wait(timeout=10)
    second = threading.Thread(target=worker, name="second")
    second.start()
    second.join(timeout=10)  # sends the others instead of waiting for the first
    assert not second.is_alive()
    release.set()
    first.join(timeout=10)

    assert sent == {"first": 1, "second": 2}
    assert len(mail.outbox) == 3
    assert len({m.to[0] for m in mail.outbox}) == 3
    assert OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == 3


def test_each_message_is_committed_as_sending_before_it_goes_and_as_sent_after(monkeypatch):
    OutboxMessage.objects.bulk_create(
        OutboxMessage(to_email=f"p{i}@example.org", subject="Hi", body="Hello") for i in range(3)
    )
    seen = []
    real_send = mail.EmailMessage.send

    def watched_send(self, *args, **kwargs):
        # What another connection (a worker that starts after a crash) sees
        # while this one talks to the mail server.
        def look():
            try:
                seen.append(dict(OutboxMessage.objects.values_list("to_email", "status")))
            finally:
                connections.close_all()

        other = threading.Thread(target=look)
        other.start()
        other.join(timeout=10)
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", watched_send)
    assert outbox_deliver() == 3

    pending, sending, sent = OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.SENT
    assert seen == [
        {"p0@example.org": sending, "p1@example.org": pending, "p2@example.org": pending},
        {"p0@example.org": sent, "p1@example.org": sending, "p2@example.org": pending},
        {"p0@example.org": sent, "p1@example.org": sent, "p2@example.org": sending},
    ]


def forget_connections() -> None:
    app._pool = None
    app.amqp._producer_pool = None


@pytest.mark.redis
@pytest.mark.skipif(not settings.REDIS_URL, reason="needs a Redis broker: set REDIS_URL")
def test_a_real_worker_sends_what_was_queued_while_the_broker_was_down(
    build, pipeline, monkeypatch
):
    from tests.test_celery_worker import real_worker, wait_for_mail

    cast = build("herts")
    colleagues = UserFactory.create_batch(2)
    for person in colleagues:
        membership_grant(hub=cast.hub, user=person, role=Role.HLO_STAFF)
    flow = pipeline(cast)
    commission = flow._open("Inclusive ensembles")
    outbox_deliver()
    mail.outbox.clear()

    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    forget_connections()
    app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:1/0")
    try:
        flow.identify(commission)  # commits; asking a worker fails, and is logged
    finally:
        app.conf.update(saved)
        forget_connections()
    pending = OutboxMessage.objects.filter(status=OutboxStatus.PENDING)
    assert pending.count() == 2
    assert mail.outbox == []

    with real_worker(monkeypatch):
        deliver_outbox.delay()  # the beat's tick once the broker is back
        deliver_outbox.delay()  # and the next one
        sent = wait_for_mail(2)
        time.sleep(1)  # time for a second copy to arrive, were one sent

    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in colleagues)
    assert len(sent) == 2 and len(mail.outbox) == 2
    assert not pending.exists()
