"""Calls close themselves at their deadline.

Celery beat runs `close_due_calls` every five minutes (CELERY_BEAT_SCHEDULE in
config/settings/base.py). One UPDATE closes every due call: its WHERE clause
skips calls already closed, and on PostgreSQL a second sweep running at the
same moment waits on the rows the first one locked, re-reads them, finds them
closed and leaves them alone. However often or concurrently it runs, each
call is closed once, at the time of the sweep that closed it.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from commissioning.models import Call

logger = logging.getLogger(__name__)


def calls_close_due(*, now=None) -> int:
    """Close every call whose deadline has passed; the number closed."""
    now = now or timezone.now()
    closed = Call.objects.filter(closed_at__isnull=True, closes_at__lte=now).update(closed_at=now)
    if closed:
        logger.info("Closed %d call(s) at their deadline", closed)
    return closed


@shared_task(name="commissioning.close_due_calls", acks_late=True)
def close_due_calls() -> int:
    return calls_close_due()
