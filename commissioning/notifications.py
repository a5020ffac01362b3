"""Who hears about a move, and what they are told.

`transition_notify` runs inside the move's transaction and hands the notice to
the messenger (notices.services.notify): the activity feed and the email
outbox are written with the move, and the email goes after the commit.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

from commissioning.models import TransitionLog
from commissioning.routing import DECISION_MOVES, comment_step_of, standing
from commissioning.workflow import ACTIONS, Stage
from hubs.decision_routes import DecisionKind
from hubs.models import Membership, Role
from hubs.routes import members_of
from notices.services import notify

User = get_user_model()

# Who waits on the commission once it reaches a stage: a step of its
# decision route (the comment step of a move, or the current decision step),
# or a role.
WAITING_STEP: dict[str, tuple[str, str | None]] = {
    Stage.BOARD_COMMENT: (DecisionKind.AWARD, "send_to_board"),
    Stage.DECOMMISSION_BOARD_COMMENT: (DecisionKind.DECOMMISSION, "send_decommission_to_board"),
    Stage.APPROVAL: (DecisionKind.AWARD, None),
    Stage.DECOMMISSION_DECISION: (DecisionKind.DECOMMISSION, None),
}
WAITING_ON: dict[str, set[str]] = {Stage.ISSUED: {Role.PARTNER_CONTACT}}


def recipients_for(log: TransitionLog) -> list:
    commission = log.commission
    waits = WAITING_STEP.get(log.to_stage)
    if waits is not None:  # the body the route's step names
        kind, action = waits
        if action is not None:
            step = comment_step_of(commission, action)
        else:
            step = standing(commission, kind).step
        people = list(members_of(step, commission)) if step is not None else []
    else:
        roles = WAITING_ON.get(log.to_stage, {Role.HLO_STAFF})
        members = Membership.objects.filter(hub_id=log.hub_id, role__in=roles)
        if Role.PARTNER_CONTACT in roles:
            members = members.filter(partner_id=commission.partner_id)
        people = [m.user for m in members.select_related("user")]
    users = {u.pk: u for u in people if u.is_active and u.email}
    users.pop(log.actor_id, None)  # no need to tell people what they just did
    return sorted(users.values(), key=lambda user: user.email)


def _name(user) -> str:
    if user is None:
        return "the system"
    return user.get_full_name() or user.email


def transition_notify(*, log: TransitionLog) -> int:
    """Tell whoever the commission now waits on; the number told."""
    recipients = recipients_for(log)
    if not recipients:
        return 0
    c = log.commission
    label = ACTIONS[log.action].label if log.action in ACTIONS else "Opened"
    subject = f"[{c.hub.name}] {c.reference}: {Stage(log.to_stage).label}"
    lines = [
        f"{c.reference} {c.title}",
        f"{label} by {_name(log.actor)}.",
        f"Now: {Stage(log.to_stage).label}.",
    ]
    if log.reason:
        lines.append(f"Reason: {log.reason}")
    if log.from_stage == log.to_stage and log.action in DECISION_MOVES:
        lines.append("It waits for another decision from you or your colleagues.")
    return notify(
        hub=c.hub,
        recipients=recipients,
        kind="commission_move",
        subject=subject,
        body="\n".join(lines),
        url=reverse("commissioning:detail", args=[c.hub.slug, c.reference]),
        dedupe_key=f"transition:{log.pk}",
    )
