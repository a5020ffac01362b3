"""The agreement's PDF: made after commit, stored privately, holding the
sections, the schedule and a signature page with the audit trail."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from agreements import services as ag
from agreements.drafting import SECTION_TITLES
from agreements.models import Agreement
from agreements.pdf import agreement_pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    # pypdf breaks lines where the PDF does; join words back for searching.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def signed_agreement(build, pipeline, slug="herts") -> tuple:
    cast = build(slug)
    p = pipeline(cast)
    c = p._open("Inclusive ensembles")
    for step in (p.identify, p.award, p.to_approval, p.approve):
        step(c)
    p.sign(c)
    return cast, Agreement.objects.get(commission=c)


def test_the_pdf_holds_the_sections_schedule_and_signatures(build, pipeline):
    cast, agreement = signed_agreement(build, pipeline)
    text = text_of(agreement_pdf_bytes(agreement))
    for _, title in SECTION_TITLES:
        assert title in text, title
    assert "Payment schedule" in text and "Total" in text
    assert "Signatures and audit trail" in text
    contact = cast.contacts[agreement.commission.partner_id]
    for signature in agreement.signatures.all():
        assert f"Signed electronically by {signature.full_name}" in text
        assert (
            signature.content_digest in text.replace(" ", "")
            or signature.content_digest[:16] in text
        )
    assert "Sign the partnership agreement" in text  # the partner's move, in the history
    assert "Countersign the partnership agreement" in text
    # Everyone's copy names the signers; only HLO staff's audit copy shows
    # the accounts and addresses they signed from.
    assert contact.email not in text and "192.0.2.10" not in text
    audit = text_of(agreement_pdf_bytes(agreement, audit=True))
    assert contact.email in audit
    assert "192.0.2.10" in audit  # the IP address the demo signs from


def test_where_the_hlo_delivers_the_pdf_names_the_delivery_partner(build, pipeline):
    _, agreement = signed_agreement(build, pipeline, "consortium")
    text = text_of(agreement_pdf_bytes(agreement))
    assert "For the partner (delivery partner)" in text


def test_signing_stores_the_pdf_privately_after_commit(
    build, pipeline, django_capture_on_commit_callbacks, tmp_path
):
    cast = build("kent")
    p = pipeline(cast)
    c = p._open("Inclusive ensembles")
    for step in (p.identify, p.award, p.to_approval, p.approve):
        step(c)
    agreement = Agreement.objects.get(commission=c)
    contact = cast.contacts[c.partner_id]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ag.agreement_sign(
            agreement=agreement, user=contact, full_name="Pat", role_title="Director", consent=True
        )
        ag.agreement_countersign(
            agreement=agreement,
            user=cast.officer,
            full_name="Olivia",
            role_title="CEO",
            consent=True,
        )
    assert not agreement.pdf, "nothing is rendered before the commit"
    for callback in callbacks:
        callback()
    agreement.refresh_from_db()
    assert agreement.pdf.name.startswith("agreements/kent/")
    assert (tmp_path / agreement.pdf.name).read_bytes().startswith(b"%PDF")
    assert "Signatures and audit trail" in text_of(agreement.pdf.read())


def test_the_benchmark_command_renders_a_signed_agreement(build, pipeline):
    from django.core.management import call_command

    _, agreement = signed_agreement(build, pipeline)
    out = io.StringIO()
    call_command("benchmark_agreement_pdf", "--runs", "2", stdout=out)
    assert f"{agreement}:" in out.getvalue() and "mean" in out.getvalue()
