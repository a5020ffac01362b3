"""The annual review of the policy is a recorded decision of the body that
approves it, and moves the next review on twelve months, so the reminder the
board and hub admins get moves on with it; the board's review of the range of
partnerships is a recorded comment with the hub's response; the draft's and
reviews' to-dos reach the board's dashboard."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hubs.models import PolicyReview, RangeReview
from hubs.policy_life import services
from hubs.refusals import Refused
from hubs.services import policy_current, policy_revise
from notices.models import Notification, Reminder
from notices.reminders import reminders_sweep
from tests.auth_helpers import sign_in

pytestmark = pytest.mark.django_db

REVIEW_KINDS = ["policy_review_due", "policy_review_overdue"]


def test_the_annual_review_is_the_boards_decision_and_moves_the_reminder_on(client, build):
    cast = build("herts")
    today = timezone.localdate()
    policy = policy_current(hub=cast.hub)
    policy.next_review_on = today + timedelta(days=10)
    policy.save(update_fields=["next_review_on"])
    assert reminders_sweep(today=today, kinds=REVIEW_KINDS) == 1
    told = Reminder.objects.get(kind="policy_review_due")
    assert told.due_on == today + timedelta(days=10)
    notice = Notification.objects.filter(kind="policy_review_due", user=cast.admin).get()
    assert notice.url == reverse("hubs:policy_reviews", args=["herts"])  # where it is recorded

    # The board sees the to-do on its dashboard; the ELT, which does not
    # approve the policy, is refused in words.
    sign_in(client, cast.board[0])
    dashboard = client.get(reverse("commissioning:dashboard", args=["herts"])).content.decode()
    assert "Record the policy&#x27;s annual review" in dashboard
    with pytest.raises(Refused) as caught:
        services.annual_review_record(
            hub=cast.hub, user=cast.approver, outcome="kept", reviewed_on=today, note="Fine."
        )
    assert caught.value.message == (
        "Only the Hertfordshire Music Hub board, which approves the policy, records its annual "
        "review."
    )

    url = reverse("hubs:policy_reviews", args=["herts"])
    bad = client.post(url, {"action": "annual", "outcome": "kept", "reviewed_on": str(today)})
    assert bad.status_code == 400 and "Write a note of the review" in bad.content.decode()
    response = client.post(
        url,
        {
            "action": "annual",
            "outcome": "kept",
            "reviewed_on": str(today),
            "note": "Spring term meeting: kept as it is; the range of partners is broad enough.",
        },
    )
    assert response.status_code == 302
    review = PolicyReview.objects.get(policy=policy)
    assert (review.outcome, review.recorded_by) == ("kept", cast.board[0])
    policy.refresh_from_db()
    assert policy.next_review_on == date(today.year + 1, today.month, today.day) or (
        today.month == 2 and today.day == 29
    )
    # The reminder is not due again until a month before next year's review.
    assert reminders_sweep(today=today + timedelta(days=11), kinds=REVIEW_KINDS) == 0
    soon = policy.next_review_on - timedelta(days=20)
    assert reminders_sweep(today=soon, kinds=REVIEW_KINDS) == 1
    latest = Reminder.objects.filter(kind="policy_review_due").order_by("-pk").first()
    assert latest.due_on == policy.next_review_on
    record = client.get(reverse("oversight:policy_versions", args=["herts"])).content.decode()
    assert "kept as it is" in record and "the range of partners is broad enough" in record


def test_leicestershires_chair_records_its_review(build):
    cast = build("leics")
    today = timezone.localdate()
    for person in (cast.board[0], cast.approver):
        with pytest.raises(Refused):
            services.annual_review_record(
                hub=cast.hub, user=person, outcome="change", reviewed_on=today, note="x"
            )
    review = services.annual_review_record(
        hub=cast.hub,
        user=cast.chair,
        outcome="change",
        reviewed_on=today,
        note="The match funding rule needs a second look.",
    )
    assert review.get_outcome_display() == "To be changed"
    with pytest.raises(PermissionError):
        review.save()  # a recorded decision is never changed


def test_the_range_of_partnerships_is_reviewed_with_the_hubs_response(client, build):
    cast = build("kent")
    url = reverse("hubs:policy_reviews", args=["kent"])
    sign_in(client, cast.board[0])
    form = {
        "action": "range",
        "reviewed_on": str(timezone.localdate()),
        "body": "Too few partners in Medway's secondary schools.",
        "form_key": "range-1",
    }
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302  # replayed: one review
    review = RangeReview.objects.get(hub=cast.hub)
    with pytest.raises(Refused) as caught:
        services.range_review_respond(review=review, user=cast.board[1], response="Agreed")
    assert caught.value.message == "Only HLO staff or a hub admin responds for the hub."
    sign_in(client, cast.officer)
    response = client.post(
        url,
        {"action": "range_respond", "r": review.pk, f"r{review.pk}-response": "A call in May."},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.response, review.responded_by) == ("A call in May.", cast.officer)
    sign_in(client, cast.board[1])
    record = client.get(reverse("oversight:policy_versions", args=["kent"])).content.decode()
    assert "Too few partners in Medway" in record and "A call in May." in record


def test_the_board_is_asked_to_comment_and_then_to_approve_on_its_dashboard(client, build):
    cast = build("herts")
    draft = policy_revise(policy=policy_current(hub=cast.hub), user=cast.admin)
    services.policy_open_for_comment(policy=draft, user=cast.admin)
    dashboard = reverse("commissioning:dashboard", args=["herts"])
    sign_in(client, cast.board[0])
    text = client.get(dashboard).content.decode()
    assert "Comment on the draft policy (version 2)" in text
    assert "Approve the draft policy" not in text, "the comment window is open"
    for member in cast.board:
        services.policy_comment_add(policy=draft, user=member, body="Content.")
    text = client.get(dashboard).content.decode()
    assert (
        "Comment on the draft policy" not in text and "Approve the draft policy (version 2)" in text
    )
    sign_in(client, cast.approver)
    assert "draft policy" not in client.get(dashboard).content.decode()
