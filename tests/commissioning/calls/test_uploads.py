"""Files: checked by their content, kept privately under random names, and
served only to those allowed."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from commissioning.calls import services as calls
from commissioning.models import ProposalAttachment
from commissioning.uploads import check_upload
from hubs.refusals import Refused
from tests.auth_helpers import sign_in
from tests.commissioning.calls.test_services import ANSWERS, draft, publish, submit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


DOCX = _zip("[Content_Types].xml", "_rels/.rels", "word/document.xml")
XLSX = _zip("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml")


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# ── checking by content ─────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("plan.pdf", PDF, "application/pdf"),
        ("budget.XLSX", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (
            "plan.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("photo.png", PNG, "image/png"),
        ("photo.jpg", JPEG, "image/jpeg"),
        ("photo.jpeg", JPEG, "image/jpeg"),
    ],
)
def test_the_five_kinds_pass(name, content, content_type):
    checked = check_upload(upload(name, content))
    assert checked.content_type == content_type
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert checked.size == len(content)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "plan.pdf",
            PNG,
            "plan.pdf is named as a PDF but its content is a PNG image. Choose the right file, "
            "or save it as PDF, Word (DOCX), Excel (XLSX), PNG or JPEG.",
        ),
        (
            "setup.docx",
            EXE,
            "setup.docx is named as a Word document (DOCX) but its content is a Windows program.",
        ),
        (
            "budget.xlsx",
            DOCX,
            "budget.xlsx is named as an Excel spreadsheet (XLSX) but its content",
        ),
        ("notes.docx", _zip("notes.txt"), "its content is a ZIP archive"),
        ("notes.txt", b"hello", "notes.txt cannot be attached: only PDF, Word (DOCX)"),
        ("empty.pdf", b"", "empty.pdf is empty."),
    ],
)
def test_a_mismatch_is_refused_clearly(name, content, message):
    with pytest.raises(Refused) as refused:
        check_upload(upload(name, content))
    assert message in refused.value.message


def test_over_size_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(Refused, match=r"big\.pdf is 2\.0\xa0KB; files must be 1\.0\xa0KB"):
        check_upload(upload("big.pdf", PDF.ljust(2048, b"0")))


# ── kept with the draft, or refused with the draft kept ─────────────────────


def _save_files(call, cast, key, *files):
    proposal = draft(call, cast, key)
    contact = cast.contacts[proposal.partner_id]
    refused = calls.proposal_save_draft(
        proposal=proposal, user=contact, answers={"title": "Kept"}, files=list(files)
    )
    proposal.refresh_from_db()
    return proposal, refused


def test_a_good_file_is_stored_privately_under_a_random_name(build, pipeline, private_media):
    cast = build("herts")
    proposal, refused = _save_files(
        publish(cast, pipeline), cast, "tabla", upload("Our plan.pdf", PDF)
    )
    assert refused == []
    attachment = proposal.attachments.get()
    assert attachment.original_name == "Our plan.pdf"
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert "plan" not in attachment.file.name and attachment.file.name.startswith("hubs/")
    assert (private_media / attachment.file.name).read_bytes() == PDF


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("plan.pdf", PNG, "plan.pdf is named as a PDF but its content is a PNG image."),
        ("setup.docx", EXE, "its content is a Windows program"),
        (
            "big.pdf",
            PDF.ljust(2048, b"0"),
            "big.pdf is 2.0\xa0KB; files must be 1.0\xa0KB or smaller.",
        ),
    ],
)
def test_a_refused_file_keeps_the_draft(build, pipeline, settings, name, content, expected):
    settings.UPLOAD_MAX_BYTES = 1024
    cast = build("herts")
    proposal, refused = _save_files(publish(cast, pipeline), cast, "tabla", upload(name, content))
    assert len(refused) == 1 and expected in refused[0].message
    assert refused[0].field == "attachments"
    assert proposal.title == "Kept" and proposal.summary == ANSWERS["summary"]
    assert not ProposalAttachment.objects.exists()


def test_the_form_shows_a_refused_file_beside_the_field(client, build, pipeline):
    cast = build("herts")
    proposal = draft(publish(cast, pipeline), cast, "tabla")
    sign_in(client, cast.contacts[proposal.partner_id])
    url = reverse("calls:eoi_edit", args=[cast.hub.slug, proposal.pk])
    body = {
        "title": "Still here",
        "summary": "s",
        "costs-TOTAL_FORMS": "0",
        "costs-INITIAL_FORMS": "0",
        "funding-TOTAL_FORMS": "0",
        "funding-INITIAL_FORMS": "0",
        "attachments": upload("setup.docx", EXE),
        "action": "submit",
        "draft_version": str(proposal.draft_version),  # the version the page was loaded with
    }
    response = client.post(url, body)
    assert response.status_code == 400
    page = response.content.decode()
    assert "id_attachments_error" in page and "its content is a Windows program" in page
    assert 'value="Still here"' in page
    proposal.refresh_from_db()
    assert proposal.title == "Still here" and proposal.status == "draft"


# ── who may download ────────────────────────────────────────────────────────


def test_attachment_download_partner_and_officer_only(build, pipeline):
    cast, other_hub = build("leics"), build("herts")
    call = publish(cast, pipeline)
    proposal, _ = _save_files(call, cast, "leicjazz", upload("plan.pdf", PDF))
    submit(proposal, cast)
    attachment = proposal.attachments.get()
    url = reverse("calls:attachment", args=[cast.hub.slug, proposal.pk, attachment.pk])

    def status(user) -> int:
        client = Client()
        sign_in(client, user)
        return client.get(url).status_code

    assert status(cast.contacts[proposal.partner_id]) == 200
    assert status(cast.officer) == 200
    assert status(cast.contacts[cast.partners["bhangra"].pk]) == 404
    assert status(other_hub.officer) == 404
    client = Client()
    sign_in(client, cast.officer)
    response = client.get(url)
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    assert response["Cache-Control"] == "private, no-store"


def test_officers_do_not_see_a_draft_s_files(build, pipeline):
    cast = build("leics")
    proposal, _ = _save_files(publish(cast, pipeline), cast, "leicjazz", upload("plan.pdf", PDF))
    attachment = proposal.attachments.get()
    client = Client()
    sign_in(client, cast.officer)
    url = reverse("calls:attachment", args=[cast.hub.slug, proposal.pk, attachment.pk])
    assert client.get(url).status_code == 404


def test_call_documents_public_for_public_calls_only(build, pipeline):
    cast = build("consortium")
    public = publish(cast, pipeline, documents=[upload("Guidance.pdf", PDF)])
    private_call = publish(cast, pipeline, is_public=False, documents=[upload("Brief.pdf", PDF)])
    for call, anonymous in ((public, 200), (private_call, 404)):
        document = call.documents.get()
        assert document.title in ("Guidance", "Brief")
        url = reverse("calls:document", args=[cast.hub.slug, call.pk, document.pk])
        assert Client().get(url).status_code == anonymous
        partner = Client()
        sign_in(partner, cast.contacts[cast.partners["mtech"].pk])
        assert partner.get(url).status_code == 200


def test_a_bad_call_document_refuses_the_call(build, pipeline):
    cast = build("consortium")
    with pytest.raises(calls.Refused) as refused:
        publish(cast, pipeline, documents=[upload("Guidance.pdf", PNG)])
    assert refused.value.refusals[0].field == "documents"
    assert "is named as a PDF but its content is a PNG image" in refused.value.refusal.message
