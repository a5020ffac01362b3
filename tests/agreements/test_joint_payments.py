"""A joint partnership's payments carry every partner: each instalment is
shared by the shares of the Hub grant the partners agreed at the award, a
capital instalment as the revenue, each co-applicant's part rounded down to
the penny and the lead taking the rest, so the parts add up to the
instalment exactly. The agreement's payment schedule, the payment schedule's
page and the payments export show each partner's part; a solo partnership's
rows are as they were."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from agreements import payments
from commissioning.models import CommissionPartner
from hubs.models import Role
from hubs.services import membership_grant
from oversight.exports import payment_rows
from tests.auth_helpers import sign_in
from tests.factories import (
    AgreementFactory,
    CommissionFactory,
    HubPolicyFactory,
    InstalmentFactory,
    NeedFactory,
    PartnerFactory,
    ProposalFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
A, B, W = "Avon Strings", "Bath Beats", "Wells Winds"


def _cp(grant, lead=False, name="Partner"):
    return SimpleNamespace(grant_amount=Decimal(grant), is_lead=lead, partner=name)


@pytest.mark.parametrize(
    ("value", "grants"),
    [
        ("1000.00", ["6000", "2500", "1500"]),
        ("3333.33", ["1", "1", "1"]),
        ("0.01", ["5000", "4999.99"]),
        ("2000.00", ["6000.01", "2500", "1500"]),
        ("12345.67", ["7", "11", "13", "17"]),
    ],
)
def test_the_parts_add_up_to_the_instalment_and_the_lead_takes_the_pennies(value, grants):
    partners = [_cp(grants[0], lead=True), *(_cp(g) for g in grants[1:])]
    parts = payments.partner_parts(Decimal(value), partners)
    assert sum(part for _, part in parts) == Decimal(value)
    assert parts[0][0].is_lead
    agreed = sum(Decimal(g) for g in grants)
    for cp, part in parts[1:]:
        exact = Decimal(value) * cp.grant_amount / agreed
        assert part <= exact < part + Decimal("0.01")  # rounded down to the penny
    assert parts[0][1] >= Decimal(value) * partners[0].grant_amount / agreed


def test_a_solo_partnership_has_no_parts():
    assert payments.partner_parts(Decimal(500), []) == []


@pytest.fixture
def joint():
    """A joint partnership of £10,000.01 (£2,000 of it capital) led by
    Avon Strings with Bath Beats (£2,500) and Wells Winds (£1,500), its
    agreement's schedule: revenue 50% and 50%, capital £2,000."""
    policy = HubPolicyFactory()
    hub = policy.hub
    lead = PartnerFactory(hub=hub, name="Avon Strings")
    bath, wells = (
        PartnerFactory(hub=hub, name="Bath Beats"),
        PartnerFactory(hub=hub, name="Wells Winds"),
    )
    c = CommissionFactory(
        need=NeedFactory(analysis__hub=hub),
        hub_grant_amount=Decimal("10000.01"),
        hub_grant_capital=Decimal(2000),
        partner=lead,
    )
    c.awarded_proposal = ProposalFactory(commission=c, partner=lead)
    c.save()
    for partner, grant, is_lead in (
        (lead, "6000.01", True),
        (bath, "2500", False),
        (wells, "1500", False),
    ):
        CommissionPartner.objects.create(
            commission=c,
            partner=partner,
            is_lead=is_lead,
            share_of_activity=Decimal(30),
            grant_amount=Decimal(grant),
        )
    agreement = AgreementFactory(
        commission=c,
        payment_basis="percentages",
        sections=[{"key": "payments", "title": "Payments", "body": "In three instalments."}],
    )
    InstalmentFactory(
        agreement=agreement, position=1, percent=Decimal(50), description="On signature"
    )
    InstalmentFactory(
        agreement=agreement, position=2, percent=Decimal(50), description="At the report"
    )
    InstalmentFactory(
        agreement=agreement,
        position=3,
        percent=Decimal(100),
        stream="capital",
        description="Instruments",
    )
    officer = UserFactory()
    membership_grant(hub=hub, user=officer, role=Role.HLO_STAFF)
    return agreement, officer


def test_each_instalment_is_shared_by_the_agreed_shares(joint):
    agreement, _ = joint
    from commissioning.joint import partners_of

    rows = payments.shared_rows(
        agreement.instalments.all(),
        agreement.grant_amount,
        agreement.capital_amount,
        partners_of(agreement.commission),
    )
    got = [
        (i.position, value, [(cp.partner.name, part) for cp, part in parts])
        for i, value, parts in rows
    ]
    assert got == [
        (
            1,
            Decimal("4000.00"),
            [(A, Decimal("2400.02")), (B, Decimal("999.99")), (W, Decimal("599.99"))],
        ),
        (
            2,
            Decimal("4000.01"),
            [(A, Decimal("2400.01")), (B, Decimal("1000.00")), (W, Decimal("600.00"))],
        ),
        (
            3,
            Decimal("2000.00"),
            [(A, Decimal("1200.02")), (B, Decimal("499.99")), (W, Decimal("299.99"))],
        ),
    ]
    # Every partner's parts add up to what it was awarded, within the pennies the lead takes.
    totals = {}
    for _, _, parts in rows:
        for cp, part in parts:
            totals[cp.partner.name] = totals.get(cp.partner.name, 0) + part
    assert sum(totals.values()) == agreement.grant_amount


def test_the_agreement_and_its_payment_schedule_page_show_each_partners_part(joint):
    agreement, officer = joint
    c = agreement.commission
    client = Client()
    sign_in(client, officer)
    args = [c.hub.slug, c.reference, 1]
    page = client.get(reverse("agreements:detail", args=args)).content.decode()
    assert 'aria-label="Paid to each partner"' in page
    assert "<li>Bath Beats: £999.99</li>" in page
    assert "<li>Wells Winds: £299.99</li>" in page
    assert "Each instalment shared between the partners" in page
    schedule = client.get(reverse("agreements:schedule", args=args))
    assert schedule.status_code == 200
    text = schedule.content.decode()
    assert "Each instalment shared between the partners" in text
    assert "Avon Strings (lead)" in text and "£2,400.02" in text


def test_the_payments_export_gives_each_partners_part(joint):
    agreement, _ = joint
    rows = list(payment_rows(agreement.hub))
    assert rows[0][-1] == "Each partner's part (joint partnerships)"
    # The first half of £8,000.01 is £4,000.00, as on the schedule page.
    assert rows[1][-1] == "Avon Strings (lead) £2,400.02; Bath Beats £999.99; Wells Winds £599.99"
    assert rows[2][-1] == "Avon Strings (lead) £2,400.01; Bath Beats £1,000.00; Wells Winds £600.00"
    assert rows[3][-1] == "Avon Strings (lead) £1,200.02; Bath Beats £499.99; Wells Winds £299.99"


def test_a_solo_partnerships_schedule_is_as_it_was(joint):
    agreement, officer = joint
    CommissionPartner.objects.filter(commission=agreement.commission).delete()
    client = Client()
    sign_in(client, officer)
    c = agreement.commission
    page = client.get(
        reverse("agreements:detail", args=[c.hub.slug, c.reference, 1])
    ).content.decode()
    assert "Paid to each partner" not in page
    assert list(payment_rows(agreement.hub))[1][-1] == ""
