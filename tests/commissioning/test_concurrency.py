"""Two people acting on one commission at once: the row lock lets one move
through and refuses the other by name; a stale copy cannot overwrite a newer
stage; and the database itself keeps the transition log append-only.

These need real concurrent connections and PostgreSQL's row locks, so they
run only on PostgreSQL (tests/conftest.py skips them on SQLite).
"""

from __future__ import annotations

import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction
from django_fsm import ConcurrentTransition

from commissioning import services as cs
from commissioning.models import Commission, TransitionLog
from commissioning.policy import Refused
from commissioning.workflow import Stage
from hubs.models import Role
from hubs.services import membership_grant

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 3


def _awaiting_approval(cast, pipeline, title: str) -> Commission:
    flow = pipeline(cast)
    commission = flow._open(title)
    flow.identify(commission)
    flow.award(commission)
    flow.to_approval(commission)
    commission.refresh_from_db()
    assert commission.status == Stage.APPROVAL
    return commission


def _second_approver(cast, django_user_model):
    user = django_user_model.objects.create_user(
        username="second-approver@kent.demo",
        email="second-approver@kent.demo",
        first_name="Asha",
        last_name="Second",
    )
    membership_grant(hub=cast.hub, user=user, role=Role.APPROVER)
    return user


def _race(commission_pk: int, users: list) -> tuple[list, list[Exception]]:
    """Every user calls commission_approve at the same moment, each on their
    own connection and their own copy of the commission."""
    barrier = threading.Barrier(len(users))
    successes, failures = [], []
    lock = threading.Lock()

    def approve(user) -> None:
        try:
            commission = Commission.objects.get(pk=commission_pk)
            barrier.wait(timeout=10)
            log = cs.commission_approve(commission=commission, user=user)
            with lock:
                successes.append((user, log))
        except Exception as exc:  # collected and asserted on below
            with lock:
                failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "an approver never finished"
    return successes, failures


def test_two_approvers_at_once_only_one_approves(build, pipeline, django_user_model):
    cast = build("kent")
    second = _second_approver(cast, django_user_model)
    # Several rounds: a race that passes once by luck should not pass three times.
    for round_ in range(ROUNDS):
        commission = _awaiting_approval(cast, pipeline, f"Race {round_}")

        successes, failures = _race(commission.pk, [cast.approver, second])

        assert len(successes) == 1, failures
        assert len(failures) == 1
        refused = failures[0]
        assert isinstance(refused, Refused), repr(refused)
        assert refused.rule == "wrong_stage"
        assert "'Approved, awaiting signature'" in str(refused)
        commission.refresh_from_db()
        assert commission.status == Stage.ISSUED
        approvals = TransitionLog.objects.filter(commission=commission, action="approve")
        assert approvals.count() == 1
        winner, log = successes[0]
        assert approvals.get().actor == winner == log.actor


def test_a_stale_copy_cannot_overwrite_a_newer_stage(build, pipeline):
    cast = build("kent")
    commission = pipeline(cast)._open("Stale copy")
    fresh = Commission.objects.get(pk=commission.pk)
    stale = Commission.objects.get(pk=commission.pk)

    cs.commission_begin_identification(
        commission=fresh, user=cast.officer, route="existing_partner"
    )

    stale.begin_identification(route="existing_partner")
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        stale.save()
    assert Commission.objects.get(pk=commission.pk).status == Stage.IDENTIFY
    assert TransitionLog.objects.filter(commission=commission).count() == 2


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE commissioning_transitionlog SET reason = 'x'",
        "DELETE FROM commissioning_transitionlog",
    ],
    ids=["update", "delete"],
)
def test_the_database_refuses_to_rewrite_the_log(build, pipeline, statement):
    cast = build("kent")
    commission = pipeline(cast)._open("Logged")
    before = list(TransitionLog.objects.filter(commission=commission).values())
    assert before

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)

    assert list(TransitionLog.objects.filter(commission=commission).values()) == before
