"""Files kept in the S3 bucket (moto's server, started by the test session):
call documents, expressions of interest's attachments, agreement PDFs and
board packs are written there privately, nothing lands under MEDIA_ROOT, and
each comes back byte for byte only through its checked view."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement
from oversight.models import BoardPack, BoardPackStatus
from tests.auth_helpers import sign_in
from tests.commissioning.calls.test_services import draft, publish, submit
from tests.commissioning.calls.test_uploads import PDF, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_media(settings, tmp_path):
    """MEDIA_ROOT points at an empty folder, to show nothing is written there."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored(s3_server, bucket: str, name: str) -> bytes:
    return s3_server.client().get_object(Bucket=bucket, Key=name)["Body"].read()


def unsigned_status(s3_server, bucket: str, name: str) -> int:
    return requests.get(f"{s3_server.endpoint_url}/{bucket}/{name}", timeout=5).status_code


def download(user, url: str):
    client = Client()
    if user is not None:
        sign_in(client, user)
    return client.get(url)


def body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def assert_private(s3_server, bucket: str, name: str) -> None:
    grants = s3_server.client().get_object_acl(Bucket=bucket, Key=name)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]
    assert all(g["Grantee"]["Type"] == "CanonicalUser" for g in grants)
    assert unsigned_status(s3_server, bucket, name) == 403


def test_an_eoi_attachment_is_kept_in_the_bucket_and_served_to_those_allowed(
    build, pipeline, s3_server, s3_storage, empty_media
):
    cast, other_hub = build("leics"), build("herts")
    proposal = draft(publish(cast, pipeline), cast, "leicjazz")
    contact = cast.contacts[proposal.partner_id]
    content = PDF + b"% attachment kept in the bucket\n"
    from commissioning.calls import services as calls

    assert (
        calls.proposal_save_draft(
            proposal=proposal, user=contact, answers={}, files=[upload("plan.pdf", content)]
        )
        == []
    )
    submit(proposal, cast)
    attachment = proposal.attachments.get()
    assert stored(s3_server, s3_storage, attachment.file.name) == content
    assert_private(s3_server, s3_storage, attachment.file.name)
    assert not empty_media.exists()

    url = reverse("calls:attachment", args=[cast.hub.slug, proposal.pk, attachment.pk])
    for reader in (contact, cast.officer):
        response = download(reader, url)
        assert body(response) == content
        assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'
        assert response["Content-Length"] == str(len(content))
        assert response["Cache-Control"] == "private, no-store"
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert download(other_hub.officer, url).status_code == 404
    assert download(cast.contacts[cast.partners["bhangra"].pk], url).status_code == 404


def test_a_call_document_is_kept_in_the_bucket_and_served_by_the_call_s_rules(
    build, pipeline, s3_server, s3_storage
):
    cast = build("consortium")
    public = publish(cast, pipeline, documents=[upload("Guidance.pdf", PDF)])
    private_call = publish(cast, pipeline, is_public=False, documents=[upload("Brief.pdf", PDF)])
    for call, anonymous in ((public, 200), (private_call, 404)):
        document = call.documents.get()
        assert stored(s3_server, s3_storage, document.file.name) == PDF
        assert_private(s3_server, s3_storage, document.file.name)
        url = reverse("calls:document", args=[cast.hub.slug, call.pk, document.pk])
        assert download(None, url).status_code == anonymous
        assert body(download(cast.contacts[cast.partners["mtech"].pk], url)) == PDF


def test_a_file_gone_from_the_bucket_is_not_found(build, pipeline, s3_server, s3_storage):
    cast = build("consortium")
    call = publish(cast, pipeline, documents=[upload("Guidance.pdf", PDF)])
    document = call.documents.get()
    s3_server.client().delete_object(Bucket=s3_storage, Key=document.file.name)
    url = reverse("calls:document", args=[cast.hub.slug, call.pk, document.pk])
    assert download(None, url).status_code == 404


def test_an_agreement_pdf_is_made_into_the_bucket_and_served_from_it(
    build, pipeline, s3_server, s3_storage, django_capture_on_commit_callbacks
):
    cast, other_hub = build("kent"), build("herts")
    p = pipeline(cast)
    c = p._open("Inclusive ensembles")
    for step in (p.identify, p.award, p.to_approval, p.approve):
        step(c)
    p.sign(c)
    url = reverse("agreements:pdf", args=[cast.hub.slug, c.reference, 1])
    partner = Client()
    sign_in(partner, cast.contacts[c.partner_id])
    # The demo's pipeline leaves the PDF to its first download, which makes it
    # after the commit (the test's transaction never commits by itself).
    with django_capture_on_commit_callbacks(execute=True):
        assert partner.get(url).status_code == 302  # "being prepared"
    agreement = Agreement.objects.get(commission=c, period_number=1)
    assert agreement.pdf.name.startswith("agreements/kent/")
    kept = stored(s3_server, s3_storage, agreement.pdf.name)
    assert kept.startswith(b"%PDF")
    assert_private(s3_server, s3_storage, agreement.pdf.name)

    response = partner.get(url)
    assert body(response) == kept
    assert response["Content-Disposition"].startswith("attachment")
    assert download(other_hub.officer, url).status_code == 404


def test_a_board_pack_is_kept_in_the_bucket_and_served_to_the_hub_only(
    build, pipeline, s3_server, s3_storage, django_capture_on_commit_callbacks
):
    cast, other_hub = build("herts"), build("kent")
    pipeline(cast).run()
    client = Client()
    sign_in(client, cast.officer)
    meeting = timezone.localdate() + timedelta(days=14)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("oversight:board_packs", args=[cast.hub.slug]),
            {"meeting_on": meeting.isoformat()},
        )
    pack = BoardPack.objects.get(hub=cast.hub)
    assert pack.status == BoardPackStatus.READY
    kept = stored(s3_server, s3_storage, pack.file.name)
    assert kept.startswith(b"%PDF")
    assert_private(s3_server, s3_storage, pack.file.name)

    url = reverse("oversight:board_pack_download", args=[cast.hub.slug, pack.pk])
    response = download(cast.board[0], url)
    assert body(response) == kept
    assert response["Content-Disposition"] == (
        f'attachment; filename="herts-board-pack-{meeting:%Y-%m-%d}.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    other_url = reverse("oversight:board_pack_download", args=[other_hub.hub.slug, pack.pk])
    assert download(other_hub.officer, other_url).status_code == 404
    assert download(other_hub.officer, url).status_code == 404
