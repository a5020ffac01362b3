"""No page goes N+1: each main page of each role runs the same number of
queries on a small hub and on one four times larger.

The pages are the benchmark's (scale.pages): dashboards, commission lists
with filters and pages, commission details, calls, needs, scoring, and every
hub-wide page of agreements, monitoring, oversight and notices, found by URL
pattern, so a page another app adds later is checked without editing this.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agreements.models import (
    Agreement,
    AgreementStatus,
    BoardComment,
    Instalment,
    InstalmentStatus,
    Milestone,
)
from commissioning.models import (
    Commission,
    ConflictDeclaration,
    Proposal,
    ProposalStatus,
    Score,
    TransitionLog,
)
from commissioning.workflow import Stage
from hubs.models import Criterion
from monitoring.models import Report, ReportKind, ReportStatus
from scale.national import Sizes, fill_hub
from scale.pages import pages_for, people, scored_call
from tests.auth_helpers import sign_in

pytestmark = pytest.mark.django_db

SMALL = Sizes(hubs=1, partners=16, commissions=16, needs=3)
MAX_QUERIES = 15
# Pages that were over the 15-query target, with the most they may take
# (BENCHMARK.md names the causes); they must still not grow with the data.
OVER_TARGET: dict[str, int] = {
    # Each figure is 4 below what it was before the person's standing in the
    # hub (3 queries) and their unread count (1) were kept in the cache
    # (hubs.standing_cache): 20, 18, 16 and 17. Only the first is still over.
    # The decision context: the year's allocation, its totals, the board's
    # comments, and the call's results where there was one (3, or 8 with a call).
    # Issues 16 and 17 added sections, one to three queries each, not yet
    # brought back (BENCHMARK.md): the commission's procurement (1 after the
    # award, up to 3 before), its joint partners (1), KPIs (3), value for
    # money (2), risks (2), compliance (2) and variations (1).
    "commission detail (approval)": 19,
    # The decision context (3), the policy's partnership types (1), joint partners (1).
    "agreement draft with the board": 15,
    # Partnership types (1), joint co-signatures (1), KPIs and variations (2).
    "agreement, signed": 15,
    # KPIs, value for money and risks.
    "partnership (monitoring)": 19,
    # A board member's comment to-dos follow the route: the waiting
    # commissions' routes, and the person's groups where a step names one (2).
    "dashboard": 13,
    # The board's dashboard: high risks, KPI ratings and revenue and capital.
    "oversight:dashboard": 16,
}
# Pages whose queries are known to grow with the data. None now.
KNOWN_N_PLUS_ONE: set[str] = set()


def _counts(hub, call) -> dict[tuple[str, str], int]:
    """Queries per (role, page) for pages that answer 200."""
    cast = people(hub)
    counts = {}
    warmed = set()
    for page in pages_for(hub, set(cast), call):
        client = Client()
        sign_in(client, cast[page.role])
        if page.role not in warmed:
            # Counted as every later request is: with the person's standing in
            # the hub and their unread count in the cache (hubs.standing_cache),
            # read by their first page.
            client.get(page.path)
            warmed.add(page.role)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.path)
        if response.status_code == 200:
            counts[(page.role, page.name)] = _real(queries)
    return counts


def _grow_instalments(hub) -> None:
    """Three more instalments a report could release, on the commission of
    the submitted report the report page shows (scale.pages picks the first)."""
    report = Report.objects.filter(hub=hub, status=ReportStatus.SUBMITTED).order_by("pk").first()
    agreement = Agreement.objects.filter(commission_id=getattr(report, "commission_id", None))
    agreement = agreement.order_by("period_number").first()
    if agreement is None:
        return
    Instalment.objects.bulk_create(
        Instalment(
            agreement=agreement,
            position=10 + n,
            percent=Decimal(1),
            milestone=Milestone.REPORT_ACCEPTED,
            status=InstalmentStatus.SCHEDULED,
        )
        for n in range(3)
    )


def _grow_details(hub) -> None:
    """More rows under the objects the detail pages show (scale.pages picks
    the first of each by reference): history on the live commission, board
    comments on the draft with the board, instalments on the signed agreement,
    reports on the partnership."""
    cast = people(hub)
    live = Commission.objects.filter(hub=hub, status=Stage.MONITORING).order_by("pk").first()
    TransitionLog.objects.bulk_create(
        TransitionLog(
            hub=hub,
            commission=live,
            actor=cast["officer"],
            action="reject_decommission",
            from_stage=Stage.DECOMMISSION_DECISION,
            to_stage=Stage.MONITORING,
            reason="More history.",
        )
        for _ in range(3)
    )
    Report.objects.bulk_create(
        Report(
            hub=hub,
            commission=live,
            kind=ReportKind.AD_HOC,
            title=f"Extra report {n}",
            due_on=date(2026, 1, 1),
            requested_by=cast["officer"],
        )
        for n in range(3)
    )
    for status in (AgreementStatus.BOARD_COMMENT, AgreementStatus.SIGNED):
        a = Agreement.objects.filter(
            hub=hub,
            status=status,
            commission__status__in=[Stage.BOARD_COMMENT, Stage.MONITORING],
        ).order_by("commission__reference")
        a = a.first()
        if a is None:
            continue
        BoardComment.objects.bulk_create(
            BoardComment(
                agreement=a,
                version_number=a.version_number,
                author=cast["board"],
                body="Another comment.",
            )
            for _ in range(3)
        )
        Instalment.objects.bulk_create(
            Instalment(
                agreement=a,
                position=20 + n,
                percent=Decimal(1),
                milestone=Milestone.SIGNATURE,
                status=InstalmentStatus.SCHEDULED,
            )
            for n in range(3)
        )


def _real(queries: CaptureQueriesContext) -> int:
    """Queries the page would run outside a test: the test's own transaction
    turns the session save's transaction into a savepoint and its release."""
    return sum(
        1
        for q in queries.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    )


def _grow_call(hub, call, extra: int) -> None:
    """More proposals, with declarations and scores, on the call the scoring
    pages show."""
    if call is None:
        return
    taken = set(call.proposals.values_list("partner_id", flat=True))
    scorer = call.panel.first().user
    criteria = list(Criterion.objects.filter(hub=hub))
    for partner in hub.partners.exclude(pk__in=taken).order_by("pk")[:extra]:
        p = Proposal.objects.create(
            hub=hub,
            commission=call.commission,
            partner=partner,
            call=call,
            title="More",
            total_cost=Decimal(1000),
            hub_grant_requested=Decimal(500),
            other_funding=Decimal(500),
            status=ProposalStatus.SUBMITTED,
        )
        ConflictDeclaration.objects.create(proposal=p, member=scorer, has_conflict=False)
        Score.objects.bulk_create(
            Score(proposal=p, scorer=scorer, criterion=c, score=3, comment="ok") for c in criteria
        )


@pytest.mark.parametrize("slug", ["herts", "blmk"])  # herts: every role; blmk: areas
def test_page_queries_do_not_grow_with_the_data(build, slug):
    cast = build(slug)
    fill_hub(cast, SMALL)
    call = scored_call(cast.hub)  # the same call's pages on both sizes
    small = _counts(cast.hub, call)

    larger = Sizes(hubs=1, partners=48, commissions=48, needs=6)
    fill_hub(cast, larger, start=SMALL.commissions)
    _grow_call(cast.hub, call, extra=6)
    _grow_instalments(cast.hub)
    _grow_details(cast.hub)
    large = _counts(cast.hub, call)

    assert small, "no page answered 200"
    assert small.keys() == large.keys()
    grew = {
        page: (small[page], large[page])
        for page in small
        if small[page] != large[page] and page[1] not in KNOWN_N_PLUS_ONE
    }
    assert not grew, f"query counts changed with the data (small, larger): {grew}"
    over = {
        page: n
        for page, n in large.items()
        if n > OVER_TARGET.get(page[1], MAX_QUERIES) and page[1] not in KNOWN_N_PLUS_ONE
    }
    assert not over, f"pages above {MAX_QUERIES} queries: {over}"
