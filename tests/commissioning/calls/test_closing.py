"""Calls close themselves at their deadline: a beat task every five minutes
closes each due call once, however often and however concurrently it runs."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from commissioning.calls.closing import calls_close_due, close_due_calls
from commissioning.models import Call
from config.celery import app
from tests.commissioning.scoring.test_services import open_call

ROUNDS = 3


def _calls(cast, pipeline, *, due: int, open_: int = 0) -> list[Call]:
    calls = []
    for i in range(due + open_):
        call = open_call(cast, pipeline, title=f"Call {i}")
        call.closes_at = timezone.now() + (
            timedelta(minutes=-1 - i) if i < due else timedelta(days=1)
        )
        call.save(update_fields=["closes_at"])
        calls.append(call)
    return calls


@pytest.mark.django_db
def test_it_closes_due_calls_once_however_often_it_runs(build, pipeline):
    cast = build("kent")
    calls = _calls(cast, pipeline, due=3, open_=1)

    assert close_due_calls() == 3  # as beat runs it
    first = {c.pk: c.closed_at for c in Call.objects.filter(closed_at__isnull=False)}
    assert close_due_calls() == 0

    assert set(first) == {c.pk for c in calls[:3]}
    assert dict(Call.objects.filter(closed_at__isnull=False).values_list("pk", "closed_at")) == (
        first
    )
    still_open = Call.objects.get(pk=calls[3].pk)
    assert still_open.closed_at is None and still_open.is_open()


@pytest.mark.django_db
def test_a_call_closes_at_its_deadline_not_before(build, pipeline):
    cast = build("kent")
    [call] = _calls(cast, pipeline, due=0, open_=1)
    assert calls_close_due(now=call.closes_at - timedelta(seconds=1)) == 0
    assert calls_close_due(now=call.closes_at) == 1
    call.refresh_from_db()
    assert call.closed_at == call.closes_at


def test_beat_runs_it_every_five_minutes_and_the_worker_knows_it():
    entry = settings.CELERY_BEAT_SCHEDULE["close-due-calls"]
    assert entry["task"] == close_due_calls.name == "commissioning.close_due_calls"
    assert entry["schedule"] == timedelta(minutes=5)
    app.loader.import_default_modules()  # what a worker and beat import at start
    assert "commissioning.close_due_calls" in app.tasks


def _race(sweeps: int) -> list[int]:
    """`sweeps` threads run the task at the same moment, each on its own
    connection; what each closed."""
    counts: list[int] = []
    failures: list[BaseException] = []
    barrier = threading.Barrier(sweeps)
    lock = threading.Lock()

    def sweep() -> None:
        try:
            barrier.wait(timeout=10)
            closed = close_due_calls()
            with lock:
                counts.append(closed)
        except BaseException as exc:  # collected and asserted on below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(sweeps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not failures, failures
    return counts


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_close_each_call_once(build, pipeline):
    cast = build("kent")
    # Several rounds: a race that passes once by luck should not pass three times.
    for round_ in range(ROUNDS):
        calls = _calls(cast, pipeline, due=20)
        closed_before = set(Call.objects.filter(closed_at__isnull=False).values_list("pk"))

        counts = _race(2)

        assert sum(counts) == 20, f"round {round_}: {counts}"
        assert not Call.objects.filter(pk__in=[c.pk for c in calls], closed_at__isnull=True)
        assert set(Call.objects.filter(closed_at__isnull=False).values_list("pk")) == (
            closed_before | {(c.pk,) for c in calls}
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_sweep_waits_for_one_in_progress_and_closes_nothing_twice(build, pipeline):
    """The first sweep holds its row locks (its transaction still open) while
    the second runs: the second waits, re-reads the rows, finds them closed."""
    cast = build("kent")
    calls = _calls(cast, pipeline, due=5)
    first_updated, second_started = threading.Event(), threading.Event()
    results: dict[str, int] = {}
    failures: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                results["first"] = calls_close_due()
                first_updated.set()
                second_started.wait(timeout=10)
                threading.Event().wait(0.5)  # the second sweep is now blocked on our locks
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    def second() -> None:
        try:
            first_updated.wait(timeout=10)
            second_started.set()
            results["second"] = calls_close_due()
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not failures, failures
    assert results == {"first": 5, "second": 0}
    closed_at = set(Call.objects.filter(pk__in=[c.pk for c in calls]).values_list("closed_at"))
    assert len(closed_at) == 1  # all five closed by the first sweep, at its time
