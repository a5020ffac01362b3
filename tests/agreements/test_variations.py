"""Variations of a signed agreement: proposed by the partner or the officer,
decided on the policy's route for variations, signed by both parties, then
the agreement's next version, with the payments and reports that follow it;
and every refusal of the gate (agreements/rules_variations.py)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from agreements import rules_variations as rv
from agreements import variations as svc
from agreements.models import (
    AgreementVersion,
    InstalmentStatus,
    Variation,
    VariationStatus,
)
from agreements.selectors import compare
from agreements.variation_diff import variation_changes
from demo.variations_demo import decide_through, sign_through, variation_route
from hubs.decision_routes import Body, RouteStep
from hubs.refusals import Refused
from monitoring.models import Report, ReportKind
from oversight.models import HubAllocation
from tests.factories import signed_agreement, variation_change

pytestmark = pytest.mark.django_db
V = VariationStatus


@pytest.fixture
def herts(build):
    return build("herts")


@pytest.fixture
def live(herts, pipeline):
    agreement = signed_agreement(pipeline, herts)
    variation_route(agreement.commission.policy, "HMS Executive Leadership Team")
    return agreement


def _contact(cast, agreement):
    return cast.contacts[agreement.commission.partner_id]


def _propose(agreement, user, **changes):
    return svc.variation_propose(agreement=agreement, user=user, change=variation_change(**changes))


def _fresh(variation):
    got = Variation.objects.get(pk=variation.pk)
    got.agreement = variation.agreement
    got.agreement.refresh_from_db()
    got.agreement.commission.refresh_from_db()
    return got


def test_a_partners_variation_is_approved_signed_and_becomes_the_next_version(herts, live):
    contact = _contact(herts, live)
    c = live.commission
    grant, ends, version = c.hub_grant_amount, live.ends_on, live.version_number
    scope = live.section("scope")["body"] + "\n\nTwo more schools from the spring term."
    variation = _propose(
        live,
        contact,
        sections={"scope": scope},
        ends_on=ends + timedelta(days=61),
        hub_grant_amount=grant + 2000,
        hub_grant_capital=Decimal(0),
    )
    assert variation.status == V.PROPOSED and variation.by_partner
    assert variation.from_version == version
    svc.variation_decide(variation=variation, user=herts.approver, outcome="approve")
    variation = _fresh(variation)
    assert variation.status == V.APPROVED
    sign_through(variation, contact, herts.officer)
    variation = _fresh(variation)
    live = variation.agreement
    assert variation.status == V.SIGNED
    assert variation.to_version == version + 1 == live.version_number
    assert live.ends_on == ends + timedelta(days=61)
    assert live.section("scope")["body"] == scope.strip()
    assert live.commission.hub_grant_amount == grant + 2000
    # The new version shows what changed against the one it varied.
    old, new = (
        AgreementVersion.objects.get(agreement=live, number=n) for n in (version, version + 1)
    )
    assert new.note.startswith("Variation 1: ")
    changed = {s.title for s in compare(old, new) if s.changed}
    title = live.section("scope")["title"]
    assert {title, "Details", "Payment schedule"} <= changed
    shown = {change.title: change.lines for change in variation_changes(variation)}
    assert ("added", "Two more schools from the spring term.") in shown[title]
    assert ("added", f"Hub grant: £{grant + 2000:,.2f}") in shown["Funding"]
    assert ("removed", f"Hub grant: £{grant:,.2f}") in shown["Funding"]


def test_the_payments_follow_the_new_funding(herts, live):
    """What is due or paid stays; what is still scheduled pays the rest."""
    c = live.commission
    grant = c.hub_grant_amount
    due = [i for i in live.instalments.all() if i.status != InstalmentStatus.SCHEDULED]
    kept = sum(i.value_of(grant) for i in due)
    assert due, "the demo schedule pays half on signature"
    variation = _propose(live, herts.officer, hub_grant_amount=grant + 1000, hub_grant_capital=0)
    decide_through(variation, herts.officer)
    sign_through(_fresh(variation), _contact(herts, live), herts.approver)
    live.refresh_from_db()
    c.refresh_from_db()
    instalments = list(live.instalments.all())
    assert sum(i.amount for i in instalments) == grant + 1000
    assert all(i.percent is None for i in instalments)
    assert sum(i.amount for i in instalments if i.status != InstalmentStatus.SCHEDULED) == kept
    scheduled = [i for i in instalments if i.status == InstalmentStatus.SCHEDULED]
    assert sum(i.amount for i in scheduled) == grant + 1000 - kept


def test_the_reports_follow_the_new_term(herts, live):
    ends = live.ends_on + timedelta(days=92)
    before = set(
        Report.objects.filter(commission=live.commission).values_list("kind", "due_on", "status")
    )
    variation = _propose(live, herts.officer, ends_on=ends)
    decide_through(variation, herts.officer)
    sign_through(_fresh(variation), _contact(herts, live), herts.approver)
    reports = Report.objects.filter(commission=live.commission, period_number=1)
    final = reports.get(kind=ReportKind.FINAL_EVALUATION)
    lag = final.due_on - ends
    assert timedelta(days=0) < lag < timedelta(days=120)
    assert final.due_on > max(due for _, due, _ in before)
    # Nothing already past or written was touched.
    today = timezone.localdate()
    assert {r for r in before if r[1] <= today} <= set(
        reports.values_list("kind", "due_on", "status")
    )


def test_a_follower_hears_of_each_signed_variation(herts, live):
    heard = []
    svc.add_follower(lambda variation, agreement: heard.append((variation.pk, agreement.pk)))
    try:
        variation = _propose(live, herts.officer, kpi_changes="Sessions delivered: 40, not 30.")
        decide_through(variation, herts.officer)
        sign_through(_fresh(variation), _contact(herts, live), herts.approver)
    finally:
        svc._followers.pop()
    assert heard == [(variation.pk, live.pk)]


# ── refusals ─────────────────────────────────────────────────────────────────


def _refused(rule, call, *args, **kwargs):
    with pytest.raises(Refused) as caught:
        call(*args, **kwargs)
    assert caught.value.rule == rule, caught.value.message
    return caught.value


def test_an_unsigned_agreement_cannot_be_varied(herts, pipeline):
    p = pipeline(herts)
    c = p._open("Not yet signed")
    p.identify(c)
    p.award(c)
    draft = c.agreements.get()
    refused = _refused(
        "not_signed", _propose, draft, herts.officer, ends_on=draft.ends_on + timedelta(days=1)
    )
    assert "Only a signed agreement can be varied" in refused.message
    assert rv.variation_propose_refusal(draft, herts.officer).rule == "not_signed"


def test_one_open_variation_at_a_time(herts, live):
    first = _propose(live, herts.officer, ends_on=live.ends_on + timedelta(days=10))
    refused = _refused("variation_open", _propose, live, _contact(herts, live), kpi_changes="More.")
    assert f"Variation {first.number} is still open" in refused.message
    svc.variation_withdraw(variation=first, user=herts.officer, reason="Not needed after all.")
    again = _propose(live, _contact(herts, live), kpi_changes="More sessions.")
    assert again.number == 2


def test_what_a_proposal_must_say(herts, live):
    officer = herts.officer
    assert (
        _refused("reason_required", _propose, live, officer, reason=" ", kpi_changes="x").field
        == "reason"
    )
    assert _refused("no_change", _propose, live, officer).field is None
    assert (
        _refused("term_order", _propose, live, officer, ends_on=live.starts_on).field == "ends_on"
    )
    over = live.commission.hub_grant_amount + 1
    refused = _refused("capital_over_grant", _propose, live, officer, hub_grant_capital=over)
    assert refused.field == "hub_grant_capital"
    refused = _refused("below_committed", _propose, live, officer, hub_grant_amount=Decimal(1))
    assert refused.field == "hub_grant_amount" and "already due or paid" in refused.message


def test_only_the_partner_or_the_officer_proposes(herts, live):
    for who in (herts.approver, herts.board[0]):
        refusal = rv.variation_propose_refusal(live, who)
        assert refusal.rule == "officer_only" and refusal.is_role


def test_the_route_decides_not_the_proposer_nor_the_board(herts, live):
    decide = svc.variation_decide
    variation = _propose(live, herts.officer, kpi_changes="Two more concerts.")
    _refused("approver_only", decide, variation=variation, user=herts.board[0], outcome="approve")
    refused = _refused(
        "reason_required",
        decide,
        variation=variation,
        user=herts.approver,
        outcome="refuse",
        reason="",
    )
    assert refused.field == "reason"
    assert Variation.objects.get(pk=variation.pk).status == V.PROPOSED
    # Where HLO staff decide variations, the officer who proposed one does not.
    RouteStep.objects.filter(route__policy=live.commission.policy, route__kind="variation").update(
        body=Body.OFFICERS
    )
    live.commission.policy._routes_cache = None
    variation = _fresh(variation)
    _refused(
        "separate_approver", decide, variation=variation, user=herts.officer, outcome="approve"
    )


def test_a_refusal_ends_the_variation(herts, live):
    variation = _propose(live, _contact(herts, live), kpi_changes="Fewer sessions.")
    svc.variation_decide(
        variation=variation, user=herts.approver, outcome="refuse", reason="Outside the need."
    )
    variation = _fresh(variation)
    assert variation.status == V.REFUSED and variation.decision_note == "Outside the need."
    _refused(
        "not_for_signature",
        svc.variation_sign,
        variation=variation,
        user=_contact(herts, live),
        full_name="P",
        role_title="D",
        consent=True,
    )


def test_signatures_in_order_by_the_right_people(herts, live):
    contact = _contact(herts, live)
    variation = _propose(live, contact, kpi_changes="One more school.")
    _refused(
        "not_for_signature",
        svc.variation_sign,
        variation=variation,
        user=contact,
        full_name="P",
        role_title="D",
        consent=True,
    )
    svc.variation_decide(variation=variation, user=herts.approver, outcome="approve")
    variation = _fresh(variation)
    _refused(
        "partner_signs",
        svc.variation_sign,
        variation=variation,
        user=herts.officer,
        full_name="O",
        role_title="H",
        consent=True,
    )
    _refused(
        "consent_required",
        svc.variation_sign,
        variation=variation,
        user=contact,
        full_name="P",
        role_title="D",
        consent=False,
    )
    svc.variation_sign(
        variation=variation, user=contact, full_name="P", role_title="D", consent=True
    )
    variation = _fresh(variation)
    _refused(
        "countersigner_only",
        svc.variation_sign,
        variation=variation,
        user=herts.board[0],
        full_name="B",
        role_title="B",
        consent=True,
    )


def test_a_variation_past_the_allocation_is_refused_beside_the_funding(build, pipeline):
    kent = build("kent")
    live = signed_agreement(pipeline, kent, "Kent instruments")
    c = live.commission
    c.policy.awards_within_allocation = True
    c.policy.save(update_fields=["awards_within_allocation"])
    HubAllocation.objects.update_or_create(
        hub=kent.hub,
        year=c.need.analysis.cycle,
        defaults={"amount": c.hub_grant_amount + 100, "capital_amount": Decimal(500)},
    )
    refused = _refused(
        "past_allocation",
        _propose,
        live,
        kent.officer,
        hub_grant_amount=c.hub_grant_amount + 1000,
        hub_grant_capital=Decimal(1000),
    )
    assert refused.field == "hub_grant_capital" and "capital grant" in refused.message
    refused = _refused(
        "past_allocation", _propose, live, kent.officer, hub_grant_amount=c.hub_grant_amount + 500
    )
    assert refused.field == "hub_grant_amount" and "revenue Hub grant" in refused.message
    ok = _propose(
        live,
        kent.officer,
        hub_grant_amount=c.hub_grant_amount + 500,
        hub_grant_capital=Decimal(500),
    )
    assert ok.hub_grant_capital == 500
