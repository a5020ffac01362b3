"""Reminders: what is due, found in the database by a daily sweep, each sent once.

Apps above notices register a *source* for each kind of reminder, in their
AppConfig.ready():

    from notices import reminders

    def reports_due(today: date) -> list[reminders.Due]:
        ...  # a constant number of queries, never one per row
        return [reminders.Due(hub_id=..., object_key=f"report:{r.pk}", due_on=r.due_on,
                              recipients=[user, ...], subject="...", body="...", url="...")]

    reminders.register("report_due", reports_due)

A source gets today's date (local) and returns everything that is due *now*,
in bulk. It need not remember what it already reported: the sweep records each
reminder under its key (kind, object_key, due_on) with a unique constraint and
sends only the ones it created itself. Choose `due_on` to name the period the
reminder is for (the closing date of a window, the date a report is due, the
start of the week an approval has waited): a new period gives a new reminder,
the same period never a second one.

How exactly-once holds: the sweep inserts all its reminders with INSERT ... ON
CONFLICT DO NOTHING (`bulk_create(ignore_conflicts=True)`), each tagged with
this sweep's random id, then reads back the rows carrying that id: those are
the ones it created. On PostgreSQL a second sweep running at the same moment
waits on the first's uncommitted rows in the unique index and, once they
commit, skips them. The notifications are written in the same transaction, so
a sweep that fails leaves nothing half sent and the next one sends it all.

Celery beat runs `notices.send_reminders` hourly (safe: each is sent once).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from notices.models import Reminder
from notices.services import Notice, notify_many, subject_line

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    """One reminder a source says is due."""

    hub_id: int
    object_key: str
    due_on: date
    recipients: Sequence[Any]
    subject: str
    body: str = ""
    url: str = ""


Source = Callable[[date], Iterable[Due]]

_sources: dict[str, Source] = {}


def register(kind: str, source: Source) -> None:
    """Register (or replace) the source of one kind of reminder."""
    _sources[kind] = source


def unregister(kind: str) -> None:
    _sources.pop(kind, None)


def registered() -> dict[str, Source]:
    return dict(_sources)


def reminders_sweep(*, today: date | None = None, kinds: Iterable[str] | None = None) -> int:
    """Send every reminder that is due and not yet sent; the number sent."""
    today = today or timezone.localdate()
    wanted = set(kinds) if kinds is not None else None
    due = {
        (kind, item.object_key, item.due_on): (kind, item)
        for kind, source in registered().items()
        if wanted is None or kind in wanted
        for item in source(today)
    }
    for key in _already_sent(due):
        del due[key]
    if not due:
        return 0
    sweep = uuid.uuid4()
    with transaction.atomic():
        Reminder.objects.bulk_create(
            [
                Reminder(
                    hub_id=item.hub_id,
                    kind=kind,
                    object_key=item.object_key,
                    due_on=item.due_on,
                    subject=subject_line(item.subject),
                    sweep=sweep,
                )
                for kind, item in due.values()
            ],
            ignore_conflicts=True,
        )
        mine = set(Reminder.objects.filter(sweep=sweep).values_list("kind", "object_key", "due_on"))
        notices = [
            Notice(
                hub_id=item.hub_id,
                recipients=item.recipients,
                kind=kind,
                subject=item.subject,
                body=item.body,
                url=item.url,
                dedupe_key=f"reminder:{kind}:{item.object_key}:{item.due_on.isoformat()}",
            )
            for key, (kind, item) in due.items()
            if key in mine
        ]
        notify_many(notices)
    if notices:
        logger.info("Sent %d reminder(s)", len(notices))
    return len(notices)


def _already_sent(due: dict) -> set:
    """Keys among `due` that an earlier sweep recorded, in one query, so the
    daily run does not re-insert thousands of rows only to have them ignored.
    (The unique constraint, not this, is what makes a reminder go once.)"""
    if not due:
        return set()
    kinds = {key[0] for key in due}
    dates = [key[2] for key in due]
    earlier = Reminder.objects.filter(
        kind__in=kinds, due_on__gte=min(dates), due_on__lte=max(dates)
    ).values_list("kind", "object_key", "due_on")
    return set(earlier) & set(due)
