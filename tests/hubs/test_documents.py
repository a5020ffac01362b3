"""The hub's public page: its policy in force, the documents an applicant
reads first (uploaded by the hub admin, checked by their content,
downloadable without signing in) and a contact for queries."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from hubs.documents import HubDocument
from tests.auth_helpers import sign_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def _admin(cast) -> Client:
    client = Client()
    sign_in(client, cast.admin)
    return client


def _upload(client, slug, name="safeguarding.pdf", content=PDF, **data):
    url = reverse("hub_documents:manage", args=[slug])
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post(
        url, {"kind": "safeguarding", "title": "Safeguarding standards", **data, "file": upload}
    )


def test_the_hub_admin_publishes_a_document_anyone_downloads(build):
    cast = build("leics")
    assert _upload(_admin(cast), "leics").status_code == 302
    document = HubDocument.objects.get(hub=cast.hub)
    assert (document.original_name, document.content_type) == (
        "safeguarding.pdf",
        "application/pdf",
    )

    page = Client().get(reverse("hubs:policy", args=["leics"])).content.decode()
    download = reverse("hub_documents:download", args=["leics", document.pk])
    assert f'href="{download}"' in page and "Safeguarding standards" in page
    response = Client().get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert 'attachment; filename="safeguarding.pdf"' in response["Content-Disposition"]


def test_a_file_that_is_not_what_it_says_is_refused_beside_the_field(build):
    cast = build("leics")
    response = _upload(_admin(cast), "leics", name="standards.pdf", content=b"MZ\x90\x00" * 50)
    page = response.content.decode()
    assert response.status_code == 400
    assert "standards.pdf is named as a PDF" in page
    assert 'value="Safeguarding standards"' in page  # the title typed is kept
    assert not HubDocument.objects.exists()


def test_only_the_hub_admin_publishes(build):
    cast = build("leics")
    officer = Client()
    sign_in(officer, cast.officer)
    assert _upload(officer, "leics").status_code == 403
    assert not HubDocument.objects.exists()


def test_another_hub_s_document_is_not_downloaded_through_this_one(build):
    leics = build("leics")
    build("herts")
    _upload(_admin(leics), "leics")
    document = HubDocument.objects.get()
    assert (
        Client().get(reverse("hub_documents:download", args=["herts", document.pk])).status_code
        == 404
    )


def test_the_public_page_names_its_contact_for_queries(build):
    cast = build("kent")
    cast.hub.enquiries_name, cast.hub.enquiries_email = "Partnerships team", "hub@kent.example"
    cast.hub.save()
    page = Client().get(reverse("hubs:policy", args=["kent"])).content.decode()
    assert "Questions: Partnerships team, " in page
    assert 'href="mailto:hub@kent.example"' in page
