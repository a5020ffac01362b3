"""The oversight dashboard: the figures, the charts with their tables, and a
query count that stays the same as the hub's data grows."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.models import Instalment, InstalmentStatus
from commissioning.models import Commission, Need, SmartTarget
from commissioning.workflow import Stage
from hubs.models import Role
from hubs.services import membership_grant, policy_revise
from oversight import dashboard
from partners.models import PartnerOrganisation, Specialism
from tests.auth_helpers import sign_in
from tests.factories import HubAllocationFactory, UserFactory, policy_through_its_route

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15


def _queries(client, url) -> int:
    client.get(url)  # warm: the person's standing and unread count are then cached
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200
    return len(ctx)


def _grow(cast, pipeline, n: int, start: int) -> None:
    """n more commissions in several stages, with new partners, needs and targets."""
    p = pipeline(cast)
    p.counter = start
    plan = p._plan()
    for i in range(n):
        partner = PartnerOrganisation.objects.create(
            hub=cast.hub,
            name=f"Growth partner {start + i}",
            organisation_type="charity",
            charity_number=f"12{start + i:05d}",
            reach=["local", "regional", "national"][i % 3],
            is_existing_partner=True,
            introductory_meeting_on=date(2024, 1, 1),
            service_area=cast.hub.service_areas.filter(name=plan.get("area")).first(),
        )
        contact = UserFactory()
        membership_grant(hub=cast.hub, user=contact, role=Role.PARTNER_CONTACT, partner=partner)
        cast.contacts[partner.pk] = contact
        partner.specialisms.add(Specialism.objects.get_or_create(name=f"Specialism {i % 4}")[0])
        p._plan = lambda partner=partner: {**plan, "partner": partner}
        c = p._open(f"Growth {start + i}")
        steps = [p.identify, p.award, p.to_approval, p.approve, p.sign, p._pay_first_instalment]
        steps = steps[: i % 7]
        for step in steps:
            step(c)
        need = Need.objects.filter(hub=cast.hub).first()
        extra = Need.objects.create(
            hub=cast.hub, analysis=need.analysis, title=f"Need {start + i}", priority=2
        )
        SmartTarget.objects.create(
            need=extra,
            description=f"Target {start + i}",
            measure="pupils",
            baseline=Decimal(1),
            target_value=Decimal(10),
            due_on=date(2026, 7, 1),
        )


@pytest.mark.parametrize("slug", ["blmk", "leics"])
def test_the_dashboard_costs_the_same_queries_as_the_hub_grows(client, build, pipeline, slug):
    cast = build(slug)
    HubAllocationFactory(hub=cast.hub, year="2025/26", amount=Decimal(300000))
    sign_in(client, cast.officer)
    url = reverse("oversight:dashboard", args=[slug]) + "?year=2025/26"
    _grow(cast, pipeline, 3, 0)
    few = _queries(client, url)
    _grow(cast, pipeline, 12, 3)
    many = _queries(client, url)
    print(f"\n{slug} dashboard queries: {few} with 3 commissions, {many} with 15")
    assert Instalment.objects.filter(agreement__hub=cast.hub, status=InstalmentStatus.PAID)
    assert few == many <= MAX_QUERIES
    page = client.get(url).content.decode()
    assert "Growth partner 14" not in page  # figures, not lists of partners
    assert page.count('class="chart-svg"') >= 4


def test_the_figures(build, pipeline):
    cast = build("leics")
    pipeline(cast).run()
    hub = cast.hub
    policy = hub.policies.get()
    money = dashboard.money(hub, "2025/26", Decimal(300000), policy)
    awarded = Commission.objects.filter(
        hub=hub, status__in=dashboard.AWARDED_STAGES, need__analysis__cycle="2025/26"
    )
    assert money.committed == sum(c.hub_grant_amount for c in awarded)
    assert money.match_raised == sum(c.match_funding_amount for c in awarded)
    assert money.remaining == Decimal(300000) - money.committed
    paid = Instalment.objects.filter(agreement__hub=hub, status=InstalmentStatus.PAID)
    assert paid.exists()  # the demo pays the first instalment of a signed partnership
    this_year = paid.filter(agreement__commission__need__analysis__cycle="2025/26")
    assert money.paid == sum(i.value_of(i.agreement.commission.hub_grant_amount) for i in this_year)
    # Leicestershire's EOIs in the demo raise 60% of the cost elsewhere: the aim is met.
    assert money.match_percent == Decimal("60.0")
    assert money.match_aim_met is True

    waits = {w.stage: w for w in dashboard.stage_waits(hub)}
    assert waits[Stage.MONITORING].count >= 1
    assert waits[Stage.COMPLETED].oldest_days is None  # nothing waits in a finished stage
    old = Commission.objects.filter(hub=hub, status=Stage.NEEDS).first()
    Commission.objects.filter(pk=old.pk).update(
        stage_entered_at=timezone.now() - timezone.timedelta(days=40)
    )
    assert {w.stage: w for w in dashboard.stage_waits(hub)}[Stage.NEEDS].oldest_days == 40

    needs = dashboard.needs_coverage(hub, "2025/26")
    assert needs and all(n.covered for n in needs)  # the demo meets last year's needs
    analysis = Need.objects.filter(hub=hub, analysis__cycle="2025/26").first().analysis
    Need.objects.create(hub=hub, analysis=analysis, title="Uncovered need")
    covered = sorted(n.covered for n in dashboard.needs_coverage(hub, "2025/26"))
    assert covered == [False] + [True] * len(needs)

    mix = dashboard.partner_mix(hub)
    assert mix.total >= 3  # the demo's partnerships are spread across its partners
    assert sum(n for _, n in mix.by_type) == mix.total


def test_over_the_allocation_shows_by_how_much(client, build, pipeline):
    cast = build("herts")
    pipeline(cast).run()
    HubAllocationFactory(hub=cast.hub, year="2025/26", amount=Decimal(1000))
    sign_in(client, cast.approver)
    url = reverse("oversight:dashboard", args=["herts"]) + "?year=2025/26"
    page = client.get(url).content.decode()
    assert "Over the allocation by" in page
    assert "Hub grant allocated" in page


def test_blmk_sees_each_service_area(client, build, pipeline):
    cast = build("blmk")
    pipeline(cast).run()
    sign_in(client, cast.board[0])
    page = client.get(reverse("oversight:dashboard", args=["blmk"]) + "?year=2025/26")
    text = page.content.decode()
    assert "By service area, 2025/26" in text
    areas = {a.name: a for a in dashboard.by_service_area(cast.hub, "2025/26")}
    assert set(areas) == {"Bedford Borough", "Central Bedfordshire", "Luton", "Milton Keynes"}
    in_luton = Commission.objects.filter(hub=cast.hub, service_area__name="Luton")
    assert areas["Luton"].commissions == in_luton.count()
    assert areas["Bedford Borough"].committed == 0
    # The board sees the dashboard but not the staff exports.
    assert reverse("oversight:export", args=["blmk", "commissions"]) not in text


def test_the_policy_review_and_its_versions(client, build, pipeline):
    cast = build("herts")
    pipeline(cast)._open("Opened under version 1")
    policy = cast.hub.policies.get()
    policy.next_review_on = date(2027, 3, 19)
    policy.min_match_funding_percent = 20
    draft = policy_revise(policy=policy, user=cast.admin)
    policy_through_its_route(draft, proposer=cast.admin)
    sign_in(client, cast.board[0])
    page = client.get(reverse("oversight:dashboard", args=["herts"])).content.decode()
    assert "version 2" in page
    assert 'Due <time class="deadline" datetime="2027-03-19">19 March 2027 <span' in page
    # Who approved it is written from the record of the board's decisions.
    assert "Hertfordshire Music Hub board (Bea Board, Bob Boardman)" in page
    versions = client.get(reverse("oversight:policy_versions", args=["herts"])).content.decode()
    assert "Version 2 (in force)" in versions and "The first version." in versions
    assert "Minimum match funding (%)" in versions
    assert "<dt>Commissions opened under it</dt><dd>0</dd>" in versions  # version 2
    assert "<dt>Commissions opened under it</dt><dd>1</dd>" in versions  # version 1
    assert "20 March 2026" in versions and "19 March 2027" in versions  # next review, before/after


def test_an_overdue_review_says_so(client, build):
    cast = build("leics")  # its demo policy was due for review in August 2024
    sign_in(client, cast.officer)
    page = client.get(reverse("oversight:dashboard", args=["leics"])).content.decode()
    assert "Overdue:" in page


def _csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response.streaming
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_staff_exports_commissions_and_proposals(client, build, pipeline):
    cast = build("consortium")
    pipeline(cast).run()
    sign_in(client, cast.officer)
    rows = _csv(client.get(reverse("oversight:export", args=["consortium", "commissions"])))
    assert len(rows) == Commission.objects.filter(hub=cast.hub).count()
    signed = next(r for r in rows if r["Stage"] == "Signed and active")
    assert signed["Partner"] == "County Music Service" and signed["Signed on"]
    assert signed["Policy version"] == "1"
    payments = _csv(client.get(reverse("oversight:export", args=["consortium", "payments"])))
    paid = [r for r in payments if r["Status"] == "Paid"]
    assert paid and all(r["Paid on"] and Decimal(r["Amount (£)"]) > 0 for r in paid)
    proposals = _csv(client.get(reverse("oversight:export", args=["consortium", "proposals"])))
    bidders = set(cast.hub.proposals.values_list("partner__name", flat=True))
    assert {"County Music Service", "Circuit Music Tech"} <= {r["Partner"] for r in proposals}
    assert {r["Partner"] for r in proposals} == bidders
    assert client.get(reverse("oversight:export", args=["consortium", "nope"])).status_code == 404


def test_a_cell_that_looks_like_a_formula_is_defused(client, build, pipeline):
    cast = build("herts")
    p = pipeline(cast)
    c = p._open('=HYPERLINK("http://evil")')
    sign_in(client, cast.officer)
    rows = _csv(client.get(reverse("oversight:export", args=["herts", "commissions"])))
    assert rows[0]["Title"].startswith("'=")
    assert c.reference == rows[0]["Reference"]


def test_a_hub_admin_is_sent_to_record_a_missing_allocation(client, build):
    cast = build("consortium")
    sign_in(client, cast.admin)
    page = client.get(reverse("oversight:dashboard", args=["consortium"])).content.decode()
    assert "Not recorded for" in page
    assert reverse("admin:oversight_huballocation_add") in page
    sign_in(client, cast.officer)
    page = client.get(reverse("oversight:dashboard", args=["consortium"])).content.decode()
    assert reverse("admin:oversight_huballocation_add") not in page
