"""Reads of monitoring, scoped as commissions are: a report, review or
complaint is visible only through a commission its reader may see
(commissioning.selectors), and some only to the Hub's own people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, AgreementStatus, BoardComment
from commissioning.models import Commission, SmartTarget, TransitionLog
from commissioning.selectors import commissions_visible
from commissioning.workflow import Stage
from hubs.access import HubAccess
from hubs.models import Membership, Role
from monitoring import schedule
from monitoring.models import (
    AnnualReview,
    Complaint,
    Report,
    ReportStatus,
    ReviewCase,
    ReviewComment,
    ReviewStatus,
    TargetProgress,
)


def hears_complaints(access: HubAccess) -> bool:
    """Complaints are heard by fewer than the Hub's own people: staff,
    approvers and admins, and the chair, but not the board."""
    return access.sees_everything or access.is_officer or access.can("decide_terminations")


def agreement_in_force(commission: Commission) -> Agreement | None:
    """The agreement in force: the newest one signed (by the partner at least:
    at the signing move, agreements may not have marked it signed yet)."""
    return (
        Agreement.objects.filter(
            commission=commission,
            status__in=[AgreementStatus.SIGNED, AgreementStatus.PARTNER_SIGNED],
        )
        .order_by("-period_number")
        .first()
    )


def reports_visible(access: HubAccess) -> QuerySet[Report]:
    return Report.objects.filter(
        hub=access.hub, commission__in=commissions_visible(access).values("pk")
    ).select_related("commission", "commission__partner")


def report_for(access: HubAccess, report_id: int) -> Report:
    report = (
        reports_visible(access)
        .select_related("commission__hub", "commission__policy", "commission__service_area")
        .select_related("submitted_by", "decided_by", "instalment")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise Http404("No such report")
    return report


def reviews_visible(access: HubAccess) -> QuerySet[ReviewCase]:
    if not access.is_internal:
        return ReviewCase.objects.none()
    return ReviewCase.objects.filter(
        hub=access.hub, commission__in=commissions_visible(access).values("pk")
    ).select_related("commission", "opened_by")


def review_for(access: HubAccess, review_id: int) -> ReviewCase:
    review = (
        reviews_visible(access)
        .select_related("commission__hub", "commission__policy", "commission__service_area")
        .select_related("commission__partner", "closed_by")
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise Http404("No such review")
    return review


def decommission_commenters(commission: Commission) -> QuerySet:
    """The people who comment on a recommendation to decommission this
    commission, as users: today the hub's board members. The one place that
    says who they are: the service, the review page and the dashboard ask it."""
    members = Membership.objects.filter(hub_id=commission.hub_id, role=Role.BOARD_MEMBER)
    return get_user_model().objects.filter(is_active=True, pk__in=members.values("user_id"))


@dataclass(frozen=True)
class BoardRound:
    """The board's part in a recommendation to decommission: whether it went
    to the board, the comments (with their responses) and who comments."""

    went_to_board: bool
    comments: list[ReviewComment]
    commenter_ids: frozenset[int]
    closes_at: datetime | None
    is_open: bool

    @property
    def members(self) -> int:
        return len(self.commenter_ids)

    @property
    def commented(self) -> int:
        """How many of the commenters have commented."""
        return len({c.author_id for c in self.comments} & self.commenter_ids)


def review_board_round(review: ReviewCase) -> BoardRound:
    """Three queries at most, however many comments."""
    c = review.commission
    comments = list(review.comments.select_related("author", "responded_by"))
    for comment in comments:
        comment.review = review  # the gates ask of its commission
    with_board = c.status == Stage.DECOMMISSION_BOARD_COMMENT
    went = with_board or bool(comments)
    if not went and review.status != ReviewStatus.OPEN:
        went = TransitionLog.objects.filter(
            commission=c,
            to_stage=Stage.DECOMMISSION_BOARD_COMMENT,
            created_at__gte=review.opened_at,
        ).exists()
    ids: frozenset[int] = frozenset()
    if review.status == ReviewStatus.RECOMMENDED:
        ids = frozenset(decommission_commenters(c).values_list("pk", flat=True))
    closes = c.board_comment_closes_at if went else None
    is_open = closes is not None and timezone.now() < closes
    return BoardRound(went, comments, ids, closes, is_open)


@dataclass(frozen=True)
class AwaitingComment:
    """A draft agreement or a recommendation to decommission with the board,
    its window open, on the page where a member comments."""

    commission: Commission
    what: str
    url: str
    closes_at: datetime
    commented: bool  # by this person already


def awaiting_board_comment(access: HubAccess, limit: int = 20) -> list[AwaitingComment]:
    """What waits for this board member's comment: three queries at most,
    however many. Board members only, while the board is who comments (see
    decommission_commenters)."""
    if not access.is_board:
        return []
    now, user, slug = timezone.now(), access.user, access.hub.slug
    drafts = (
        Agreement.objects.filter(
            hub=access.hub, status=AgreementStatus.BOARD_COMMENT, board_comment_closes_at__gt=now
        )
        .select_related("commission")
        .annotate(mine=Exists(BoardComment.objects.filter(agreement=OuterRef("pk"), author=user)))
        .order_by("board_comment_closes_at", "pk")[:limit]
    )
    waiting = [
        AwaitingComment(
            a.commission,
            "the draft agreement" if a.period_number == 1 else "the renewed agreement",
            reverse("agreements:detail", args=[slug, a.commission.reference, a.period_number]),
            a.board_comment_closes_at,
            a.mine,
        )
        for a in drafts
    ]
    reviews = list(
        ReviewCase.objects.filter(
            hub=access.hub,
            status=ReviewStatus.RECOMMENDED,
            commission__status=Stage.DECOMMISSION_BOARD_COMMENT,
            commission__board_comment_closes_at__gt=now,
        )
        .select_related("commission")
        .annotate(mine=Exists(ReviewComment.objects.filter(review=OuterRef("pk"), author=user)))
        .order_by("commission__board_comment_closes_at", "pk")[:limit]
    )
    mine = _commenter_of(user, reviews)
    waiting += [
        AwaitingComment(
            r.commission,
            "the recommendation to decommission",
            reverse("monitoring:review", args=[slug, r.pk]),
            r.commission.board_comment_closes_at,
            r.mine,
        )
        for r in reviews
        if r.pk in mine
    ]
    return sorted(waiting, key=lambda w: (w.closes_at, w.commission.reference))


def _commenter_of(user, reviews: list[ReviewCase]) -> set[int]:
    """The reviews whose commenters include this person: one query, asking
    decommission_commenters of each commission."""
    if not reviews:
        return set()
    asked = [
        decommission_commenters(r.commission)
        .filter(pk=user.pk)
        .annotate(review_id=Value(r.pk))
        .values_list("review_id", flat=True)
        .order_by()
        for r in reviews
    ]
    return set(asked[0].union(*asked[1:], all=True))


def board_todos(access: HubAccess) -> dict[str, Q]:
    """A commissioning.hooks to-do source: "Comment as the board" is listed
    by the dashboard's own section (awaiting_board_comment), beside a link to
    the page where the member comments, and only where there is something to
    comment on; the generic list, whose links go to the commission, leaves it
    out."""
    return {"Comment as the board": Q(pk__in=[])} if access.is_board else {}


def complaints_visible(access: HubAccess) -> QuerySet[Complaint]:
    if not hears_complaints(access):
        return Complaint.objects.none()
    return Complaint.objects.filter(
        hub=access.hub, commission__in=commissions_visible(access).values("pk")
    ).select_related("commission", "commission__partner")


def complaint_for(access: HubAccess, complaint_id: int) -> Complaint:
    complaint = (
        complaints_visible(access)
        .select_related("commission__hub", "commission__policy", "commission__service_area")
        .select_related("logged_by", "escalated_by", "resolved_by")
        .filter(pk=complaint_id)
        .first()
    )
    if complaint is None:
        raise Http404("No such complaint")
    return complaint


def has_term(commission: Commission) -> bool:
    """Whether the policy gives agreements a fixed term (reviewed annually)."""
    policy = commission.policy
    return policy.agreement_term_is_academic_year or bool(policy.agreement_term_months)


class AnnualDue(NamedTuple):
    """The agreement period an annual review is for."""

    period: int
    ends_on: date
    agreement: Agreement | None  # the agreement in force, when there is one
    decided: bool  # whether this period's annual review is decided already


def annual_review_due(commission: Commission) -> AnnualDue | None:
    """The agreement period to review, or None when this partnership has no
    fixed term."""
    if not has_term(commission):
        return None
    agreement = agreement_in_force(commission)
    if agreement is not None:
        period, ends_on = agreement.period_number, agreement.ends_on
        agreement.commission = commission  # asked of again by agreements' gates
    else:
        last = Report.objects.filter(commission=commission).order_by("-period_number").first()
        period = last.period_number if last else 1
        started = commission.transitions.filter(to_stage=Stage.MONITORING).order_by("pk").first()
        starts_on = timezone.localdate(started.created_at) if started else timezone.localdate()
        ends_on = schedule.period_end(commission.policy, starts_on)
    decided = AnnualReview.objects.filter(commission=commission, period_number=period).exists()
    return AnnualDue(period, ends_on, agreement, decided)


def annual_reviews_of(commission: Commission) -> QuerySet[AnnualReview]:
    return commission.annual_reviews.select_related("decided_by", "renewed_agreement")


@dataclass(frozen=True)
class Progress:
    target: SmartTarget
    value: Decimal | None
    as_of: object  # the date of the report that gave it
    percent: int | None  # of the way from baseline to target, 0..100+


def progress_of(commission: Commission) -> list[Progress]:
    """Each SMART target of the commission's need, with where the latest
    accepted report puts it: one query, however many reports."""
    latest = TargetProgress.objects.filter(
        target=OuterRef("pk"),
        report__commission=commission,
        report__status=ReportStatus.ACCEPTED,
    ).order_by("-report__due_on", "-report_id")
    targets = (
        SmartTarget.objects.filter(need_id=commission.need_id)
        .annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_on=Subquery(latest.values("report__due_on")[:1]),
        )
        .order_by("due_on", "pk")
    )
    return [Progress(t, t.latest_value, t.latest_on, _share(t, t.latest_value)) for t in targets]


def _share(target: SmartTarget, value: Decimal | None) -> int | None:
    span = target.target_value - target.baseline
    if value is None or not span:
        return None
    return max(0, int((value - target.baseline) * 100 / span))


def progress_for_report(report: Report) -> dict[int, TargetProgress]:
    return {row.target_id: row for row in report.progress.all()}
