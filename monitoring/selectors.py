"""Reads of monitoring, scoped as commissions are: a report, review or
complaint is visible only through a commission its reader may see
(commissioning.selectors), and some only to the Hub's own people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from agreements.models import Agreement, AgreementStatus
from commissioning.models import Commission, SmartTarget, TransitionLog
from commissioning.routing import comment_step_of
from commissioning.selectors import commissions_visible
from commissioning.workflow import Stage
from hubs.access import HubAccess
from hubs.decision_routes import AdvisoryGroup, Body, RouteStep
from hubs.routes import members_of, routes_load
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
    commission, as users: the body its decommissioning route's comment step
    names (the board, or a named group). The one place that says who they
    are: the service, the review page and the dashboard ask it."""
    step = comment_step_of(commission, "send_decommission_to_board")
    if step is None:
        return get_user_model().objects.none()
    return members_of(step, commission)


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


# The comment to-dos, on the dashboard: each links to the page where the member
# comments (monitoring_tags.todo_url), not to the commission's. A board step's
# to-do keeps the board's words; a named group's says the group.
ON_DRAFT = " on the draft agreement"
ON_RECOMMENDATION = " on the recommendation to decommission"
COMMENT_ON_DRAFT = f"Comment as the board{ON_DRAFT}"
COMMENT_ON_RECOMMENDATION = f"Comment as the board{ON_RECOMMENDATION}"
# Which route's comment step each stage waits on.
COMMENT_STAGES = {
    Stage.BOARD_COMMENT: ("send_to_board", ON_DRAFT),
    Stage.DECOMMISSION_BOARD_COMMENT: ("send_decommission_to_board", ON_RECOMMENDATION),
}


def comment_task(step: RouteStep, on: str) -> str:
    who = "the board" if step.body == Body.BOARD else f"the {step.body_name}"
    return f"Comment as {who}{on}"


def board_todos(access: HubAccess) -> dict[str, Q]:
    """A commissioning.hooks to-do source: the comments waiting on this
    person, for exactly the commissions whose current comment step names a
    body they belong to (the board, or a named group), whatever their role.
    A draft with its commenters has its agreement's page; a commission with
    them for decommissioning has a page only through the review that
    recommended it (one the demo sends there without a review has none), so
    commissioning's own "Comment as the board" gives way to these.

    Fixed cost, however many commissions wait: the hub's commissions open
    for comment (one query) and their policies' routes (one), and the
    person's groups (one, asked first of someone not on the board, and of a
    board member only once a step names a group); the membership is then
    worked out here, in Python."""
    if not access.is_internal:
        return {}  # the comment pages are for the hub's own people
    tasks: dict[str, Q] = {"Comment as the board": Q(pk__in=[])}
    groups: set[int] | None = None

    def my_groups() -> set[int]:
        nonlocal groups
        if groups is None:
            mine = AdvisoryGroup.objects.filter(hub=access.hub, members=access.user)
            groups = set(mine.values_list("pk", flat=True))
        return groups

    if not access.is_board and not my_groups():
        return tasks
    open_now = list(
        Commission.objects.filter(
            hub=access.hub,
            status__in=list(COMMENT_STAGES),
            board_comment_closes_at__gt=timezone.now(),
        ).select_related("policy")
    )
    policies: dict[int, object] = {}
    for c in open_now:  # one policy object per policy, so its routes are read once
        c.policy = policies.setdefault(c.policy_id, c.policy)
    routes_load(list(policies.values()))
    waiting: dict[str, list[int]] = {}
    for c in open_now:
        action, on = COMMENT_STAGES[c.status]
        step = comment_step_of(c, action)
        if step is None:
            continue
        ours = access.is_board if step.body == Body.BOARD else step.group_id in my_groups()
        if ours:
            waiting.setdefault(comment_task(step, on), []).append(c.pk)
    recommended = ReviewCase.objects.filter(
        commission=OuterRef("pk"), status=ReviewStatus.RECOMMENDED
    )
    for task, pks in waiting.items():
        if task.endswith(ON_RECOMMENDATION):
            tasks[task] = Q(Exists(recommended), pk__in=pks)
        else:
            tasks[task] = Q(pk__in=pks)
    return tasks


def comment_page(task: str) -> str:
    """Which page a comment to-do leads to: 'draft', 'recommendation' or ''."""
    if not task.startswith("Comment as the "):
        return ""
    if task.endswith(ON_DRAFT):
        return "draft"
    return "recommendation" if task.endswith(ON_RECOMMENDATION) else ""


def recommendation_of(access: HubAccess, reference: str) -> ReviewCase:
    """The review whose recommendation to decommission this commission is
    being decided: the page the board comments on."""
    review = (
        reviews_visible(access)
        .filter(commission__reference=reference, status=ReviewStatus.RECOMMENDED)
        .order_by("-opened_at", "-pk")
        .first()
    )
    if review is None:
        raise Http404("No recommendation to decommission")
    return review


def complaints_visible(access: HubAccess) -> QuerySet[Complaint]:
    if not hears_complaints(access):
        return Complaint.objects.none()
    return Complaint.objects.filter(
        hub=access.hub, commission__in=commissions_visible(access).values("pk")
    ).select_related("commission__policy", "commission__partner")


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
