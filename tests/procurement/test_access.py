"""Who gets each procurement page, in BLMK (every role, a Luton contract) and
from another hub: the hub's own people see a commission's procurement, its
officers record it; the notices are for those who see every commission and
for service leads (their own area's); the Transparency Code lists for those
who see every commission. Another hub's, or a page the role may not use, is a
404; a write that is not the person's to make is a 403."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Commission
from commissioning.workflow import Stage
from procurement import services
from procurement.models import CommissionKind, Notice, NoticeKind
from tests.access import assert_matrix, members, personas
from tests.auth_helpers import sign_in

pytestmark = pytest.mark.django_db

PARTNERS_OUT = {"partner_contact": 404, "other_partner": 404, "other_area_lead": 404}
OFFICERS_WRITE = members(302, approver=403, board_member=403, hub_admin=403, **PARTNERS_OUT)
SEES_ALL = members(
    200,
    board_member=404,
    service_lead=404,
    other_area_lead=404,
    partner_contact=404,
    other_partner=404,
)
NOTICES_PAGE = members(200, board_member=404, partner_contact=404, other_partner=404)
NOTICE = members(200, board_member=404, **PARTNERS_OUT)

ACCESS_MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "procurement:commission": ("get", members(200, **PARTNERS_OUT)),
    "procurement:record": ("post", OFFICERS_WRITE),
    # Nothing to approve once awarded: refused, in words, for everyone who sees it.
    "procurement:approve_departure": ("post", members(400, **PARTNERS_OUT)),
    "procurement:value_change": ("post", OFFICERS_WRITE),
    "procurement:notices": ("get", NOTICES_PAGE),
    "procurement:notice_ocds": ("get", NOTICE),
    "procurement:notice_publish": (
        "post",
        members(302, approver=403, hub_admin=403, board_member=404, **PARTNERS_OUT),
    ),
    "procurement:transparency": ("get", SEES_ALL),
    "procurement:transparency_csv": ("get", SEES_ALL),
}


@pytest.fixture
def world(build, pipeline, django_user_model):
    blmk, herts = build("blmk"), build("herts")
    p = pipeline(blmk)
    c = p._open("Luton ensembles", amount=Decimal(40000))
    p.identify(c)
    started = timezone.localdate() - timedelta(days=20)
    record = services.procurement_record(
        commission=Commission.objects.get(pk=c.pk),
        user=blmk.leads["Luton"],
        kind=CommissionKind.CONTRACT,
        route_taken="open_tender",
        procurement_reference="LBC-2026-31",
        started_on=started,
        advertised_on=started,
    )
    for step in (p.award, p.to_approval, p.approve, p.sign):
        step(Commission.objects.get(pk=c.pk))
    c.refresh_from_db()
    assert c.status == Stage.MONITORING
    notice = Notice.objects.get(procurement=record, kind=NoticeKind.BELOW_THRESHOLD_TENDER)
    slug, ref = blmk.hub.slug, c.reference
    args = {
        "procurement:commission": [slug, ref],
        "procurement:record": [slug, ref],
        "procurement:approve_departure": [slug, ref],
        "procurement:value_change": [slug, ref],
        "procurement:notice_ocds": [slug, notice.pk],
        "procurement:notice_publish": [slug, notice.pk],
        "procurement:transparency_csv": [slug, "contracts"],
    }
    bodies = {
        "procurement:record": {
            "kind": "contract",
            "route_taken": "open_tender",
            "quotes_received": "0",
            "procurement_reference": "LBC-2026-31",
            "started_on": started.isoformat(),
            "advertised_on": started.isoformat(),
            "vat_amount": "0",
            "vat_not_recoverable": "0",
            "supplier_is_vcs": "on",
        },
        "procurement:value_change": {
            "value": "45000",
            "effective_on": timezone.localdate().isoformat(),
            "reason": "A fourth ensemble.",
        },
        "procurement:notice_publish": {"notice_id": "004512-2026"},
    }
    return personas(blmk, herts, django_user_model), args, bodies, slug


@pytest.mark.parametrize("url_name", sorted(ACCESS_MATRIX))
def test_access_matrix(world, url_name):
    people, args, bodies, slug = world
    method, expected = ACCESS_MATRIX[url_name]
    assert_matrix(
        people, url_name, args.get(url_name, [slug]), method, expected, bodies.get(url_name)
    )


def test_another_hubs_notice_is_a_404(world):
    people, args, _, _ = world
    from django.test import Client

    client = Client()
    sign_in(client, people["outsider"])  # Hertfordshire's officer
    herts = people["outsider"].memberships.first().hub.slug
    notice_pk = args["procurement:notice_ocds"][1]
    with transaction.atomic():
        response = client.get(reverse("procurement:notice_ocds", args=[herts, notice_pk]))
    assert response.status_code == 404
