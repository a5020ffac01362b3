"""What a board pack lists (only what the board may open) and a pack that
never started (asked for again, it is sent to the worker again)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Commission
from commissioning.workflow import Stage
from oversight.models import BoardPack, BoardPackStatus
from oversight.services import STALE_AFTER, board_pack_content
from tests.auth_helpers import sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", ["leics", "herts"])
def test_the_board_pack_lists_only_commissions_the_board_may_open(client, build, pipeline, slug):
    cast = build(slug)
    pipeline(cast).run()
    content = board_pack_content(cast.hub, cast.officer)
    listed = [*content["for_comment"], *content["recommendations"], *content["partnerships"]]
    assert listed
    sign_in(client, cast.board[0])
    for commission in listed:
        url = reverse("commissioning:detail", args=[slug, commission.reference])
        assert client.get(url).status_code == 200, (commission.reference, commission.status)
    if slug == "leics":  # drafts go straight to approval there: the board never sees them
        unseen = Commission.objects.filter(hub=cast.hub, status=Stage.APPROVAL).first()
        assert unseen is not None
        url = reverse("commissioning:detail", args=[slug, unseen.reference])
        assert client.get(url).status_code == 404
        assert unseen not in listed


def _ask(client, cast, meeting, callbacks):
    with callbacks() as sent:
        response = client.post(
            reverse("oversight:board_packs", args=[cast.hub.slug]),
            {"meeting_on": meeting.isoformat()},
        )
    assert response.status_code == 302
    return response, sent


def test_a_pack_that_never_started_is_sent_again_when_asked_again(
    client, build, django_capture_on_commit_callbacks
):
    cast = build("herts")
    sign_in(client, cast.officer)
    meeting = timezone.localdate() + timedelta(days=7)
    first, sent = _ask(client, cast, meeting, django_capture_on_commit_callbacks)
    assert len(sent) == 1  # never run: the broker lost it, say
    pack = BoardPack.objects.get(hub=cast.hub)

    again, sent = _ask(client, cast, meeting, django_capture_on_commit_callbacks)
    assert again.url == first.url and len(sent) == 0  # moments later: the same work underway

    stale = timezone.now() - STALE_AFTER - timedelta(minutes=1)
    BoardPack.objects.filter(pk=pack.pk).update(queued_at=stale)
    later, sent = _ask(client, cast, meeting, django_capture_on_commit_callbacks)
    assert later.url == first.url and len(sent) == 1  # sent to the worker again
    pack.refresh_from_db()
    assert pack.queued_at > stale and pack.status == BoardPackStatus.QUEUED
    assert BoardPack.objects.filter(hub=cast.hub).count() == 1

    _, sent = _ask(client, cast, meeting, django_capture_on_commit_callbacks)
    assert len(sent) == 0  # and not again until it, too, has waited that long


def test_a_pack_being_prepared_is_not_sent_again(client, build, django_capture_on_commit_callbacks):
    cast = build("herts")
    sign_in(client, cast.officer)
    meeting = timezone.localdate() + timedelta(days=7)
    long_ago = timezone.now() - STALE_AFTER * 3
    BoardPack.objects.create(
        hub=cast.hub,
        requested_by=cast.officer,
        meeting_on=meeting,
        status=BoardPackStatus.RUNNING,
        queued_at=long_ago,
    )
    _, sent = _ask(client, cast, meeting, django_capture_on_commit_callbacks)
    assert len(sent) == 0
