"""A commission's life, declared once.

Read this file to know every stage and every move between them. The
decorators below are the graph; ACTIONS names each move in the words a hub
officer uses and says who may take it. Which moves a hub's policy allows,
and why one is refused, lives in commissioning/policy.py. Moves are made
only by commissioning/services.py, inside a transaction on a locked row.

    needs ─► identify ─► draft ─┬─► board_comment ─► approval ─► issued ─► monitoring ─► completed
                          ▲     └──────────────────►    │                      │
                          └──── return to draft ◄───────┘                      ▼
                                                               decommission_recommended
                                         decommission_board_comment ◄─┤
                                                          ▼           ▼
                                                   decommission_decision ─► decommission_approved
                                                                                  ▼
                                                                           decommissioned
    withdrawn: from any stage before monitoring.
    terminated at once (safeguarding): from issued, monitoring or any decommission stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition


class Stage(models.TextChoices):
    NEEDS = "needs", "Need identified"
    IDENTIFY = "identify", "Identifying a partner"
    DRAFT = "draft", "Drafting the agreement"
    BOARD_COMMENT = "board_comment", "With the board for comment"
    APPROVAL = "approval", "Awaiting approval"
    ISSUED = "issued", "Approved, awaiting signature"
    MONITORING = "monitoring", "Signed and active"
    COMPLETED = "completed", "Completed"
    DECOMMISSION_RECOMMENDED = "decommission_recommended", "Decommissioning recommended"
    DECOMMISSION_BOARD_COMMENT = (
        "decommission_board_comment",
        "Decommissioning: with the board for comment",
    )
    DECOMMISSION_DECISION = "decommission_decision", "Decommissioning: awaiting decision"
    DECOMMISSION_APPROVED = "decommission_approved", "Decommissioning approved"
    DECOMMISSIONED = "decommissioned", "Decommissioned"
    WITHDRAWN = "withdrawn", "Withdrawn"


S = Stage
BEFORE_MONITORING = [S.NEEDS, S.IDENTIFY, S.DRAFT, S.BOARD_COMMENT, S.APPROVAL, S.ISSUED]
DECOMMISSIONING = [
    S.DECOMMISSION_RECOMMENDED,
    S.DECOMMISSION_BOARD_COMMENT,
    S.DECOMMISSION_DECISION,
    S.DECOMMISSION_APPROVED,
]
FINISHED = [S.COMPLETED, S.DECOMMISSIONED, S.WITHDRAWN]


class Actor(Enum):
    OFFICER = "HLO staff, or the service lead for the commission's service area"
    APPROVER = "the approving body named in the hub's policy"
    DECOMMISSION_DECIDER = "whoever the hub's policy names to decide decommissioning"
    PARTNER = "a contact of the awarded partner organisation"
    HLO_SIGNATORY = "HLO staff or an approver, and the signatory the agreement names"


@dataclass(frozen=True)
class Action:
    label: str
    actor: Actor
    needs_reason: bool = False


ACTIONS: dict[str, Action] = {
    "begin_identification": Action("Start identifying a partner", Actor.OFFICER),
    "award": Action("Award to a partner", Actor.OFFICER),
    "send_to_board": Action("Send the draft to the board for comment", Actor.OFFICER),
    "submit_for_approval": Action("Submit the draft for approval", Actor.OFFICER),
    "close_board_comment": Action("Close board comment and submit for approval", Actor.OFFICER),
    "approve": Action("Approve the partnership", Actor.APPROVER),
    "return_to_draft": Action("Return to draft", Actor.APPROVER, needs_reason=True),
    "sign": Action("Sign the partnership agreement", Actor.PARTNER),
    "countersign": Action("Countersign the partnership agreement", Actor.HLO_SIGNATORY),
    "complete": Action("Complete after the final evaluation", Actor.OFFICER),
    "recommend_decommission": Action("Recommend decommissioning", Actor.OFFICER, needs_reason=True),
    "withdraw_decommission": Action(
        "Withdraw the decommissioning recommendation", Actor.OFFICER, needs_reason=True
    ),
    "send_decommission_to_board": Action(
        "Send the recommendation to the board for comment", Actor.OFFICER
    ),
    "submit_decommission_for_decision": Action(
        "Submit the recommendation for decision", Actor.OFFICER
    ),
    "close_decommission_comment": Action(
        "Close board comment and submit for decision", Actor.OFFICER
    ),
    "approve_decommission": Action(
        "Approve decommissioning", Actor.DECOMMISSION_DECIDER, needs_reason=True
    ),
    "reject_decommission": Action(
        "Reject decommissioning and continue", Actor.DECOMMISSION_DECIDER, needs_reason=True
    ),
    "end_partnership": Action("Record the partnership as ended", Actor.OFFICER),
    "terminate_immediately": Action(
        "Terminate at once for a safeguarding breach",
        Actor.DECOMMISSION_DECIDER,
        needs_reason=True,
    ),
    "withdraw": Action("Withdraw the commission", Actor.OFFICER, needs_reason=True),
}


class CommissionWorkflow(ConcurrentTransitionMixin, models.Model):
    """The stage field and its moves. Each move only changes this row; rules,
    locking, the log and notifications are the service layer's."""

    status = FSMField(
        "stage", max_length=40, choices=Stage.choices, default=Stage.NEEDS, protected=True
    )
    stage_entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    # needs → award
    @transition(status, source=S.NEEDS, target=S.IDENTIFY)
    def begin_identification(
        self, *, route: str, reason: str = "", in_house_reason: str = "", **_: object
    ) -> None:
        self.route = route
        self.route_reason = reason
        self.in_house_reason = in_house_reason.strip()

    @transition(status, source=S.IDENTIFY, target=S.DRAFT)
    def award(
        self,
        *,
        partner,
        proposal=None,
        conflict_declaration="",
        hub_grant_amount=None,
        match_funding_amount=None,
        **_: object,
    ) -> None:
        self.partner = partner
        self.awarded_proposal = proposal
        self.conflict_declaration = conflict_declaration
        if proposal is not None:
            self.hub_grant_amount = proposal.hub_grant_requested
            self.match_funding_amount = proposal.total_cost - proposal.hub_grant_requested
            return
        if hub_grant_amount is not None:
            self.hub_grant_amount = hub_grant_amount
        if match_funding_amount is not None:
            self.match_funding_amount = match_funding_amount

    # draft → approval → signed
    @transition(status, source=S.DRAFT, target=S.BOARD_COMMENT)
    def send_to_board(self, *, closes_at, **_: object) -> None:
        self.board_comment_closes_at = closes_at

    @transition(status, source=S.DRAFT, target=S.APPROVAL)
    def submit_for_approval(self, *, user, **_: object) -> None:
        self.submitted_for_approval_by = user

    @transition(status, source=S.BOARD_COMMENT, target=S.APPROVAL)
    def close_board_comment(self, *, user, **_: object) -> None:
        self.submitted_for_approval_by = user

    @transition(status, source=S.APPROVAL, target=S.ISSUED)
    def approve(self, **_: object) -> None:
        pass

    @transition(status, source=S.APPROVAL, target=S.DRAFT)
    def return_to_draft(self, **_: object) -> None:
        self.submitted_for_approval_by = None

    @transition(status, source=S.ISSUED, target=S.ISSUED)
    def sign(self, **_: object) -> None:
        """The partner's signature: logged as theirs; the HLO's countersignature
        is what makes the partnership live."""

    @transition(status, source=S.ISSUED, target=S.MONITORING)
    def countersign(self, **_: object) -> None:
        pass

    @transition(status, source=S.MONITORING, target=S.COMPLETED)
    def complete(self, **_: object) -> None:
        pass

    # decommissioning
    @transition(status, source=S.MONITORING, target=S.DECOMMISSION_RECOMMENDED)
    def recommend_decommission(self, *, grounds: str, **_: object) -> None:
        self.decommission_grounds = grounds

    @transition(
        status,
        source=[S.DECOMMISSION_RECOMMENDED, S.DECOMMISSION_BOARD_COMMENT],
        target=S.MONITORING,
    )
    def withdraw_decommission(self, **_: object) -> None:
        self.decommission_grounds = ""
        self.board_comment_closes_at = None

    @transition(status, source=S.DECOMMISSION_RECOMMENDED, target=S.DECOMMISSION_BOARD_COMMENT)
    def send_decommission_to_board(self, *, closes_at, **_: object) -> None:
        self.board_comment_closes_at = closes_at

    @transition(status, source=S.DECOMMISSION_RECOMMENDED, target=S.DECOMMISSION_DECISION)
    def submit_decommission_for_decision(self, **_: object) -> None:
        pass

    @transition(status, source=S.DECOMMISSION_BOARD_COMMENT, target=S.DECOMMISSION_DECISION)
    def close_decommission_comment(self, **_: object) -> None:
        pass

    @transition(status, source=S.DECOMMISSION_DECISION, target=S.DECOMMISSION_APPROVED)
    def approve_decommission(self, **_: object) -> None:
        pass

    @transition(status, source=S.DECOMMISSION_DECISION, target=S.MONITORING)
    def reject_decommission(self, **_: object) -> None:
        self.decommission_grounds = ""

    @transition(status, source=S.DECOMMISSION_APPROVED, target=S.DECOMMISSIONED)
    def end_partnership(self, **_: object) -> None:
        pass

    @transition(status, source=[S.ISSUED, S.MONITORING, *DECOMMISSIONING], target=S.DECOMMISSIONED)
    def terminate_immediately(self, **_: object) -> None:
        self.decommission_grounds = "safeguarding"

    @transition(status, source=BEFORE_MONITORING, target=S.WITHDRAWN)
    def withdraw(self, **_: object) -> None:
        pass


def sources_of(action: str) -> list[str]:
    """The stages an action can be taken from, read off the graph."""
    meta = getattr(CommissionWorkflow, action)._django_fsm
    return [str(s) for s in meta.transitions]


def target_of(action: str) -> str:
    meta = getattr(CommissionWorkflow, action)._django_fsm
    return str(next(iter(meta.transitions.values())).target)
