"""The demo: five hubs configured as their published policies say, with a
commission in every stage each policy uses, a genuine history behind each,
and a second load that changes nothing; each hub with twenty partners, needs
in its own words, commissions with their own titles over two academic
years, a history months long and calls in every phase.

The demo is what the loader makes, put in place once for the module from the
run's copy (tests/demo_db.py: the loader runs for the run's first use of it,
here or elsewhere) and emptied at the end; each test runs in a transaction
that is rolled back. The tests that load it again run the loader itself, on
top of it. tests/monitoring/test_demo.py runs the loader in an empty database.
"""

from __future__ import annotations

import io
from collections import defaultdict
from itertools import pairwise

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.utils import timezone
from guardian.models import GroupObjectPermission, UserObjectPermission

from agreements.models import Agreement
from commissioning.calls.status import CLOSED, DECIDED, NOT_YET_OPEN, OPEN, SCORING, phase_of
from commissioning.models import Call, Commission, Need, Score, TransitionLog
from commissioning.workflow import Stage
from demo.data import DEMO_PASSWORD, HUBS
from hubs.models import BoardComment, Decider, Hub, Membership, Role
from hubs.services import policy_current
from partners.models import PartnerOrganisation
from partners.types import types_of
from tests import demo_db

pytestmark = pytest.mark.django_db

SLUGS = ["blmk", "consortium", "herts", "kent", "leics"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        demo_db.load_demo()
        yield
        demo_db.flush()


def row_counts() -> dict[str, int]:
    models = [
        model
        for label in ("hubs", "partners", "commissioning")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    models += [get_user_model(), UserObjectPermission, GroupObjectPermission]
    return {model._meta.label: model._default_manager.count() for model in models}


def test_loading_the_demo_twice_changes_nothing(demo):
    first = row_counts()
    assert first["hubs.Hub"] == 5
    assert first["commissioning.Commission"] > 0
    assert first["hubs.HubUserObjectPermission"] > 0

    call_command("load_demo", "--quiet")

    assert row_counts() == first


def test_roles_are_granted_on_the_hub_not_per_object(demo):
    # Guardian's generic tables stay empty: grants use the direct FK tables.
    assert UserObjectPermission.objects.count() == 0
    assert GroupObjectPermission.objects.count() == 0


def test_the_five_hubs_have_their_distinctive_policies(demo):
    hubs = {hub.slug: hub for hub in Hub.objects.all()}
    assert sorted(hubs) == SLUGS
    policies = {slug: policy_current(hub=hub) for slug, hub in hubs.items()}

    assert policies["leics"].min_match_funding_percent == 50
    assert policies["leics"].decommission_decided_by == Decider.CHAIR
    assert hubs["blmk"].service_areas.count() == 4
    assert policies["blmk"].commissioning_by_service_area is True
    assert policies["herts"].board_comment_on_drafts == BoardComment.REQUIRED
    assert policies["consortium"].open_call_required is True
    assert hubs["kent"].service_categories.count() == 8
    assert policies["kent"].uses_service_categories is True
    # The distinctive rules are not everyone's rules.
    others = [p for slug, p in policies.items() if slug != "leics"]
    assert all(p.decommission_decided_by == Decider.APPROVERS for p in others)
    assert all(p.min_match_funding_percent == 0 for p in others)


def expected_stages(policy) -> set[str]:
    stages = set(Stage.values)
    if policy.board_comment_on_drafts == BoardComment.SKIPPED:
        stages.discard(Stage.BOARD_COMMENT)
    if policy.board_comment_on_decommission == BoardComment.SKIPPED:
        stages.discard(Stage.DECOMMISSION_BOARD_COMMENT)
    return stages


@pytest.mark.parametrize("slug", SLUGS)
def test_every_stage_the_policy_uses_has_a_commission(demo, slug):
    hub = Hub.objects.get(slug=slug)
    policy = policy_current(hub=hub)
    found = set(Commission.objects.filter(hub=hub).values_list("status", flat=True))

    assert found == expected_stages(policy)
    assert Stage.DECOMMISSIONED in found
    if policy.board_comment_on_drafts == BoardComment.SKIPPED:
        assert Stage.BOARD_COMMENT not in found


def test_every_commission_has_an_unbroken_history(demo):
    history = defaultdict(list)
    for entry in TransitionLog.objects.order_by("commission", "created_at", "pk"):
        history[entry.commission_id].append(entry)
    commissions = list(Commission.objects.all())
    assert commissions

    for commission in commissions:
        entries = history[commission.pk]
        assert entries, commission
        first = entries[0]
        assert (first.action, first.from_stage, first.to_stage) == ("open", "", Stage.NEEDS)
        for before, after in pairwise(entries):
            assert after.from_stage == before.to_stage, (commission, after.action)
        assert entries[-1].to_stage == commission.status, commission
        assert all(entry.hub_id == commission.hub_id for entry in entries)


def parse_logins(output: str) -> dict[str, list[tuple[str, str]]]:
    """The printed logins, by hub: {hub name: [(role, email), ...]}."""
    logins: dict[str, list[tuple[str, str]]] = defaultdict(list)
    hub = None
    for line in output.splitlines():
        if line.startswith("    "):
            role, email = line.strip().rsplit(maxsplit=1)
            logins[hub].append((role, email))
        elif line.startswith("  "):
            hub = line.strip()
    return logins


def test_it_prints_the_password_and_a_login_for_every_role(demo):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    output = out.getvalue()

    assert f"password: {DEMO_PASSWORD}" in output
    logins = parse_logins(output)
    assert logins["All hubs"] == [("Site administrator", "admin@hubcommission.demo")]
    for spec in HUBS:
        slug, printed = spec["slug"], logins[spec["name"]]
        roles = [role for role, _ in printed]
        emails = {email for _, email in printed}
        for role in ("HLO staff", "Approver", "Board member", "Hub admin", "Partner contact"):
            assert any(r.startswith(role) for r in roles), (slug, role)
        assert {
            f"officer@{slug}.demo",
            f"approver@{slug}.demo",
            f"board1@{slug}.demo",
            f"board2@{slug}.demo",
            f"hubadmin@{slug}.demo",
            f"{spec['signing_partner']}@{slug}.demo",
        } <= emails
        if spec["areas"]:
            leads = [r for r in roles if r.startswith("Service lead")]
            assert len(leads) == len(spec["areas"]), slug
        if spec["policy"].get("decommission_decided_by") == Decider.CHAIR:
            assert f"chair@{slug}.demo" in emails


def test_a_printed_login_works_with_the_printed_password(demo):
    user = authenticate(username="officer@leics.demo", password=DEMO_PASSWORD)
    assert user is not None
    assert user.memberships.get().hub.slug == "leics"


def test_quiet_prints_nothing(demo):
    out = io.StringIO()
    call_command("load_demo", "--quiet", stdout=out)
    assert out.getvalue() == ""


# ── a demo that looks like a hub ─────────────────────────────────────────────


@pytest.mark.parametrize("slug", SLUGS)
def test_each_hub_works_with_many_partners_of_the_kinds_its_policy_names(demo, slug):
    hub = Hub.objects.get(slug=slug)
    partners = PartnerOrganisation.objects.filter(hub=hub)
    assert 15 <= partners.count() <= 40
    named = {kind.key for kind in types_of(policy_current(hub=hub))}
    assert set(partners.values_list("partnership_type", flat=True)) <= named
    assert len(set(partners.values_list("organisation_type", flat=True))) >= 4
    contacts = Membership.objects.filter(hub=hub, role=Role.PARTNER_CONTACT)
    assert set(contacts.values_list("partner", flat=True)) == set(
        partners.values_list("pk", flat=True)
    )
    commissions = Commission.objects.filter(hub=hub)
    assert commissions.exclude(partner=None).values("partner").distinct().count() >= 4


@pytest.mark.parametrize("slug", SLUGS)
def test_commissions_have_their_own_titles_over_two_academic_years(demo, slug):
    commissions = Commission.objects.filter(hub__slug=slug)
    titles = list(commissions.values_list("title", flat=True))
    assert len(set(titles)) == len(titles)
    assert not [t for t in titles if t.startswith(tuple(Stage.labels))]
    assert len(set(commissions.values_list("need__analysis__cycle", flat=True))) == 2
    assert Need.objects.filter(hub__slug=slug).count() >= 5
    assert all(c.description for c in commissions)


@pytest.mark.parametrize("slug", SLUGS)
def test_the_history_goes_back_over_months_with_nothing_on_the_day_of_the_load(demo, slug):
    today = timezone.localdate()
    days = {
        (today - timezone.localdate(at)).days
        for at in TransitionLog.objects.filter(hub__slug=slug).values_list("created_at", flat=True)
    }
    assert min(days) >= 1
    assert 300 <= max(days) <= 560
    assert len(days) >= 50


def test_agreements_say_what_the_partner_delivers_not_the_commissions_title(demo):
    first = Agreement.objects.filter(period_number=1).select_related("commission")
    assert first
    for agreement in first:
        scope = agreement.sections[0]["body"]
        assert agreement.commission.description in scope, agreement.commission
        assert f"deliver {agreement.commission.title}" not in scope


@pytest.mark.parametrize("slug", SLUGS)
def test_calls_for_proposals_in_every_phase(demo, slug):
    calls = Call.objects.filter(hub__slug=slug).select_related("commission")
    phases = {
        phase_of(call, scoring_started=Score.objects.filter(proposal__call=call).exists())
        for call in calls
    }
    assert {NOT_YET_OPEN, OPEN, CLOSED, SCORING} <= phases
    if policy_current(hub=Hub.objects.get(slug=slug)).open_call_required or slug == "leics":
        assert DECIDED in phases
