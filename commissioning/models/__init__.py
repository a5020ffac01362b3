"""Commissioning's models, one module per concept: core (needs, commissions,
proposals, the log), calls (calls for proposals, budgets, attachments) and
scoring (panels, conflicts, scores, moderation)."""

from commissioning.models.calls import (
    BudgetLine,
    Call,
    CallCriterion,
    CallDocument,
    FundingKind,
    FundingSource,
    ProposalAttachment,
)
from commissioning.models.core import (
    POSITIVE_GROUNDS,
    AppendOnlyQuerySet,
    Commission,
    DecommissionGrounds,
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
    "CallCriterion",
    "CallDocument",
    "Commission",
    "ConflictDeclaration",
    "Decision",
    "DecommissionGrounds",
    "FundingKind",
    "FundingSource",
    "Moderation",
    "Need",
    "NeedsAnalysis",
    "Outcome",
    "PanelMember",
    "Proposal",
    "ProposalAttachment",
    "ProposalStatus",
    "Route",
    "Score",
    "ScoreScale",
    "SmartTarget",
    "Stakeholder",
    "TransitionLog",
]
