"""Notifications travel through a real broker to a real worker, and only
after the move that caused them has committed. (A move writes its emails to
notices' outbox in its own transaction; after the commit it asks a worker to
send the outbox.)

The worker runs in a thread of this process (celery.contrib.testing), so it
shares django.core.mail.outbox with the test; it has its own database
connection, so the rows it reads must really be committed: transactional_db.
It consumes a queue of its own, so stray messages left in the test Redis
database by an earlier run cannot reach it.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import before_task_publish, task_prerun
from django.conf import settings
from django.core import mail
from django.db import connection, connections, transaction

from commissioning import services as cs
from config.celery import app
from hubs.refusals import Refused
from notices.tasks import deliver_outbox

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(
        not settings.REDIS_URL, reason="needs a Redis broker: set REDIS_URL to run it"
    ),
    # A transactional test ends by flushing the tables; on SQLite the flush is a
    # DELETE, which the transition log's delete trigger (migration 0003) refuses.
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="SQLite cannot be flushed after a transactional test while the transition "
        "log's delete trigger stands; CI runs this with PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]

WAIT_SECONDS = 20
TASK = deliver_outbox.name


class Traffic:
    """What went onto the broker, and which thread ran each task."""

    def __init__(self) -> None:
        self.published: list[str] = []
        self.ran_in: list[threading.Thread] = []

    def on_publish(self, sender=None, **_) -> None:
        self.published.append(sender)

    def on_prerun(self, sender=None, **_) -> None:
        if sender is not None and sender.name == TASK:
            self.ran_in.append(threading.current_thread())


@contextmanager
def real_worker(monkeypatch) -> Iterator[Traffic]:
    """config.celery.app with eager mode off, Redis as broker and result
    backend, and a worker thread consuming a queue private to this test."""
    queue = f"hubcommission-test-{uuid.uuid4().hex[:12]}"
    overrides = {
        "task_always_eager": False,
        "broker_url": settings.REDIS_URL,
        "result_backend": settings.REDIS_URL,
        "worker_hijack_root_logger": False,
    }
    saved = {key: app.conf[key] for key in overrides}
    saved_consume_from = app.amqp.queues._consume_from
    task = app.tasks[TASK]
    monkeypatch.setattr(task, "queue", queue, raising=False)
    monkeypatch.setattr(task, "_exec_options", None)  # celery caches the routing options
    traffic = Traffic()
    before_task_publish.connect(traffic.on_publish, weak=False)
    task_prerun.connect(traffic.on_prerun, weak=False)
    app.conf.update(overrides)
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=20
        ):
            yield traffic
    finally:
        app.conf.update(saved)
        app.amqp.queues._consume_from = saved_consume_from
        before_task_publish.disconnect(traffic.on_publish)
        task_prerun.disconnect(traffic.on_prerun)
        connections.close_all()
        # kombu leaves the private queue's binding keys behind in Redis.
        with redis.Redis.from_url(settings.REDIS_URL) as client:
            client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


def wait_for_mail(count: int) -> list:
    deadline = time.monotonic() + WAIT_SECONDS
    while len(mail.outbox) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return list(mail.outbox)


def herts_draft(build, pipeline):
    cast = build("herts")
    flow = pipeline(cast)
    commission = flow._open("Inclusive ensembles in Stevenage")
    flow.identify(commission)
    flow.award(commission)
    return cast, commission


def test_it_emails_the_board_from_the_worker_after_commit(build, pipeline, monkeypatch):
    cast, commission = herts_draft(build, pipeline)  # set up eagerly, before the worker
    mail.outbox.clear()

    with real_worker(monkeypatch) as traffic:
        with transaction.atomic():
            cs.commission_send_to_board(commission=commission, user=cast.officer)
            assert traffic.published == [], "enqueued before the move committed"
        assert traffic.published == [TASK]

        sent = wait_for_mail(2)

    assert sorted(to for m in sent for to in m.to) == sorted(m.email for m in cast.board)
    assert all("With the board for comment" in m.subject for m in sent)
    assert len(traffic.ran_in) == 1
    assert traffic.ran_in[0] is not threading.main_thread(), "the task ran eagerly"


def test_a_refused_move_enqueues_nothing(build, pipeline, monkeypatch):
    cast, commission = herts_draft(build, pipeline)
    mail.outbox.clear()

    with real_worker(monkeypatch) as traffic:
        # Hertfordshire's board must comment first, so this is refused.
        with pytest.raises(Refused) as refused:
            cs.commission_submit_for_approval(commission=commission, user=cast.officer)
        assert refused.value.rule == "board_comment_required"
        assert traffic.published == []

        # A move that is allowed goes through the same queue; once its mail has
        # arrived, anything the refusal had queued would have arrived before it.
        cs.commission_send_to_board(commission=commission, user=cast.officer)
        sent = wait_for_mail(2)

    assert traffic.published == [TASK]
    assert len(sent) == 2
    assert sorted(to for m in sent for to in m.to) == sorted(m.email for m in cast.board)
