"""The council's procurement rules at the award: each band of two hubs whose
councils set different bands, the route taken meeting (or not) the route the
value needs, its evidence, and a departure with its reason and the approval
of the body the award route names."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from commissioning import services as cs
from commissioning.models import Commission, Proposal
from commissioning.policy import Context, move_refusal, moves_offered
from hubs.refusals import Refused
from procurement import rules, services
from procurement.models import CommissionKind, DepartureApproval
from tests.factories import HERTS_BANDS, LEICS_BANDS, procurement_rules

pytestmark = pytest.mark.django_db

HERTS = "Hertfordshire County Council procurement process"
LEICS = "Leicestershire County Council Contract Procedure Rules"


def _identified(p, title: str, amount: str = "10000") -> Commission:
    c = p._open(title, amount=Decimal(amount))
    p.identify(c)
    return Commission.objects.select_related("hub", "policy").get(pk=c.pk)


def _asked(c: Commission, value: str):
    """The award's procurement rule for an award of this value."""
    ctx = Context(
        commission=Commission.objects.get(pk=c.pk),
        user=None,
        action="award",
        params={"hub_grant_amount": Decimal(value)},
    )
    return rules.procurement_route_refusal(ctx)


def _record(cast, c, **values):
    values = {"kind": CommissionKind.GRANT, "started_on": date.today(), **values}
    return services.procurement_record(commission=c, user=cast.officer, **values)


@pytest.fixture
def herts(build, pipeline):
    cast = build("herts")
    procurement_rules(cast.hub, HERTS, HERTS_BANDS)
    return cast, pipeline(cast)


@pytest.fixture
def leics(build, pipeline):
    cast = build("leics")
    procurement_rules(cast.hub, LEICS, LEICS_BANDS)
    return cast, pipeline(cast)


@pytest.mark.parametrize(
    ("hub", "value", "needed"),
    [
        ("herts", "4999.99", "one written quote"),
        ("herts", "5000", "three written quotes"),
        ("herts", "24999", "three written quotes"),
        ("herts", "25000", "open tender"),
        ("leics", "9999", "one written quote"),
        ("leics", "10000", "three written quotes"),
        ("leics", "99999.99", "three written quotes"),
        ("leics", "100000", "open tender"),
    ],
)
def test_each_band_names_the_route_its_value_needs(request, hub, value, needed):
    _, p = request.getfixturevalue(hub)
    c = _identified(p, "Inclusive ensembles")
    refusal = _asked(c, value)
    assert refusal.rule == "procurement_not_recorded"
    assert refusal.waits
    name = HERTS if hub == "herts" else LEICS
    assert f"Under {name}, a value of £{Decimal(value):,.2f}".removesuffix(".00") in str(refusal)
    assert f"needs {needed}" in str(refusal)


@pytest.mark.parametrize(
    ("hub", "route", "quotes", "value", "meets"),
    [
        ("herts", "one_quote", 1, "4000", True),
        ("herts", "one_quote", 1, "8000", False),  # £5,000 to £25,000: three quotes
        ("herts", "three_quotes", 3, "8000", True),
        ("herts", "three_quotes", 3, "30000", False),  # an open tender
        ("leics", "one_quote", 1, "8000", True),  # Leicestershire's first band runs to £10,000
        ("leics", "three_quotes", 3, "30000", True),  # and its second to £100,000
        ("leics", "three_quotes", 3, "120000", False),
        ("leics", "open_tender", 0, "120000", True),
    ],
)
def test_the_route_taken_meets_the_band_or_is_a_departure(
    request, hub, route, quotes, value, meets
):
    cast, p = request.getfixturevalue(hub)
    c = _identified(p, "Inclusive ensembles", amount=value)
    _record(cast, c, route_taken=route, quotes_received=quotes, procurement_reference="REF-1")
    refusal = _asked(c, value)
    assert (refusal is None) is meets, refusal
    if not meets:
        assert refusal.rule == "departure_needs_reason"


def test_a_more_open_route_than_the_band_asks_meets_it(herts):
    cast, p = herts
    c = _identified(p, "Brass", amount="3000")
    _record(cast, c, route_taken="open_tender", procurement_reference="HCC-2026-001")
    assert _asked(c, "3000") is None


def test_quotes_are_evidenced(herts):
    cast, p = herts
    c = _identified(p, "Brass", amount="8000")
    _record(cast, c, route_taken="three_quotes", quotes_received=2)
    refusal = _asked(c, "8000")
    assert refusal.rule == "quotes_missing"
    assert "needs 3 quotes received; 2 recorded" in str(refusal)


def test_an_open_tender_needs_its_call_or_a_reference(herts):
    cast, p = herts
    c = _identified(p, "Brass", amount="30000")
    _record(cast, c, route_taken="open_tender")
    assert _asked(c, "30000").rule == "tender_unevidenced"


def test_the_award_is_refused_when_the_route_does_not_match_without_an_approved_reason(herts):
    cast, p = herts
    c = _identified(p, "Inclusive ensembles", amount="10000")
    partner = p._plan()["partner"]

    def award():
        cs.commission_award(
            commission=Commission.objects.get(pk=c.pk), user=cast.officer, partner=partner
        )

    with pytest.raises(Refused) as nothing:
        award()
    assert nothing.value.rule == "procurement_not_recorded"

    record = _record(cast, c, route_taken="one_quote", quotes_received=1)
    with pytest.raises(Refused) as no_reason:
        award()
    assert no_reason.value.rule == "departure_needs_reason"
    assert "needs three written quotes, and one written quote was recorded" in str(no_reason.value)

    record = _record(
        cast,
        c,
        route_taken="one_quote",
        quotes_received=1,
        departure_reason="The only provider of adapted instruments in the county.",
    )
    assert record.departure_from == "three_quotes"
    with pytest.raises(Refused) as unapproved:
        award()
    assert unapproved.value.rule == "departure_not_approved"
    step = rules.departure_step(c, c.hub_grant_amount)
    assert f"awaits the approval of the {step.body_name}" in str(unapproved.value)

    # The officer who recorded it may not approve it; the approving body does.
    with pytest.raises(Refused) as own:
        services.departure_approve(procurement=record, user=cast.officer)
    assert own.value.rule in {"departure_approver_only", "separate_decider"}
    services.departure_approve(procurement=record, user=cast.approver)
    if step.needed > 1:
        with pytest.raises(Refused):
            award()
        return
    award()
    c.refresh_from_db()
    assert c.status == "draft"
    assert c.procurement.values.get().value == Decimal(10000)


def test_a_changed_route_needs_approving_again(herts):
    cast, p = herts
    c = _identified(p, "Inclusive ensembles", amount="10000")
    reason = "The only provider of adapted instruments in the county."
    record = _record(cast, c, route_taken="one_quote", quotes_received=1, departure_reason=reason)
    services.departure_approve(procurement=record, user=cast.approver)
    record = _record(cast, c, route_taken="direct", departure_reason=reason)
    assert rules.approvals_of(record) == []
    assert DepartureApproval.objects.filter(procurement=record).count() == 1  # kept, not deleted
    assert _asked(c, "10000").rule in {"departure_not_approved"}


def test_an_approval_covers_the_band_it_was_given_for(herts):
    cast, p = herts
    c = _identified(p, "Inclusive ensembles", amount="10000")
    record = _record(
        cast, c, route_taken="one_quote", quotes_received=1, departure_reason="One provider."
    )
    services.departure_approve(procurement=record, user=cast.approver)
    # Awarded at £30,000 the value needs an open tender: not what was approved.
    assert _asked(c, "30000").rule == "departure_for_another_band"


def test_the_page_shows_the_award_waiting_with_the_same_words(herts):
    cast, p = herts
    c = _identified(p, "Inclusive ensembles", amount="10000")
    offers = {o.action: o for o in moves_offered(c, cast.officer)}
    assert offers["award"].waits.rule == "procurement_not_recorded"
    partner = p._plan()["partner"]
    refusal = move_refusal(c, "award", cast.officer, partner=partner)
    assert refusal == offers["award"].waits


def test_no_rules_in_force_asks_nothing(build, pipeline):
    cast = build("herts")
    procurement_rules(
        cast.hub, HERTS, HERTS_BANDS, effective_from=date(2020, 1, 1), effective_to=date(2021, 1, 1)
    )
    c = _identified(pipeline(cast), "Brass")
    assert _asked(c, "10000") is None


def test_leicestershire_awards_from_its_call_once_the_route_is_recorded(leics):
    cast, p = leics
    c = _identified(p, "Jazz")
    with pytest.raises(Refused) as info:
        p.award(c)  # publishes the call, takes two proposals, closes it, then awards
    assert info.value.rule == "procurement_not_recorded"
    assert "Under Leicestershire County Council Contract Procedure Rules" in str(info.value)
    c = Commission.objects.get(pk=c.pk)
    _record(cast, c, route_taken="open_tender", procurement_reference="LCC-CPR-2026-7")
    chosen = Proposal.objects.get(commission=c, partner=p._plan()["partner"])
    others = Proposal.objects.filter(commission=c).exclude(pk=chosen.pk)
    cs.commission_award(
        commission=c,
        user=cast.officer,
        partner=chosen.partner,
        proposal=chosen,
        feedback={o.pk: "A strong proposal; the panel preferred another." for o in others},
    )
    assert Commission.objects.get(pk=c.pk).status == "draft"


def test_the_route_is_settled_at_the_award(herts):
    cast, p = herts
    c = _identified(p, "Brass", amount="3000")
    _record(cast, c, route_taken="one_quote", quotes_received=1)
    cs.commission_award(commission=c, user=cast.officer, partner=p._plan()["partner"])
    with pytest.raises(Refused) as info:
        _record(cast, Commission.objects.get(pk=c.pk), route_taken="three_quotes")
    assert info.value.rule == "procurement_settled"
    assert info.value.field == "route_taken"


def test_only_the_officers_record_the_route(herts):
    cast, p = herts
    c = _identified(p, "Brass")
    with pytest.raises(Refused) as info:
        services.procurement_record(
            commission=c, user=cast.board[0], kind="grant", started_on=date.today()
        )
    assert info.value.rule == "officer_only"
