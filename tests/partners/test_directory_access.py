"""The partner directory's pages and the hub's documents for applicants, for
every role in its own hub and in another (tests/access.py): the hub's people
see every partner, a partner contact only its own organisation (another's
is a 404), another hub's people get 404, never 403; staff keep the
directory; only the hub admin publishes documents, which anyone downloads."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commissioning.uploads import check_upload
from hubs.access import _read_standing
from hubs.documents import hub_document_add
from tests.access import ALL_200, assert_matrix, members, personas

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
# HLO staff and both service leads keep the directory; everyone else of the hub
# is refused (403); another organisation's contact does not see the partner (404).
STAFF = {"hlo_staff": 200, "service_lead": 200, "other_area_lead": 200, "superuser": 200}
STAFF_ONLY = members(403, **STAFF, other_partner=404)

ACCESS_MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "directory:index": ("get", members(200)),
    "directory:add": ("get", members(403, **STAFF, other_partner=403)),
    "directory:detail": ("get", members(200, other_partner=404)),
    "directory:contact_add": ("get", STAFF_ONLY),
    # A partner's own contact adds its further contact people, as staff do.
    "directory:contact_person_add": (
        "get",
        members(403, **STAFF, partner_contact=200, other_partner=404),
    ),
    "directory:note_add": ("post", members(403, **dict.fromkeys(STAFF, 302), other_partner=404)),
    "directory:official": ("post", members(403, **dict.fromkeys(STAFF, 302), other_partner=404)),
    "directory:former": ("get", STAFF_ONLY),
    "directory:merge": ("get", STAFF_ONLY),
    "directory:meeting_request": (
        "get",
        members(403, **STAFF, partner_contact=200, other_partner=404),
    ),
    "directory:meeting_record": ("get", STAFF_ONLY),
    "hub_documents:manage": ("get", members(403, hub_admin=200, superuser=200)),
    "hub_documents:remove": ("post", members(403, hub_admin=302, superuser=302)),
    "hub_documents:download": ("get", ALL_200),
}


@pytest.fixture
def world(build, django_user_model):
    blmk, herts = build("blmk"), build("herts")
    partner = blmk.partners["lutonms"]
    upload = SimpleUploadedFile("safeguarding.pdf", PDF, content_type="application/pdf")
    document = hub_document_add(
        access=_read_standing(blmk.hub, blmk.admin),
        kind="safeguarding",
        title="Safeguarding standards",
        checked=check_upload(upload),
    )
    slug = blmk.hub.slug
    args = {name: [slug, partner.pk] for name in ACCESS_MATRIX}
    args |= {
        "directory:index": [slug],
        "directory:add": [slug],
        "hub_documents:manage": [slug],
        "hub_documents:remove": [slug, document.pk],
        "hub_documents:download": [slug, document.pk],
    }
    bodies = {"directory:note_add": {"text": "Spoke to their director about Luton's gap."}}
    return personas(blmk, herts, django_user_model), args, bodies


@pytest.mark.parametrize("url_name", sorted(ACCESS_MATRIX))
def test_access_matrix(world, url_name):
    people, args, bodies = world
    method, expected = ACCESS_MATRIX[url_name]
    assert_matrix(people, url_name, args[url_name], method, expected, bodies.get(url_name))
