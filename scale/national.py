"""A national-scale dataset: every hub in England, built with bulk inserts.

Each hub is configured like one of the five demo policies in rotation (its
people and first partners come from demo.cast.build_hub, so roles and
permissions are granted exactly as in the demo), then filled in bulk with
partners, needs, commissions in every stage the policy uses, their history,
calls, proposals, declarations and scores (the last four in
scale.national_activity).

The rows are consistent: each commission's TransitionLog walks the workflow
graph from "open" to its stage, actors hold the role the move needs, and an
awarded commission points at its successful proposal.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from commissioning.models import (
    Commission,
    DecommissionGrounds,
    Need,
    NeedsAnalysis,
    Route,
    SmartTarget,
)
from commissioning.workflow import ACTIONS, Actor, Stage, target_of
from demo.cast import Cast, _demo_password_hash, build_hub
from demo.data import HUBS
from hubs.models import BoardComment, Criterion, Hub, HubPolicy, Membership, Role
from partners.models import OrganisationType, PartnerOrganisation
from scale import national_extras
from scale.national_activity import fill_calls, fill_history

User = get_user_model()
BATCH = 2000
ORG_TYPES = [t.value for t in OrganisationType]
# Per-hub builders for the apps above commissioning (agreements, payments,
# reports): each is called with (hub, commissions) after the commissioning
# rows, returns the rows it made, and does nothing for a hub it has built.
EXTRA_BUILDERS: list[Callable[[Hub, list[Commission]], int]] = [
    national_extras.agreements,
    national_extras.reports,
]


@dataclass
class Sizes:
    hubs: int = 43
    partners: int = 300
    commissions: int = 2000
    needs: int = 40


@dataclass
class Counts:
    rows: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, n: int) -> None:
        self.rows[name] = self.rows.get(name, 0) + n

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def hub_spec(index: int) -> dict:
    """The demo spec of policy `index % 5`, renamed as national hub `index + 1`."""
    base = HUBS[index % len(HUBS)]
    spec = copy.deepcopy(base)
    number = index + 1
    spec["slug"] = f"n{number:02d}-{base['slug']}"
    spec["name"] = f"National hub {number:02d} ({base['name']})"
    spec["org_id"] = f"{base['org_id']}-N{number:02d}"
    return spec


def scenarios(policy: HubPolicy) -> list[list[str]]:
    """The moves that take a commission to each stage this policy uses."""
    board_drafts = policy.board_comment_on_drafts != BoardComment.SKIPPED
    board_decommission = policy.board_comment_on_decommission != BoardComment.SKIPPED
    to_approval = (
        ["send_to_board", "close_board_comment"] if board_drafts else ["submit_for_approval"]
    )
    to_decision = (
        ["send_decommission_to_board", "close_decommission_comment"]
        if board_decommission
        else ["submit_decommission_for_decision"]
    )
    drafted = ["begin_identification", "award"]
    approval = [*drafted, *to_approval]
    signed = [*approval, "approve", "sign", "countersign"]
    recommended = [*signed, "recommend_decommission"]
    decided = [*recommended, *to_decision, "approve_decommission"]
    paths = [
        [],
        ["begin_identification"],
        drafted,
        [*approval, "return_to_draft"],
        approval,
        [*approval, "approve"],
        signed,
        signed,  # live partnerships are the bulk of a hub's work
        signed,
        [*signed, "complete"],
        recommended,
        [*recommended, *to_decision],
        decided,
        [*decided, "end_partnership"],
        ["begin_identification", "withdraw"],
    ]
    if board_drafts:
        paths.append([*drafted, "send_to_board"])
    if board_decommission:
        paths.append([*recommended, "send_decommission_to_board"])
    if policy.immediate_termination_on_safeguarding:
        paths.append([*signed, "terminate_immediately"])
    return paths


def _bulk(model: type[models.Model], rows: Iterable[models.Model], counts: Counts) -> list:
    created = model.objects.bulk_create(list(rows), batch_size=BATCH)
    counts.add(model._meta.label, len(created))
    return created


@contextmanager
def _given_timestamps(model: type[models.Model]):
    """Keep the created_at we set (a history spread over two years) instead
    of auto_now_add's "now", for this bulk insert only."""
    created = model._meta.get_field("created_at")
    created.auto_now_add = False
    try:
        yield
    finally:
        created.auto_now_add = True


class HubFiller:
    """Fills one hub, built by build_hub, with `sizes` of everything."""

    def __init__(self, cast: Cast, sizes: Sizes, counts: Counts, seed: int) -> None:
        self.cast = cast
        self.hub = cast.hub
        self.sizes = sizes
        self.counts = counts
        self.seed = seed
        self.policy = cast.hub.policies.in_force().order_by("-version").first()
        self.areas = list(cast.hub.service_areas.order_by("pk"))
        self.criteria = list(Criterion.objects.filter(hub=cast.hub).order_by("position"))
        self.categories = list(cast.hub.service_categories.order_by("position"))
        self.now = timezone.now()

    # people
    def officer_for(self, area_id: int | None) -> Any:
        if area_id is not None and self.cast.leads:
            by_id = {a.pk: a.name for a in self.areas}
            return self.cast.leads.get(by_id[area_id], self.cast.officer)
        return self.cast.officer

    def actor(self, action: str, commission: Commission, contacts: dict[int, Any]) -> Any:
        who = ACTIONS[action].actor
        if who is Actor.APPROVER:
            return self.cast.approver
        if who is Actor.DECOMMISSION_DECIDER:
            chair = self.policy.decommission_decided_by == "chair" and self.cast.chair
            return chair or self.cast.approver
        if who is Actor.PARTNER:
            return contacts.get(commission.partner_id)
        return self.officer_for(commission.service_area_id)

    # partners and their contacts
    def partners(self) -> list[PartnerOrganisation]:
        existing = list(PartnerOrganisation.objects.filter(hub=self.hub).order_by("pk"))
        missing = self.sizes.partners - len(existing)
        new = [
            PartnerOrganisation(
                hub=self.hub,
                name=f"{self.hub.slug} partner {n:04d}",
                organisation_type=ORG_TYPES[n % len(ORG_TYPES)],
                is_existing_partner=n % 3 == 0,
                service_area=self.areas[n % len(self.areas)] if self.areas else None,
                charity_number=f"{1_200_000 + self.seed * 1000 + n}" if n % 2 else "",
                org_id=f"GB-CHC-{1_200_000 + self.seed * 1000 + n}" if n % 2 else "",
                introductory_meeting_on=date(2024, 9, 1) + timedelta(days=n % 300),
            )
            for n in range(len(existing), len(existing) + missing)
        ]
        created = _bulk(PartnerOrganisation, new, self.counts)
        self._contacts(created)
        return existing + created

    def _contacts(self, partners: list[PartnerOrganisation]) -> None:
        password = _demo_password_hash()
        users = [
            User(
                username=f"contact{p.pk}@{self.hub.slug}.demo",
                email=f"contact{p.pk}@{self.hub.slug}.demo",
                first_name="Pat",
                last_name=f"Contact {p.pk}",
                password=password,
            )
            for p in partners
        ]
        users = _bulk(User, users, self.counts)
        _bulk(
            Membership,
            (
                Membership(hub=self.hub, user=u, role=Role.PARTNER_CONTACT, partner=p)
                for u, p in zip(users, partners, strict=True)
            ),
            self.counts,
        )

    def contacts(self) -> dict[int, Any]:
        rows = Membership.objects.filter(hub=self.hub, role=Role.PARTNER_CONTACT).select_related(
            "user"
        )
        return {m.partner_id: m.user for m in rows}

    # needs
    def needs(self) -> list[Need]:
        analysis, _ = NeedsAnalysis.objects.get_or_create(
            hub=self.hub,
            cycle="2025/26",
            title="National dataset needs analysis",
            defaults={
                "summary": "Consultation with schools, young people and parents.",
                "stakeholders_consulted": ["schools", "young_people", "parents"],
                "completed_on": date(2025, 7, 1),
                "created_by": self.cast.officer,
            },
        )
        needs = _bulk(
            Need,
            (
                Need(
                    hub=self.hub,
                    analysis=analysis,
                    title=f"Need {n + 1:03d}: more young people in ensembles",
                    description="Found in the annual needs analysis.",
                    priority=(n % 3) + 1,
                    service_area=self.areas[n % len(self.areas)] if self.areas else None,
                )
                for n in range(self.sizes.needs)
            ),
            self.counts,
        )
        _bulk(
            SmartTarget,
            (
                SmartTarget(
                    need=need,
                    description="Young people in weekly ensembles",
                    measure="participants enrolled",
                    baseline=Decimal(40),
                    target_value=Decimal(120),
                    due_on=date(2026, 7, 31),
                )
                for need in needs
            ),
            self.counts,
        )
        return needs

    # commissions
    def route_for(self, n: int) -> str:
        """Half the commissions go to an open call (all, where the policy says
        so); the rest to an existing partner, or ad hoc where that is allowed."""
        if self.policy.open_call_required or n % 2 == 0:
            return Route.OPEN_CALL
        if self.policy.responsive_commissioning_allowed and n % 4 == 1:
            return Route.RESPONSIVE
        return Route.EXISTING_PARTNER

    def commissions(
        self, needs: list[Need], partners: list[PartnerOrganisation], start: int = 0
    ) -> list:
        """sizes.commissions commissions, numbered from `start` + 1."""
        paths = scenarios(self.policy)
        prefix = self.hub.slug.upper()[:6]
        plans = []
        for n in range(start, start + self.sizes.commissions):
            path = paths[n % len(paths)]
            need = needs[n % len(needs)]
            area_id = need.service_area_id
            if area_id:
                in_area = [p for p in partners[:40] if p.service_area_id == area_id]
                partner = in_area[n % len(in_area)] if in_area else partners[n % len(partners)]
            else:
                partner = partners[n % len(partners)]
            plans.append((n, path, need, partner))
        commissions = [self._commission(prefix, *plan) for plan in plans]
        with _given_timestamps(Commission):
            _bulk(Commission, commissions, self.counts)
        return list(zip(commissions, plans, strict=True))

    def _commission(self, prefix, n, path, need, partner) -> Commission:
        stage = Stage.NEEDS
        for action in path:
            stage = Stage(target_of(action))
        started = self.now - timedelta(days=730) + timedelta(minutes=n * 300)
        c = Commission(
            hub=self.hub,
            policy=self.policy,
            reference=f"{prefix}-{n + 1:04d}",
            title=f"Inclusive ensembles {n + 1:04d}",
            description="A national dataset commission.",
            need=need,
            service_area_id=need.service_area_id,
            service_category=self.categories[n % len(self.categories)] if self.categories else None,
            hub_grant_amount=Decimal(5000 + (n % 40) * 500),
            created_by=self.officer_for(need.service_area_id),
            status=stage,
            stage_entered_at=started + timedelta(days=len(path) * 7),
        )
        c.created_at = started
        if path:
            c.route = self.route_for(n)
            c.route_reason = "No existing partner fits." if c.route == Route.OPEN_CALL else ""
        if "award" in path:
            c.partner = partner
            c.match_funding_amount = c.hub_grant_amount / 2
        if stage in (Stage.BOARD_COMMENT, Stage.DECOMMISSION_BOARD_COMMENT):
            c.board_comment_closes_at = self.now + timedelta(days=7 + n % 7)
        if stage == Stage.APPROVAL:
            c.submitted_for_approval_by = self.officer_for(need.service_area_id)
        if "recommend_decommission" in path and stage != Stage.MONITORING:
            c.decommission_grounds = DecommissionGrounds.OBJECTIVES_MET
        if "terminate_immediately" in path:
            c.decommission_grounds = DecommissionGrounds.SAFEGUARDING
        return c


def fill_hub(
    cast: Cast, sizes: Sizes, counts: Counts | None = None, seed: int = 0, start: int = 0
) -> list[Commission]:
    """Fill a hub built by build_hub: partners up to sizes.partners, then
    sizes.needs needs and sizes.commissions commissions numbered from `start`
    + 1, with their history, calls, proposals and scores."""
    counts = counts if counts is not None else Counts()
    filler = HubFiller(cast, sizes, counts, seed)
    partners = filler.partners()
    needs = filler.needs()
    made = filler.commissions(needs, partners, start)
    fill_history(filler, made, filler.contacts())
    fill_calls(filler, made, partners)
    commissions = [c for c, _ in made]
    for extra in EXTRA_BUILDERS:
        counts.add(extra.__name__, extra(cast.hub, commissions))
    return commissions


def build_national(sizes: Sizes, log: Callable[[str], None] = print) -> Counts:
    """Build `sizes.hubs` hubs. A hub that already has commissions is left
    as it is, so an interrupted build can be run again."""
    counts = Counts()
    for index in range(sizes.hubs):
        spec = hub_spec(index)
        with transaction.atomic():
            cast = build_hub(spec)
            if Commission.objects.filter(hub=cast.hub).exists():
                commissions = list(Commission.objects.filter(hub=cast.hub).select_related("policy"))
                added = sum(extra(cast.hub, commissions) for extra in EXTRA_BUILDERS)
                counts.add("added to a hub built before", added)
                log(f"{cast.hub.slug}: built before; {added:,} rows added by later builders")
                continue
            fill_hub(cast, sizes, counts, seed=index)
        log(f"{cast.hub.slug}: built ({counts.total:,} rows so far)")
    return counts
