"""KPIs per agreement (Kent monitors contracts against performance
indicators): agreed while the agreement is drafted, reported by the partner
in each quarter's report, rated by the officer each period; carried on by
the next agreement, which may drop one."""

from __future__ import annotations

from decimal import Decimal

import pytest

from agreements import services as ag
from contracts import services as svc
from contracts.dashboard import kpi_summary
from contracts.models import Kpi, KpiRating, Rating
from contracts.selectors import kpi_table, kpis_in_force, kpis_of_agreement
from hubs.refusals import Refused
from monitoring import services as monitoring
from monitoring.models import Report, ReportStatus
from tests.monitoring.conftest import contact_of, officer_of

pytestmark = pytest.mark.django_db

ANSWERS = {"activities": "Weekly ensembles.", "outcomes": "A concert.", "participants": 40}


def quarter(c, contact, officer, values: dict, ratings: dict) -> Report:
    """One quarter's KPI review: values reported, the report submitted and
    accepted, each KPI rated."""
    report = (
        Report.objects.filter(commission=c, status=ReportStatus.DUE, kind="kpi_review")
        .order_by("due_on")
        .first()
    )
    svc.kpi_returns_save(report=report, user=contact, values=values)
    monitoring.report_save(report=report, user=contact, answers=ANSWERS)
    monitoring.report_submit(report=report, user=contact)
    svc.kpi_ratings_save(report=report, user=officer, ratings=ratings)
    monitoring.report_accept(report=report, user=officer)
    return report


def test_a_kent_contract_is_reported_and_rated_against_its_kpis_over_two_quarters(with_kpis):
    cast, c, (satisfaction, learning) = with_kpis("kent")
    officer, contact = officer_of(cast, c), contact_of(cast, c)
    assert list(kpis_in_force(c)) == [satisfaction, learning]
    assert satisfaction.unit == "% satisfied"  # the measure's own unit
    assert satisfaction.agreed_in_version == c.agreements.get(period_number=1).version_number

    q1 = quarter(
        c,
        contact,
        officer,
        {satisfaction.pk: (Decimal(92), "Autumn survey"), learning.pk: (Decimal(60), "")},
        {satisfaction.pk: (Rating.GOOD, ""), learning.pk: (Rating.APPROACHING, "On track")},
    )
    q2 = quarter(
        c,
        contact,
        officer,
        {satisfaction.pk: (Decimal(85), ""), learning.pk: (Decimal(50), "Exams moved")},
        {
            satisfaction.pk: (Rating.APPROACHING, ""),
            learning.pk: (Rating.REQUIRES_IMPROVEMENT, "Action plan agreed"),
        },
    )

    table = kpi_table(c)
    assert table.periods == [q1, q2]
    cells = {row.kpi.pk: row.cells for row in table.rows}
    assert [got.value for got, _ in cells[satisfaction.pk]] == [Decimal(92), Decimal(85)]
    assert [r.rating for _, r in cells[learning.pk]] == [
        Rating.APPROACHING,
        Rating.REQUIRES_IMPROVEMENT,
    ]
    assert cells[learning.pk][1][1].rated_by == officer
    # The dashboard counts each KPI once, by its latest rating.
    summary = kpi_summary(c.hub)
    counts = {value: n for value, _, n in summary.counts}
    assert counts == {"good": 0, "approaching": 1, "requires_improvement": 1, "inadequate": 0}
    assert [r.kpi for r in summary.concerns] == [learning]


def test_a_report_goes_in_only_with_a_value_for_each_kpi(with_kpis):
    cast, c, (satisfaction, learning) = with_kpis("kent")
    contact = contact_of(cast, c)
    report = Report.objects.filter(commission=c, kind="kpi_review").order_by("due_on").first()
    svc.kpi_returns_save(report=report, user=contact, values={satisfaction.pk: (Decimal(91), "")})
    monitoring.report_save(report=report, user=contact, answers=ANSWERS)
    with pytest.raises(Refused) as refused:
        monitoring.report_submit(report=report, user=contact)
    assert [r.rule for r in refused.value.refusals] == ["kpi_values_required"]
    assert "Learning outcomes achieved" in refused.value.message
    svc.kpi_returns_save(
        report=report,
        user=contact,
        values={satisfaction.pk: (Decimal(91), ""), learning.pk: (Decimal(0), "")},
    )
    assert monitoring.report_submit(report=report, user=contact).status == ReportStatus.SUBMITTED
    # Once submitted, the values are the officer's to rate, not the partner's to change.
    with pytest.raises(Refused) as refused:
        svc.kpi_returns_save(report=report, user=contact, values={learning.pk: (Decimal(5), "")})
    assert refused.value.rule == "not_editable"


def test_partners_report_values_but_may_not_rate(with_kpis):
    cast, c, (satisfaction, _) = with_kpis("kent")
    contact, officer = contact_of(cast, c), officer_of(cast, c)
    report = Report.objects.filter(commission=c, kind="kpi_review").order_by("due_on").first()
    with pytest.raises(Refused) as refused:  # not yet submitted
        svc.kpi_ratings_save(report=report, user=officer, ratings={satisfaction.pk: ("good", "")})
    assert refused.value.rule == "report_not_in"
    with pytest.raises(Refused) as refused:
        svc.kpi_returns_save(report=report, user=officer, values={satisfaction.pk: (1, "")})
    assert refused.value.rule == "partner_only"
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)
    report.refresh_from_db()
    with pytest.raises(Refused) as refused:
        svc.kpi_ratings_save(report=report, user=contact, ratings={satisfaction.pk: ("good", "")})
    assert refused.value.rule == "officer_only"
    with pytest.raises(Refused) as refused:
        svc.kpi_ratings_save(report=report, user=officer, ratings={satisfaction.pk: ("great", "")})
    assert refused.value.field == f"rating_{satisfaction.pk}"
    assert not KpiRating.objects.exists()


def test_kpis_are_agreed_only_while_the_agreement_is_a_draft(with_kpis, drafted):
    cast, c, _ = with_kpis("kent")
    signed = c.agreements.get(period_number=1)
    with pytest.raises(Refused) as refused:
        svc.kpi_add(
            agreement=signed,
            user=cast.officer,
            measure="sessions",
            description="Sessions",
            target=Decimal(30),
            frequency="quarterly",
        )
    assert refused.value.rule == "not_a_draft"
    assert "next agreement" in refused.value.message
    # Each part of what is typed is refused beside its field.
    herts, draft_c, _ = drafted("herts", "Another")
    draft = draft_c.agreements.get(period_number=1)
    cases = [
        ({"measure": "happiness"}, "measure"),
        ({"description": " "}, "description"),
        ({"target": None}, "target"),
        ({"target": Decimal(-1)}, "target"),
        ({"frequency": "weekly"}, "frequency"),
    ]
    good = {
        "measure": "sessions",
        "description": "Sessions delivered",
        "target": Decimal(30),
        "frequency": "quarterly",
    }
    officer = herts.officer
    for change, field in cases:
        with pytest.raises(Refused) as refused:
            svc.kpi_add(agreement=draft, user=officer, **(good | change))
        assert refused.value.field == field, change
    assert not Kpi.objects.filter(commission=draft_c).exists()


def test_the_next_agreement_carries_the_kpis_on_and_may_drop_one(with_kpis):
    cast, c, (satisfaction, learning) = with_kpis("kent")
    first = c.agreements.get(period_number=1)
    renewal = ag.agreement_renew(agreement=first, user=cast.officer)
    rows = kpis_of_agreement(renewal)
    assert [(r.kpi, r.state) for r in rows] == [(satisfaction, "agreed"), (learning, "agreed")]
    dropped = svc.kpi_remove(agreement=renewal, kpi=learning, user=cast.officer)
    assert dropped.retired_by == renewal  # kept, with whatever it was rated
    added = svc.kpi_add(
        agreement=renewal,
        user=cast.officer,
        measure="schools",
        description="Secondary schools taking part",
        target=Decimal(4),
        frequency="annually",
    )
    states = {r.kpi.pk: r.state for r in kpis_of_agreement(renewal)}
    assert states == {satisfaction.pk: "agreed", learning.pk: "dropped", added.pk: "new"}
    # Until the renewal is signed, the first agreement's KPIs are the ones in force.
    assert list(kpis_in_force(c)) == [satisfaction, learning]
    # One added in the draft and never reported against simply goes.
    assert svc.kpi_remove(agreement=renewal, kpi=added, user=cast.officer) is None
    assert not Kpi.objects.filter(pk=added.pk).exists()
