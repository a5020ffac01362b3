"""From the security audit (issue 13): a replayed complaint form logs no
second complaint, and a report title too long for its column is refused in
words, never answered with a 500."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hubs.refusals import Refused
from monitoring import services as svc
from monitoring.models import Complaint, Report
from notices.models import Notification
from notices.services import SUBJECT_LENGTH
from tests.auth_helpers import sign_in

pytestmark = pytest.mark.django_db


def _officer(cast) -> Client:
    client = Client()
    sign_in(client, cast.officer)
    return client


def _token(html: str) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1)


def test_a_replayed_complaint_form_returns_the_complaint_it_logged(live):
    cast, c = live("kent")
    client = _officer(cast)
    page = reverse("monitoring:partnership", args=[c.hub.slug, c.reference])
    token = _token(client.get(page).content.decode())
    body = {
        "kind": "complaint",
        "raised_by": "A parent",
        "received_on": timezone.localdate().isoformat(),
        "summary": "Sessions cancelled without notice.",
        "idempotency_key": token,
    }
    post = reverse("monitoring:complaint_log", args=[c.hub.slug, c.reference])
    first, replay = client.post(post, body), client.post(post, body)
    assert first.status_code == replay.status_code == 302
    assert first.url == replay.url
    complaint = Complaint.objects.get(commission=c)
    assert first.url == reverse("monitoring:complaint", args=[c.hub.slug, complaint.pk])
    assert _token(client.get(page).content.decode()) != token, "each form shown has its own"
    client.post(post, body | {"idempotency_key": "another-form"})
    assert Complaint.objects.filter(commission=c).count() == 2


def test_the_same_token_on_another_partnership_is_another_complaint(live):
    cast, c = live("kent")
    _, other = live("kent", title="Music technology")
    for commission in (c, other):
        svc.complaint_log(
            commission=commission,
            user=cast.officer,
            kind="grievance",
            raised_by="A tutor",
            received_on=timezone.localdate(),
            summary="Unpaid hours.",
            idempotency_key="token-1",
        )
    assert Complaint.objects.filter(idempotency_key="token-1").count() == 2


def test_a_report_title_over_200_characters_is_refused_not_a_500(live):
    cast, c = live("herts")
    client = _officer(cast)
    post = reverse("monitoring:report_request", args=[c.hub.slug, c.reference])
    due = (timezone.localdate() + timedelta(days=14)).isoformat()
    response = client.post(post, {"title": "Concert " * 40, "due_on": due})
    assert response.status_code == 400
    assert "at most 200 characters" in response.content.decode()
    with pytest.raises(Refused) as info:
        svc.report_request(
            commission=c,
            user=cast.officer,
            title="Concert " * 40,
            due_on=timezone.localdate() + timedelta(days=14),
        )
    assert info.value.rule == "title_too_long" and info.value.field == "title"

    longest = "A" * 200
    assert client.post(post, {"title": longest, "due_on": due}).status_code == 302
    report = Report.objects.get(commission=c, title=longest)
    told = Notification.objects.get(kind="report_requested")
    assert longest in told.subject and len(told.subject) <= SUBJECT_LENGTH
    assert report.title == longest
