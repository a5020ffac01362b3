"""Reminders: each is sent exactly once, however often the sweep runs, two
sweeps at once included; commissioning's sources find what is due and tell
the right people; the sweep's cost does not grow with the commissions."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commissioning.models import Commission
from commissioning.workflow import Stage
from hubs.models import Decider
from notices import reminders
from notices.management.commands.bench_reminders import build_dataset
from notices.models import Notification, OutboxMessage, Reminder
from notices.reminders import Due, reminders_sweep
from notices.services import outbox_deliver
from tests.factories import HubFactory, UserFactory

pytestmark = pytest.mark.django_db

COMMISSION_KINDS = ["board_comment_closing", "approval_waiting"]


def at_stage(cast, pipeline, title: str, stage: str, **fields) -> Commission:
    """A commission of the cast's hub put at a stage (setup only: the sources
    read the stage, they do not care how it got there)."""
    commission = pipeline(cast)._open(title)
    Commission.objects.filter(pk=commission.pk).update(status=stage, **fields)
    return commission


def days_ago(days: float):
    return timezone.now() - timedelta(days=days)


def told(kind: str) -> list[str]:
    rows = Notification.objects.filter(kind=kind).select_related("user")
    return sorted(n.user.email for n in rows)


# ── exactly once ─────────────────────────────────────────────────────────────


def test_sweeping_twice_sends_each_reminder_once(build, pipeline, mailoutbox):
    cast = build("herts")
    at_stage(
        cast,
        pipeline,
        "Closing soon",
        Stage.BOARD_COMMENT,
        board_comment_closes_at=timezone.now() + timedelta(hours=30),
    )
    at_stage(cast, pipeline, "Waiting", Stage.APPROVAL, stage_entered_at=days_ago(8))
    outbox_deliver()
    mailoutbox.clear()

    first = reminders_sweep(kinds=COMMISSION_KINDS)
    second = reminders_sweep(kinds=COMMISSION_KINDS)
    outbox_deliver()
    outbox_deliver()

    assert (first, second) == (2, 0)
    assert Reminder.objects.count() == 2
    assert told("board_comment_closing") == sorted(m.email for m in cast.board)
    assert told("approval_waiting") == [cast.approver.email]
    expected = len(cast.board) + 1
    assert len(mailoutbox) == expected, "one email per person per reminder"
    assert OutboxMessage.objects.count() == expected


def test_a_sweep_a_week_later_reminds_again_once(build, pipeline):
    cast = build("kent")
    at_stage(cast, pipeline, "Waiting", Stage.APPROVAL, stage_entered_at=days_ago(8))
    today = timezone.localdate()

    assert reminders_sweep(today=today, kinds=["approval_waiting"]) == 1
    assert reminders_sweep(today=today + timedelta(days=3), kinds=["approval_waiting"]) == 0
    assert reminders_sweep(today=today + timedelta(days=7), kinds=["approval_waiting"]) == 1
    assert reminders_sweep(today=today + timedelta(days=7), kinds=["approval_waiting"]) == 0
    assert Reminder.objects.filter(kind="approval_waiting").count() == 2


@pytest.fixture
def counted_source():
    """A registered source of three reminders (for one hub's two people),
    which can hold every sweep at a barrier once it has read what is due."""
    hub = HubFactory()
    people = [UserFactory(), UserFactory()]
    state = {"barrier": None}
    today = timezone.localdate()

    def source(_today):
        if state["barrier"] is not None:
            state["barrier"].wait(timeout=10)
        return [
            Due(
                hub_id=hub.pk,
                object_key=f"thing:{n}",
                due_on=today,
                recipients=people,
                subject=f"Thing {n} is due",
            )
            for n in range(3)
        ]

    reminders.register("test_thing", source)
    yield state
    reminders.unregister("test_thing")


def test_a_registered_source_is_swept_once(counted_source, mailoutbox):
    assert reminders_sweep(kinds=["test_thing"]) == 3
    assert reminders_sweep(kinds=["test_thing"]) == 0
    outbox_deliver()
    assert len(mailoutbox) == 6
    assert "test_thing" in reminders.registered()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_reminder_once(counted_source):
    """Both sweeps read what is due before either writes (the barrier), so
    both try to insert the same reminders; the unique key lets one win."""
    counted_source["barrier"] = threading.Barrier(2)
    results, errors = [], []

    def sweep():
        try:
            results.append(reminders_sweep(kinds=["test_thing"]))
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(results) == [0, 3], "one sweep sent all three, the other none"
    assert Reminder.objects.filter(kind="test_thing").count() == 3
    assert Notification.objects.filter(kind="test_thing").count() == 6
    assert OutboxMessage.objects.count() == 6


# ── commissioning's sources ──────────────────────────────────────────────────


def test_board_comment_closing_tells_the_board_within_two_days(build, pipeline):
    cast = build("herts")
    soon = timezone.now() + timedelta(days=1)
    at_stage(cast, pipeline, "Soon", Stage.BOARD_COMMENT, board_comment_closes_at=soon)
    at_stage(
        cast,
        pipeline,
        "Decommission soon",
        Stage.DECOMMISSION_BOARD_COMMENT,
        board_comment_closes_at=soon,
    )
    later = timezone.now() + timedelta(days=5)
    at_stage(cast, pipeline, "Later", Stage.BOARD_COMMENT, board_comment_closes_at=later)
    gone = days_ago(1)
    at_stage(cast, pipeline, "Closed", Stage.BOARD_COMMENT, board_comment_closes_at=gone)

    assert reminders_sweep(kinds=["board_comment_closing"]) == 2
    subjects = set(Notification.objects.values_list("subject", flat=True))
    assert all("board comments close" in s for s in subjects)
    assert Notification.objects.filter(user=cast.board[0]).count() == 2


def test_a_chair_who_decides_is_reminded_of_a_decommissioning_decision(build, pipeline):
    cast = build("leics")
    assert cast.hub.policies.first().decommission_decided_by == Decider.CHAIR
    at_stage(cast, pipeline, "Ending", Stage.DECOMMISSION_DECISION, stage_entered_at=days_ago(9))
    at_stage(cast, pipeline, "Fresh", Stage.DECOMMISSION_DECISION, stage_entered_at=days_ago(2))

    assert reminders_sweep(kinds=["approval_waiting"]) == 1
    assert told("approval_waiting") == [cast.chair.email]
    notification = Notification.objects.get(kind="approval_waiting")
    assert "waiting 9 days for a decision" in notification.subject
    assert notification.url.endswith("/")


def test_the_policy_review_is_due_then_overdue_each_once(build):
    cast = build("kent")
    policy = cast.hub.policies.order_by("-version").first()
    today = timezone.localdate()
    policy.next_review_on = today + timedelta(days=20)
    policy.save()
    kinds = ["policy_review_due", "policy_review_overdue"]

    assert reminders_sweep(today=today, kinds=kinds) == 1
    assert reminders_sweep(today=today + timedelta(days=10), kinds=kinds) == 0
    assert reminders_sweep(today=today + timedelta(days=21), kinds=kinds) == 1
    assert reminders_sweep(today=today + timedelta(days=40), kinds=kinds) == 0
    assert sorted(Reminder.objects.values_list("kind", flat=True)) == sorted(kinds)
    told_of_it = told("policy_review_due")
    assert cast.admin.email in told_of_it
    # The board, which reviews the policy, is reminded too.
    assert {member.email for member in cast.board} <= set(told_of_it)


# ── cost ─────────────────────────────────────────────────────────────────────


def sweep_queries() -> int:
    with CaptureQueriesContext(connection) as queries:
        sent = reminders_sweep(kinds=[*COMMISSION_KINDS, "policy_review_due"])
    assert sent > 0
    return len(queries)


@pytest.mark.postgres
def test_the_sweep_costs_the_same_queries_for_30_or_600_commissions():
    """Both datasets have something due of each kind (a source that finds
    nothing skips its query for people). PostgreSQL only: SQLite's
    999-parameter limit splits big inserts into batches."""
    build_dataset(hubs=1, per_hub=30)
    few = sweep_queries()
    few_sent = Reminder.objects.count()
    Reminder.objects.all().delete()
    build_dataset(hubs=2, per_hub=300)
    many = sweep_queries()
    assert Reminder.objects.count() > 10 * few_sent
    assert many == few <= 20


def test_the_benchmark_runs_and_leaves_nothing_behind(capsys):
    from django.core.management import call_command

    call_command("bench_reminders", hubs=2, per_hub=20)
    out = capsys.readouterr().out
    assert "first sweep:" in out and "second sweep: 0 reminders sent" in out
    assert not Commission.objects.exists() and not Reminder.objects.exists()
