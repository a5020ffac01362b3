"""A Celery task logs the id of the request that queued it: the id travels
in the task's message through a real broker (Redis) to a real worker."""

from __future__ import annotations

import time

import pytest
from celery.signals import task_prerun
from django.conf import settings

from config import request_id
from notices.delivery import enqueue
from notices.tasks import deliver_outbox
from tests.test_celery_worker import real_worker

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs a Redis broker: set REDIS_URL"),
    pytest.mark.django_db,
]


def test_the_worker_runs_the_task_under_the_id_of_the_request_that_queued_it(monkeypatch):
    seen: list[str | None] = []

    def after_ours(sender=None, **_) -> None:  # connected after config.request_id's
        if sender is not None and sender.name == deliver_outbox.name:
            seen.append(request_id.current_request_id())

    task_prerun.connect(after_ours, weak=False)
    try:
        with real_worker(monkeypatch):
            token = request_id._context.set({"request_id": "req-from-the-page-42"})
            try:
                assert enqueue(deliver_outbox)
            finally:
                request_id._context.reset(token)
            deadline = time.monotonic() + 20
            while not seen and time.monotonic() < deadline:
                time.sleep(0.05)
    finally:
        task_prerun.disconnect(after_ours)

    assert seen == ["req-from-the-page-42"]
    assert request_id.current_request_id() is None
