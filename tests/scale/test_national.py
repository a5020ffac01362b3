"""The national dataset builder, at a tiny scale: consistent rows, every stage."""

from __future__ import annotations

from itertools import pairwise

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from commissioning.models import Commission, Proposal, ProposalStatus, Route, TransitionLog
from commissioning.workflow import Stage, target_of
from demo.data import HUBS
from hubs.models import Hub, Role
from scale.national import Sizes, build_national, hub_spec, scenarios

pytestmark = pytest.mark.django_db

TINY = Sizes(hubs=5, partners=12, commissions=20, needs=3)


@pytest.fixture
def built():
    return build_national(TINY, log=lambda _: None)


def test_each_hub_runs_one_of_the_five_policies_in_rotation():
    assert [hub_spec(i)["slug"] for i in range(6)] == [
        "n01-herts",
        "n02-kent",
        "n03-blmk",
        "n04-leics",
        "n05-consortium",
        "n06-herts",
    ]
    assert hub_spec(7)["policy"] == HUBS[2]["policy"]


def test_sizes_and_every_stage_the_policy_uses(built):
    assert Hub.objects.count() == TINY.hubs
    for hub in Hub.objects.all():
        assert hub.commissions.count() == TINY.commissions
        assert hub.partners.count() == TINY.partners
        policy = hub.policies.get()
        wanted = {Stage.NEEDS} | {target_of(p[-1]) for p in scenarios(policy) if p}
        got = set(hub.commissions.values_list("status", flat=True))
        assert got == wanted, hub.slug
    assert built.total > 0


def test_history_walks_the_graph_to_each_commission_stage(built):
    for c in Commission.objects.all():
        log = list(TransitionLog.objects.filter(commission=c).order_by("created_at", "pk"))
        assert log[0].action == "open" and log[0].to_stage == Stage.NEEDS
        for before, after in pairwise(log):
            assert after.from_stage == before.to_stage
            assert after.to_stage == target_of(after.action)
            assert after.actor_id is not None
        assert log[-1].to_stage == c.status, c.reference


def test_awarded_open_calls_point_at_their_successful_proposal(built):
    awarded = Commission.objects.filter(route=Route.OPEN_CALL).exclude(partner=None)
    assert awarded.exists()
    for c in awarded:
        assert c.awarded_proposal.status == ProposalStatus.SUCCESSFUL
        assert c.awarded_proposal.partner_id == c.partner_id
    assert Proposal.objects.filter(call__closed_at__isnull=False, scores__isnull=False).exists()


def test_people_in_every_role_and_a_contact_for_every_partner(built):
    hub = Hub.objects.get(slug="n03-blmk")
    roles = set(hub.memberships.values_list("role", flat=True))
    assert roles == set(Role.values)
    contacts = hub.memberships.filter(role=Role.PARTNER_CONTACT).values("partner").distinct()
    assert contacts.count() == hub.partners.count()


def test_a_second_run_leaves_built_hubs_as_they_are(built):
    before = Commission.objects.count()
    build_national(TINY, log=lambda _: None)
    assert Commission.objects.count() == before


def test_the_command_wants_postgresql():
    if connection.vendor == "postgresql":
        pytest.skip("runs on PostgreSQL")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("national_dataset", "--hubs", "1")


def test_agreements_payments_and_reports_follow_the_stage(built):
    from agreements.models import Agreement, AgreementStatus, Instalment, Signature
    from monitoring.models import Report
    from scale.national_extras import AGREEMENT_STATUS, LIVE

    for c in Commission.objects.exclude(partner=None):
        agreement = Agreement.objects.filter(commission=c).first()
        if c.status not in AGREEMENT_STATUS:
            assert agreement is None
            continue
        assert agreement.status == AGREEMENT_STATUS[c.status]
        assert agreement.versions.count() == 2
        signed = agreement.status == AgreementStatus.SIGNED
        assert Signature.objects.filter(agreement=agreement).count() == (2 if signed else 0)
        assert Instalment.objects.filter(agreement=agreement).count() == (3 if signed else 0)
        assert Report.objects.filter(commission=c).count() == (2 if c.status in LIVE else 0)
