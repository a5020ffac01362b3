"""Reads of monitoring, scoped as commissions are: a report, review or
complaint is visible only through a commission its reader may see
(commissioning.selectors), and some only to the Hub's own people."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from commissioning.models import Commission, SmartTarget
from commissioning.selectors import commissions_visible
from hubs.access import HubAccess
from monitoring.models import (
    AnnualReview,
    Complaint,
    Report,
    ReportStatus,
    ReviewCase,
    TargetProgress,
)


def is_internal(access: HubAccess) -> bool:
    """The Hub's own people: staff, service leads, approvers, admins, the board."""
    return access.sees_everything or access.is_officer or access.is_board


def hears_complaints(access: HubAccess) -> bool:
    return access.sees_everything or access.is_officer or access.can("decide_terminations")


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
    if not is_internal(access):
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
