"""The commission's record: meetings (who, when, what was agreed), notes and
documents kept at any stage, shown among its moves in the history; its
gate, its file checks, who gets what (the access matrix), and the history's
queries staying flat as the record grows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commissioning.models import CommissionRecord
from commissioning.records import history_of, record_add
from hubs.refusals import Refused
from tests.access import assert_matrix, members, personas
from tests.auth_helpers import sign_in
from tests.factories import signed_agreement

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
OUT = {"other_area_lead": 404, "other_partner": 404}

ACCESS_MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "records:add": (
        "get",
        members(200, approver=403, board_member=403, hub_admin=403, partner_contact=403, **OUT),
    ),
    "records:file": ("get", members(200, partner_contact=404, **OUT)),
}


@pytest.fixture
def world(build, pipeline, django_user_model, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    blmk, herts = build("blmk"), build("herts")
    c = signed_agreement(pipeline, blmk).commission
    record = record_add(
        commission=c,
        user=blmk.officer,
        kind="document",
        title="The partner's delivery plan",
        document=SimpleUploadedFile("plan.pdf", PDF),
    )
    args = {
        "records:add": [blmk.hub.slug, c.reference],
        "records:file": [blmk.hub.slug, c.reference, record.pk],
    }
    return personas(blmk, herts, django_user_model), args


@pytest.mark.parametrize("url_name", sorted(ACCESS_MATRIX))
def test_access_matrix(world, url_name):
    people, args = world
    method, expected = ACCESS_MATRIX[url_name]
    assert_matrix(people, url_name, args[url_name], method, expected)


@pytest.fixture
def herts(build):
    return build("herts")


@pytest.fixture
def drafting(herts, pipeline):
    p = pipeline(herts)
    c = p._open("Singing in schools")
    p.identify(c)
    p.award(c)
    return c


def test_the_meeting_before_drafting_is_kept_among_the_moves(client, herts, drafting):
    c = drafting
    sign_in(client, herts.officer)
    url = reverse("records:add", args=[herts.hub.slug, c.reference])
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    typed = {"kind": "meeting", "title": "Meeting before drafting", "held_on": yesterday,
             "attendees": "", "agreed": "Ten sessions in four schools."}  # fmt: skip
    response = client.post(url, typed)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Say who took part." in page and "Ten sessions in four schools." in page
    response = client.post(url, typed | {"attendees": "The officer and the partner's director"})
    assert response.status_code == 302
    record = CommissionRecord.objects.get(commission=c)
    assert (record.kind, record.stage, record.held_on.isoformat()) == (
        "meeting",
        "draft",
        yesterday,
    )
    page = client.get(reverse("commissioning:detail", args=[herts.hub.slug, c.reference]))
    page = page.content.decode()
    assert 'data-record="meeting"' in page and "Ten sessions in four schools." in page
    history = history_of(c)
    assert [e.record for e in history if e.record] == [record]
    assert [e.at for e in history] == sorted(e.at for e in history)
    assert history[-1].record == record  # after the award that led to drafting


def test_what_each_kind_needs(herts, drafting):
    def refused(**typed):
        with pytest.raises(Refused) as caught:
            record_add(commission=drafting, user=herts.officer, **typed)
        return caught.value.rule, caught.value.field

    tomorrow = timezone.localdate() + timedelta(days=1)
    assert refused(kind="meeting", title="M", held_on=tomorrow, attendees="a", agreed="b") == (
        "held_on_future",
        "held_on",
    )
    assert refused(kind="note", title="N", body=" ") == ("body_required", "body")
    assert refused(kind="document", title="D") == ("document_required", "document")
    assert refused(kind="note", title=" ", body="x") == ("title_required", "title")
    fake = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 a program")
    rule, field = refused(kind="document", title="D", document=fake)
    assert (rule, field) == ("upload_refused", "document")
    with pytest.raises(Refused) as caught:
        record_add(commission=drafting, user=herts.approver, kind="note", title="N", body="x")
    assert caught.value.rule == "officer_only"
    assert not CommissionRecord.objects.exists()


def test_a_record_is_never_changed(herts, drafting):
    record = record_add(commission=drafting, user=herts.officer, kind="note", title="N", body="x")
    record.body = "changed"
    with pytest.raises(PermissionError):
        record.save()


def test_the_history_costs_the_same_queries_however_long_the_record(client, herts, drafting):
    sign_in(client, herts.officer)
    url = reverse("commissioning:detail", args=[herts.hub.slug, drafting.reference])
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    record_add(commission=drafting, user=herts.officer, kind="note", title="One", body="x")
    few = count()
    for n in range(6):
        record_add(commission=drafting, user=herts.officer, kind="note", title=f"N{n}", body="y")
    assert count() == few
