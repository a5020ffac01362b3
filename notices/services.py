"""The one messenger, its outbox, preferences and the daily digest.

    notify(hub=hub, recipients=[user, ...], kind="commission_move",
           subject="...", body="...", url="/h/herts/...", dedupe_key="transition:42")

Call it inside the transaction of the change it reports. It writes, in that
transaction, a `Notification` per recipient (their activity feed) and, for
those who want email at once, an `OutboxMessage`; after the commit a Celery
task sends the outbox. If the broker is down the change still commits and the
email waits in the outbox until the beat task (every minute) sends it.
`notify_many` does the same for many notices in a constant number of queries.

Every subject goes through `subject_line` here, so a title someone typed
(with a line break, or 200 characters long) can neither break an email's
headers nor overflow the subject columns.

Delivery is at least once from the mail server's side and exactly once from
ours: a worker locks the rows it sends with SELECT ... FOR UPDATE SKIP LOCKED
and marks them sent in the same transaction, so two workers never pick the
same row. (If a worker dies after the mail server accepted a message and
before its transaction commits, that message is sent again.)
"""

from __future__ import annotations

import logging
import smtplib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from hubs.models import Hub
from notices.models import (
    Delivery,
    NoticePreference,
    Notification,
    OutboxMessage,
    OutboxStatus,
)

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BATCH_SIZE = 100
SUBJECT_LENGTH = OutboxMessage._meta.get_field("subject").max_length


@dataclass(frozen=True)
class Notice:
    """One thing to tell some people in one hub."""

    hub_id: int
    recipients: Sequence[Any]
    kind: str
    subject: str
    body: str = ""
    url: str = ""
    dedupe_key: str | None = None
    hub_name: str = field(default="", compare=False)


# ── telling people ───────────────────────────────────────────────────────────


def subject_line(text: str) -> str:
    """`text` as one safe subject line: every run of whitespace (line breaks
    included) becomes one space, other control characters go, and a subject
    longer than the subject columns hold is cut with an ellipsis."""
    text = " ".join(text.split())
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cc")
    if len(text) <= SUBJECT_LENGTH:
        return text
    return text[: SUBJECT_LENGTH - 1].rstrip() + "…"


def notify(
    *,
    hub: Hub,
    recipients: Iterable[Any],
    kind: str,
    subject: str,
    body: str = "",
    url: str = "",
    dedupe_key: str | None = None,
) -> int:
    """Tell `recipients` (users) something about `hub`; the number told."""
    notice = Notice(
        hub_id=hub.pk,
        recipients=list(recipients),
        kind=kind,
        subject=subject,
        body=body,
        url=url,
        dedupe_key=dedupe_key,
    )
    return notify_many([notice])


def notify_many(notices: Iterable[Notice]) -> int:
    """Record many notices: three queries however many there are (one on
    SQLite's small parameter limit may become a few batches)."""
    pairs = _pairs(notices)
    if not pairs:
        return 0
    deliveries = _deliveries(pairs)
    now = timezone.now()
    feed = [
        Notification(
            hub_id=n.hub_id,
            user_id=user.pk,
            kind=n.kind,
            subject=subject_line(n.subject),
            body=n.body,
            url=n.url,
            dedupe_key=n.dedupe_key or "",
            created_at=now,
        )
        for n, user in pairs
    ]
    emails = [
        OutboxMessage(
            hub_id=n.hub_id,
            user_id=user.pk,
            to_email=user.email,
            subject=subject_line(n.subject),
            body=_with_link(n.body, n.url),
            dedupe_key=f"{n.dedupe_key}:{user.pk}" if n.dedupe_key else None,
            created_at=now,
            available_at=now,
        )
        for n, user in pairs
        if user.email
        and deliveries.get((user.pk, n.hub_id), Delivery.IMMEDIATE) == Delivery.IMMEDIATE
    ]
    with transaction.atomic():  # feed and outbox together, even when called outside one
        Notification.objects.bulk_create(feed, ignore_conflicts=True)
        if emails:
            OutboxMessage.objects.bulk_create(emails, ignore_conflicts=True)
            deliver_after_commit()
    return len(feed)


def _pairs(notices: Iterable[Notice]) -> list[tuple[Notice, Any]]:
    """(notice, user) for each active recipient, each person once per notice."""
    pairs = []
    for notice in notices:
        seen = set()
        for user in notice.recipients:
            if user is None or not user.is_active or user.pk in seen:
                continue
            seen.add(user.pk)
            pairs.append((notice, user))
    return pairs


def _deliveries(pairs: list[tuple[Notice, Any]]) -> dict[tuple[int, int], str]:
    user_ids = {user.pk for _, user in pairs}
    hub_ids = {n.hub_id for n, _ in pairs}
    rows = NoticePreference.objects.filter(user_id__in=user_ids, hub_id__in=hub_ids)
    return {(u, h): d for u, h, d in rows.values_list("user_id", "hub_id", "delivery")}


def _with_link(body: str, url: str) -> str:
    if not url:
        return body
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{body}\n\n{base}{url}"


# ── the outbox ───────────────────────────────────────────────────────────────


def deliver_after_commit() -> None:
    """Ask a worker to send the outbox once the current transaction commits.
    A broker that cannot be reached is logged, never raised: the rows are
    committed and the beat task sends them when the broker is back."""
    transaction.on_commit(_kick_delivery)


def _kick_delivery() -> None:
    from notices.tasks import deliver_outbox

    if not enqueue(deliver_outbox):
        logger.warning("The outbox will be sent by the next beat, once the broker is back.")


def enqueue(task: Any, *args: Any) -> bool:
    """Ask a worker to run `task(*args)`, trying the broker once; False if it
    could not be reached (logged, never raised: what asked has committed).
    Work that must not be lost goes through the outbox instead."""
    if task.app.conf.task_always_eager:
        task.apply_async(args)
        return True
    # One attempt to reach the broker, no retries: by default kombu keeps
    # trying for several seconds, and a web request must not hang on an outage.
    quick = {"max_retries": 0, "interval_start": 0}
    try:
        with task.app.connection_for_write(transport_options=quick) as connection:
            task.apply_async(args, retry=False, connection=connection)
    except (OSError, BrokerError) as exc:
        logger.warning("Broker unavailable; %s not queued: %s", task.name, exc)
        return False
    return True


def enqueue_after_commit(task: Any, *args: Any) -> None:
    """`enqueue` once the current transaction commits."""
    transaction.on_commit(lambda: enqueue(task, *args))


def outbox_deliver(*, now: datetime | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Send every pending email that is due; the number sent."""
    sent = 0
    while True:
        picked, sent_now = _deliver_batch(now=now or timezone.now(), batch_size=batch_size)
        sent += sent_now
        if picked < batch_size:
            return sent


def _deliver_batch(*, now: datetime, batch_size: int) -> tuple[int, int]:
    with transaction.atomic():
        rows = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(status=OutboxStatus.PENDING, available_at__lte=now)
            .order_by("pk")[:batch_size]
        )
        if not rows:
            return 0, 0
        connection = get_connection()
        sent = 0
        for row in rows:
            if _send_one(connection, row, now):
                sent += 1
        OutboxMessage.objects.bulk_update(
            rows, ["status", "attempts", "last_error", "available_at", "sent_at"]
        )
    return len(rows), sent


def _send_one(connection, row: OutboxMessage, now: datetime) -> bool:
    message = EmailMessage(
        subject=row.subject,
        body=row.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.to_email],
        connection=connection,
    )
    row.attempts += 1
    try:
        message.send(fail_silently=False)
    except (OSError, smtplib.SMTPException) as exc:  # the mail server's trouble: retry later
        row.last_error = str(exc)[:500]
        row.available_at = now + timedelta(minutes=2**row.attempts)
        if row.attempts >= MAX_ATTEMPTS:
            row.status = OutboxStatus.FAILED
            logger.error("Gave up sending outbox message %s: %s", row.pk, exc)
        return False
    row.status = OutboxStatus.SENT
    row.sent_at = now
    row.last_error = ""
    return True


# ── preferences ──────────────────────────────────────────────────────────────


def delivery_for(*, user: Any, hub: Hub) -> str:
    row = NoticePreference.objects.filter(user=user, hub=hub).first()
    return row.delivery if row else Delivery.IMMEDIATE


def preference_set(*, user: Any, hub: Hub, delivery: str) -> NoticePreference:
    if delivery not in Delivery.values:
        raise ValueError(f"Unknown delivery {delivery!r}")
    row, _ = NoticePreference.objects.update_or_create(
        user=user, hub=hub, defaults={"delivery": delivery}
    )
    return row


# ── the feed ─────────────────────────────────────────────────────────────────


def notifications_mark_read(*, user: Any, hub: Hub, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications in a hub read: those given, or all."""
    unread = Notification.objects.filter(user=user, hub=hub, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


# ── the daily digest ─────────────────────────────────────────────────────────


def digests_send(*, day: date | None = None) -> int:
    """One email per person who chose the digest, listing the notifications of
    `day` (yesterday by default) in the hubs where they chose it. Once per
    person and day: its outbox key is unique. The number of digests queued."""
    day = day or timezone.localdate() - timedelta(days=1)
    start = timezone.make_aware(datetime.combine(day, time.min))
    end = start + timedelta(days=1)
    chose_digest = NoticePreference.objects.filter(
        user=OuterRef("user"), hub=OuterRef("hub"), delivery=Delivery.DIGEST
    )
    rows = (
        Notification.objects.filter(created_at__gte=start, created_at__lt=end)
        .filter(Exists(chose_digest))
        .select_related("hub", "user")
        .order_by("user_id", "hub__name", "created_at")
    )
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for row in rows:
        by_user[row.user_id].append(row)
    digests = [_digest(items, day) for items in by_user.values() if items[0].user.email]
    queued = OutboxMessage.objects.filter(dedupe_key__in=[d.dedupe_key for d in digests])
    done = set(queued.values_list("dedupe_key", flat=True))
    digests = [d for d in digests if d.dedupe_key not in done]
    with transaction.atomic():
        # The unique key, not the check above, is what stops a second digest
        # when two ticks race.
        OutboxMessage.objects.bulk_create(digests, ignore_conflicts=True)
        if digests:
            deliver_after_commit()
    return len(digests)


def _digest(items: list[Notification], day: date) -> OutboxMessage:
    user = items[0].user
    lines = [f"What happened on {day:%A %-d %B %Y}, {len(items)} notification(s):", ""]
    hub_name = None
    for item in items:
        if item.hub.name != hub_name:
            hub_name = item.hub.name
            lines += ["", hub_name, "-" * len(hub_name)]
        lines.append(f"- {item.subject}")
        if item.url:
            lines.append(f"  {getattr(settings, 'SITE_URL', '').rstrip('/')}{item.url}")
    hubs = {i.hub_id for i in items}
    return OutboxMessage(
        hub_id=items[0].hub_id if len(hubs) == 1 else None,
        user=user,
        to_email=user.email,
        subject=subject_line(f"Your daily digest for {day:%-d %B %Y}"),
        body="\n".join(lines).strip() + "\n",
        dedupe_key=f"digest:{user.pk}:{day.isoformat()}",
    )
