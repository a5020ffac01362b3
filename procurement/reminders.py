"""Reminders of the notices a contract owes, registered with notices' sweep
(see notices/reminders.py: each goes once, whatever the retries).

- procurement_notice_due: a notice not yet published is due within
  NOTICE_DUE_DAYS (or today); told: the officers who run the commission.
- procurement_notice_overdue: its date has passed and it is still not
  published; told again each OVERDUE_EVERY_DAYS while it stays so.

Each source reads every hub's notices in two queries (the notices, then the
officers of the hubs concerned).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from hubs.deadlines import deadline_marker
from monitoring.reminders import Officers
from notices import reminders
from notices.reminders import Due
from procurement.models import Notice, NoticeKind

NOTICE_DUE_DAYS = 5
OVERDUE_EVERY_DAYS = 7

FIELDS = [
    "pk",
    "hub_id",
    "kind",
    "due_by",
    "procurement__commission__reference",
    "procurement__commission__title",
    "procurement__commission__service_area_id",
    "procurement__commission__hub__name",
    "procurement__commission__hub__slug",
]


def register() -> None:
    reminders.register("procurement_notice_due", notice_due)
    reminders.register("procurement_notice_overdue", notice_overdue)


def _rows(**filters) -> list[dict]:
    return list(Notice.objects.filter(published_at__isnull=True, **filters).values(*FIELDS))


def _due(n: dict, officers: Officers, due_on: date, late: bool) -> Due:
    label = NoticeKind(n["kind"]).label
    ref = n["procurement__commission__reference"]
    said = "was due on" if late else "is due on"
    return Due(
        hub_id=n["hub_id"],
        object_key=f"notice:{n['pk']}",
        due_on=due_on,
        recipients=officers.of(n["hub_id"], n["procurement__commission__service_area_id"]),
        subject=f"[{n['procurement__commission__hub__name']}] {ref}: {label} "
        f"{'overdue' if late else 'due'}",
        body=f"{ref} {n['procurement__commission__title']}\n"
        f"The {label.lower()} {said} {deadline_marker(n['due_by'])}. Publish it on the "
        "Central Digital Platform, then mark it published with its notice id.",
        url=reverse("procurement:notices", args=[n["procurement__commission__hub__slug"]]),
    )


def notice_due(today: date) -> list[Due]:
    rows = _rows(due_by__gte=today, due_by__lte=today + timedelta(days=NOTICE_DUE_DAYS))
    officers = Officers(n["hub_id"] for n in rows)
    return [_due(n, officers, n["due_by"], late=False) for n in rows]


def notice_overdue(today: date) -> list[Due]:
    rows = _rows(due_by__lt=today)
    officers = Officers(n["hub_id"] for n in rows)
    due = []
    for n in rows:
        period = (today - n["due_by"]).days // OVERDUE_EVERY_DAYS
        on = n["due_by"] + timedelta(days=max(1, period * OVERDUE_EVERY_DAYS))
        due.append(_due(n, officers, on, late=True))
    return due
