"""Value for money, worked out from accepted reports only: cost per
participant (Hub grant, and total cost with match funding) and per unit of
each SMART target gained; and, when scoring, from a proposal's planned reach."""

from __future__ import annotations

from decimal import Decimal

import pytest

from commissioning.models import Commission, Proposal
from contracts.dashboard import value_summary
from contracts.value import value_for_money, values_for
from monitoring import services as monitoring
from monitoring.models import Report
from tests.monitoring.conftest import contact_of, officer_of

pytestmark = pytest.mark.django_db


def report(c, contact, officer, *, participants: int, value: Decimal, accept: bool = True):
    """The next report, written with `participants` and the target's value, and accepted."""
    r = Report.objects.filter(commission=c, status="due").order_by("due_on").first()
    target = c.need.targets.get()
    monitoring.report_save(
        report=r,
        user=contact,
        answers={"activities": "a", "outcomes": "b", "participants": participants},
        progress={target.pk: (value, "")},
    )
    monitoring.report_submit(report=r, user=contact)
    if accept:
        monitoring.report_accept(report=r, user=officer)
    return r


def test_cost_per_participant_and_per_outcome_from_accepted_reports(live):
    cast, c = live("herts")
    Commission.objects.filter(pk=c.pk).update(
        hub_grant_amount=Decimal(10000), match_funding_amount=Decimal(5000)
    )
    c.refresh_from_db()
    contact, officer = contact_of(cast, c), officer_of(cast, c)
    target = c.need.targets.get()
    assert target.baseline == 40  # the Pipeline's need: 40 to 120 young people

    assert value_for_money(c).participants is None  # nothing accepted yet

    report(c, contact, officer, participants=80, value=Decimal(70))
    # The reports of a period are cumulative: the latest accepted one counts.
    report(c, contact, officer, participants=100, value=Decimal(100))
    # A report not yet accepted counts for nothing.
    report(c, contact, officer, participants=500, value=Decimal(400), accept=False)

    value = value_for_money(c)
    assert (value.periods, value.participants) == (1, 100)
    assert value.grant == Decimal(10000) and value.total_cost == Decimal(15000)
    assert value.grant_per_participant == Decimal("100.00")
    assert value.cost_per_participant == Decimal("150.00")
    (outcome,) = value.outcomes
    assert outcome.target == target and outcome.gained == Decimal(60)  # 100 - 40
    assert outcome.grant_per_unit == Decimal("166.67")  # £10,000 / 60
    assert outcome.cost_per_unit == Decimal("250.00")  # £15,000 / 60


def test_each_agreement_period_counts_its_own_grant_and_participants(live):
    cast, c = live("herts")
    Commission.objects.filter(pk=c.pk).update(hub_grant_amount=Decimal(6000))
    c.refresh_from_db()
    contact, officer = contact_of(cast, c), officer_of(cast, c)
    report(c, contact, officer, participants=30, value=Decimal(50))
    second = report(c, contact, officer, participants=50, value=Decimal(60))
    Report.objects.filter(pk=second.pk).update(period_number=2)  # as a renewal's report
    value = value_for_money(c)
    assert (value.periods, value.participants, value.grant) == (2, 80, Decimal(12000))
    assert value.grant_per_participant == Decimal("150.00")


def test_the_dashboard_reads_every_partnership_in_a_fixed_number_of_queries(
    live, django_assert_num_queries
):
    cast, c = live("herts")
    report(c, contact_of(cast, c), officer_of(cast, c), participants=40, value=Decimal(50))
    with django_assert_num_queries(3):
        summary = value_summary(c.hub)
    assert [row.commission for row in summary.rows] == [c]
    assert summary.participants == 40
    assert summary.grant_per_participant == (c.hub_grant_amount / 40).quantize(Decimal("0.01"))
    with django_assert_num_queries(0):
        assert values_for([]) == {}


def test_a_proposal_shows_its_cost_per_planned_participant():
    proposal = Proposal(
        total_cost=Decimal(20000), hub_grant_requested=Decimal(9000), planned_participants=120
    )
    assert proposal.grant_per_planned_participant == Decimal("75.00")
    assert proposal.cost_per_planned_participant == Decimal("166.67")
    assert (
        Proposal(total_cost=Decimal(1), planned_participants=None).cost_per_planned_participant
        is None
    )
