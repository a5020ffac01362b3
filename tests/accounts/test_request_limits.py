"""Request bodies are refused (413) when larger than their page allows, before
anything reads them: nobody fills the disk by posting a huge form.

Personas: an anonymous client with only a CSRF cookie, and a partner contact
of the Hertfordshire demo hub attaching a file to an expression of interest."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from commissioning.models import ProposalAttachment
from tests.accounts.conftest import PASSWORD
from tests.auth_helpers import sign_in
from tests.commissioning.calls.test_services import draft, publish

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"

seen_files: list[str] = []


class RecordingHandler(FileUploadHandler):
    """Stands in for Django's upload handlers: notes every file it is given."""

    def new_file(self, field_name, file_name, *args, **kwargs):
        seen_files.append(file_name)
        super().new_file(field_name, file_name, *args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        return None

    def file_complete(self, file_size):
        return None


@pytest.fixture(autouse=True)
def recording_handler(settings):
    seen_files.clear()
    settings.FILE_UPLOAD_HANDLERS = [f"{__name__}.RecordingHandler"]
    yield
    seen_files.clear()


@pytest.fixture
def csrf_client() -> Client:
    """A client that, like the audit's, has a CSRF cookie and nothing else."""
    client = Client(enforce_csrf_checks=True)
    client.get(LOGIN)
    return client


def big_file(megabytes: float, name: str = "big.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF + b"0" * int(megabytes * 1024 * 1024))


def test_a_big_post_to_the_sign_in_page_is_refused_unread(csrf_client, settings):
    body = {
        "login": "someone@example.org",
        "password": "x",
        "csrfmiddlewaretoken": csrf_client.cookies["csrftoken"].value,
        "file": big_file(3),  # more than Django keeps in memory: it would go to disk
    }

    response = csrf_client.post(LOGIN, body)

    assert response.status_code == 413
    assert "at most 100" in response.text
    assert seen_files == []  # no upload handler was ever asked to keep a file


def test_a_declared_length_over_the_limit_is_refused_before_reading(client):
    # The body is never read, so it need not be as big as it says it is.
    response = client.post(
        LOGIN,
        data=b"login=x",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(300 * 1024 * 1024),
    )

    assert response.status_code == 413


def test_a_small_sign_in_is_not_refused(client):
    response = client.post(LOGIN, {"login": "someone@example.org", "password": "x"})

    assert response.status_code == 200


def _chunked(client: Client, path: str, body: bytes, content_type: str):
    """A body sent without Content-Length, as gunicorn passes a chunked one:
    the input ends where the body does (wsgi.input_terminated)."""
    return client.generic(
        "POST",
        path,
        body,
        content_type,
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
        # gunicorn's input: it says where the body ends, by running out.
        **{"wsgi.input": io.BytesIO(body), "wsgi.input_terminated": True},
    )


def test_a_chunked_body_over_the_limit_is_refused(client, settings):
    body = encode_multipart(BOUNDARY, {"login": "x", "file": big_file(1)})

    response = _chunked(client, LOGIN, body, MULTIPART_CONTENT)

    assert response.status_code == 413
    assert seen_files == []


def test_a_small_chunked_body_is_read_as_usual(client, officer):
    body = f"login={officer.email}&password={PASSWORD}".encode()

    response = _chunked(client, LOGIN, body, "application/x-www-form-urlencoded")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_unknown_pages_have_the_small_limit(client):
    response = client.post("/no-such-page/", {"file": big_file(0.2)})

    assert response.status_code == 413


@pytest.fixture
def eoi(build, pipeline, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.FILE_UPLOAD_HANDLERS = [
        "django.core.files.uploadhandler.MemoryFileUploadHandler",
        "django.core.files.uploadhandler.TemporaryFileUploadHandler",
    ]
    cast = build("herts")
    proposal = draft(publish(cast, pipeline), cast, "tabla")
    url = reverse("calls:eoi_edit", args=[cast.hub.slug, proposal.pk])
    return cast, proposal, url


def eoi_body(attachment) -> dict:
    return {
        "title": "With a plan attached",
        "summary": "s",
        "costs-TOTAL_FORMS": "0",
        "costs-INITIAL_FORMS": "0",
        "funding-TOTAL_FORMS": "0",
        "funding-INITIAL_FORMS": "0",
        "attachments": attachment,
        "action": "save",
    }


def test_a_partner_still_attaches_a_file_under_the_upload_limit(client, eoi, settings):
    cast, proposal, url = eoi
    sign_in(client, cast.contacts[proposal.partner_id])
    size = 3  # MB: over the 100 KB of other pages, under the upload limit
    assert size * 1024 * 1024 < settings.UPLOAD_MAX_BYTES

    version = {"draft_version": str(proposal.draft_version)}  # as the page carries it
    response = client.post(url, eoi_body(big_file(size, "plan.pdf")) | version)

    assert response.status_code in (200, 302), response.content[:500]
    assert ProposalAttachment.objects.filter(proposal=proposal).count() == 1


def test_the_upload_page_refuses_more_than_its_own_limit(client, eoi, settings):
    cast, proposal, url = eoi
    sign_in(client, cast.contacts[proposal.partner_id])
    settings.REQUEST_BODY_LIMITS = {**settings.REQUEST_BODY_LIMITS, "calls:eoi_edit": 1024 * 1024}

    response = client.post(url, eoi_body(big_file(2, "plan.pdf")))

    assert response.status_code == 413
    assert not ProposalAttachment.objects.exists()


def test_the_upload_limit_is_for_signed_in_people_only(client, eoi):
    _, _, url = eoi

    response = client.post(url, eoi_body(big_file(0.5, "plan.pdf")))

    assert response.status_code == 413


def test_every_form_that_sends_files_has_a_page_with_the_upload_limit(settings):
    """Two forms send files (a call's documents, an expression of interest's
    attachments), and their two pages are the ones given the upload limit: a
    new file form fails here until its page is added to REQUEST_BODY_LIMITS."""
    templates = Path(settings.BASE_DIR, "templates")
    file_forms = sorted(
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if 'enctype="multipart/form-data"' in path.read_text()
    )
    upload_pages = {
        name
        for name, limit in settings.REQUEST_BODY_LIMITS.items()
        if limit == settings.UPLOAD_REQUEST_MAX_BYTES
    }

    assert file_forms == [
        "commissioning/calls/call_publish.html",
        "commissioning/calls/eoi_form.html",
        "commissioning/record_new.html",  # one document, records:add's own limit
        "compliance/record_form.html",  # one document, compliance:record_add's own limit
        "hubs/documents.html",  # one document, hub_documents:manage's own limit
    ]
    assert upload_pages == {"calls:publish", "calls:eoi_edit"}
    assert settings.UPLOAD_REQUEST_MAX_BYTES >= settings.UPLOAD_MAX_BYTES
    assert settings.REQUEST_BODY_MAX_BYTES == 100 * 1024
