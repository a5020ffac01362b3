"""Who may do what with an agreement, and what an agreement asks of its
commission's moves. Each check returns a refusal in plain words or None.

The commission rules at the bottom are registered with commissioning's
hooks in AgreementsConfig.ready: a draft goes to the board or for approval
only with a partnership agreement whose schedule pays the grant, and the
commission is signed only when both parties have signed the agreement.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from guardian.core import ObjectPermissionChecker

from agreements import payments
from agreements.models import Agreement, AgreementStatus, SigningParty
from commissioning.policy import Refusal, is_officer
from hubs.models import BoardComment as BoardCommentSetting

A = AgreementStatus


class AgreementRefused(Exception):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def refuse(*messages: str | None) -> None:
    for message in messages:
        if message:
            raise AgreementRefused(message)


def refuse_unless_officer(user: Any, commission) -> str | None:
    if is_officer(user, commission):
        return None
    return "Only HLO staff, or the service lead for this commission's area, can do this."


def refuse_unless_board_member(user: Any, agreement: Agreement) -> str | None:
    if user.has_perm("hubs.comment_as_board", agreement.hub):
        return None
    return f"Only members of the {agreement.commission.policy.board_name} can comment as the board."


def refuse_unless_payments_officer(user: Any, agreement: Agreement) -> str | None:
    if user.has_perm("hubs.run_commissions", agreement.hub):
        return None
    return "Only HLO staff record payments."


def may_countersign(user: Any, agreement: Agreement, checker: Any = None) -> str | None:
    checker = checker or ObjectPermissionChecker(user)
    if checker.has_perm("hubs.run_commissions", agreement.hub) or checker.has_perm(
        "hubs.approve_commissions", agreement.hub
    ):
        return None
    hlo = agreement.hub.hlo_name or "the Hub Lead Organisation"
    return f"Only HLO staff or an approver can countersign for {hlo}."


def renewal_refusal(agreement: Agreement, action: str, user: Any) -> str | None:
    """A renewal's steps, checked as the commission's moves are."""
    policy = agreement.commission.policy
    sources = {
        "send_to_board": [A.DRAFT],
        "submit_for_approval": [A.DRAFT],
        "close_board_comment": [A.BOARD_COMMENT],
        "approve": [A.APPROVAL],
        "return_to_draft": [A.APPROVAL],
    }
    if agreement.status not in sources[action]:
        return f"This agreement is '{agreement.get_status_display()}'; that step is not open now."
    if action in ("approve", "return_to_draft"):
        if not user.has_perm("hubs.approve_commissions", agreement.hub):
            return (
                f"{agreement.hub.name}'s policy gives this decision to the "
                f"{policy.approving_body}; you are not one of its members here."
            )
        if (
            action == "approve"
            and policy.separate_approver
            and agreement.submitted_by_id == user.pk
        ):
            return "You submitted this draft for approval, so someone else must approve it."
        return None
    refusal = refuse_unless_officer(user, agreement.commission)
    if refusal:
        return refusal
    setting = policy.board_comment_on_drafts
    if action == "send_to_board" and setting == BoardCommentSetting.SKIPPED:
        return f"Board comment is not a step in {agreement.hub.name}'s policy."
    if action == "submit_for_approval" and setting == BoardCommentSetting.REQUIRED:
        return (
            f"{agreement.hub.name}'s policy requires the {policy.board_name} to comment on every "
            "draft partnership agreement before it is decided; send it to the board first."
        )
    if action == "close_board_comment":
        return _window_open(agreement)
    if action in ("send_to_board", "submit_for_approval"):
        return _schedule_refusal(agreement)
    return None


def _window_open(agreement: Agreement) -> str | None:
    closes_at = agreement.board_comment_closes_at
    if closes_at and timezone.now() < closes_at:
        when = date_format(timezone.localtime(closes_at), "j F Y, H:i")
        return f"The board's comment window is open until {when}."
    return None


def _schedule_refusal(agreement: Agreement) -> str | None:
    problems = payments.schedule_problems(
        basis=agreement.payment_basis,
        instalments=list(agreement.instalments.all()),
        grant=agreement.grant_amount,
    )
    if problems:
        return "The payment schedule does not add up: " + " ".join(problems)
    return None


# ── rules for the commission's moves (commissioning/hooks.py) ────────────────


def first_agreement(commission) -> Agreement | None:
    return Agreement.objects.filter(commission=commission, period_number=1).first()


def commission_needs_agreement(ctx) -> Refusal | None:
    """send_to_board and submit_for_approval: the draft is its agreement."""
    agreement = first_agreement(ctx.commission)
    if agreement is None:
        return Refusal(
            "agreement_required",
            "Draft the partnership agreement first: it is what the board and the approver read.",
        )
    problem = _schedule_refusal(agreement)
    if problem:
        return Refusal("payment_schedule", problem)
    return None


def commission_needs_signatures(ctx) -> Refusal | None:
    """sign: both parties have signed the agreement (on its signing page)."""
    agreement = first_agreement(ctx.commission)
    signed = set()
    if agreement is not None:
        signed = set(agreement.signatures.values_list("party", flat=True))
    if {SigningParty.PARTNER, SigningParty.HLO} <= signed:
        return None
    return Refusal(
        "agreement_signatures",
        "The partner signs the partnership agreement on its signing page, and the Hub Lead "
        "Organisation countersigns; the partnership then begins.",
    )
