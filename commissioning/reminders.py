"""Reminders that need only commissions and hubs, registered with notices'
sweep in CommissioningConfig.ready() (see notices/reminders.py for the API).

Each source reads what is due across every hub in two queries: the due rows,
then the people to tell in the hubs concerned. Never one query per commission.

- board_comment_closing: a board comment window (on a draft or on a
  decommissioning recommendation) closes within two days; told: the board.
- approval_waiting: a draft has waited for approval, or a recommendation for a
  decision, for APPROVAL_WAITING_DAYS or more; told: the approvers (or the
  chair, where the chair decides decommissioning), again every
  APPROVAL_WAITING_DAYS while it waits.
- policy_review_due / policy_review_overdue: the hub's current policy is due
  for review within 30 days, or its review date has passed; told: the hub
  admins, the chair and the board, which reviews it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Commission
from commissioning.routing import awaited_step, prepared
from commissioning.workflow import Stage
from hubs.deadlines import deadline_marker
from hubs.decision_routes import Body
from hubs.models import HubPolicy, Membership, Role
from hubs.routes import members_of
from notices import reminders
from notices.reminders import Due

COMMENT_CLOSING_DAYS = 2
APPROVAL_WAITING_DAYS = 7
POLICY_REVIEW_NOTICE_DAYS = 30

COMMENT_STAGES = [Stage.BOARD_COMMENT, Stage.DECOMMISSION_BOARD_COMMENT]
DECISION_STAGES = [Stage.APPROVAL, Stage.DECOMMISSION_DECISION]
POLICY_KEEPERS = [Role.HUB_ADMIN, Role.BOARD_MEMBER]


def register() -> None:
    reminders.register("board_comment_closing", board_comment_closing)
    reminders.register("approval_waiting", approval_waiting)
    reminders.register("policy_review_due", policy_review_due)
    reminders.register("policy_review_overdue", policy_review_overdue)


# ── who is told ──────────────────────────────────────────────────────────────


class People:
    """The members of some hubs, read in one query, looked up by hub."""

    def __init__(self, hub_ids: Iterable[int], roles: Iterable[str], chairs: bool = False):
        wanted = Q(role__in=list(roles))
        if chairs:
            wanted |= Q(is_chair=True)
        rows = Membership.objects.filter(wanted, hub_id__in=set(hub_ids)).select_related("user")
        self._by_hub: dict[int, list] = defaultdict(list)
        for m in rows:
            self._by_hub[m.hub_id].append(m)

    def of(self, hub_id: int, *, role: str | None = None, chair: bool = False) -> list:
        members = self._by_hub.get(hub_id, [])
        return [m.user for m in members if (chair and m.is_chair) or (role and m.role == role)]


def _local(moment: datetime) -> date:
    return timezone.localtime(moment).date()


class Links:
    """Each commission's page, reversed once per hub rather than once per row."""

    def __init__(self) -> None:
        self._patterns: dict[str, str] = {}

    def detail(self, hub_slug: str, reference: str) -> str:
        if hub_slug not in self._patterns:
            self._patterns[hub_slug] = reverse("commissioning:detail", args=[hub_slug, "REFERENCE"])
        return self._patterns[hub_slug].replace("REFERENCE", reference)


# Sources read plain values, not model instances: at national scale building
# tens of thousands of Commission objects costs more than the queries.
FIELDS = ["pk", "reference", "title", "status", "hub_id", "hub__name", "hub__slug"]


# ── the sources ──────────────────────────────────────────────────────────────


def board_comment_closing(today: date) -> list[Due]:
    now = timezone.now()
    closing = list(
        Commission.objects.filter(
            status__in=COMMENT_STAGES,
            board_comment_closes_at__gte=now,
            board_comment_closes_at__lt=now + timedelta(days=COMMENT_CLOSING_DAYS),
        ).values(*FIELDS, "board_comment_closes_at")
    )
    people = People({c["hub_id"] for c in closing}, [Role.BOARD_MEMBER])
    links = Links()
    due = []
    for c in closing:
        closes = timezone.localtime(c["board_comment_closes_at"])
        due.append(
            Due(
                hub_id=c["hub_id"],
                object_key=f"commission:{c['pk']}:{c['status']}",
                due_on=closes.date(),
                recipients=people.of(c["hub_id"], role=Role.BOARD_MEMBER),
                subject=f"[{c['hub__name']}] {c['reference']}: board comments close "
                f"{closes:%-d %B at %H:%M}",
                body=f"{c['reference']} {c['title']}\n{Stage(c['status']).label}.\n"
                f"The window for the board's comments closes at {closes:%H:%M} on "
                f"{deadline_marker(closes.date(), 'closes')}.",
                url=links.detail(c["hub__slug"], c["reference"]),
            )
        )
    return due


def approval_waiting(today: date) -> list[Due]:
    cutoff = timezone.now() - timedelta(days=APPROVAL_WAITING_DAYS)
    waiting = prepared(
        list(
            Commission.objects.filter(
                status__in=DECISION_STAGES, stage_entered_at__lte=cutoff
            ).select_related("hub", "policy", "service_area")
        )
    )
    people = People({c.hub_id for c in waiting}, [Role.APPROVER], chairs=True)
    links = Links()
    due = []
    for c in waiting:
        entered = _local(c.stage_entered_at)
        waited = (today - entered).days
        # One reminder per whole period waited: after 7 days, 14, 21...
        period = waited // APPROVAL_WAITING_DAYS
        if period < 1:
            continue
        step = awaited_step(c)
        if step is None:
            continue
        if step.body == Body.CHAIR:  # the usual bodies from the one read above
            recipients = people.of(c.hub_id, chair=True)
        elif step.body == Body.APPROVERS:
            recipients = people.of(c.hub_id, role=Role.APPROVER)
        else:
            recipients = list(members_of(step, c))
        due.append(
            Due(
                hub_id=c.hub_id,
                object_key=f"commission:{c.pk}:{c.status}:{entered.isoformat()}",
                due_on=entered + timedelta(days=period * APPROVAL_WAITING_DAYS),
                recipients=recipients,
                subject=f"[{c.hub.name}] {c.reference}: waiting {waited} days for a decision",
                body=f"{c.reference} {c.title}\n{Stage(c.status).label} since "
                f"{entered:%-d %B %Y} ({waited} days).",
                url=links.detail(c.hub.slug, c.reference),
            )
        )
    return due


def _current_policies(**filters) -> list[HubPolicy]:
    # The version in force, not a newer draft (nor one approved for a later date).
    newest = HubPolicy.objects.in_force().filter(hub=OuterRef("hub")).order_by("-version")
    newest = newest.values("pk")[:1]
    policies = HubPolicy.objects.filter(pk=Subquery(newest), next_review_on__isnull=False)
    return list(policies.filter(**filters).select_related("hub"))


def _policy_due(policy: HubPolicy, people: People, subject: str) -> Due:
    hub = policy.hub
    # The board reviews the policy; the hub admins keep it, the chair signs it off.
    told = [
        *people.of(hub.pk, role=Role.HUB_ADMIN),
        *people.of(hub.pk, chair=True),
        *people.of(hub.pk, role=Role.BOARD_MEMBER),
    ]
    recipients = list({user.pk: user for user in told}.values())
    arrangements = f" ({policy.review_arrangements})" if policy.review_arrangements else ""
    return Due(
        hub_id=hub.pk,
        object_key=f"hub:{hub.pk}:policy",
        due_on=policy.next_review_on,
        recipients=recipients,
        subject=f"[{hub.name}] {subject}",
        body=f"{policy.title} v{policy.version} is due for review on "
        f"{deadline_marker(policy.next_review_on)}{arrangements}.",
        # Where the board records the review, and the hub admin sees it.
        url=reverse("hubs:policy_reviews", args=[hub.slug]),
    )


def policy_review_due(today: date) -> list[Due]:
    policies = _current_policies(
        next_review_on__gte=today,
        next_review_on__lte=today + timedelta(days=POLICY_REVIEW_NOTICE_DAYS),
    )
    people = People({p.hub_id for p in policies}, POLICY_KEEPERS, chairs=True)
    return [
        _policy_due(p, people, f"the commissioning policy is due for review on "
                    f"{p.next_review_on:%-d %B %Y}")
        for p in policies
    ]  # fmt: skip


def policy_review_overdue(today: date) -> list[Due]:
    policies = _current_policies(next_review_on__lt=today)
    people = People({p.hub_id for p in policies}, POLICY_KEEPERS, chairs=True)
    return [
        _policy_due(p, people, f"the commissioning policy's review is overdue (due "
                    f"{p.next_review_on:%-d %B %Y})")
        for p in policies
    ]  # fmt: skip
