"""Time the daily reminder sweep over a national-scale dataset.

    .venv/bin/python manage.py bench_reminders                 # 43 hubs x 2,000 commissions
    .venv/bin/python manage.py bench_reminders --hubs 5 --per-hub 100

It bulk-creates the hubs, policies, people and commissions inside one
transaction, runs the sweep twice (the second must send nothing), reports the
time and the number of queries of each, and rolls everything back: the
database is left as it was and no email is sent. Run it on PostgreSQL
(DATABASE_URL) for meaningful numbers.

The sources it exercises live in apps above notices (commissioning, and later
monitoring), so their models are named through the app registry here, never
imported.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hubs.models import Decider, Hub, HubPolicy, Membership, Role
from hubs.routes import standard_routes
from notices.models import Notification, OutboxMessage, Reminder
from notices.reminders import reminders_sweep

# Stages cycled through the commissions, most of them not due for anything.
STAGES = [
    "monitoring",
    "monitoring",
    "monitoring",
    "draft",
    "identify",
    "completed",
    "board_comment",
    "approval",
    "decommission_board_comment",
    "decommission_decision",
]


class Rollback(Exception):
    pass


@dataclass
class Run:
    seconds: float
    queries: int
    sent: int


def build_dataset(*, hubs: int, per_hub: int) -> list[Hub]:
    """Hubs, each with a current policy, seven people and `per_hub`
    commissions across the stages, in a few dozen bulk inserts."""
    Commission = apps.get_model("commissioning", "Commission")
    NeedsAnalysis = apps.get_model("commissioning", "NeedsAnalysis")
    Need = apps.get_model("commissioning", "Need")
    User = get_user_model()
    token = uuid.uuid4().hex[:8]
    now = timezone.now()
    today = timezone.localdate()

    made = Hub.objects.bulk_create(
        Hub(name=f"Bench hub {token} {n}", slug=f"bench-{token}-{n}", hlo_name=f"HLO {n}")
        for n in range(hubs)
    )
    policies_made = HubPolicy.objects.bulk_create(
        HubPolicy(hub=hub, next_review_on=today + timedelta(days=(n % 6) * 15 - 30))
        for n, hub in enumerate(made)
    )
    for n, policy in enumerate(policies_made):
        decider = Decider.CHAIR if n % 2 else Decider.APPROVERS
        standard_routes(policy, approving_body="Hub board", decommission_decided_by=decider)
    roles = [Role.HLO_STAFF, Role.BOARD_MEMBER, Role.BOARD_MEMBER, Role.BOARD_MEMBER]
    roles += [Role.APPROVER, Role.APPROVER, Role.HUB_ADMIN]
    people = User.objects.bulk_create(
        User(username=f"{token}-{h}-{r}@bench.invalid", email=f"{token}-{h}-{r}@bench.invalid")
        for h in range(hubs)
        for r in range(len(roles))
    )
    Membership.objects.bulk_create(
        Membership(hub=hub, user=people[h * len(roles) + r], role=role, is_chair=(r == 4))
        for h, hub in enumerate(made)
        for r, role in enumerate(roles)
    )
    officers = {hub.pk: people[h * len(roles)] for h, hub in enumerate(made)}
    analyses = NeedsAnalysis.objects.bulk_create(
        NeedsAnalysis(hub=hub, cycle="2025/26", title="Needs", created_by=officers[hub.pk])
        for hub in made
    )
    needs = Need.objects.bulk_create(
        Need(hub_id=a.hub_id, analysis=a, title="A need") for a in analyses
    )
    policies = {p.hub_id: p for p in HubPolicy.objects.filter(hub__in=made)}
    for hub, need in zip(made, needs, strict=True):
        Commission.objects.bulk_create(
            _commission(Commission, hub, policies[hub.pk], need, officers[hub.pk], i, now)
            for i in range(per_hub)
        )
    return made


def _commission(Commission, hub, policy, need, officer, i: int, now):
    status = STAGES[i % len(STAGES)]
    closes = None
    if "board_comment" in status:
        closes = now + timedelta(hours=(i % 120) - 24)  # some close within two days
    return Commission(
        hub=hub,
        policy=policy,
        need=need,
        reference=f"B-{i:05d}",
        title=f"Bench commission {i}",
        status=status,
        stage_entered_at=now - timedelta(days=i % 30),
        board_comment_closes_at=closes,
        created_by=officer,
    )


def sweep_measured() -> Run:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        sent = reminders_sweep()
        seconds = time.perf_counter() - started
    return Run(seconds=seconds, queries=len(queries), sent=sent)


class Command(BaseCommand):
    help = "Time the reminder sweep over a national-scale dataset (rolled back afterwards)."

    def add_arguments(self, parser):
        parser.add_argument("--hubs", type=int, default=43)
        parser.add_argument("--per-hub", type=int, default=2000)

    def handle(self, *args, hubs: int, per_hub: int, **options):
        out = self.stdout
        try:
            with transaction.atomic():
                started = time.perf_counter()
                build_dataset(hubs=hubs, per_hub=per_hub)
                built = time.perf_counter() - started
                out.write(
                    f"{connection.vendor}: {hubs} hubs x {per_hub} commissions "
                    f"= {hubs * per_hub:,} built in {built:.1f} s (rolled back at the end)"
                )
                first = sweep_measured()
                counts = (
                    Reminder.objects.count(),
                    Notification.objects.count(),
                    OutboxMessage.objects.count(),
                )
                second = sweep_measured()
                out.write(
                    f"first sweep:  {first.sent:,} reminders sent in {first.seconds:.2f} s, "
                    f"{first.queries} queries"
                )
                out.write(
                    f"second sweep: {second.sent:,} reminders sent in {second.seconds:.2f} s, "
                    f"{second.queries} queries (each reminder is sent once)"
                )
                out.write(
                    "rows: {:,} reminders, {:,} notifications, {:,} emails queued".format(*counts)
                )
                raise Rollback
        except Rollback:
            pass
