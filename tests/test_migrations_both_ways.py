"""The data migrations that carried a setting into rows, run both ways on the
five hubs as the demo configures them, in one trip back and one forward.

Each migration below is checked where it was made: its state just before
(what the schema and the rows looked like then) and, after coming forward
again, that every policy has what the migration gives and the five hubs
behave as they did. Migrating the whole schema back and forward takes most
of a minute on this machine, so all of them share one trip: back one step
at a time (the nearest first, each step only undoing), then forward once.
Each step was a test of its own, which cost the suite a trip each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from commissioning.models import ScoreScale
from hubs.grounds import DecommissionGrounds, Ground
from hubs.models import HubPolicy
from hubs.routes import route_for, route_words, routes_of
from hubs.services import policy_current
from monitoring import schedule
from monitoring.hearers import ComplaintHearer
from monitoring.report_schedules import ReportSchedule
from partners.models import PartnerOrganisation, PolicyPartnershipType
from tests.conftest import POLICY_SLUGS

SPAN = (date(2025, 9, 1), date(2027, 8, 31))  # two academic years of reports owed


@dataclass
class Step:
    """One data migration: the target just before it, what must hold there,
    and what must hold again after coming forward."""

    before: tuple[str, str]
    check_before: Callable[[object, dict], None]
    check_after: Callable[[dict], None]


def _decision_routes() -> dict[str, list[str]]:
    return {
        p.hub.slug: sorted(route_words(r) for r in routes_of(p) if r.kind != "non_renewal")
        for p in HubPolicy.objects.select_related("hub")
    }


def _policy_routes() -> dict[str, str]:
    return {
        p.hub.slug: route_words(route_for(p, "policy"))
        for p in HubPolicy.objects.select_related("hub")
    }


def _schedules() -> dict[str, object]:
    return {p.hub.slug: schedule.plan(p, *SPAN) for p in HubPolicy.objects.select_related("hub")}


# ── hubs 0004: the five hubs' settings became decision routes ───────────────
def routes_before(state, seen) -> None:
    old = state.get_model("hubs", "HubPolicy")
    settings = {
        p.hub.slug: (
            p.approving_body,
            p.board_comment_on_drafts,
            p.board_comment_on_decommission,
            p.decommission_decided_by,
            p.comment_window_days,
        )
        for p in old.objects.select_related("hub")
    }
    assert settings["herts"] == (
        "HMS Executive Leadership Team",
        "required",
        "required",
        "approvers",
        14,
    )
    assert settings["leics"][3] == "chair"
    assert settings["kent"][1] == "optional"
    assert settings["blmk"][1:3] == ("skipped", "skipped")


def routes_after(seen) -> None:
    assert _decision_routes() == seen["decision routes"]


# ── hubs 0005: the grounds for decommissioning became rows of each policy ───
def grounds_before(state, seen) -> None:
    assert "ground" not in state.all_models["hubs"]
    assert state.get_model("hubs", "HubPolicy").objects.count() == len(seen["policies"])


def grounds_after(seen) -> None:
    for policy in HubPolicy.objects.all():
        rows = Ground.objects.filter(policy=policy)
        assert [(g.key, g.label) for g in rows] == list(DecommissionGrounds.choices)
        assert {g.key for g in rows if g.kind == "positive"} == {"objectives_met", "sustainable"}
        assert rows.get(key="safeguarding").kind == "termination"


# ── hubs 0008: every policy version was given a life ────────────────────────
def life_before(state, seen) -> None:
    old = state.get_model("hubs", "HubPolicy")
    assert "status" not in {f.name for f in old._meta.get_fields()}
    assert "policydecision" not in state.all_models["hubs"]
    route = state.get_model("hubs", "DecisionRoute")
    assert not route.objects.filter(kind="policy").exists()
    assert old.objects.count() == len(POLICY_SLUGS)


def life_after(seen) -> None:
    for policy in HubPolicy.objects.select_related("hub"):
        assert policy.status == "approved"
        assert policy.effective_from == policy.approved_on  # every demo policy has its date
        assert policy_current(hub=policy.hub) == policy
    assert _policy_routes() == seen["policy routes"]


# ── partners 0002: the two partnership types became a list on each policy ───
def types_before(state, seen) -> None:
    assert "policypartnershiptype" not in state.all_models["partners"]
    old = state.get_model("partners", "PartnerOrganisation")
    field = old._meta.get_field("partnership_type")
    assert [k for k, _ in field.choices] == ["delivery", "strategic"]


def types_after(seen) -> None:
    for policy in HubPolicy.objects.all():
        rows = PolicyPartnershipType.objects.filter(policy=policy)
        assert [(t.key, t.name) for t in rows] == [
            ("delivery", "Delivery partner"),
            ("strategic", "Strategic partner"),
        ]
    kinds = set(PartnerOrganisation.objects.values_list("partnership_type", flat=True))
    assert kinds == seen["partnership types"]


# ── commissioning 0010: the score scale (0 to 5) became a row of each policy ─
def scale_before(state, seen) -> None:
    assert "scorescale" not in state.all_models["commissioning"]
    field = state.get_model("commissioning", "Score")._meta.get_field("score")
    assert 5 in [getattr(v, "limit_value", None) for v in field.validators]


def scale_after(seen) -> None:
    assert {(s.max_score, s.words) for s in ScoreScale.objects.all()} == {(5, "")}
    assert ScoreScale.objects.count() == HubPolicy.objects.count()


# ── monitoring 0005: the reporting cadence became each policy's schedule ────
def schedules_before(state, seen) -> None:
    assert "reportschedule" not in state.all_models["monitoring"]
    assert "complainthearer" not in state.all_models["monitoring"]


def schedules_after(seen) -> None:
    policies = HubPolicy.objects.count()
    assert ReportSchedule.objects.count() == policies, "one schedule for every policy"
    leics = ReportSchedule.objects.get(policy__hub__slug="leics")
    assert [t.name for t in leics.terms.all()] == ["Autumn", "Spring", "Summer"]
    assert _schedules() == seen["schedules"], "the five hubs owe exactly the reports they owed"
    assert ComplaintHearer.objects.count() == 2 * policies


STEPS = [
    Step(("hubs", "0003_policy_eoi_for_needs_gaps"), routes_before, routes_after),
    Step(("hubs", "0004_decision_routes"), grounds_before, grounds_after),
    Step(("hubs", "0007_policy_awards_within_allocation"), life_before, life_after),
    Step(("partners", "0001_initial"), types_before, types_after),
    Step(("commissioning", "0009_in_house_reason"), scale_before, scale_after),
    Step(("monitoring", "0004_grounds_from_policy"), schedules_before, schedules_after),
]


def _only_back(executor: MigrationExecutor, target: tuple[str, str]) -> int | None:
    """How many migrations going back to `target` undoes from here (None if
    it would apply any: then it is not a step back from here)."""
    plan = executor.migration_plan([target])
    if any(not backwards for _, backwards in plan):
        return None
    return len(plan)


@pytest.mark.django_db(transaction=True)
def test_every_data_migration_goes_back_and_comes_forward(build):
    for slug in POLICY_SLUGS:
        build(slug)
    seen = {
        "policies": list(HubPolicy.objects.values_list("pk", flat=True)),
        "decision routes": _decision_routes(),
        "policy routes": _policy_routes(),
        "partnership types": set(
            PartnerOrganisation.objects.values_list("partnership_type", flat=True)
        ),
        "schedules": _schedules(),
    }
    # What the five hubs start with, as the migrations' forward halves give it.
    assert Ground.objects.count() == 9 * len(seen["policies"])
    assert seen["policy routes"]["leics"].endswith(
        "then the chair decides, and the decision is final."
    )
    assert "then one of the Board of Kent Music" in seen["policy routes"]["kent"]
    assert "then 2 of the Hertfordshire Music Hub board" in seen["policy routes"]["herts"]

    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    left = list(STEPS)
    try:
        while left:
            executor = MigrationExecutor(connection)
            sizes = {id(step): _only_back(executor, step.before) for step in left}
            ready = [step for step in left if sizes[id(step)] is not None]
            assert ready, f"no step goes only back from here: {[s.before for s in left]}"
            step = min(ready, key=lambda s: sizes[id(s)])
            executor.migrate([step.before])
            step.check_before(executor.loader.project_state([step.before]).apps, seen)
            left.remove(step)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(leaves)
    for step in STEPS:
        step.check_after(seen)
