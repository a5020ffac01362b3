"""Who gets each oversight page: the public register and its open data for
everyone; the dashboard, policy record and board packs for HLO staff,
approvers, hub admins and the board; exports for staff only. Another hub's
pages, or a page the role may not see, are a 404."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from oversight.models import BoardPack
from oversight.services import board_pack_build
from tests.access import ALL_200, assert_matrix, members, personas
from tests.auth_helpers import sign_in

pytestmark = pytest.mark.django_db

NOT_FOR_LEADS_OR_PARTNERS = {
    "service_lead": 404,
    "other_area_lead": 404,
    "partner_contact": 404,
    "other_partner": 404,
}
OVERSEERS = members(200, **NOT_FOR_LEADS_OR_PARTNERS)
STAFF = members(200, board_member=404, **NOT_FOR_LEADS_OR_PARTNERS)

ACCESS_MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "oversight:register": ("get", ALL_200),
    "oversight:giving_json": ("get", ALL_200),
    "oversight:giving_csv": ("get", ALL_200),
    "oversight:dashboard": ("get", OVERSEERS),
    "oversight:export": ("get", STAFF),
    "oversight:policy_versions": ("get", OVERSEERS),
    "oversight:board_packs": ("get", OVERSEERS),
    "oversight:board_pack": ("get", OVERSEERS),
    "oversight:board_pack_status": ("get", OVERSEERS),
    "oversight:board_pack_download": ("get", OVERSEERS),
}


@pytest.fixture
def world(build, pipeline, django_user_model, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    blmk, herts = build("blmk"), build("herts")
    p = pipeline(blmk)
    commission = p._open("Luton ensembles")
    for step in (p.identify, p.award, p.to_approval, p.approve, p.sign):
        step(commission)
    pack = BoardPack.objects.create(
        hub=blmk.hub, requested_by=blmk.officer, meeting_on="2026-12-01"
    )
    board_pack_build(pack_id=pack.pk)
    slug = blmk.hub.slug
    pack_args = [slug, pack.pk]
    args = {
        "oversight:export": [slug, "commissions"],
        "oversight:board_pack": pack_args,
        "oversight:board_pack_status": pack_args,
        "oversight:board_pack_download": pack_args,
    }
    return personas(blmk, herts, django_user_model), args, slug


@pytest.mark.parametrize("url_name", sorted(ACCESS_MATRIX))
def test_access_matrix(world, url_name):
    people, args, slug = world
    method, expected = ACCESS_MATRIX[url_name]
    assert_matrix(people, url_name, args.get(url_name, [slug]), method, expected)


def test_a_pack_of_another_hub_is_a_404(world, client):
    people, _, slug = world
    herts_pack = BoardPack.objects.create(
        hub=people["outsider"].memberships.first().hub,
        requested_by=people["outsider"],
        meeting_on="2026-12-01",
    )
    sign_in(client, people["hlo_staff"])
    with transaction.atomic():
        response = client.get(reverse("oversight:board_pack", args=[slug, herts_pack.pk]))
    assert response.status_code == 404
