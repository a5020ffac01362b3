"""Search, filters and sorting on commissioning's other lists: needs
analyses, calls and a call's expressions of interest."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Call, NeedsAnalysis, Proposal, ProposalStatus
from partners.models import PartnerOrganisation
from tests.auth_helpers import sign_in
from tests.commissioning.calls.test_services import publish

pytestmark = pytest.mark.django_db


def _get(client, name, *args, **params):
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200
    return response


def _analysis(cast, cycle: str, title: str, summary: str = "", done: bool = True):
    return NeedsAnalysis.objects.create(
        hub=cast.hub,
        cycle=cycle,
        title=title,
        summary=summary,
        created_by=cast.officer,
        completed_on=timezone.localdate() if done else None,
    )


def test_needs_analyses_search_filter_and_sort(client, build):
    cast = build("herts")
    other = build("kent")
    _analysis(cast, "2024/25", "Singing review", "Choirs in every school")
    _analysis(cast, "2025/26", "Early years", "Nurseries and children's centres", done=False)
    _analysis(other, "2025/26", "Singing in Kent")
    sign_in(client, cast.officer)

    def titles(**params):
        page = _get(client, "needs:list", cast.hub.slug, **params).context["page"]
        return [a.title for a in page.object_list]

    assert titles(q="singing") == ["Singing review"], "another hub's analysis is never found"
    assert titles(q="nurseries") == ["Early years"]
    assert titles(year="2024/25") == ["Singing review"]
    assert titles(completed="no") == ["Early years"]
    assert titles(sort="title") == ["Early years", "Singing review"]
    assert titles(sort="-cycle") == ["Early years", "Singing review"]
    year_choices = _get(client, "needs:list", cast.hub.slug).context["filter"].form["year"]
    assert "2024/25" in str(year_choices) and "2026/27" not in str(year_choices)
    # Another hub's cycle is not a choice here: left out with a message.
    response = _get(client, "needs:list", cast.hub.slug, year="2019/20", completed="no")
    assert [a.title for a in response.context["page"].object_list] == ["Early years"]
    assert "so this filter was left out" in response.content.decode()


def test_calls_filter_by_status_and_search(client, build, pipeline):
    cast = build("consortium")
    open_call = publish(cast, pipeline, title="Strings for beginners")
    closed = publish(cast, pipeline, title="Music technology call")
    Call.objects.filter(pk=closed.pk).update(closed_at=timezone.now())
    later = publish(
        cast,
        pipeline,
        title="Singing call next term",
        opens_at=timezone.now() + timedelta(days=3),
        closes_at=timezone.now() + timedelta(days=20),
    )
    sign_in(client, cast.officer)

    def titles(**params):
        return [
            c.title
            for c, *_ in _get(client, "calls:index", cast.hub.slug, **params).context["rows"]
        ]

    assert titles(status="open") == [open_call.title]
    assert titles(status="closed") == [closed.title]
    assert titles(status="upcoming") == [later.title]
    assert titles(q="strings") == [open_call.title]
    assert titles(sort="title") == sorted([open_call.title, closed.title, later.title])
    page = _get(client, "calls:index", cast.hub.slug, sort="-closes").content.decode()
    assert 'aria-sort="descending"' in page


def test_a_calls_proposals_filter_search_and_sort_and_cost_constant_queries(
    client, build, pipeline
):
    cast = build("consortium")
    call = publish(cast, pipeline)
    sign_in(client, cast.officer)
    url = reverse("calls:proposals", args=[cast.hub.slug, call.pk])

    def received(n: int, start: int, grant: int) -> None:
        for i in range(start, start + n):
            partner = PartnerOrganisation.objects.create(
                hub=cast.hub, name=f"Bidder {i} Steel Pans", organisation_type="charity"
            )
            Proposal.objects.create(
                hub=cast.hub,
                commission=call.commission,
                call=call,
                partner=partner,
                title=f"Bid {i}",
                status=ProposalStatus.SUBMITTED,
                submitted_at=timezone.now(),
                hub_grant_requested=Decimal(grant),
            )

    received(2, 0, 5000)
    received(1, 2, 20000)
    params = {"q": "steel", "value": "under_10k", "sort": "-grant"}

    def queries() -> int:
        client.get(url, params)  # the person's standing and unread count, then cached
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, params)
        assert response.status_code == 200
        return len(ctx), response

    few, response = queries()
    assert [p.title for p, _ in response.context["rows"]] == ["Bid 1", "Bid 0"]
    assert "2 expressions of interest match" in response.content.decode()
    received(27, 3, 5000)
    many, response = queries()
    assert many == few
    assert "29 expressions of interest match" in response.content.decode()
    grant = client.get(url, {"value": "10k_50k"}).context["rows"]
    assert [p.title for p, _ in grant] == ["Bid 2"]
