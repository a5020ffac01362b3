"""Reads of a policy's life: which version is in force, where each version is
in its life, and everything a draft's page shows, in a fixed number of
queries whatever the comments and decisions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone

from hubs.decision_routes import DecisionKind, DecisionRoute, RouteStep
from hubs.policy_life.models import (
    CommentKind,
    PolicyComment,
    PolicyDecision,
    PolicyOutcome,
    PolicyStatus,
)
from hubs.routes import comment_step, decide_steps, members_of, route_for


def in_force(hub: Any, on: date | None = None) -> Any:
    """The version in force on a date (today): the newest approved version
    whose date has come. None for a hub with no approved version."""
    from hubs.models import HubPolicy

    return HubPolicy.objects.in_force(on).filter(hub=hub).order_by("-version").first()


def in_force_among(policies: list[Any], on: date | None = None) -> Any:
    """The version in force among versions already read (no query)."""
    on = on or timezone.localdate()
    approved = [p for p in policies if p.status == PolicyStatus.APPROVED]
    live = [p for p in approved if p.effective_from is None or p.effective_from <= on]
    return max(live, key=lambda p: p.version, default=None)


def in_force_pk(hub_ref: Any, on: date | None = None):
    """The version in force as a subquery on a hub (OuterRef("hub") or
    OuterRef("pk")), for lists of many hubs."""
    from django.db.models import Subquery

    from hubs.models import HubPolicy

    newest = HubPolicy.objects.in_force(on).filter(hub=hub_ref).order_by("-version")
    return Subquery(newest.values("pk")[:1])


@dataclass(frozen=True)
class PolicySubject:
    """What hubs.routes asks of a commission when it asks who belongs to a
    body: a policy is the hub's, of no service area."""

    hub: Any
    service_area: Any = None
    service_area_id: Any = None

    @property
    def hub_id(self) -> int:
        return self.hub.pk


@dataclass
class Approval:
    """A draft on its way: the route of the version in force, and this round
    of decisions (a return to draft ends a round)."""

    policy: Any
    current: Any
    route: DecisionRoute | None
    decisions: list[PolicyDecision] = field(default_factory=list)

    @property
    def subject(self) -> PolicySubject:
        return PolicySubject(self.policy.hub)

    @property
    def comment(self) -> RouteStep | None:
        return comment_step(self.route)

    @property
    def decides(self) -> list[RouteStep]:
        return decide_steps(self.route)

    @property
    def this_round(self) -> list[PolicyDecision]:
        returns = [i for i, d in enumerate(self.decisions) if d.outcome == PolicyOutcome.RETURN]
        return self.decisions[returns[-1] + 1 :] if returns else list(self.decisions)

    def approvals_at(self, position: int) -> list[PolicyDecision]:
        return [d for d in self.this_round if d.step_position == position]

    @property
    def awaited(self) -> tuple[int, RouteStep] | None:
        """The decide step waiting for approvals (None once all have them)."""
        for position, step in enumerate(self.decides):
            if len(self.approvals_at(position)) < step.needed:
                return position, step
        return None


def approval_of(policy: Any, *, decisions: list | None = None) -> Approval:
    """Three queries: the version in force, its routes, this draft's decisions."""
    current = in_force(policy.hub)
    route = route_for(current, DecisionKind.POLICY) if current is not None else None
    if decisions is None:
        decisions = list(policy.decisions.select_related("actor").order_by("created_at", "pk"))
    return Approval(policy, current, route, decisions)


def every_member_commented(approval: Approval, comments: list[PolicyComment]) -> bool:
    step = approval.comment
    if step is None:
        return False
    members = set(members_of(step, approval.subject).values_list("pk", flat=True))
    said = {c.author_id for c in comments if c.kind == CommentKind.BOARD}
    return bool(members) and members <= said


def consultation_open(policy: Any, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    closes = policy.consultation_closes_on
    return policy.status == PolicyStatus.OPEN and closes is not None and closes >= today


# ── where each version is in its life ────────────────────────────────────────


def life_of(policy: Any, current: Any) -> str:
    """In words: draft, open for comment, approved (in force from a date),
    in force, superseded."""
    if policy.status == PolicyStatus.DRAFT:
        return "Draft"
    if policy.status == PolicyStatus.OPEN:
        return "Open for comment and decision"
    if current is not None and policy.pk == current.pk:
        return "In force"
    if current is None or policy.version > current.version:
        return f"Approved: in force from {policy.effective_from:%-d %B %Y}"
    return "Superseded"


def in_force_from(policy: Any) -> date | None:
    """The date a version took (or takes) effect; versions saved before the
    policy had a life took effect when approved, or else when saved."""
    if policy.status != PolicyStatus.APPROVED:
        return None
    return policy.effective_from or policy.approved_on or policy.created_at.date()


def comments_of(policy: Any) -> list[PolicyComment]:
    return list(
        policy.comments.select_related("author", "responded_by").order_by("created_at", "pk")
    )


# ── the dashboard ────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class PolicyTodo:
    task: str
    url: str


@dataclass(frozen=True)
class PolicyTodos:
    """What the policy asks of this person, and the version in force (the
    dashboard shows its review date), read together."""

    items: list[PolicyTodo]
    current: Any

    def __iter__(self):
        return iter(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


DRAFT_FIELDS = ("pk", "version", "comment_closes_on", "consultation_closes_on", "proposed_by_id")


def _policy_steps(hub: Any) -> tuple[Any, list[RouteStep], Any]:
    """In one query: the version in force (read with the steps of its policy
    approval route) and the draft open for comment, if any (its fields read
    as subqueries beside each step). A version in force with no policy route
    costs one more query, to read it alone."""
    from django.db.models import Subquery

    from hubs.models import HubPolicy

    open_draft = HubPolicy.objects.filter(hub=hub, status=PolicyStatus.OPEN).order_by("-version")
    steps = list(
        RouteStep.objects.filter(route__policy=in_force_pk(hub.pk), route__kind=DecisionKind.POLICY)
        .select_related("route__policy", "route__service_category", "group")
        .annotate(**{f"draft_{f}": Subquery(open_draft.values(f)[:1]) for f in DRAFT_FIELDS})
        .order_by("route__from_value", "route_id", "position", "pk")
    )
    if not steps:
        return in_force(hub), [], None
    route_id = steps[0].route_id  # the route a decision of no particular value takes
    steps = [step for step in steps if step.route_id == route_id]
    current = steps[0].route.policy
    current.hub = hub
    first = steps[0]
    draft = None
    if first.draft_pk is not None:
        draft = HubPolicy(hub=hub, status=PolicyStatus.OPEN)
        for name in DRAFT_FIELDS:
            setattr(draft, name, getattr(first, f"draft_{name}"))
    return current, steps, draft


def policy_todos(access: Any, today: date | None = None) -> PolicyTodos:
    """What the policy asks of this person: comment on a draft, decide it,
    record the annual review. One query for those with a part in the policy
    (more only while a draft is open), none for anyone else."""
    from hubs.policy_life import rules

    roles = ("comment_as_board", "approve_commissions", "decide_terminations", "configure_hub")
    if not any(access.can(r) for r in roles):
        return PolicyTodos([], None)
    today = today or timezone.localdate()
    hub = access.hub
    current, steps, draft = _policy_steps(hub)
    route = steps[0].route if steps else None
    if route is not None:
        route._prefetched_objects_cache = {"steps": _as_steps(route, steps)}
    todos = []
    if draft is not None:
        decisions = list(
            PolicyDecision.objects.filter(policy_id=draft.pk).order_by("created_at", "pk")
        )
        approval = Approval(draft, current, route, decisions)
        url = reverse("hubs:policy_draft", args=[hub.slug, draft.version])
        comments = list(PolicyComment.objects.filter(policy_id=draft.pk))
        said = {c.author_id for c in comments}
        refusal = rules.policy_comment_refusal(approval, access, today=today, typed=False)
        if refusal is None and access.user.pk not in said:
            todos.append(PolicyTodo(f"Comment on the draft policy (version {draft.version})", url))
        refusal = rules.policy_decision_refusal(
            approval, access, comments=comments, today=today, typed=False
        )
        if refusal is None:
            todos.append(PolicyTodo(f"Approve the draft policy (version {draft.version})", url))
    due = current is not None and current.next_review_on is not None
    if due and current.next_review_on <= today + rules.REVIEW_NOTICE:
        approval = Approval(current, current, route)
        if rules.annual_review_refusal(approval, access, today=today, typed=False) is None:
            url = reverse("hubs:policy_reviews", args=[hub.slug])
            when = f"{current.next_review_on:%-d %B %Y}"
            todos.append(PolicyTodo(f"Record the policy's annual review (due {when})", url))
    return PolicyTodos(todos, current)


def _as_steps(route: DecisionRoute, steps: list[RouteStep]):
    from hubs.routes import _as_queryset

    return _as_queryset(route, steps)
