"""The payment schedule's arithmetic, instalments from due to paid, the term
each policy sets, and annual renewal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from agreements import drafting
from agreements import services as ag
from agreements.models import (
    Agreement,
    AgreementStatus,
    InstalmentStatus,
    Milestone,
    PaymentBasis,
)
from agreements.payments import PlannedInstalment, schedule_problems, values
from hubs.refusals import Refused

pytestmark = pytest.mark.django_db

P = PlannedInstalment


def test_percentages_pay_exactly_the_grant_the_last_taking_the_pennies():
    thirds = [P(percent=Decimal("33.33")), P(percent=Decimal("33.33")), P(percent=Decimal("33.34"))]
    assert sum(values(thirds, Decimal("1000.01"))) == Decimal("1000.01")
    assert (
        schedule_problems(
            basis=PaymentBasis.PERCENTAGES,
            instalments=[
                P(percent=Decimal(50), milestone=Milestone.SIGNATURE),
                P(percent=Decimal(50), due_on=date(2026, 1, 1)),
            ],
            grant=Decimal(1000),
        )
        == []
    )


@pytest.mark.parametrize(
    ("basis", "rows", "problem"),
    [
        (
            PaymentBasis.PERCENTAGES,
            [P(percent=Decimal(60), milestone="signature")],
            "add up to 60%",
        ),
        (PaymentBasis.AMOUNTS, [P(amount=Decimal(900), milestone="signature")], "£900.00"),
        (
            PaymentBasis.AMOUNTS,
            [P(percent=Decimal(100), milestone="signature")],
            "amount in pounds",
        ),
        (PaymentBasis.PERCENTAGES, [P(percent=Decimal(100))], "a date or a milestone"),
        (PaymentBasis.AMOUNTS, [], "at least one instalment"),
    ],
)
def test_a_schedule_that_does_not_add_up_says_why(basis, rows, problem):
    problems = " ".join(schedule_problems(basis=basis, instalments=rows, grant=Decimal(1000)))
    assert problem in problems


@pytest.mark.parametrize(
    ("slug", "starts", "expected"),
    [
        ("leics", date(2026, 11, 23), (date(2026, 9, 1), date(2027, 8, 31))),
        ("leics", date(2027, 3, 1), (date(2026, 9, 1), date(2027, 8, 31))),
        ("herts", date(2026, 1, 31), (date(2026, 1, 31), date(2027, 1, 30))),
    ],
)
def test_the_term_follows_the_policy(build, slug, starts, expected):
    cast = build(slug)
    policy = cast.hub.policies.get()
    assert drafting.default_term(policy, starts) == expected


def live(build, pipeline, slug="kent"):
    cast = build(slug)
    p = pipeline(cast)
    c = p._open("Live partnership")
    for step in (p.identify, p.award, p.to_approval, p.approve, p.sign):
        step(c)
    return cast, Agreement.objects.get(commission=c, period_number=1)


def test_an_instalment_goes_from_due_to_approved_to_paid(build, pipeline):
    cast, agreement = live(build, pipeline)
    second = agreement.instalments.get(milestone=Milestone.REPORT_ACCEPTED)
    assert second.status == InstalmentStatus.SCHEDULED
    with pytest.raises(Refused, match="approved for payment"):
        ag.instalment_mark_paid(instalment=second, user=cast.officer)
    ag.instalment_mark_due(instalment=second, user=cast.officer, reason="Report accepted")
    assert second.status == InstalmentStatus.DUE and second.due_reason == "Report accepted"
    with pytest.raises(Refused, match="Board of Kent Music"):
        ag.instalment_approve(instalment=second, user=cast.officer)
    ag.instalment_approve(instalment=second, user=cast.approver)
    ag.instalment_mark_paid(instalment=second, user=cast.officer, reference="BACS 42")
    second.refresh_from_db()
    assert (second.status, second.approved_by, second.paid_by, second.payment_reference) == (
        InstalmentStatus.PAID,
        cast.approver,
        cast.officer,
        "BACS 42",
    )


def test_payments_begin_only_once_signed(build, pipeline):
    cast = build("kent")
    p = pipeline(cast)
    c = p._open("Not yet signed")
    p.identify(c)
    p.award(c)
    first = Agreement.objects.get(commission=c).instalments.first()
    with pytest.raises(Refused, match="once the agreement is signed"):
        ag.instalment_mark_due(instalment=first, user=cast.officer)


def test_dated_instalments_fall_due_on_their_date(build, pipeline):
    _, agreement = live(build, pipeline)
    ag_row = agreement.instalments.get(position=2)
    ag_row.milestone, ag_row.due_on = "", date(2026, 12, 1)
    ag_row.save()
    assert ag.instalments_fall_due_by_date(today=date(2026, 11, 30)) == 0
    assert ag.instalments_fall_due_by_date(today=date(2026, 12, 1)) == 1
    ag_row.refresh_from_db()
    assert ag_row.status == InstalmentStatus.DUE


def test_renewal_drafts_the_next_period_and_runs_its_own_route(build, pipeline):
    cast, first = live(build, pipeline, "leics")
    renewal = ag.agreement_renew(agreement=first, user=cast.officer)
    assert renewal.period_number == 2
    # One academic year (Leicestershire), starting the day after the first ends.
    assert renewal.starts_on == date(first.ends_on.year, 9, 1)
    assert renewal.ends_on == date(first.ends_on.year + 1, 8, 31)
    assert renewal.sections == first.sections
    assert renewal.instalments.count() == first.instalments.count()
    with pytest.raises(Refused, match="already been drafted"):
        ag.agreement_renew(agreement=first, user=cast.officer)
    # Leicestershire has no board step: officer submits, approver approves.
    with pytest.raises(Refused, match="Board comment is not a step"):
        ag.agreement_send_to_board(agreement=renewal, user=cast.officer)
    ag.agreement_submit_for_approval(agreement=renewal, user=cast.officer)
    with pytest.raises(Refused, match="Leicestershire Music"):
        ag.agreement_approve(agreement=renewal, user=cast.officer)
    ag.agreement_approve(agreement=renewal, user=cast.approver)
    contact = cast.contacts[first.commission.partner_id]
    ag.agreement_sign(agreement=renewal, user=contact, full_name="P", role_title="D", consent=True)
    ag.agreement_countersign(
        agreement=renewal, user=cast.officer, full_name="O", role_title="CEO", consent=True
    )
    renewal.refresh_from_db()
    assert renewal.status == AgreementStatus.SIGNED
    first.commission.refresh_from_db()
    assert first.commission.status == "monitoring", "the commission stays live"


def test_only_a_signed_agreement_is_renewed(build, pipeline):
    cast = build("herts")
    p = pipeline(cast)
    c = p._open("Draft only")
    p.identify(c)
    p.award(c)
    with pytest.raises(Refused, match="Only a signed agreement"):
        ag.agreement_renew(agreement=Agreement.objects.get(commission=c), user=cast.officer)


def test_a_milestone_makes_the_next_instalment_waiting_on_it_due(build, pipeline):
    cast, agreement = live(build, pipeline)
    due = ag.instalment_due_at_milestone(
        agreement=agreement,
        milestone=Milestone.REPORT_ACCEPTED,
        user=cast.officer,
        reason="Progress report accepted",
    )
    assert due.position == 2 and due.status == InstalmentStatus.DUE
    again = ag.instalment_due_at_milestone(
        agreement=agreement, milestone=Milestone.REPORT_ACCEPTED, user=cast.officer
    )
    assert again is None, "nothing else waits on that milestone"


def test_a_strategic_partnership_is_drafted_from_the_strategic_wording(build, pipeline):
    cast = build("leics")
    p = pipeline(cast)
    c = p._open("Strategic partnership")
    p.identify(c)
    p.award(c)
    Agreement.objects.filter(commission=c).delete()
    agreement = ag.agreement_create(commission=c, user=cast.officer, partnership_type="strategic")
    assert "as a strategic partner" in agreement.section("scope")["body"]
    assert "shared priorities" in agreement.section("activities")["body"]
    assert agreement.versions.count() == 1
