"""Comments on a recommendation to decommission, and the officer's responses,
as the board comments on a draft agreement (agreements/services/decisions.py).
Once every commenter has commented, the window closes early through the
commission's own service, so the officer can send the recommendation on for
decision without waiting out the days left.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from commissioning import services as commissioning
from commissioning.models import Commission
from hubs.refusals import raise_first
from monitoring.models import ReviewCase, ReviewComment
from monitoring.rules.reviews import review_comment_refusal, review_comment_response_refusal
from monitoring.selectors import decommission_commenters
from monitoring.services.common import _officers
from notices.services import notify


def _locked_review(review: ReviewCase) -> ReviewCase:
    """The review, then its commission, locked in that order (as review_move
    locks them), so a comment and a move on the same review take turns."""
    locked = ReviewCase.objects.select_for_update(of=("self",)).get(pk=review.pk)
    locked.commission = (
        Commission.objects.select_for_update(of=("self",))
        .select_related("hub", "policy", "service_area")
        .get(pk=locked.commission_id)
    )
    return locked


def review_comment_add(
    *, review: ReviewCase, user: Any, body: str, form_key: str = ""
) -> ReviewComment:
    """A commenter's comment on the recommendation. A form sent twice
    (`form_key`, the form's own token) makes one comment."""
    form_key = (form_key or "")[:64]
    with transaction.atomic():
        locked = _locked_review(review)
        commission = locked.commission
        if form_key:
            sent = ReviewComment.objects.filter(review=locked, author=user, form_key=form_key)
            if (already := sent.first()) is not None:
                return already  # a replay: the comment is made already
        raise_first(review_comment_refusal(review=locked, who=user, body=body))
        try:
            with transaction.atomic():
                comment = ReviewComment.objects.create(
                    hub_id=locked.hub_id,
                    review=locked,
                    commission=commission,
                    author=user,
                    body=body.strip(),
                    form_key=form_key,
                )
        except IntegrityError:  # the same form, at the same moment, on another connection
            return ReviewComment.objects.get(review=locked, author=user, form_key=form_key)
        everyone = all_have_commented(locked)
        if everyone:
            commissioning.commission_close_comment_window(commission=commission, at=timezone.now())
        _tell(
            locked,
            _officers(commission),
            kind="review_comment",
            subject=f"{_name(user)} commented on the recommendation to decommission"
            + ("; every member has commented, so it can go for decision" if everyone else ""),
            body=comment.body,
        )
    return comment


def review_comment_respond(*, comment: ReviewComment, user: Any, response: str) -> ReviewComment:
    """The officer's response to a comment; the comment's author is told."""
    with transaction.atomic():
        review = _locked_review(comment.review)
        locked = (
            ReviewComment.objects.select_for_update().select_related("author").get(pk=comment.pk)
        )
        locked.review = review
        if (
            locked.responded_by_id == user.pk
            and locked.response == (response or "").strip()
            and locked.response
        ):
            return locked  # a replay: this response is given already
        raise_first(review_comment_response_refusal(comment=locked, who=user, response=response))
        locked.response = response.strip()
        locked.responded_by, locked.responded_at = user, timezone.now()
        locked.save(update_fields=["response", "responded_by", "responded_at"])
        if locked.author.is_active:
            _tell(
                review,
                [locked.author],
                kind="review_comment_response",
                subject="the officer responded to your comment on the recommendation to "
                "decommission",
                body=locked.response,
            )
    return locked


def all_have_commented(review: ReviewCase) -> bool:
    """Whether every commenter has commented on this recommendation."""
    commenters = set(decommission_commenters(review.commission).values_list("pk", flat=True))
    commented = set(review.comments.values_list("author_id", flat=True))
    return bool(commenters) and commenters <= commented


def _name(user: Any) -> str:
    return user.get_full_name() or user.email


def _tell(review: ReviewCase, people: list, *, kind: str, subject: str, body: str) -> int:
    c = review.commission
    return notify(
        hub=c.hub,
        recipients=people,
        kind=kind,
        subject=f"[{c.hub.name}] {c.reference}: {subject}",
        body=f"{c.reference} {c.title}\n\n{body}",
        url=reverse("monitoring:review", args=[c.hub.slug, review.pk]),
    )
