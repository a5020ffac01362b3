"""Board packs end to end: asked for, prepared by the Celery task after the
request commits, progress reported, the PDF downloaded and read back."""

from __future__ import annotations

import io
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from demo.stories import title as demo_title
from hubs.services import policy_revise
from oversight.models import BoardPack, BoardPackStatus, HubAllocation
from oversight.services import board_pack_build
from tests.auth_helpers import sign_in
from tests.factories import policy_through_its_route

pytestmark = pytest.mark.django_db


@pytest.fixture
def herts(build, pipeline, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cast = build("herts")
    pipeline(cast).run()
    return cast


def _pdf_text(response) -> str:
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())  # table cells wrap across lines


def test_a_board_pack_is_prepared_in_the_background_and_downloaded(
    client, herts, django_capture_on_commit_callbacks
):
    slug = herts.hub.slug
    sign_in(client, herts.officer)
    meeting = timezone.localdate() + timedelta(days=14)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("oversight:board_packs", args=[slug]), {"meeting_on": meeting.isoformat()}
        )
    assert len(callbacks) == 1  # the task is sent once the request's transaction commits
    pack = BoardPack.objects.get(hub=herts.hub)
    assert response.status_code == 302
    assert response.url == reverse("oversight:board_pack", args=[slug, pack.pk])
    pack.refresh_from_db()
    assert pack.status == BoardPackStatus.READY and pack.progress == 100
    assert pack.file.name.startswith(f"board-packs/{herts.hub.pk}/")

    status = client.get(reverse("oversight:board_pack_status", args=[slug, pack.pk])).json()
    assert status["finished"] and status["status"] == "ready"
    assert status["download"] == reverse("oversight:board_pack_download", args=[slug, pack.pk])

    sign_in(client, herts.board[0])  # the board reads it
    progress = client.get(reverse("oversight:board_pack", args=[slug, pack.pk])).content.decode()
    assert "The board pack is ready." in progress and "js/board_pack.js" in progress
    download = client.get(status["download"])
    assert download["Content-Disposition"].startswith("attachment")
    text = _pdf_text(download)
    for heading in (
        "Drafts awaiting the board's comment",
        "Recommendations for decision",
        "The range of partnerships",
        "The annual policy review",
    ):
        assert heading in text
    with_board = herts.hub.commissions.get(title=demo_title("herts", "With the board for comment"))
    assert with_board.title in text
    assert "Board comments so far" in text
    one_comment = f"{with_board.title} Soundwaves SEND Music £{with_board.hub_grant_amount:,.2f} 1 "
    assert one_comment in text
    assert demo_title("herts", "Awaiting approval") in text
    assert "Decommissioning recommended" in text
    assert "Soundwaves SEND Music" in text
    assert "Commissioning Policy v1.2, version 1" in text
    assert "Next review due 20 March 2026" in text


def test_progress_is_shown_while_the_pack_is_prepared(client, herts):
    pack = BoardPack.objects.create(
        hub=herts.hub, requested_by=herts.officer, meeting_on=timezone.localdate()
    )
    sign_in(client, herts.approver)
    url = reverse("oversight:board_pack", args=[herts.hub.slug, pack.pk])
    page = client.get(url).content.decode()
    assert "Waiting to start" in page and "Check again" in page and "hidden" in page
    seen = []

    def render(html, **kwargs):
        pack.refresh_from_db()
        seen.append((pack.status, pack.progress, pack.step))
        return b"%PDF-1.7 stand-in"

    with mock.patch("oversight.services.render_pdf", render):
        board_pack_build(pack_id=pack.pk)
    assert seen == [(BoardPackStatus.RUNNING, 60, "Making the PDF")]
    status = client.get(reverse("oversight:board_pack_status", args=[herts.hub.slug, pack.pk]))
    assert status.json()["progress"] == 100


def test_a_failure_is_reported_and_nothing_is_downloadable(client, herts):
    pack = BoardPack.objects.create(
        hub=herts.hub, requested_by=herts.officer, meeting_on=timezone.localdate()
    )
    with mock.patch("oversight.services.render_pdf", side_effect=OSError("disk full")):
        board_pack_build(pack_id=pack.pk)
    pack.refresh_from_db()
    assert pack.status == BoardPackStatus.FAILED and "could not be prepared" in pack.error
    sign_in(client, herts.officer)
    url = reverse("oversight:board_pack_download", args=[herts.hub.slug, pack.pk])
    assert client.get(url).status_code == 404
    page = client.get(reverse("oversight:board_pack", args=[herts.hub.slug, pack.pk]))
    assert "Ask for the pack again" in page.content.decode()


def test_a_meeting_in_the_past_is_refused_beside_the_field(client, herts):
    sign_in(client, herts.officer)
    response = client.post(
        reverse("oversight:board_packs", args=[herts.hub.slug]), {"meeting_on": "2020-01-01"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "The board meeting must be today or later." in page
    assert 'value="2020-01-01"' in page
    assert not BoardPack.objects.exists()


def test_asking_twice_for_the_same_meeting_makes_one_pack(client, herts):
    sign_in(client, herts.officer)
    url = reverse("oversight:board_packs", args=[herts.hub.slug])
    meeting = (timezone.localdate() + timedelta(days=3)).isoformat()
    first = client.post(url, {"meeting_on": meeting})  # no commit hook runs: it stays queued
    second = client.post(url, {"meeting_on": meeting})
    assert first.url == second.url
    assert BoardPack.objects.filter(hub=herts.hub).count() == 1


def test_a_hub_admin_records_the_years_allocation_in_the_admin(client, build):
    cast = build("kent")
    sign_in(client, cast.admin)
    response = client.post(
        reverse("admin:oversight_huballocation_add"),
        {
            "hub": cast.hub.pk,
            "year": "2026/27",
            "amount": "410000.00",
            "capital_amount": "0",
            "note": "",
        },
    )
    assert response.status_code == 302
    assert HubAllocation.objects.get(hub=cast.hub).amount == 410000
    bad = client.post(
        reverse("admin:oversight_huballocation_add"),
        {"hub": cast.hub.pk, "year": "2026", "amount": "1", "capital_amount": "0", "note": ""},
    )
    assert "Write the academic year as 2025/26." in bad.content.decode()


def test_the_board_pack_and_policy_pages_cost_the_same_queries_as_they_grow(client, herts):
    sign_in(client, herts.board[0])
    urls = [
        reverse("oversight:board_packs", args=["herts"]),
        reverse("oversight:policy_versions", args=["herts"]),
    ]

    def grow(n: int) -> None:
        for i in range(n):
            BoardPack.objects.create(
                hub=herts.hub, requested_by=herts.officer, meeting_on=timezone.localdate()
            )
            policy = herts.hub.policies.order_by("-version").first()
            policy.review_arrangements = f"Reviewed at meeting {i}"
            draft = policy_revise(policy=policy, user=herts.admin)
            policy_through_its_route(draft, proposer=herts.admin)

    def counts() -> list[int]:
        found = []
        for url in urls:
            client.get(url)  # the person's standing is read once, then kept (hubs.access)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            found.append(len(ctx))
        return found

    grow(2)
    few = counts()
    grow(10)
    many = counts()
    print(f"\nboard packs, policy versions queries: {few} then {many}")
    # The policy record reads each version's decisions and annual reviews, and
    # the board's reviews of the range of partnerships: one query each.
    assert few == many and max(many) <= 16
