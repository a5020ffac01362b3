"""Rules for the board's comment, approval and decommissioning. Each is
asked of the decision's subject: the commission, or for a renewal the
agreement of a later period, which runs the same steps."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format

from commissioning.models import DecommissionGrounds
from commissioning.rules import Rule, needs_input
from hubs.models import BoardComment
from hubs.refusals import Refusal


def board_comment_offered(setting_name: str) -> Rule:
    def rule(ctx) -> Refusal | None:
        if getattr(ctx.policy, setting_name) == BoardComment.SKIPPED:
            return Refusal(
                "no_board_comment",
                f"Board comment is not a step in {ctx.hub_name}'s policy; submit it to the "
                f"{ctx.policy.approving_body} directly.",
            )
        return None

    rule.__name__ = f"board_comment_offered_{setting_name}"
    rule.setting = setting_name  # type: ignore[attr-defined]
    return rule


def board_comment_not_required(setting_name: str, what: str) -> Rule:
    def rule(ctx) -> Refusal | None:
        if getattr(ctx.policy, setting_name) == BoardComment.REQUIRED:
            return Refusal(
                "board_comment_required",
                f"{ctx.hub_name}'s policy requires the {ctx.policy.board_name} to comment on "
                f"every {what} before it is decided; send it to the board first.",
            )
        return None

    rule.__name__ = f"board_comment_not_required_{setting_name}"
    rule.setting = setting_name  # type: ignore[attr-defined]
    return rule


def comment_window_closed(ctx) -> Refusal | None:
    closes_at: datetime | None = ctx.subject.board_comment_closes_at
    if closes_at and timezone.now() < closes_at:
        when = date_format(timezone.localtime(closes_at), "j F Y, H:i")
        return Refusal(
            "comment_window_open",
            f"The {ctx.policy.board_name}'s comment window is open until {when}; it can move "
            "on once the window has closed, or once every member has commented.",
            waits=True,
        )
    return None


def separate_approver(ctx) -> Refusal | None:
    s = ctx.subject
    submitted_by = getattr(s, "submitted_for_approval_by_id", None)
    if submitted_by is None:
        submitted_by = getattr(s, "submitted_by_id", None)
    if ctx.policy.separate_approver and submitted_by is not None and submitted_by == ctx.user.pk:
        return Refusal(
            "separate_approver",
            "You submitted this draft for approval, so someone else must approve it: the "
            "policy keeps drafting and approving apart.",
        )
    return None


@needs_input
def grounds_given(ctx) -> Refusal | None:
    grounds = ctx.params.get("grounds")
    allowed = set(DecommissionGrounds.values) - {DecommissionGrounds.SAFEGUARDING}
    if grounds not in allowed:
        return Refusal(
            "grounds_required",
            "Choose the grounds for decommissioning: positive (objectives met, sustainable "
            "without the Hub) or negative (quality, objectives, alignment, conditions, late "
            "data, reputation).",
            field="grounds",
        )
    return None


def safeguarding_termination_allowed(ctx) -> Refusal | None:
    if not ctx.policy.immediate_termination_on_safeguarding:
        return Refusal(
            "no_immediate_termination",
            f"{ctx.hub_name}'s policy has no immediate termination; recommend decommissioning "
            "and follow its review route.",
        )
    return None
