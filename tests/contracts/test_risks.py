"""The risk register BLMK's policy asks for: a risk raised on a partnership,
reviewed with its report and closed; high risks (likelihood x impact from
15, or the hub's own threshold) on the dashboard and in board packs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from contracts import services as svc
from contracts.dashboard import board_pack_part, contract_panels
from contracts.models import ContractSettings, RiskStatus
from contracts.selectors import risks_visible
from hubs.access import HubAccess
from hubs.refusals import Refused
from monitoring import services as monitoring
from monitoring.models import Report
from oversight.services import board_pack_content, board_view
from tests.monitoring.conftest import contact_of, officer_of

pytestmark = pytest.mark.django_db


def soon(days: int = 30):
    return timezone.localdate() + timedelta(days=days)


RISK = {
    "title": "Too few specialist tutors",
    "likelihood": 4,
    "impact": 4,
    "owner": "Head of ensembles",
    "mitigation": "Recruit through the county network.",
}


def everyone(cast) -> HubAccess:
    return HubAccess(
        cast.hub, cast.approver, frozenset({"approve_commissions"}), frozenset(), frozenset()
    )


def test_a_blmk_risk_is_raised_reviewed_with_a_report_and_closed(live):
    cast, c = live("blmk")
    lead, contact = officer_of(cast, c), contact_of(cast, c)
    risk = svc.risk_raise(commission=c, user=lead, review_on=soon(), **RISK)
    assert risk.score == 16
    assert risk.agreement == c.agreements.get(period_number=1)  # the partnership in force
    access = everyone(cast)
    panels = contract_panels(access)
    assert panels["high_risks"] == [risk] and panels["high_from"] == 15
    assert [r.title for r in board_pack_content(cast.hub)["high_risks"]] == [RISK["title"]]

    report = Report.objects.filter(commission=c).order_by("due_on").first()
    monitoring.report_save(
        report=report,
        user=contact,
        answers={"activities": "a", "outcomes": "b", "participants": 30},
    )
    monitoring.report_submit(report=report, user=contact)
    review = svc.risk_review(
        risk=risk,
        user=lead,
        note="One tutor recruited.",
        likelihood=3,
        impact=4,
        review_on=soon(45),
        report=report,
    )
    risk.refresh_from_db()
    assert (risk.score, risk.review_on, review.report) == (12, soon(45), report)
    assert contract_panels(access)["high_risks"] == []  # 12 is no longer high

    svc.risk_review(
        risk=risk, user=lead, note="Both posts filled.", likelihood=1, impact=4, close=True
    )
    risk.refresh_from_db()
    assert risk.status == RiskStatus.CLOSED and risk.closed_at is not None
    assert [r.closed for r in risk.reviews.all()] == [False, True]
    with pytest.raises(Refused) as refused:
        svc.risk_review(risk=risk, user=lead, note="Again", likelihood=1, impact=1, close=True)
    assert refused.value.rule == "risk_closed"


def test_a_hub_sets_its_own_threshold_for_a_high_risk(live):
    cast, c = live("blmk")
    risk = svc.risk_raise(
        commission=c, user=officer_of(cast, c), review_on=soon(), **(RISK | {"impact": 3})
    )
    assert risk.score == 12
    assert contract_panels(everyone(cast))["high_risks"] == []
    ContractSettings.objects.create(hub=cast.hub, high_risk_from=10)
    assert contract_panels(everyone(cast))["high_risks"] == [risk]
    assert board_pack_part(board_view(cast.hub, None))["high_risks"] == [risk]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"likelihood": None}, "likelihood"),
        ({"impact": 6}, "impact"),
        ({"owner": " "}, "owner"),
        ({"mitigation": ""}, "mitigation"),
        ({"review_on": timezone.localdate() - timedelta(days=1)}, "review_on"),
    ],
)
def test_each_part_of_a_risk_is_refused_beside_its_field(live, change, field):
    cast, c = live("blmk")
    with pytest.raises(Refused) as refused:
        svc.risk_raise(
            commission=c, user=officer_of(cast, c), **({"review_on": soon()} | RISK | change)
        )
    assert refused.value.field == field


def test_only_those_who_run_the_commission_keep_its_risks(live):
    cast, c = live("blmk")
    for who in (cast.approver, contact_of(cast, c), cast.leads["Bedford Borough"]):
        with pytest.raises(Refused) as refused:
            svc.risk_raise(commission=c, user=who, review_on=soon(), **RISK)
        assert refused.value.rule == "officer_only"
    risk = svc.risk_raise(commission=c, user=officer_of(cast, c), review_on=soon(), **RISK)
    with pytest.raises(Refused) as refused:
        svc.risk_review(risk=risk, user=cast.approver, note="x", likelihood=1, impact=1, close=True)
    assert refused.value.rule == "officer_only"
    # A partner sees no risk at all.
    partner = HubAccess(
        cast.hub, contact_of(cast, c), frozenset(), frozenset(), frozenset({c.partner_id})
    )
    assert not risks_visible(partner).exists()
