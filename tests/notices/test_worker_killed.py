"""A real Celery worker, on Redis, killed (SIGKILL) while it sends the outbox
to a real SMTP server: of fifty good messages and one the mail library
refuses, each good one arrives exactly once and the bad one is marked failed,
once, with its error (issue 13).

The worker and the mail server (aiosmtpd, tests/notices/smtp_sink.py) are
subprocesses of the test, so the worker can be killed for real; the worker
reads the test database, so the rows must be committed: transactional_db.
The worker consumes a queue of its own.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.db.models import Count, F

from config.celery import app
from notices.delivery import SENDING_TIMEOUT
from notices.models import OutboxMessage, OutboxStatus
from notices.tasks import deliver_outbox
from tests.notices.helpers import POISON

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs a Redis broker: set REDIS_URL"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(settings.BASE_DIR)
SINK = Path(__file__).with_name("smtp_sink.py")
GOOD = 50
KILLED_AFTER = 20  # messages the mail server has accepted when the worker dies
WAIT_SECONDS = 60


def wait_until(condition: Callable[[], object], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting: {what}")
        time.sleep(0.02)


class MailServer:
    def __init__(self, port: int, log: Path) -> None:
        self.port = port
        self.log = log

    def events(self) -> list[dict]:
        return [json.loads(line) for line in self.log.read_text().splitlines()]

    def arrived(self) -> list[str]:
        return [to for e in self.events() if e["event"] == "data" for to in e["to"]]


@contextmanager
def mail_server(tmp_path: Path, stall_at: int) -> Iterator[MailServer]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "smtp.jsonl"
    log.touch()
    with open(tmp_path / "smtp.out", "wb") as out:
        process = subprocess.Popen(
            [sys.executable, str(SINK), str(port), str(log), str(stall_at)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until(lambda: _listening(port), "the mail server to listen")
        yield MailServer(port, log)
    finally:
        process.terminate()
        process.wait(timeout=10)


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """`celery worker` in a process group of its own, logging to a file."""

    def __init__(self, tmp_path: Path, name: str, queue: str, smtp_port: int) -> None:
        self.log = tmp_path / f"{name}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.notices.worker_settings",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "TEST_SMTP_PORT": str(smtp_port),
        }
        command = [sys.executable, "-m", "celery", "-A", "config.celery", "worker"]
        command += ["--pool", "solo", "-Q", queue, "-n", f"{name}-{queue}@%h", "-l", "INFO"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def runs(self) -> list[int]:
        """What each finished run of the task returned (the number sent)."""
        marker = f"{deliver_outbox.name}["
        lines = self.log.read_text(errors="replace").splitlines()
        done = [line for line in lines if marker in line and "succeeded" in line]
        return [int(line.rsplit(":", 1)[1]) for line in done]

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # warm shutdown
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def tick(queue: str) -> None:
    """The beat's tick: ask a worker to send the outbox."""
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        deliver_outbox.apply_async(queue=queue)
    finally:
        app.conf.task_always_eager = saved


def forget_queue(queue: str) -> None:
    """Remove the queue from Redis, and the task the killed worker had taken
    and not acknowledged (acks_late), which Redis would hand out again in an
    hour."""
    with redis.Redis.from_url(settings.REDIS_URL) as client:
        for tag, raw in client.hgetall("unacked").items():
            if queue.encode() in raw:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


def statuses() -> dict[str, int]:
    rows = OutboxMessage.objects.values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def test_a_killed_worker_sends_each_of_fifty_once_and_fails_the_bad_one_once(tmp_path):
    good = [
        OutboxMessage(to_email=f"good{i:02}@example.org", subject=f"Notice {i}", body="Hello")
        for i in range(GOOD)
    ]
    poisoned = OutboxMessage(to_email="poisoned@example.org", subject=POISON, body="Hello")
    OutboxMessage.objects.bulk_create([*good[:5], poisoned, *good[5:]])  # sent in this order
    queue = f"hubcommission-test-{uuid.uuid4().hex[:12]}"

    try:
        with mail_server(tmp_path, stall_at=KILLED_AFTER + 1) as smtp:
            first = Worker(tmp_path, "first", queue, smtp.port)
            try:
                tick(queue)
                # The server has accepted twenty and keeps the worker waiting on the
                # twenty-first: the worker is mid-batch, mid-send.
                wait_until(
                    lambda: [e["event"] for e in smtp.events()].count("rcpt") > KILLED_AFTER,
                    "the first worker to reach the slow recipient",
                )
            finally:
                first.kill()
            assert len(smtp.arrived()) == KILLED_AFTER
            assert statuses() == {
                OutboxStatus.SENT: KILLED_AFTER,
                OutboxStatus.FAILED: 1,
                OutboxStatus.SENDING: 1,
                OutboxStatus.PENDING: GOOD - KILLED_AFTER - 1,
            }
            in_flight = OutboxMessage.objects.get(status=OutboxStatus.SENDING)
            assert in_flight.to_email == smtp.events()[-1]["to"]

            second = Worker(tmp_path, "second", queue, smtp.port)
            try:
                tick(queue)  # the next beat: the rest go; the one in flight is not yet due
                wait_until(lambda: len(second.runs()) == 1, "the second worker's first run")
                assert second.runs() == [GOOD - KILLED_AFTER - 1]
                in_flight.refresh_from_db()
                assert in_flight.status == OutboxStatus.SENDING

                # Fifteen minutes pass: the message the first worker died sending is
                # taken as abandoned and sent.
                OutboxMessage.objects.filter(pk=in_flight.pk).update(
                    claimed_at=F("claimed_at") - SENDING_TIMEOUT
                )
                tick(queue)
                tick(queue)  # and one more beat, which finds nothing to send
                wait_until(lambda: len(second.runs()) == 3, "the second worker's later runs")
                assert second.runs() == [GOOD - KILLED_AFTER - 1, 1, 0]
            finally:
                second.stop()
            arrived = smtp.arrived()
    finally:
        forget_queue(queue)

    assert Counter(arrived) == Counter(m.to_email for m in good), "each exactly once"
    assert statuses() == {OutboxStatus.SENT: GOOD, OutboxStatus.FAILED: 1}
    poisoned.refresh_from_db()
    assert (poisoned.status, poisoned.attempts) == (OutboxStatus.FAILED, 1)
    assert poisoned.last_error.startswith("BadHeaderError: Header values can't contain newlines")
