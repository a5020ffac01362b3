"""Reading decision routes: which route a decision takes, who belongs to a
step's body, and the route in plain words.

`route_for(policy, kind, value, category_id)` picks the route; a policy's
routes and steps are read once per policy object (two queries) and kept on
it. Membership of a body is asked of what a view already knows (a
HubAccess, or guardian's checker) where it can be.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from guardian.core import ObjectPermissionChecker

from hubs.decision_routes import (
    FALLBACK,
    Body,
    DecisionKind,
    DecisionRoute,
    RouteStep,
    StepKind,
)
from hubs.models import Membership, Role

PERM_OF = {
    Body.APPROVERS: "hubs.approve_commissions",
    Body.BOARD: "hubs.comment_as_board",
    Body.CHAIR: "hubs.decide_terminations",
}


def routes_of(policy: Any) -> list[DecisionRoute]:
    """The policy's routes with their steps, in one query, kept on the policy
    object (a route without steps decides nothing, and is left out)."""
    if getattr(policy, "_routes_cache", None) is None:
        routes_load([policy])
    return policy._routes_cache


def routes_load(policies: list[Any]) -> None:
    """Read the routes of several policies at once (one query for all)."""
    steps = (
        RouteStep.objects.filter(route__policy__in=[p.pk for p in policies])
        .select_related("route__service_category", "group")
        .order_by("route_id", "position", "pk")
    )
    routes: dict[int, DecisionRoute] = {}
    by_route: dict[int, list[RouteStep]] = {}
    for step in steps:
        step.route = routes.setdefault(step.route_id, step.route)
        by_route.setdefault(step.route_id, []).append(step)
    for route in routes.values():
        route._prefetched_objects_cache = {"steps": _as_queryset(route, by_route[route.pk])}
    for policy in policies:
        own = [r for r in routes.values() if r.policy_id == policy.pk]
        policy._routes_cache = sorted(own, key=_route_order)


def _route_order(route: DecisionRoute) -> tuple:
    low = route.from_value
    return (route.kind, low is not None, low or 0, route.pk)


def _as_queryset(route: DecisionRoute, steps: list[RouteStep]) -> QuerySet:
    """A prefetch cache Django's related manager answers `.all()` from."""
    queryset = RouteStep.objects.filter(route=route)
    queryset._result_cache = steps
    queryset._prefetch_done = True
    return queryset


def route_for(
    policy: Any, kind: str, value: Decimal | None = None, category_id: int | None = None
) -> DecisionRoute | None:
    """The route a decision of this kind takes under this policy: the one for
    its value band, a category's own before the general one; a kind with no
    route of its own follows its fallback (renewals follow awards)."""
    for k in (kind, FALLBACK.get(kind)):
        if k is None:
            continue
        fits = [r for r in routes_of(policy) if r.kind == k and r.covers(value)]
        own = [r for r in fits if category_id and r.service_category_id == category_id]
        general = [r for r in fits if r.service_category_id is None]
        if own or general:
            return (own or general)[0]
    return None


def comment_step(route: DecisionRoute | None) -> RouteStep | None:
    if route is None:
        return None
    return next((s for s in route.steps.all() if s.kind == StepKind.COMMENT), None)


def decide_steps(route: DecisionRoute | None) -> list[RouteStep]:
    if route is None:
        return []
    return [s for s in route.steps.all() if s.kind == StepKind.DECIDE]


# ── who belongs to a body ────────────────────────────────────────────────────


def is_member(who: Any, step: RouteStep, commission: Any) -> bool:
    """Whether this person is one of the step's body for this commission.
    `who` is a user, a HubAccess or a guardian checker."""
    from hubs.access import runs_commission

    user = getattr(who, "user", who)
    checker = ObjectPermissionChecker(who) if hasattr(who, "is_authenticated") else who
    if step.body == Body.OFFICERS:
        return runs_commission(checker, commission)
    if step.body in PERM_OF:
        return checker.has_perm(PERM_OF[step.body], commission.hub)
    if step.body == Body.AREA_APPROVERS:
        return (
            commission.service_area_id is not None
            and _area_approvers(commission).filter(user=user).exists()
        )
    if step.body == Body.GROUP:
        return step.group.members.filter(pk=user.pk).exists()
    return False


def members_of(step: RouteStep, commission: Any) -> QuerySet:
    """Everyone in the step's body for this commission (for 'every member has
    commented', and for who is told a decision waits on them)."""
    users = get_user_model().objects.filter(is_active=True)
    hub = commission.hub_id
    if step.body == Body.GROUP:
        return users.filter(pk__in=step.group.members.values("pk"))
    if step.body == Body.AREA_APPROVERS:
        return users.filter(pk__in=_area_approvers(commission).values("user"))
    roles = {
        Body.APPROVERS: Membership.objects.filter(hub=hub, role=Role.APPROVER),
        Body.BOARD: Membership.objects.filter(hub=hub, role=Role.BOARD_MEMBER),
        Body.CHAIR: Membership.objects.filter(hub=hub, is_chair=True),
    }
    if step.body in roles:
        return users.filter(pk__in=roles[step.body].values("user"))
    staff = Membership.objects.filter(hub=hub, role=Role.HLO_STAFF)
    if commission.service_area_id:
        leads = Membership.objects.filter(
            hub=hub, role=Role.SERVICE_LEAD, service_area=commission.service_area_id
        )
        return users.filter(pk__in=staff.values("user").union(leads.values("user")))
    return users.filter(pk__in=staff.values("user"))


def _area_approvers(commission: Any) -> QuerySet:
    return Membership.objects.filter(
        hub=commission.hub_id, role=Role.APPROVER, service_area=commission.service_area_id
    )


# ── in words ─────────────────────────────────────────────────────────────────


def money(value: Decimal) -> str:
    return f"£{value:,.0f}" if value == value.to_integral() else f"£{value:,.2f}"


def band_words(route: DecisionRoute) -> str:
    low, high = route.from_value, route.below_value
    parts = []
    if low is not None and high is not None:
        parts.append(f" of {money(low)} up to {money(high)}")
    elif low is not None:
        parts.append(f" of {money(low)} or more")
    elif high is not None:
        parts.append(f" under {money(high)}")
    if route.service_category_id:
        parts.append(f" in {route.service_category}")
    return "".join(parts)


def step_words(step: RouteStep) -> str:
    name = f"the {step.body_name}"
    if step.kind == StepKind.COMMENT:
        how = "must comment" if step.required else "may be asked to comment (advisory)"
        return (
            f"{name} {how} for {step.window_days} days, closing early once every "
            "member has commented"
        )
    if step.body in (Body.CHAIR,):
        return f"{name} decides, and the decision is final"
    who = f"{step.needed} of {name}" if step.needed > 1 else f"one of {name}"
    if step.body == Body.AREA_APPROVERS:
        who = f"{step.needed if step.needed > 1 else 'one'} of the approvers for its service area"
    verb = "must all approve" if step.needed > 1 else "decides"
    separate = " (not whoever submitted it)" if step.separate else ""
    return f"{who}{separate} {verb}"


def route_words(route: DecisionRoute) -> str:
    """E.g. 'Awards of £10,000 or more: the board may be asked to comment
    (advisory) for 7 days, ...; then 2 of the approvers must all approve.'"""
    steps = [step_words(s) for s in route.steps.all()]
    kind = KIND_NOUNS.get(route.kind, route.get_kind_display())
    said = "; then ".join(steps) if steps else "no steps yet"
    return f"{kind}{band_words(route)}: {said[:1].lower()}{said[1:]}."


KIND_NOUNS = {
    DecisionKind.AWARD: "Awards",
    DecisionKind.RESPONSIVE: "Responsive commissions",
    DecisionKind.RENEWAL: "Renewals",
    DecisionKind.NON_RENEWAL: "Not renewing",
    DecisionKind.DECOMMISSION: "Decommissioning",
    DecisionKind.TERMINATION: "Termination at once",
    DecisionKind.COMPLAINT: "Escalated complaints",
    DecisionKind.POLICY: "New versions of the policy",
    DecisionKind.VARIATION: "Variations of a signed agreement",
}


# ── routes from the settings the five published policies were first written in
OLD_SETTINGS = (
    "approving_body",
    "board_name",
    "board_comment_on_drafts",
    "board_comment_on_decommission",
    "decommission_decided_by",
    "separate_approver",
    "comment_window_days",
)


def standard_routes(
    policy: Any,
    *,
    approving_body: str = "",
    board_name: str = "Hub board",
    board_comment_on_drafts: str = "skipped",
    board_comment_on_decommission: str = "skipped",
    decommission_decided_by: str = "approvers",
    separate_approver: bool = True,
    comment_window_days: int = 14,
    non_renewal_decided_by: str = Body.OFFICERS,
) -> list[DecisionRoute]:
    """A policy's routes written from one approving body, one board and one
    decommissioning decider (how the demo's and the data migration's
    policies are said). A hub admin edits the routes themselves after."""

    def route(kind: str, *steps: dict) -> DecisionRoute:
        made = DecisionRoute.objects.create(policy=policy, kind=kind)
        for position, step in enumerate(steps):
            RouteStep.objects.create(route=made, position=position, **step)
        return made

    def comment(setting: str) -> list[dict]:
        if setting == "skipped":
            return []
        return [
            {
                "kind": StepKind.COMMENT,
                "body": Body.BOARD,
                "name": board_name,
                "required": setting == "required",
                "window_days": comment_window_days,
            }
        ]

    approvers = {"kind": StepKind.DECIDE, "body": Body.APPROVERS, "name": approving_body}
    chair = decommission_decided_by == "chair"
    # The board's own name is known only where it comments on something.
    commented = (board_comment_on_drafts, board_comment_on_decommission) != ("skipped", "skipped")
    decider = (
        {"kind": StepKind.DECIDE, "body": Body.CHAIR, "separate": False}
        if chair
        else {
            **approvers,
            "separate": False,
        }
    )
    if non_renewal_decided_by == Body.CHAIR:
        lapse = {"kind": StepKind.DECIDE, "body": Body.CHAIR, "separate": False}
    else:
        lapse = {"kind": StepKind.DECIDE, "body": Body.OFFICERS, "separate": False}
    made = [
        route(
            DecisionKind.AWARD,
            *comment(board_comment_on_drafts),
            {
                **approvers,
                "separate": separate_approver,
            },
        ),
        route(DecisionKind.DECOMMISSION, *comment(board_comment_on_decommission), decider),
        route(DecisionKind.COMPLAINT, decider),
        route(DecisionKind.NON_RENEWAL, lapse),
        route(
            DecisionKind.POLICY,
            *policy_approval_steps(
                approved_by=getattr(policy, "approved_by", ""),
                approving_body=approving_body,
                board_name=board_name if commented else "",
                chair_decides=chair,
            ),
        ),
    ]
    policy._routes_cache = None
    return made


POLICY_COMMENT_DAYS = 28


def policy_approval_steps(
    *, approved_by: str, approving_body: str, board_name: str, chair_decides: bool
) -> list[dict]:
    """Who approves a new version, from what the published policy says: the
    board comments for four weeks; then the chair decides where the chair has
    the final say, the approving body where the policy says that body approved
    it, and otherwise two of the board. The data migration (hubs 0008) says
    the same for the policies it finds."""
    comment = {
        "kind": StepKind.COMMENT,
        "body": Body.BOARD,
        "name": board_name,
        "required": True,
        "window_days": POLICY_COMMENT_DAYS,
    }
    if chair_decides:
        decide = {"kind": StepKind.DECIDE, "body": Body.CHAIR, "separate": False}
    elif approving_body and approved_by.strip().casefold() == approving_body.strip().casefold():
        decide = {"kind": StepKind.DECIDE, "body": Body.APPROVERS, "name": approving_body}
    else:
        decide = {"kind": StepKind.DECIDE, "body": Body.BOARD, "name": board_name, "needed": 2}
    return [comment, decide]
