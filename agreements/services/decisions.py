"""The board's comment and the approval. The first agreement's steps are
its commission's moves (the agreement follows them in follow_commission_move);
a renewal makes the same moves on its own (common.agreement_move). Board
comments close the window early once every member has commented.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from agreements.models import Agreement, BoardComment
from agreements.notifications import notify
from agreements.rules import board_comment_refusal, comment_response_refusal, commenting_step
from agreements.services.common import A, _lock, _lock_commission, agreement_move
from agreements.services.signing import agreement_pdf_request
from commissioning import services as cs
from commissioning.models import Commission
from hubs.refusals import raise_first
from hubs.routes import members_of

# ── board comment, approval ──────────────────────────────────────────────────


def agreement_send_to_board(*, agreement: Agreement, user: Any) -> Agreement:
    return _step(agreement, user, "send_to_board")


def agreement_submit_for_approval(*, agreement: Agreement, user: Any) -> Agreement:
    return _step(agreement, user, "submit_for_approval")


def agreement_close_board_comment(*, agreement: Agreement, user: Any) -> Agreement:
    return _step(agreement, user, "close_board_comment")


def agreement_approve(*, agreement: Agreement, user: Any, note: str = "") -> Agreement:
    agreement = _step(agreement, user, "approve", reason=note)
    agreement_pdf_request(agreement=agreement)
    return agreement


def agreement_return_to_draft(*, agreement: Agreement, user: Any, reason: str) -> Agreement:
    return _step(agreement, user, "return_to_draft", reason=reason)


def agreement_withdraw(*, agreement: Agreement, user: Any, reason: str) -> Agreement:
    """Withdraw a renewal (the first agreement is withdrawn with its commission)."""
    return _step(agreement, user, "withdraw", reason=reason)


# The steps the agreement's own page takes, and the service of each.
STEPS = {
    "send_to_board": agreement_send_to_board,
    "submit_for_approval": agreement_submit_for_approval,
    "close_board_comment": agreement_close_board_comment,
}


def _step(agreement: Agreement, user: Any, action: str, reason: str = "") -> Agreement:
    agreement = agreement_move(agreement, action, user, reason=reason)
    if not agreement.is_first:
        _notify_step(agreement, action)  # the commission's moves tell people themselves
    return agreement


def follow_commission_move(commission: Commission, log: Any) -> None:
    """Keep the first agreement in step with its commission, whichever page
    made the move (registered in commissioning/hooks.py): the agreement makes
    the move of the same name. Runs inside the move's transaction, after the
    commission's row was locked."""
    if not hasattr(Agreement, log.action):
        return
    agreement = Agreement.objects.select_for_update().filter(commission=commission, period_number=1)
    agreement = agreement.first()
    if agreement is None:
        return
    move = getattr(agreement, log.action)
    move(user=log.actor, reason=log.reason, closes_at=commission.board_comment_closes_at)
    agreement.save()


def _notify_step(agreement: Agreement, action: str) -> None:
    """A renewal's steps tell people here."""
    to = {
        "send_to_board": "board",
        "submit_for_approval": "approvers",
        "close_board_comment": "approvers",
        "approve": "partner",
        "return_to_draft": "officers",
        "withdraw": "officers",
    }
    notify(agreement=agreement, event=action, to=to[action])


def board_comment_add(
    *, agreement: Agreement, user: Any, body: str, section_key: str = "", form_key: str = ""
) -> BoardComment:
    """A board member's comment on the whole draft or one section. Once every
    member has commented, the window closes early and the draft can move on.
    A form sent twice (`form_key`, the form's own token) makes one comment."""
    form_key = (form_key or "")[:64]
    with transaction.atomic():
        commission = _lock_commission(agreement.commission)
        locked = _lock(agreement)
        if form_key:
            sent = BoardComment.objects.filter(agreement=locked, author=user, form_key=form_key)
            if (already := sent.first()) is not None:
                return already  # a replay: the comment is made already
        raise_first(board_comment_refusal(locked, user, body=body, section_key=section_key))
        try:
            with transaction.atomic():
                comment = BoardComment.objects.create(
                    agreement=locked,
                    version_number=locked.version_number,
                    section_key=section_key,
                    author=user,
                    body=body.strip(),
                    form_key=form_key,
                )
        except IntegrityError:  # the same form, at the same moment, on another connection
            return BoardComment.objects.get(agreement=locked, author=user, form_key=form_key)
        if locked.status == A.BOARD_COMMENT and _all_members_commented(locked):
            _close_window_now(locked, commission)
    notify(agreement=agreement, event="board_comment", to="officers")
    return comment


def board_comment_respond(*, comment: BoardComment, user: Any, response: str) -> BoardComment:
    with transaction.atomic():
        locked = BoardComment.objects.select_for_update().get(pk=comment.pk)
        raise_first(comment_response_refusal(comment.agreement, user, response=response))
        locked.response = response.strip()
        locked.responded_by, locked.responded_at = user, timezone.now()
        locked.save(update_fields=["response", "responded_by", "responded_at"])
    notify(agreement=comment.agreement, event="comment_response", to="author", comment=locked)
    return locked


def _all_members_commented(agreement: Agreement) -> bool:
    step = commenting_step(agreement)
    if step is None:
        return False
    members = set(members_of(step, agreement.commission).values_list("pk", flat=True))
    commented = set(agreement.board_comments.values_list("author_id", flat=True))
    return bool(members) and members <= commented


def _close_window_now(agreement: Agreement, commission: Commission) -> None:
    now = timezone.now()
    agreement.board_comment_closes_at = now
    agreement.save(update_fields=["board_comment_closes_at", "updated_at"])
    if agreement.is_first:
        # The window is the commission's: every member has spoken, so it
        # closes now and the officer can submit the draft for approval.
        cs.commission_close_comment_window(commission=commission, at=now)
