"""A partnership agreement's life, declared once.

The moves carry the commission's names (commissioning/workflow.py ACTIONS),
so one policy engine judges both: the first agreement follows its
commission's moves (agreements/services/decisions.py follow_commission_move),
and a renewal makes the same moves on its own while the commission stays in
monitoring. Rules live in commissioning/policy.py and agreements/rules.py;
moves are made only by agreements/services/, on a locked row.

    draft ─┬─► board_comment ─► approval ─► issued ─► partner_signed ─► signed
      ▲    └──────────────────►    │        (sign)     (countersign)
      └──── return to draft ◄──────┘
    withdrawn: from any status before signed.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    BOARD_COMMENT = "board_comment", "With the board for comment"
    APPROVAL = "approval", "Awaiting approval"
    ISSUED = "issued", "Issued for signature"
    PARTNER_SIGNED = "partner_signed", "Signed by the partner, awaiting countersignature"
    SIGNED = "signed", "Signed by both parties"
    WITHDRAWN = "withdrawn", "Withdrawn"


A = AgreementStatus
NOT_FINAL = [A.DRAFT, A.BOARD_COMMENT, A.APPROVAL, A.ISSUED, A.PARTNER_SIGNED]


class AgreementWorkflow(ConcurrentTransitionMixin, models.Model):
    """The status field and its moves. Each move only changes this row."""

    status = FSMField(
        max_length=20, choices=AgreementStatus.choices, default=A.DRAFT, protected=True
    )

    class Meta:
        abstract = True

    @transition(status, source=A.DRAFT, target=A.BOARD_COMMENT)
    def send_to_board(self, *, closes_at, **_: object) -> None:
        self.board_comment_closes_at = closes_at

    @transition(status, source=A.DRAFT, target=A.APPROVAL)
    def submit_for_approval(self, *, user, **_: object) -> None:
        self.submitted_by = user

    @transition(status, source=A.BOARD_COMMENT, target=A.APPROVAL)
    def close_board_comment(self, *, user, **_: object) -> None:
        self.submitted_by = user

    @transition(status, source=A.APPROVAL, target=A.ISSUED)
    def approve(self, *, user, reason: str = "", **_: object) -> None:
        self._decided(user, reason)
        self.issued_at = self.decided_at

    @transition(status, source=A.APPROVAL, target=A.DRAFT)
    def return_to_draft(self, *, user, reason: str = "", **_: object) -> None:
        self._decided(user, reason)
        self.board_comment_closes_at = None

    @transition(status, source=A.ISSUED, target=A.PARTNER_SIGNED)
    def sign(self, **_: object) -> None:
        """The partner's signature (the Signature row is the service's)."""

    @transition(status, source=A.PARTNER_SIGNED, target=A.SIGNED)
    def countersign(self, **_: object) -> None:
        """The HLO's countersignature: the agreement is in force."""

    @transition(status, source=NOT_FINAL, target=A.WITHDRAWN)
    def withdraw(self, **_: object) -> None:
        pass

    def _decided(self, user, reason: str) -> None:
        self.decided_by, self.decided_at = user, timezone.now()
        self.decision_note = (reason or "").strip()
        self.comments_before_decision = self.board_comments.count()
