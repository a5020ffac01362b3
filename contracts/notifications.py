"""What contract management tells people.

- kpi_rated: the officer rated a partnership's KPIs for the period a report
  covers; told: the partner's contacts (one notice per save, naming each
  rating).
- risk_review_due (a reminder, registered with notices' sweep): an open
  risk's review date has come; told once per review date, whatever the
  retries. A risk's owner is a name, not an account, so the reminder goes to
  the HLO staff and service lead who run the commission (who keep the
  register), naming the owner. All risks of all hubs in two queries.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.urls import reverse

from contracts.models import Kpi, KpiRating, Risk, RiskStatus
from hubs.deadlines import deadline_marker
from hubs.models import Membership, Role
from monitoring.models import Report
from monitoring.reminders import Officers
from notices import reminders
from notices.reminders import Due
from notices.services import notify


def register() -> None:
    reminders.register("risk_review_due", risks_due)


def tell_partner_rated(report: Report, ratings: list[KpiRating]) -> int:
    """The partner's contacts hear how each KPI was rated for the period."""
    c = report.commission
    if not ratings or c.partner_id is None:
        return 0
    contacts = Membership.objects.filter(
        Q(role=Role.PARTNER_CONTACT, partner_id=c.partner_id), hub_id=c.hub_id
    ).select_related("user")
    people = sorted({m.user for m in contacts if m.user.is_active}, key=lambda u: u.pk)
    rated = {r.kpi_id: r for r in ratings}
    lines = [
        f"{kpi.measure_label} ({kpi.description}): {rated[kpi.pk].get_rating_display()}"
        + (f". {rated[kpi.pk].note}" if rated[kpi.pk].note else "")
        for kpi in Kpi.objects.filter(pk__in=rated).order_by("position", "pk")
    ]
    return notify(
        hub=c.hub,
        recipients=people,
        kind="kpi_rated",
        subject=f"[{c.hub.name}] {c.reference}: KPIs rated for {report.title}",
        body=f"{c.reference} {c.title}\n" + "\n".join(lines),
        url=reverse("contracts:report_kpis", args=[c.hub.slug, report.pk]),
    )


def risks_due(today: date) -> list[Due]:
    rows = list(
        Risk.objects.filter(status=RiskStatus.OPEN, review_on__lte=today).values(
            "pk",
            "hub_id",
            "title",
            "owner",
            "review_on",
            "commission__reference",
            "commission__service_area_id",
            "commission__hub__name",
            "commission__hub__slug",
        )
    )
    officers = Officers(r["hub_id"] for r in rows)
    return [
        Due(
            hub_id=r["hub_id"],
            object_key=f"risk:{r['pk']}",
            due_on=r["review_on"],
            recipients=officers.of(r["hub_id"], r["commission__service_area_id"]),
            subject=f"[{r['commission__hub__name']}] {r['commission__reference']}: risk due "
            f"for review: {r['title']}",
            body=f"The risk '{r['title']}' (owner: {r['owner']}) is due for review on "
            f"{deadline_marker(r['review_on'])}. Review it: the likelihood and impact now, "
            "the next review date, or close it.",
            url=reverse("contracts:risk", args=[r["commission__hub__slug"], r["pk"]]),
        )
        for r in rows
    ]
