"""Who hears about a move, and when: nobody until the move has committed, then
whoever the commission now waits on, never the person who made the move.

A move writes its emails to notices' outbox in its own transaction; the test
transaction never commits, so each test runs the captured on-commit callback
(which sends the outbox) itself, after sending what earlier moves queued."""

from __future__ import annotations

import pytest
from django.core import mail

from commissioning import services as cs
from commissioning.models import Commission
from commissioning.policy import Refused
from commissioning.workflow import Stage
from hubs.models import Role
from hubs.services import membership_grant
from notices.services import outbox_deliver

pytestmark = pytest.mark.django_db


def drafted(cast, pipeline) -> Commission:
    flow = pipeline(cast)
    commission = flow._open("Inclusive ensembles")
    flow.identify(commission)
    flow.award(commission)
    commission.refresh_from_db()
    assert commission.status == Stage.DRAFT
    settle()
    return commission


def settle() -> None:
    """Send what earlier moves queued, and forget it."""
    outbox_deliver()
    mail.outbox.clear()


def recipients(outbox) -> list[str]:
    return sorted(to for message in outbox for to in message.to)


def commit(callbacks) -> None:
    for callback in callbacks:
        callback()


def test_it_tells_the_board_only_after_commit(
    build, pipeline, django_capture_on_commit_callbacks, mailoutbox
):
    cast = build("herts")
    commission = drafted(cast, pipeline)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        cs.commission_send_to_board(commission=commission, user=cast.officer)

    assert callbacks  # the delivery (and the unread counts' renewal) wait for the commit
    assert mailoutbox == []
    commit(callbacks)
    assert recipients(mailoutbox) == sorted(member.email for member in cast.board)
    message = mailoutbox[0]
    assert message.subject == (
        f"[Hertfordshire Music Hub] {commission.reference}: With the board for comment"
    )
    assert "Send the draft to the board for comment by Olivia Officer." in message.body


def test_submitting_for_approval_tells_the_approver(
    build, pipeline, django_capture_on_commit_callbacks, mailoutbox
):
    cast = build("kent")  # board comment is optional in Kent: straight to approval
    commission = drafted(cast, pipeline)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        cs.commission_submit_for_approval(commission=commission, user=cast.officer)

    assert mailoutbox == []
    commit(callbacks)
    assert recipients(mailoutbox) == [cast.approver.email]
    assert mailoutbox[0].subject.endswith(": Awaiting approval")


def test_approving_tells_the_awarded_partners_contact(
    build, pipeline, django_capture_on_commit_callbacks, mailoutbox
):
    cast = build("kent")
    commission = drafted(cast, pipeline)
    cs.commission_submit_for_approval(commission=commission, user=cast.officer)
    commission.refresh_from_db()
    settle()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        cs.commission_approve(commission=commission, user=cast.approver)

    assert mailoutbox == []
    commit(callbacks)
    awarded = cast.partners["medway"]
    assert commission.partner == awarded
    # Only the awarded partner's contact: not the other partners' contacts.
    assert recipients(mailoutbox) == [cast.contacts[awarded.pk].email]
    assert mailoutbox[0].subject.endswith(": Approved, awaiting signature")


def test_a_refused_move_sends_nothing(
    build, pipeline, django_capture_on_commit_callbacks, mailoutbox
):
    cast = build("herts")
    commission = drafted(cast, pipeline)

    # Hertfordshire's board must comment before approval.
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Refused) as refused,
    ):
        cs.commission_submit_for_approval(commission=commission, user=cast.officer)

    assert refused.value.rule == "board_comment_required"
    assert callbacks == []
    assert mailoutbox == []


def test_the_actor_is_not_told_about_their_own_move(
    build, pipeline, django_capture_on_commit_callbacks, mailoutbox
):
    cast = build("herts")
    # The officer also sits on the board, so would otherwise hear of it.
    membership_grant(hub=cast.hub, user=cast.officer, role=Role.BOARD_MEMBER)
    commission = drafted(cast, pipeline)

    with django_capture_on_commit_callbacks(execute=True):
        cs.commission_send_to_board(commission=commission, user=cast.officer)

    assert cast.officer.email not in recipients(mailoutbox)
    assert recipients(mailoutbox) == sorted(member.email for member in cast.board)
