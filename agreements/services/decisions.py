"""The board's comment and the approval: the first agreement's steps are the
commission's moves (its status follows them in follow_commission_move); a
renewal runs the same steps on its own. Board comments close the window early
once every member has commented.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from agreements.models import OPEN_FOR_COMMENT, Agreement, BoardComment
from agreements.notifications import notify
from agreements.rules import (
    AgreementRefused,
    refuse,
    refuse_unless_board_member,
    refuse_unless_officer,
    renewal_refusal,
)
from agreements.services.common import STATUS_AFTER_MOVE, A, _lock, _lock_commission
from agreements.services.signing import agreement_pdf_request
from commissioning import services as cs
from commissioning.models import Commission
from commissioning.workflow import Stage
from hubs.models import Membership, Role

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
    if not reason.strip():
        raise AgreementRefused(
            "Give your reasons for returning the draft; the officer sees them.", field="reason"
        )
    return _step(agreement, user, "return_to_draft", reason=reason)


def _step(agreement: Agreement, user: Any, action: str, reason: str = "") -> Agreement:
    """One step of the agreement's route. For the first agreement it is the
    commission's move (whose rules and log apply); a renewal checks the same
    policy itself."""
    if agreement.is_first:
        moves = {
            "send_to_board": lambda c: cs.commission_send_to_board(commission=c, user=user),
            "submit_for_approval": lambda c: cs.commission_submit_for_approval(
                commission=c, user=user
            ),
            "close_board_comment": lambda c: cs.commission_close_board_comment(
                commission=c, user=user
            ),
            "approve": lambda c: cs.commission_approve(commission=c, user=user, reason=reason),
            "return_to_draft": lambda c: cs.commission_return_to_draft(
                commission=c, user=user, reason=reason
            ),
        }
        moves[action](agreement.commission)
    else:
        with transaction.atomic():
            _lock_commission(agreement.commission)
            locked = _lock(agreement)
            refuse(renewal_refusal(locked, action, user))
            _record_step(locked, action, user, reason)
            locked.save()
        _notify_step(agreement, action)
    agreement.refresh_from_db()
    return agreement


def follow_commission_move(commission: Commission, log: Any) -> None:
    """Keep the first agreement in step with its commission, whichever page
    made the move (registered in commissioning/hooks.py). Runs inside the
    move's transaction, after the commission's row was locked."""
    if log.action not in STATUS_AFTER_MOVE:
        return
    agreement = Agreement.objects.select_for_update().filter(commission=commission, period_number=1)
    agreement = agreement.first()
    if agreement is None:
        return
    if log.action == "send_to_board":
        agreement.board_comment_closes_at = commission.board_comment_closes_at
    _record_step(agreement, log.action, log.actor, log.reason)
    agreement.save()


def _record_step(agreement: Agreement, action: str, user: Any, reason: str) -> None:
    now = timezone.now()
    if action == "send_to_board" and agreement.board_comment_closes_at is None:
        days = agreement.commission.policy.comment_window_days
        agreement.board_comment_closes_at = now + timedelta(days=days)
    if action in ("submit_for_approval", "close_board_comment"):
        agreement.submitted_by = user
    if action in ("approve", "return_to_draft"):
        agreement.decided_by, agreement.decided_at = user, now
        agreement.decision_note = reason.strip()
        agreement.comments_before_decision = agreement.board_comments.count()
    if action == "approve":
        agreement.issued_at = now
    if action == "return_to_draft":
        agreement.board_comment_closes_at = None
    agreement.status = STATUS_AFTER_MOVE[action]


def _notify_step(agreement: Agreement, action: str) -> None:
    """A renewal's steps are not commission moves, so they tell people here."""
    to = {
        "send_to_board": "board",
        "submit_for_approval": "approvers",
        "close_board_comment": "approvers",
        "approve": "partner",
        "return_to_draft": "officers",
    }
    notify(agreement=agreement, event=action, to=to[action])


def board_comment_add(
    *, agreement: Agreement, user: Any, body: str, section_key: str = ""
) -> BoardComment:
    """A board member's comment on the whole draft or one section. Once every
    member has commented, the window closes early and the draft can move on."""
    if not body.strip():
        raise AgreementRefused("Write your comment.", field="body")
    with transaction.atomic():
        commission = _lock_commission(agreement.commission)
        locked = _lock(agreement)
        refuse(refuse_unless_board_member(user, locked))
        if locked.status == A.DRAFT:
            raise AgreementRefused("The board comments once the draft has been sent to it.")
        if locked.status not in OPEN_FOR_COMMENT or locked.board_comment_closes_at is None:
            raise AgreementRefused(
                f"This agreement is '{locked.get_status_display()}': the board's comments "
                "are no longer taken."
            )
        if section_key and locked.section(section_key) is None:
            raise AgreementRefused("Choose a section of this agreement.", field="section_key")
        comment = BoardComment.objects.create(
            agreement=locked,
            version_number=locked.version_number,
            section_key=section_key,
            author=user,
            body=body.strip(),
        )
        if locked.status == A.BOARD_COMMENT and _all_members_commented(locked):
            _close_window_now(locked, commission)
    notify(agreement=agreement, event="board_comment", to="officers")
    return comment


def board_comment_respond(*, comment: BoardComment, user: Any, response: str) -> BoardComment:
    if not response.strip():
        raise AgreementRefused("Write your response.", field="response")
    with transaction.atomic():
        locked = BoardComment.objects.select_for_update().get(pk=comment.pk)
        refuse(refuse_unless_officer(user, comment.agreement.commission))
        locked.response = response.strip()
        locked.responded_by, locked.responded_at = user, timezone.now()
        locked.save(update_fields=["response", "responded_by", "responded_at"])
    notify(agreement=comment.agreement, event="comment_response", to="author", comment=locked)
    return locked


def _all_members_commented(agreement: Agreement) -> bool:
    members = set(
        Membership.objects.filter(hub_id=agreement.hub_id, role=Role.BOARD_MEMBER).values_list(
            "user_id", flat=True
        )
    )
    commented = set(agreement.board_comments.values_list("author_id", flat=True))
    return bool(members) and members <= commented


def _close_window_now(agreement: Agreement, commission: Commission) -> None:
    now = timezone.now()
    agreement.board_comment_closes_at = now
    agreement.save(update_fields=["board_comment_closes_at", "updated_at"])
    if agreement.is_first and commission.status == Stage.BOARD_COMMENT:
        # The window is the commission's: every member has spoken, so it
        # closes now and the officer can submit the draft for approval.
        Commission.objects.filter(pk=commission.pk).update(board_comment_closes_at=now)
