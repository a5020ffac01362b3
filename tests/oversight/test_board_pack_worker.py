"""A board pack made by a real Celery worker on Redis: asked for in a
request, queued only after that request's transaction commits, made in the
worker's thread, progress read back, the PDF downloaded. (The other board
pack tests run the task eagerly.)"""

from __future__ import annotations

import io
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import before_task_publish, task_prerun
from django.conf import settings
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from config.celery import app
from oversight.models import BoardPack, BoardPackStatus
from oversight.tasks import build_board_pack
from tests.auth_helpers import sign_in

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(
        not settings.REDIS_URL, reason="needs a Redis broker: set REDIS_URL to run it"
    ),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="a transactional test on SQLite cannot flush the transition log (see "
        "tests/test_celery_worker.py); CI runs this with PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]

TASK = build_board_pack.name


@contextmanager
def board_pack_worker(monkeypatch) -> Iterator[dict]:
    """As tests/test_celery_worker.real_worker, for the board pack task."""
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
    monkeypatch.setattr(task, "_exec_options", None)
    seen: dict = {"published": [], "ran_in": []}

    def on_publish(sender=None, **_):
        seen["published"].append(sender)

    def on_prerun(sender=None, **_):
        if sender is not None and sender.name == TASK:
            seen["ran_in"].append(threading.current_thread())

    before_task_publish.connect(on_publish, weak=False)
    task_prerun.connect(on_prerun, weak=False)
    app.conf.update(overrides)
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=20
        ):
            yield seen
    finally:
        app.conf.update(saved)
        app.amqp.queues._consume_from = saved_consume_from
        before_task_publish.disconnect(on_publish)
        task_prerun.disconnect(on_prerun)
        connections.close_all()
        with redis.Redis.from_url(settings.REDIS_URL) as client:
            client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


def test_a_worker_makes_the_pack_after_the_request_commits(
    client, build, pipeline, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    cast = build("kent")
    pipeline(cast).run()
    sign_in(client, cast.officer)
    slug = cast.hub.slug
    meeting = (timezone.localdate() + timedelta(days=7)).isoformat()
    with board_pack_worker(monkeypatch) as seen:
        response = client.post(
            reverse("oversight:board_packs", args=[slug]), {"meeting_on": meeting}
        )
        assert response.status_code == 302
        assert seen["published"] == [TASK]
        pack = BoardPack.objects.get(hub=cast.hub)
        status_url = reverse("oversight:board_pack_status", args=[slug, pack.pk])
        progress = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            status = client.get(status_url).json()
            progress.append(status["progress"])
            if status["finished"]:
                break
            time.sleep(0.1)
    assert status["status"] == BoardPackStatus.READY, status
    assert progress == sorted(progress) and progress[-1] == 100
    assert seen["ran_in"] and seen["ran_in"][0] is not threading.main_thread()
    download = client.get(status["download"])
    data = b"".join(download.streaming_content)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "Kent & Medway Music Hub: board pack" in text
    assert "Medway Youth Strings" in text
