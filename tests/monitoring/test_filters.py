"""Search, filters and sorting on the reports and complaints lists, within
what each role may see."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from monitoring import services as svc
from monitoring.models import Report, ReportKind, ReportStatus
from tests.auth_helpers import sign_in
from tests.monitoring.conftest import officer_of

pytestmark = pytest.mark.django_db


def _get(client, name, hub, **params):
    response = client.get(reverse(name, args=[hub.slug]), params)
    assert response.status_code == 200
    return response


def _reports(client, hub, **params) -> list[Report]:
    return list(_get(client, "monitoring:reports", hub, **params).context["page"].object_list)


def test_reports_filter_by_status_kind_partner_and_overdue(client, live):
    cast, commission = live("herts")
    reports = list(Report.objects.filter(commission=commission).order_by("due_on"))
    assert len(reports) >= 2
    first, second = reports[0], reports[1]
    Report.objects.filter(pk=first.pk).update(due_on=timezone.localdate() - timedelta(days=3))
    Report.objects.filter(pk=second.pk).update(status=ReportStatus.SUBMITTED)
    sign_in(client, officer_of(cast, commission))
    hub = cast.hub
    assert [r.pk for r in _reports(client, hub, overdue="on")] == [first.pk]
    assert second.pk in [r.pk for r in _reports(client, hub, status=ReportStatus.SUBMITTED)]
    assert first.pk not in [r.pk for r in _reports(client, hub, status=ReportStatus.SUBMITTED)]
    finals = _reports(client, hub, kind=ReportKind.FINAL_EVALUATION)
    assert finals and {r.kind for r in finals} == {ReportKind.FINAL_EVALUATION}
    partner = commission.partner
    assert len(_reports(client, hub, partner=partner.pk)) == len(reports)
    assert _reports(client, hub, partner=partner.pk + 999) == _reports(client, hub)
    by_partner_name = _reports(client, hub, q=partner.name.split()[0])
    assert {r.pk for r in by_partner_name} == {r.pk for r in reports}
    newest_first = _reports(client, hub, sort="-due")
    assert newest_first[0].due_on >= newest_first[-1].due_on


def test_a_service_lead_searches_only_their_areas_reports(client, live):
    cast, luton = live("blmk", title="Steel pans in Luton")
    sign_in(client, cast.leads["Bedford Borough"])
    assert _reports(client, cast.hub, q="steel") == []
    client.logout()
    sign_in(client, cast.leads["Luton"])
    assert _reports(client, cast.hub, q="steel")
    assert {r.commission_id for r in _reports(client, cast.hub, q="steel")} == {luton.pk}


def test_the_reports_list_costs_the_same_queries_for_few_or_many(client, live):
    cast, commission = live("herts")
    sign_in(client, cast.officer)
    url = reverse("monitoring:reports", args=[cast.hub.slug])
    params = {"q": "inclusive", "status": ReportStatus.DUE, "sort": "partner"}

    def queries() -> int:
        client.get(url, params)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, params).status_code == 200
        return len(ctx)

    few = queries()
    base = Report.objects.filter(commission=commission).first()
    Report.objects.bulk_create(
        Report(
            hub=cast.hub,
            commission=commission,
            kind=ReportKind.AD_HOC,
            title=f"Extra {i}",
            due_on=base.due_on + timedelta(days=i),
        )
        for i in range(30)
    )
    assert queries() == few


def _complaint(cast, commission, raised_by: str, summary: str):
    return svc.complaint_log(
        commission=commission,
        user=officer_of(cast, commission),
        kind="complaint",
        raised_by=raised_by,
        received_on=timezone.localdate(),
        summary=summary,
    )


def test_complaints_search_filter_and_sort(client, live):
    cast, commission = live("herts")
    late = _complaint(cast, commission, "A parent", "Sessions cancelled without notice.")
    noisy = _complaint(cast, commission, "A neighbour", "Drumming late in the evening.")
    sign_in(client, cast.officer)

    def shown(**params):
        page = _get(client, "monitoring:complaints", cast.hub, **params).context["page"]
        return [c.pk for c in page.object_list]

    assert shown(q="cancelled") == [late.pk]
    assert shown(q="neighbour") == [noisy.pk]
    assert shown(q=commission.reference) == [noisy.pk, late.pk]
    assert shown(sort="raised_by") == [noisy.pk, late.pk]
    assert shown(status="resolved") == []
    assert sorted(shown(status="logged")) == sorted([late.pk, noisy.pk])
    page = _get(client, "monitoring:complaints", cast.hub, status="nope").content.decode()
    assert "so this filter was left out" in page


def test_another_hubs_complaints_are_never_found(client, live, build):
    cast, commission = live("herts")
    _complaint(cast, commission, "A parent", "Sessions cancelled without notice.")
    kent = build("kent")
    sign_in(client, kent.officer)
    page = _get(client, "monitoring:complaints", kent.hub, q="cancelled")
    assert list(page.context["page"].object_list) == []
    assert "0 complaints and grievances match" in page.content.decode()
