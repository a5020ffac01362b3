"""Board members commenting while the approver approves, at the same moment,
each on their own connection: nothing is lost. Every comment is either
saved before the decision (and counted as in front of the approver) or
refused in words after it; the approval goes through once.

PostgreSQL only (row locks); tests/conftest.py skips these on SQLite.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.utils import timezone

from agreements import services as ag
from agreements.models import Agreement, AgreementStatus, BoardComment
from commissioning.models import Commission, TransitionLog
from commissioning.workflow import Stage
from hubs.refusals import Refused

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 3


def _awaiting_approval_after_the_board(cast, pipeline, title: str) -> Agreement:
    p = pipeline(cast)
    c = p._open(title)
    p.identify(c)
    p.award(c)
    p.to_approval(c)  # herts: sent to the board, window passed, closed
    agreement = Agreement.objects.get(commission=c)
    assert agreement.status == AgreementStatus.APPROVAL
    assert agreement.board_comment_closes_at is not None
    return agreement


def _all_at_once(jobs) -> tuple[list, list[Exception]]:
    barrier = threading.Barrier(len(jobs))
    done, failed = [], []
    lock = threading.Lock()

    def run(job) -> None:
        try:
            barrier.wait(timeout=10)
            result = job()
            with lock:
                done.append(result)
        except Exception as exc:  # collected and asserted on below
            with lock:
                failed.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    return done, failed


def _comment(pk, member):
    return lambda: ag.board_comment_add(
        agreement=Agreement.objects.get(pk=pk), user=member, body=f"From {member}"
    )


def _approve(pk, approver):
    return lambda: ag.agreement_approve(
        agreement=Agreement.objects.get(pk=pk), user=approver, note="Agreed."
    )


def test_two_board_comments_and_an_approval_at_once_lose_nothing(build, pipeline):
    cast = build("herts")
    for round_ in range(ROUNDS):
        agreement = _awaiting_approval_after_the_board(cast, pipeline, f"Race {round_}")
        pk = agreement.pk

        _, failed = _all_at_once(
            [_comment(pk, cast.board[0]), _comment(pk, cast.board[1]), _approve(pk, cast.approver)]
        )

        assert all(isinstance(exc, Refused) for exc in failed), failed
        assert all("no longer taken" in str(exc) for exc in failed)
        saved = BoardComment.objects.filter(agreement_id=pk).count()
        assert saved + len(failed) == 2, "every comment was saved or refused in words"
        agreement.refresh_from_db()
        assert agreement.status == AgreementStatus.ISSUED
        assert agreement.comments_before_decision == saved, "the approver saw every saved one"
        commission = Commission.objects.get(pk=agreement.commission_id)
        assert commission.status == Stage.ISSUED
        assert TransitionLog.objects.filter(commission=commission, action="approve").count() == 1


def test_two_board_members_commenting_at_once_both_count(build, pipeline):
    cast = build("kent")
    p = pipeline(cast)
    c = p._open("Both comment")
    p.identify(c)
    p.award(c)
    agreement = Agreement.objects.get(commission=c)
    ag.agreement_send_to_board(agreement=agreement, user=cast.officer)
    pk = agreement.pk
    done, failed = _all_at_once([_comment(pk, member) for member in cast.board])
    assert failed == [] and len(done) == 2
    agreement.refresh_from_db()
    c.refresh_from_db()
    # Both members have spoken, so the window closed early, whoever came last.
    assert agreement.board_comment_closes_at <= timezone.now()
    assert c.board_comment_closes_at == agreement.board_comment_closes_at
    ag.agreement_close_board_comment(agreement=agreement, user=cast.officer)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.APPROVAL
