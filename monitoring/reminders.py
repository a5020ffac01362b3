"""Reminders of monitoring, registered with notices' sweep in
MonitoringConfig.ready() (see notices/reminders.py for the API).

Each source reads what is due across every hub in at most three queries (the
due rows, then the partner contacts and the officers of the hubs concerned),
never one per report or agreement.

- report_due: a report (or one returned for changes) is due within
  REPORT_DUE_DAYS; told: the partner's contacts.
- report_overdue: a report's due date has passed and it is not in; told: the
  partner's contacts and the officers (HLO staff, and the service lead of the
  commission's area), again every OVERDUE_EVERY_DAYS while it stays overdue.
- agreement_expiring: a signed agreement ends within EXPIRING_DAYS and its
  annual review is not decided (nor the next period drafted); told: officers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse

from agreements.models import Agreement, AgreementStatus
from commissioning.workflow import Stage
from hubs.deadlines import deadline_marker
from hubs.models import Membership, Role
from monitoring.models import PARTNER_EDITS, AnnualReview, Report
from monitoring.rules import LIVE
from notices import reminders
from notices.reminders import Due

REPORT_DUE_DAYS = 7
OVERDUE_EVERY_DAYS = 7
EXPIRING_DAYS = 60

REPORT_FIELDS = [
    "pk",
    "title",
    "due_on",
    "hub_id",
    "commission__reference",
    "commission__title",
    "commission__partner_id",
    "commission__service_area_id",
    "commission__hub__name",
    "commission__hub__slug",
]


def register() -> None:
    reminders.register("report_due", report_due)
    reminders.register("report_overdue", report_overdue)
    reminders.register("agreement_expiring", agreement_expiring)


class Contacts:
    """The contacts of some partner organisations, in one query."""

    def __init__(self, partner_ids: Iterable[int]) -> None:
        rows = Membership.objects.filter(
            role=Role.PARTNER_CONTACT, partner_id__in=set(partner_ids)
        ).select_related("user")
        self._by_partner: dict[int, list] = defaultdict(list)
        for m in rows:
            self._by_partner[m.partner_id].append(m.user)

    def of(self, partner_id: int | None) -> list:
        return self._by_partner.get(partner_id, [])


class Officers:
    """HLO staff and service leads of some hubs, in one query."""

    def __init__(self, hub_ids: Iterable[int]) -> None:
        rows = Membership.objects.filter(
            role__in=[Role.HLO_STAFF, Role.SERVICE_LEAD], hub_id__in=set(hub_ids)
        ).select_related("user")
        self._rows: dict[int, list[Membership]] = defaultdict(list)
        for m in rows:
            self._rows[m.hub_id].append(m)

    def of(self, hub_id: int, area_id: int | None) -> list:
        return [
            m.user
            for m in self._rows.get(hub_id, [])
            if m.role == Role.HLO_STAFF or (area_id and m.service_area_id == area_id)
        ]


def _reports(**filters) -> list[dict]:
    return list(
        Report.objects.filter(
            status__in=PARTNER_EDITS, commission__status__in=LIVE, **filters
        ).values(*REPORT_FIELDS)
    )


def _link(r: dict) -> str:
    return reverse("monitoring:report", args=[r["commission__hub__slug"], r["pk"]])


def report_due(today: date) -> list[Due]:
    rows = _reports(due_on__gte=today, due_on__lte=today + timedelta(days=REPORT_DUE_DAYS))
    contacts = Contacts(r["commission__partner_id"] for r in rows)
    return [
        Due(
            hub_id=r["hub_id"],
            object_key=f"report:{r['pk']}",
            due_on=r["due_on"],
            recipients=contacts.of(r["commission__partner_id"]),
            subject=f"[{r['commission__hub__name']}] {r['title']} is due on {r['due_on']:%-d %B}",
            body=f"{r['commission__reference']} {r['commission__title']}\n"
            f"{r['title']} is due on {deadline_marker(r['due_on'])}. "
            "Your draft is saved as you go.",
            url=_link(r),
        )
        for r in rows
    ]


def report_overdue(today: date) -> list[Due]:
    rows = _reports(due_on__lt=today)
    contacts = Contacts(r["commission__partner_id"] for r in rows)
    officers = Officers(r["hub_id"] for r in rows)
    due = []
    for r in rows:
        late = (today - r["due_on"]).days
        # Once on the first day late, then once per whole week it stays late.
        period = late // OVERDUE_EVERY_DAYS
        recipients = contacts.of(r["commission__partner_id"]) + officers.of(
            r["hub_id"], r["commission__service_area_id"]
        )
        due.append(
            Due(
                hub_id=r["hub_id"],
                object_key=f"report:{r['pk']}",
                due_on=r["due_on"] + timedelta(days=max(1, period * OVERDUE_EVERY_DAYS)),
                recipients=recipients,
                subject=f"[{r['commission__hub__name']}] {r['title']} is overdue",
                body=f"{r['commission__reference']} {r['commission__title']}\n"
                f"{r['title']} was due on {deadline_marker(r['due_on'])}.",
                url=_link(r),
            )
        )
    return due


def agreement_expiring(today: date) -> list[Due]:
    decided = AnnualReview.objects.filter(
        commission=OuterRef("commission"), period_number=OuterRef("period_number")
    )
    next_period = Agreement.objects.filter(
        commission=OuterRef("commission"), period_number__gt=OuterRef("period_number")
    )
    rows = list(
        Agreement.objects.filter(
            status=AgreementStatus.SIGNED,
            commission__status=Stage.MONITORING,
            ends_on__gte=today,
            ends_on__lte=today + timedelta(days=EXPIRING_DAYS),
        )
        .filter(~Exists(decided), ~Exists(next_period))
        .values(
            "pk",
            "hub_id",
            "ends_on",
            "period_number",
            "commission__reference",
            "commission__title",
            "commission__service_area_id",
            "commission__hub__name",
            "commission__hub__slug",
        )
    )
    officers = Officers(a["hub_id"] for a in rows)
    return [
        Due(
            hub_id=a["hub_id"],
            object_key=f"agreement:{a['pk']}",
            due_on=a["ends_on"],
            recipients=officers.of(a["hub_id"], a["commission__service_area_id"]),
            subject=f"[{a['commission__hub__name']}] {a['commission__reference']}: the "
            f"agreement ends on {a['ends_on']:%-d %B %Y}",
            body=f"{a['commission__reference']} {a['commission__title']}\n"
            f"Period {a['period_number']} ends on {deadline_marker(a['ends_on'], 'ends')}: "
            "decide the annual review (renew, or let it lapse).",
            url=reverse(
                "monitoring:partnership",
                args=[a["commission__hub__slug"], a["commission__reference"]],
            ),
        )
        for a in rows
    ]
