"""Commissioning's models, one module per concept: core (needs, commissions,
proposals, the log), calls (calls for proposals, budgets, attachments) and
scoring (panels, conflicts, scores, moderation)."""

from commissioning.models.calls import (
    BudgetLine,
    Call,
    CallChange,
    CallChangeKind,
    CallCriterion,
    CallDocument,
    CallQuestion,
    FundingKind,
    FundingSource,
    ProposalAttachment,
)
from commissioning.models.core import (
    POSITIVE_GROUNDS,
    AppendOnlyQuerySet,
    Commission,
    DecommissionGrounds,
    FundingStream,
    Need,
    NeedsAnalysis,
    Proposal,
    ProposalStatus,
    Route,
    SmartTarget,
    Stakeholder,
    TransitionLog,
)
from commissioning.models.decisions import Decision, Outcome
from commissioning.models.invitations import CallInvitation
from commissioning.models.joint import CommissionPartner, ProposalPartner
from commissioning.models.records import CommissionRecord, RecordKind
from commissioning.models.scoring import (
    SCORE_MAX,
    ConflictDeclaration,
    Moderation,
    PanelMember,
    Score,
    ScoreScale,
)

__all__ = [
    "POSITIVE_GROUNDS",
    "SCORE_MAX",
    "AppendOnlyQuerySet",
    "BudgetLine",
    "Call",
    "CallChange",
    "CallChangeKind",
    "CallCriterion",
    "CallDocument",
    "CallInvitation",
    "CallQuestion",
    "Commission",
    "CommissionPartner",
    "CommissionRecord",
    "ConflictDeclaration",
    "Decision",
    "DecommissionGrounds",
    "FundingKind",
    "FundingSource",
    "FundingStream",
    "Moderation",
    "Need",
    "NeedsAnalysis",
    "Outcome",
    "PanelMember",
    "Proposal",
    "ProposalAttachment",
    "ProposalPartner",
    "ProposalStatus",
    "RecordKind",
    "Route",
    "Score",
    "ScoreScale",
    "SmartTarget",
    "Stakeholder",
    "TransitionLog",
]
