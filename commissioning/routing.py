"""A commission's decisions on its route: which route a move is on, which
step the decision is at, and recording one person's decision.

A decision move (approve, return, decommission, terminate) is taken by a
member of the route's current decision step. An approval is recorded as a
Decision; the move itself (the commission's or renewal's transition) is
made only when the last decision step has all the approvals it needs. A
return or a rejection by any member ends the round at once. The rules that
refuse are in commissioning/rules/deciding.py; services make the moves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from commissioning.models import Decision, Outcome, Route
from hubs.decision_routes import DecisionKind, DecisionRoute, RouteStep
from hubs.routes import comment_step, decide_steps, route_for, routes_load

# Each decision move: the kind of decision it belongs to, and which way it goes.
DECISION_MOVES: dict[str, tuple[str, str]] = {
    "approve": (DecisionKind.AWARD, Outcome.APPROVE),
    "return_to_draft": (DecisionKind.AWARD, Outcome.RETURN),
    "approve_decommission": (DecisionKind.DECOMMISSION, Outcome.APPROVE),
    "reject_decommission": (DecisionKind.DECOMMISSION, Outcome.REJECT),
    "terminate_immediately": (DecisionKind.TERMINATION, Outcome.APPROVE),
}
# Moves of the comment step: the kind whose route's comment step they use.
COMMENT_MOVES = {
    "send_to_board": DecisionKind.AWARD,
    "submit_for_approval": DecisionKind.AWARD,
    "close_board_comment": DecisionKind.AWARD,
    "send_decommission_to_board": DecisionKind.DECOMMISSION,
    "submit_decommission_for_decision": DecisionKind.DECOMMISSION,
    "close_decommission_comment": DecisionKind.DECOMMISSION,
}


def commission_of(subject: Any) -> Any:
    return getattr(subject, "commission", subject)


def period_of(subject: Any) -> int:
    return getattr(subject, "period_number", 1)


def kind_for(subject: Any, kind: str) -> str:
    """An award's route for this subject: a renewal's agreement takes the
    renewal route; a responsive commission the responsive route."""
    if kind != DecisionKind.AWARD:
        return kind
    if period_of(subject) > 1:
        return DecisionKind.RENEWAL
    if commission_of(subject).route == Route.RESPONSIVE:
        return DecisionKind.RESPONSIVE
    return kind


def route_of(subject: Any, kind: str) -> DecisionRoute | None:
    c = commission_of(subject)
    return route_for(c.policy, kind_for(subject, kind), c.hub_grant_amount, c.service_category_id)


def comment_step_of(subject: Any, action: str) -> RouteStep | None:
    return comment_step(route_of(subject, COMMENT_MOVES[action]))


def window_days(subject: Any, action: str) -> int:
    step = comment_step_of(subject, action)
    return step.window_days if step is not None else 14


@dataclass(frozen=True)
class Standing:
    """Where a decision stands: the step it waits on, and who has approved at it."""

    route: DecisionRoute | None
    step: RouteStep | None
    approved_by: tuple[int, ...]
    last: bool

    @property
    def still_needed(self) -> int:
        return max(0, self.step.needed - len(self.approved_by)) if self.step else 0


def round_decisions(subject: Any, kind: str) -> list[Decision]:
    """This round's decisions: those since the last return or rejection."""
    kind = kind_for(subject, kind)
    cache = _decisions(subject)
    if kind not in cache:
        cache[kind] = list(
            Decision.objects.filter(
                commission=commission_of(subject), period_number=period_of(subject), kind=kind
            ).order_by("created_at", "pk")
        )
    made = cache[kind]
    since = [i for i, d in enumerate(made) if d.outcome != Outcome.APPROVE]
    return made[since[-1] + 1 :] if since else made


def _decisions(subject: Any) -> dict[str, list[Decision]]:
    if getattr(subject, "_decisions_cache", None) is None:
        subject._decisions_cache = {}
    return subject._decisions_cache


def standing(subject: Any, kind: str) -> Standing:
    route = route_of(subject, kind)
    steps = decide_steps(route)
    if len(steps) == 1 and steps[0].needed == 1:  # one person decides: nothing to read
        return Standing(route, steps[0], (), last=True)
    decisions = round_decisions(subject, kind)
    for index, step in enumerate(steps):
        approved = tuple(d.actor_id for d in decisions if d.step_position == step.position)
        if len(approved) < step.needed:
            return Standing(route, step, approved, last=index == len(steps) - 1)
    return Standing(route, steps[-1] if steps else None, (), last=True)


def decision_record(subject: Any, action: str, user: Any, reason: str = "") -> bool:
    """Record this person's decision at the current step (inside the move's
    transaction, after the gate); whether the move itself is now made."""
    kind, outcome = DECISION_MOVES[action]
    now = standing(subject, kind)
    c = commission_of(subject)
    decision = Decision.objects.create(
        hub_id=c.hub_id,
        commission=c,
        period_number=period_of(subject),
        kind=kind_for(subject, kind),
        step_position=now.step.position if now.step else 0,
        body_name=now.step.body_name if now.step else "",
        outcome=outcome,
        actor=user,
        reason=reason.strip(),
    )
    round_decisions(subject, kind)  # read before it is added to
    _decisions(subject)[decision.kind].append(decision)
    if outcome != Outcome.APPROVE:
        return True
    return now.last and now.still_needed <= 1


# ── what waits on a person ───────────────────────────────────────────────────

WAITING_TASKS = {
    "approval": ("Approve or return the draft", DecisionKind.AWARD),
    "decommission_decision": ("Decide on decommissioning", DecisionKind.DECOMMISSION),
}


def decisions_waiting(access: Any) -> dict[str, list[int]]:
    """Per task, the commissions whose route's current decision step names
    this person and which they have not yet approved. Reads the hub's
    commissions awaiting a decision, their policies' routes and their
    decisions once each."""
    from commissioning.models import Commission
    from hubs.routes import is_member

    waiting = list(
        Commission.objects.filter(hub=access.hub, status__in=list(WAITING_TASKS)).select_related(
            "hub", "policy", "service_area"
        )
    )
    tasks: dict[str, list[int]] = {}
    for c in prepared(waiting):
        task, kind = WAITING_TASKS[c.status]
        now = standing(c, kind)
        if now.step is None or access.user.pk in now.approved_by:
            continue
        if is_member(access, now.step, c):
            name = f"{task} (chair)" if now.step.body == "chair" else task
            tasks.setdefault(name, []).append(c.pk)
    return tasks


def prepared(commissions: list[Any]) -> list[Any]:
    """Commissions awaiting a decision, ready for `standing` without a query
    each: one policy object per policy (its routes read once), and their
    decisions read in one query."""
    policies: dict[int, Any] = {}
    made: dict[int, list[Decision]] = {}
    rows = Decision.objects.filter(commission__in=commissions, period_number=1)
    for d in rows.order_by("created_at", "pk"):
        made.setdefault(d.commission_id, []).append(d)
    for c in commissions:
        c.policy = policies.setdefault(c.policy_id, c.policy)
    routes_load(list(policies.values()))  # every policy's routes in one read
    for c in commissions:
        kinds = {kind_for(c, DecisionKind.AWARD), DecisionKind.DECOMMISSION}
        c._decisions_cache = {k: [d for d in made.get(c.pk, []) if d.kind == k] for k in kinds}
    return commissions


def awaited_step(commission: Any) -> RouteStep | None:
    """The decision step a commission awaiting a decision waits on."""
    _, kind = WAITING_TASKS.get(commission.status, ("", DecisionKind.AWARD))
    return standing(commission, kind).step
