"""The demo's procurement: Hertfordshire's and Leicestershire's councils'
rules with different bands, Kent's contracts with their notices, every notice
exported as an OCDS 1.1 release that the 1.1.5 release package schema accepts
(offline, with a format checker), the Transparency Code CSVs of the demo hubs,
and the notices page's queries."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Commission
from hubs.models import Membership, Role
from procurement import ocds, ocds_schema, transparency
from procurement.models import (
    CommissionKind,
    CommissionProcurement,
    Notice,
    NoticeKind,
    ProcurementRules,
)
from procurement.ocds_schema import SCHEMA_DIR
from tests import demo_db
from tests.auth_helpers import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[None]:
    with django_db_blocker.unblock():
        demo_db.load_demo()
        yield
        demo_db.flush()


def _officer(slug: str):
    return Membership.objects.filter(hub__slug=slug, role=Role.HLO_STAFF).first().user


def _client(slug: str) -> Client:
    client = Client()
    sign_in(client, _officer(slug))
    return client


def test_two_councils_rules_with_different_bands(demo):
    herts = ProcurementRules.objects.get(hub__slug="herts")
    leics = ProcurementRules.objects.get(hub__slug="leics")
    assert herts.name == "Hertfordshire County Council procurement process"
    assert leics.name == "Leicestershire County Council Contract Procedure Rules"

    def bands(rules):
        return [(b.from_value, b.below_value, b.route_needed) for b in rules.bands.all()]

    assert bands(herts) != bands(leics)
    assert [b[2] for b in bands(herts)] == ["one_quote", "three_quotes", "open_tender"]


def test_hertfordshire_shows_an_approved_and_an_awaited_departure(demo):
    records = Commission.objects.filter(
        hub__slug="herts", procurement__departure_from__gt=""
    ).select_related("procurement")
    states = sorted(c.status for c in records)
    assert states == ["identify", "needs"]
    client = _client("herts")
    waiting = records.get(status="identify")
    page = client.get(reverse("commissioning:detail", args=["herts", waiting.reference]))
    html = page.content.decode()
    assert "the departure awaits the approval of" in html
    assert 'data-waits="award"' in html
    approved = records.get(status="needs")  # the one the browser tests award
    page = client.get(reverse("commissioning:detail", args=["herts", approved.reference]))
    assert "data-procurement-waits" not in page.content.decode()


def test_a_kent_contract_has_its_notices_one_published(demo):
    notices = Notice.objects.filter(hub__slug="kent")
    assert notices.filter(kind=NoticeKind.CONTRACT_DETAILS).count() == 2
    assert notices.filter(published_at__isnull=False).exclude(notice_id="").exists()
    assert notices.filter(published_at__isnull=True, due_by__isnull=False).exists()


def test_every_exported_notice_validates_against_ocds_1_1_5(demo):
    notices = list(Notice.objects.filter(due_by__isnull=False).order_by("pk"))
    assert {n.kind for n in notices} >= {
        NoticeKind.BELOW_THRESHOLD_TENDER,
        NoticeKind.CONTRACT_DETAILS,
    }
    tags = ocds_schema.codes("releaseTag.csv")
    for notice in notices:
        client = _client(notice.procurement.commission.hub.slug)
        response = client.get(reverse("procurement:notice_ocds", args=[notice.hub.slug, notice.pk]))
        assert response.status_code == 200
        package = json.loads(response.content)
        assert ocds_schema.errors(package) == [], notice
        [release] = package["releases"]
        assert set(release["tag"]) <= tags
        assert release["ocid"].startswith(f"{ocds.OCID_PREFIX}-kent-")
        assert release["tag"] == [ocds.TAGS[notice.kind]]


def test_the_schema_check_has_a_format_checker_and_works_offline(demo):
    notice = Notice.objects.filter(due_by__isnull=False).first()
    package = ocds.package([notice], "https://example.org/ocds.json")
    assert ocds_schema.errors(package) == []
    package["releases"][0]["date"] = "3 December 2026"
    package["uri"] = "not a uri"
    problems = ocds_schema.errors(package)
    assert any("date" in p and "date-time" in p for p in problems), problems
    assert any(p.startswith("uri") for p in problems), problems
    del package["releases"][0]["ocid"]
    assert any("'ocid' is a required property" in p for p in ocds_schema.errors(package))


def test_the_shipped_schema_is_the_shared_one():
    shared = Path(settings.BASE_DIR).parent / "shared" / "standards" / "ocds"
    if not shared.is_dir():
        pytest.skip(f"no shared standards folder at {shared}")
    theirs = {p.relative_to(shared): p.read_bytes() for p in shared.rglob("*") if p.is_file()}
    ours = {p.relative_to(SCHEMA_DIR): p.read_bytes() for p in SCHEMA_DIR.rglob("*") if p.is_file()}
    assert ours == theirs


def _csv(client, slug, kind, period) -> list[dict]:
    url = reverse("procurement:transparency_csv", args=[slug, kind])
    response = client.get(url, {"period": period})
    assert response.status_code == 200
    assert response.streaming
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_the_demo_hubs_transparency_csvs(demo):
    today = timezone.localdate()
    quarter = transparency.quarters_around(today)[0].key
    kent = _client("kent")
    contracts = _csv(kent, "kent", "contracts", quarter)
    assert list(contracts[0]) == transparency.CONTRACT_COLUMNS
    live = [r for r in contracts if r["Value changes in the quarter"]]
    assert live, contracts
    assert "£42,000" in live[0]["Value changes in the quarter"]
    assert live[0]["Value (£)"] == "42000.00"
    assert live[0]["How it was procured"] == "Open tender"
    assert live[0]["Voluntary or community sector"] == "Yes"

    year = transparency.years_around(today)
    herts = _client("herts")
    grants = [row for y in year[:2] for row in _csv(herts, "herts", "grants", y.key)]
    assert grants, "Hertfordshire's demo awarded grants in the last two financial years"
    assert set(grants[0]) == set(transparency.GRANT_COLUMNS)
    contract_refs = set(
        Commission.objects.filter(procurement__kind=CommissionKind.CONTRACT).values_list(
            "reference", flat=True
        )
    )
    assert not contract_refs & {g["Reference"] for g in grants}


def test_the_notices_page_reads_a_constant_number_of_queries(demo, django_assert_num_queries):
    """The same queries for the demo's notices as for several more."""
    client = _client("kent")
    url = reverse("procurement:notices", args=["kent"])
    assert client.get(url).status_code == 200  # the person's standing, read and cached
    with CaptureQueriesContext(connection) as few:
        assert "Mark published" in client.get(url).content.decode()
    records = CommissionProcurement.objects.filter(hub__slug="kent", kind=CommissionKind.GRANT)
    more = [
        Notice(
            hub=r.hub,
            procurement=r,
            kind=NoticeKind.CONTRACT_DETAILS,
            due_by=r.started_on,
            why="For the count.",
        )
        for r in records[:6]
    ]
    assert len(more) == 6
    Notice.objects.bulk_create(more)
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert response.content.decode().count("Mark published<span") >= 7
    assert len(few) <= 8, [q["sql"][:120] for q in few.captured_queries]
