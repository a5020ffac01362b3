"""The compliance pages: a partner contact adds its own records (bad input
is told beside its field, nothing typed lost), sees only its organisations'
records and never a certificate number; staff see the number and verify;
another hub's records are a 404; the list's queries do not grow."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compliance.models import ComplianceRecord
from notices.models import Notification
from tests.auth_helpers import sign_in
from tests.factories import ComplianceRecordFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"
NUMBER = "001234567890"


@pytest.fixture
def kent(build):
    cast = build("kent")
    other = next(p for key, p in sorted(cast.partners.items()) if key != "medway")
    return cast, cast.partners["medway"], other


def _add_url(cast, kind: str = "public_liability") -> str:
    return reverse("compliance:record_add", args=[cast.hub.slug]) + f"?kind={kind}"


def _page(response) -> str:
    return response.content.decode()


def test_bad_input_is_told_beside_each_field_and_nothing_typed_is_lost(client, kent):
    cast, medway, _ = kent
    sign_in(client, cast.contacts[medway.pk])
    response = client.post(
        _add_url(cast),
        {
            "kind": "public_liability",
            "partner": medway.pk,
            "insurer": "",
            "cover_amount": "2000000",
            "valid_from": "2026-09-01",
            "expires_on": "2026-08-01",
            "notes": "Renewed early this year.",
            "document": SimpleUploadedFile("schedule.pdf", b"MZ\x90\x00 a program"),
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["insurer"] == ["Enter the insurer."]
    assert form.errors["expires_on"] == ["This date must be after 1 September 2026."]
    assert "schedule.pdf is named as a PDF" in form.errors["document"][0]
    page = _page(response)
    assert 'value="2000000"' in page
    assert "Renewed early this year." in page
    assert 'value="2026-09-01"' in page
    assert "There is a problem" in page
    assert 'href="#id_insurer"' in page
    assert not ComplianceRecord.objects.exists()


def test_a_dbs_check_needs_its_barred_list_and_a_12_digit_number(client, kent):
    cast, medway, _ = kent
    sign_in(client, cast.contacts[medway.pk])
    response = client.post(
        _add_url(cast, "dbs_check"),
        {
            "kind": "dbs_check",
            "partner": medway.pk,
            "person_name": "Sam Okoro",
            "certificate_number": "12345",
            "valid_from": "2026-01-10",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "12 digits" in errors["certificate_number"][0]
    assert "barred list" in errors["barred_list_checked"][0]
    assert 'value="Sam Okoro"' in _page(response)


def test_a_partner_adds_its_record_and_staff_are_told_to_verify_it(client, kent):
    cast, medway, _ = kent
    contact = cast.contacts[medway.pk]
    sign_in(client, contact)
    response = client.post(
        _add_url(cast),
        {
            "kind": "public_liability",
            "partner": medway.pk,
            "insurer": "Hiscox",
            "cover_amount": "5000000",
            "valid_from": "2026-09-01",
            "expires_on": "2027-08-31",
            "document": SimpleUploadedFile("schedule.pdf", PDF),
        },
    )
    record = ComplianceRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("compliance:record", args=[cast.hub.slug, record.pk])
    assert (record.partner, record.added_by, record.verified_at) == (medway, contact, None)
    assert record.document_name == "schedule.pdf"
    assert Notification.objects.filter(user=cast.officer, kind="compliance_added").exists()


def test_a_partner_cannot_add_for_an_organisation_not_its_own(client, kent):
    cast, medway, other = kent
    sign_in(client, cast.contacts[medway.pk])
    response = client.post(
        _add_url(cast, "safeguarding_lead"),
        {
            "kind": "safeguarding_lead",
            "partner": other.pk,
            "person_name": "A Person",
            "contact_email": "a@example.org",
            "valid_from": "2026-01-01",
        },
    )
    assert response.status_code == 400
    assert "partner" in response.context["form"].errors
    assert not ComplianceRecord.objects.exists()


def test_partners_see_only_their_own_and_never_a_certificate_number(client, kent):
    cast, medway, other = kent
    mine = ComplianceRecordFactory(
        partner=medway,
        kind="dbs_check",
        person_name="Sam Okoro",
        certificate_number=NUMBER,
        barred_list_checked=True,
    )
    theirs = ComplianceRecordFactory(partner=other)
    sign_in(client, cast.contacts[medway.pk])
    listing = _page(client.get(reverse("compliance:records", args=[cast.hub.slug])))
    assert "Sam Okoro" in listing and other.name not in listing
    detail = client.get(reverse("compliance:record", args=[cast.hub.slug, mine.pk]))
    assert NUMBER not in _page(detail)
    assert "shown to HLO staff only" in _page(detail)
    assert (
        client.get(reverse("compliance:record", args=[cast.hub.slug, theirs.pk])).status_code == 404
    )

    staff = client.__class__()
    sign_in(staff, cast.officer)
    assert NUMBER in _page(staff.get(reverse("compliance:record", args=[cast.hub.slug, mine.pk])))
    approver = client.__class__()
    sign_in(approver, cast.approver)
    page = _page(approver.get(reverse("compliance:record", args=[cast.hub.slug, mine.pk])))
    assert NUMBER not in page


def test_staff_verify_and_a_partner_may_not(client, kent):
    cast, medway, _ = kent
    record = ComplianceRecordFactory(
        partner=medway,
        verified_at=None,
        verified_by=None,
        document=SimpleUploadedFile("s.pdf", PDF),
    )
    url = reverse("compliance:record_verify", args=[cast.hub.slug, record.pk])
    sign_in(client, cast.contacts[medway.pk])
    assert "Verify the record" not in _page(
        client.get(reverse("compliance:record", args=[cast.hub.slug, record.pk]))
    )
    assert client.post(url).status_code == 403
    staff = client.__class__()
    sign_in(staff, cast.officer)
    assert "Verify the record" in _page(
        staff.get(reverse("compliance:record", args=[cast.hub.slug, record.pk]))
    )
    assert staff.post(url).status_code == 302
    record.refresh_from_db()
    assert record.verified_by == cast.officer
    again = staff.post(url)
    assert again.status_code == 400
    assert "already been verified" in _page(again)


def test_another_hubs_records_are_a_404(client, kent, build):
    cast, medway, _ = kent
    herts = build("herts")
    record = ComplianceRecordFactory(partner=medway, document=SimpleUploadedFile("s.pdf", PDF))
    sign_in(client, herts.officer)
    for name, args in (
        ("compliance:records", [cast.hub.slug]),
        ("compliance:record", [cast.hub.slug, record.pk]),
        ("compliance:record_document", [cast.hub.slug, record.pk]),
        ("compliance:record", [herts.hub.slug, record.pk]),  # not herts's record either
    ):
        assert client.get(reverse(name, args=args)).status_code == 404, name


def test_the_list_costs_the_same_queries_for_few_records_or_many(
    client, kent, django_assert_num_queries
):
    cast, medway, other = kent
    for n in range(3):
        ComplianceRecordFactory(partner=medway, valid_from=date(2025, 1, 1) + timedelta(days=n))
    sign_in(client, cast.officer)
    url = reverse("compliance:records", args=[cast.hub.slug])

    def queries() -> int:
        client.get(url)  # the first page reads the standing and the unread count
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"sort": "partner"}).status_code == 200
        return len(ctx)

    few = queries()
    for n in range(20):
        ComplianceRecordFactory(partner=other, kind="dbs_check", person_name=f"Person {n}")
    assert queries() == few
    with django_assert_num_queries(few) as ctx_last:
        response = client.get(url, {"sort": "partner"})
    assert len(response.context["rows"]) == 23
    assert few <= 9, "\n".join(q["sql"][:120] for q in ctx_last.captured_queries)


def test_the_partner_directory_summarises_each_kind_of_record(client, kent):
    cast, medway, _ = kent
    ComplianceRecordFactory(
        partner=medway,
        kind="dbs_check",
        person_name="Sam Okoro",
        certificate_number=NUMBER,
        expires_on=None,
    )
    ComplianceRecordFactory(partner=medway, expires_on=date(2020, 1, 1))
    sign_in(client, cast.officer)
    page = _page(client.get(reverse("directory:detail", args=[cast.hub.slug, medway.pk])))
    section = page[page.index('id="compliance"') : page.index('id="notes"')]
    words = " ".join(re.sub(r"<[^>]+>", " ", section).split())
    assert "Enhanced DBS check with barred list Verified" in words
    assert "Public liability insurance Expired 1 January 2020" in words
    assert "Safeguarding policy No record" in words
    assert NUMBER not in section
    assert "Add a compliance record" in words
