"""Rules for the board's comment, approval and decommissioning. Each is
asked of the decision's subject: the commission, or for a renewal the
agreement of a later period, which runs the same steps."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from guardian.core import ObjectPermissionChecker

from commissioning.models import Outcome
from commissioning.routing import COMMENT_MOVES, DECISION_MOVES, comment_step_of, standing
from commissioning.rules import Rule, needs_input
from hubs.decision_routes import Body, DecisionKind
from hubs.grounds import decommission_grounds, grounds_in_words
from hubs.refusals import Refusal
from hubs.routes import is_member


def board_comment_offered(setting_name: str) -> Rule:
    """The route has a comment step (the board or a group) for this move."""

    def rule(ctx) -> Refusal | None:
        if comment_step_of(ctx.subject, ctx.action) is None:
            return Refusal(
                "no_board_comment",
                f"Board comment is not a step in {ctx.hub_name}'s policy; submit it to the "
                f"{decider_name(ctx)} directly.",
            )
        return None

    rule.__name__ = f"board_comment_offered_{setting_name}"
    rule.setting = setting_name  # type: ignore[attr-defined]
    return rule


def board_comment_not_required(setting_name: str, what: str) -> Rule:
    def rule(ctx) -> Refusal | None:
        step = comment_step_of(ctx.subject, ctx.action)
        if step is not None and step.required:
            return Refusal(
                "board_comment_required",
                f"{ctx.hub_name}'s policy requires the {step.body_name} to comment on "
                f"every {what} before it is decided; send it to the board first.",
            )
        return None

    rule.__name__ = f"board_comment_not_required_{setting_name}"
    rule.setting = setting_name  # type: ignore[attr-defined]
    return rule


def decider_name(ctx) -> str:
    kind = COMMENT_MOVES.get(ctx.action, DecisionKind.AWARD)
    step = standing(ctx.subject, kind).step
    return step.body_name if step is not None else "approvers"


def comment_window_closed(ctx) -> Refusal | None:
    closes_at: datetime | None = ctx.subject.board_comment_closes_at
    if closes_at and timezone.now() < closes_at:
        when = date_format(timezone.localtime(closes_at), "j F Y, H:i")
        return Refusal(
            "comment_window_open",
            f"The {commenters_name(ctx)}'s comment window is open until {when}; it can move "
            "on once the window has closed, or once every member has commented.",
            waits=True,
        )
    return None


def commenters_name(ctx) -> str:
    step = comment_step_of(ctx.subject, ctx.action) if ctx.action in COMMENT_MOVES else None
    return step.body_name if step is not None else "board"


# ── decisions on a route ─────────────────────────────────────────────────────


def decider_only(ctx) -> Refusal | None:
    """The person is one of the body the route's current decision step names."""
    kind, _ = DECISION_MOVES[ctx.action]
    now = standing(ctx.subject, kind)
    if now.step is None:
        return Refusal(
            "no_route",
            f"{ctx.hub_name}'s policy names no one to decide this; a hub admin sets who "
            "decides in the policy's decision routes.",
        )
    if ctx.checker is None:
        ctx.checker = ObjectPermissionChecker(ctx.user)
    if is_member(ctx.checker, now.step, ctx.commission):
        return None
    step = now.step
    if step.body == Body.CHAIR:
        ending = kind in (DecisionKind.DECOMMISSION, DecisionKind.TERMINATION)
        on = "ending a partnership" if ending else "this decision"
        return Refusal(
            "chair_decides",
            f"{ctx.hub_name}'s policy gives the chair the final say on {on}; only the chair "
            "can take this decision.",
        )
    if step.body == Body.AREA_APPROVERS:
        area = ctx.commission.service_area or "its service area"
        return Refusal(
            "approver_only",
            f"{ctx.hub_name}'s policy gives this decision to the approvers for {area}; you "
            "are not one of them.",
        )
    what = "decommissioning decisions" if kind == DecisionKind.DECOMMISSION else "this decision"
    return Refusal(
        "approver_only",
        f"{ctx.hub_name}'s policy gives {what} to the {step.body_name}; you are not one of "
        "its members here.",
    )


def not_decided_already(ctx) -> Refusal | None:
    kind, outcome = DECISION_MOVES[ctx.action]
    if outcome != Outcome.APPROVE:
        return None
    now = standing(ctx.subject, kind)
    if now.step is None or ctx.user.pk not in now.approved_by:
        return None
    more = now.still_needed
    return Refusal(
        "already_decided",
        f"You have approved this already; {more} more of the {now.step.body_name} must "
        f"approve before it moves on ({len(now.approved_by)} of {now.step.needed} so far).",
        waits=True,
    )


def separate_approver(ctx) -> Refusal | None:
    s = ctx.subject
    submitted_by = getattr(s, "submitted_for_approval_by_id", None)
    if submitted_by is None:
        submitted_by = getattr(s, "submitted_by_id", None)
    kind, _ = DECISION_MOVES.get(ctx.action, (DecisionKind.AWARD, ""))
    step = standing(s, kind).step
    separate = step.separate if step is not None else True
    if separate and submitted_by is not None and submitted_by == ctx.user.pk:
        return Refusal(
            "separate_approver",
            "You submitted this draft for approval, so someone else must approve it: the "
            "policy keeps drafting and approving apart.",
        )
    return None


@needs_input
def grounds_given(ctx) -> Refusal | None:
    """One of the grounds in the commission's policy's list."""
    grounds = ctx.params.get("grounds")
    if grounds not in {g.key for g in decommission_grounds(ctx.policy)}:
        return Refusal(
            "grounds_required",
            f"Choose the grounds for decommissioning: {grounds_in_words(ctx.policy)}.",
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
