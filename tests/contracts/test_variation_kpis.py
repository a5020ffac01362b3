"""A variation's KPI changes, structured (agreements/variation_kpis.py):
add a KPI, change a KPI's target or frequency, retire one; shown in the
variation's difference and applied to the KPIs once signed
(contracts/variation_follow.py), each KPI keeping the ratings it was given."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from agreements import variations as variation_svc
from agreements.drafting import kpi_schedule_details
from agreements.models import Agreement, AgreementVersion, Variation
from agreements.pdf import agreement_pdf_context
from agreements.variation_diff import variation_changes
from agreements.variation_kpis import ADD, CHANGE, RETIRE, KpiChange
from contracts import services as contracts_svc
from contracts.models import Kpi, KpiRating, Rating
from contracts.selectors import kpi_table, kpis_in_force, report_kpis
from demo.variations_demo import decide_through, sign_through, variation_route
from hubs.refusals import Refused
from monitoring.models import Report
from tests.contracts.test_kpis import quarter
from tests.factories import variation_change
from tests.monitoring.conftest import contact_of, officer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(with_kpis):
    """A Kent contract with two KPIs, one quarter reported and rated, and a
    route for variations."""
    cast, c, (satisfaction, learning) = with_kpis("kent")
    officer, contact = officer_of(cast, c), contact_of(cast, c)
    quarter(
        c,
        contact,
        officer,
        {satisfaction.pk: (Decimal(92), ""), learning.pk: (Decimal(60), "")},
        {satisfaction.pk: (Rating.GOOD, ""), learning.pk: (Rating.APPROACHING, "")},
    )
    agreement = Agreement.objects.select_related("commission__hub", "commission__policy").get(
        commission=c, period_number=1
    )
    variation_route(c.policy, "Kent Music Board")
    return cast, agreement, satisfaction, learning


def _pdf_html(agreement) -> str:
    agreement = Agreement.objects.select_related("commission__partner", "hub").get(pk=agreement.pk)
    return render_to_string("agreements/pdf.html", agreement_pdf_context(agreement))


def _schedule(agreement, number) -> str:
    return AgreementVersion.objects.get(agreement=agreement, number=number).details.get(
        "Schedule of KPIs", ""
    )


def _propose(agreement, user, kpis, **more):
    return variation_svc.variation_propose(
        agreement=agreement, user=user, change=variation_change(kpis=kpis, **more)
    )


def _through(cast, variation, proposer):
    c = variation.agreement.commission
    variation = decide_through(variation, proposer)
    variation = Variation.objects.get(pk=variation.pk)
    variation.agreement = variation.agreement
    return sign_through(variation, contact_of(cast, c), cast.approver)


def test_a_variation_adds_changes_and_retires_kpis_and_their_ratings_stay(rated):
    cast, agreement, satisfaction, learning = rated
    officer = officer_of(cast, agreement.commission)
    variation = _propose(
        agreement,
        officer,
        [
            KpiChange(CHANGE, satisfaction.pk, target=Decimal(95), frequency="quarterly"),
            KpiChange(RETIRE, learning.pk),
            KpiChange(
                ADD,
                measure="sessions",
                description="Ensemble sessions delivered",
                target=Decimal(40),
                frequency="termly",
            ),
        ],
    )
    shown = {change.title: change.lines for change in variation_changes(variation)}
    kpis = shown["KPIs"]
    assert (
        "removed",
        "Participant satisfaction: Players rating sessions good or better; target 90 "
        "% satisfied; each term",
    ) in kpis
    assert (
        "added",
        "Participant satisfaction: Players rating sessions good or better; target 95 "
        "% satisfied; each quarter",
    ) in kpis
    assert (
        "added",
        "Sessions delivered: Ensemble sessions delivered; target 40 sessions; each term",
    ) in kpis
    assert any(tag == "removed" and "Players moving up a grade" in text for tag, text in kpis)
    # Nothing changes until it is signed.
    assert list(kpis_in_force(agreement.commission)) == [satisfaction, learning]

    # The signed agreement states its KPIs as agreed: its version and its PDF.
    signed = _schedule(agreement, agreement.version_number)
    assert (
        "1. Participant satisfaction: Players rating sessions good or better; target 90" in signed
    )
    assert "Players moving up a grade in the year" in signed
    html = _pdf_html(agreement)
    assert "Schedule of KPIs, as agreed" in html and "Once a year" in html

    variation = _through(cast, variation, officer)
    assert variation.status == "signed"
    # Its new version shows the new schedule; the version it varied keeps the old.
    varied = _schedule(agreement, variation.to_version)
    assert "target 95 % satisfied; each quarter" in varied
    assert "Ensemble sessions delivered; target 40 sessions" in varied
    assert "Players moving up a grade" not in varied
    assert _schedule(agreement, variation.from_version) == signed
    html = _pdf_html(agreement)
    assert "Ensemble sessions delivered" in html and "Players moving up a grade" not in html
    now = list(kpis_in_force(agreement.commission))
    assert [(k.description, k.target, k.frequency) for k in now] == [
        ("Players rating sessions good or better", Decimal(95), "quarterly"),
        ("Ensemble sessions delivered", Decimal(40), "termly"),
    ]
    replacement = now[0]
    assert replacement.replaces_id == satisfaction.pk
    assert replacement.agreed_in_version == variation.to_version
    satisfaction.refresh_from_db()
    learning.refresh_from_db()
    assert satisfaction.retired_in_version == learning.retired_in_version == variation.to_version
    # History kept: the ratings given stay with the KPIs they rated, and the
    # partnership's KPI table still shows them.
    assert KpiRating.objects.get(kpi=learning).rating == Rating.APPROACHING
    assert KpiRating.objects.get(kpi=satisfaction).rating == Rating.GOOD
    table = kpi_table(agreement.commission)
    assert {row.kpi.pk for row in table.rows} >= {satisfaction.pk, learning.pk, replacement.pk}
    assert {k.pk for k in table.in_force} == {k.pk for k in now}


def test_the_partner_proposes_a_new_target_on_the_variation_page(rated, client):
    cast, agreement, satisfaction, _ = rated
    c = agreement.commission
    contact = contact_of(cast, c)
    client.force_login(contact)
    new = reverse(
        "agreements:variation_new", args=[c.hub.slug, c.reference, agreement.period_number]
    )
    page = client.get(new)
    assert page.status_code == 200
    assert "Players rating sessions good or better; target 90 % satisfied" in page.content.decode()
    data = {
        "reason": "The survey moves to each quarter.",
        "starts_on": agreement.starts_on.isoformat(),
        "ends_on": agreement.ends_on.isoformat(),
        "hub_grant_amount": str(c.hub_grant_amount),
        "hub_grant_capital": str(c.hub_grant_capital),
        f"kpi_{satisfaction.pk}_target": "-1",
        f"kpi_{satisfaction.pk}_frequency": "quarterly",
    }
    for section in agreement.sections:
        data[f"section_{section['key']}"] = section["body"]
    refused = client.post(new, data)
    assert refused.status_code == 400
    assert "Ensure this value is greater than or equal to 0" in refused.content.decode()
    data[f"kpi_{satisfaction.pk}_target"] = "90"
    data["kpi_new_measure"] = "sessions"
    data["kpi_new_target"] = "12"
    data["kpi_new_frequency"] = "termly"
    refused = client.post(new, data)
    assert refused.status_code == 400
    assert "Say what the new KPI measures" in refused.content.decode()
    data["kpi_new_description"] = "Concerts in schools"
    made = client.post(new, data)
    assert made.status_code == 302
    variation = Variation.objects.get(agreement=agreement)
    assert [(i["action"], i["kpi"]) for i in variation.kpi_plan] == [
        (CHANGE, satisfaction.pk),
        (ADD, None),
    ]
    assert variation.kpi_plan[0]["after"]["frequency"] == "quarterly"
    assert client.get(made.url).status_code == 200


def test_the_gate_refuses_a_kpi_not_of_this_agreement_and_a_change_that_changes_nothing(rated):
    cast, agreement, satisfaction, _ = rated
    officer = officer_of(cast, agreement.commission)
    other = Kpi.objects.exclude(commission=agreement.commission).first()
    for changes, rule in [
        ([KpiChange(RETIRE, other.pk if other else 0)], "kpi_mismatch"),
        ([KpiChange(RETIRE, satisfaction.pk), KpiChange(RETIRE, satisfaction.pk)], "kpi_mismatch"),
        (
            [KpiChange(CHANGE, satisfaction.pk, target=Decimal(90), frequency="termly")],
            "kpi_unchanged",
        ),
        (
            [KpiChange(ADD, measure="nope", description="x", target=1, frequency="termly")],
            "measure_unknown",
        ),
    ]:
        with pytest.raises(Refused) as refused:
            _propose(agreement, officer, changes)
        assert refused.value.refusal.rule == rule
    assert not Variation.objects.filter(agreement=agreement).exists()
    # A commission without KPIs has no schedule in its agreement.
    Kpi.objects.filter(commission=agreement.commission).delete()
    assert kpi_schedule_details(agreement) == {}
    assert "Schedule of KPIs" not in _pdf_html(agreement)


def test_a_report_sent_before_a_variation_is_rated_against_the_kpis_it_was_measured_by(rated):
    """The variation's new KPIs are rated from the next report: the quarter
    already in lists the KPIs it reported, and rating a new one for it is refused."""
    cast, agreement, satisfaction, learning = rated
    officer = officer_of(cast, agreement.commission)
    report = Report.objects.get(kpi_returns__kpi=satisfaction)
    variation = _propose(
        agreement,
        officer,
        [
            KpiChange(CHANGE, satisfaction.pk, target=Decimal(95), frequency="quarterly"),
            KpiChange(
                ADD,
                measure="sessions",
                description="Ensemble sessions delivered",
                target=Decimal(40),
                frequency="termly",
            ),
        ],
    )
    _through(cast, variation, officer)
    new = [k for k in kpis_in_force(agreement.commission) if k not in (satisfaction, learning)]
    assert len(new) == 2

    assert [row.kpi for row in report_kpis(report).rows] == [satisfaction, learning]
    with pytest.raises(Refused) as refused:
        contracts_svc.kpi_ratings_save(
            report=report, user=officer, ratings={new[1].pk: (Rating.GOOD, "")}
        )
    assert refused.value.refusals[0].message == (
        "This KPI was agreed after the report was sent: it is rated from the next report."
    )
    # Its own KPIs may still be rated again.
    contracts_svc.kpi_ratings_save(
        report=report, user=officer, ratings={learning.pk: (Rating.GOOD, "Caught up")}
    )
    assert KpiRating.objects.get(report=report, kpi=learning).rating == Rating.GOOD
