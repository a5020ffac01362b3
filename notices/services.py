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
headers nor overflow the subject columns. Sending is notices.delivery's: each
message is claimed, sent and settled on its own (see there for what happens
when a worker dies mid-send).
"""

from __future__ import annotations

import logging
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from hubs import standing_cache
from hubs.deadlines import expand_deadlines
from hubs.models import Hub
from notices.delivery import (  # re-exported: callers ask notices.services
    MAX_ATTEMPTS,
    deliver_after_commit,
    enqueue,
    enqueue_after_commit,
    outbox_deliver,
)
from notices.models import (
    Delivery,
    NoticePreference,
    Notification,
    OutboxMessage,
)

__all__ = [
    "MAX_ATTEMPTS",
    "Notice",
    "deliver_after_commit",
    "delivery_for",
    "digests_send",
    "enqueue",
    "enqueue_after_commit",
    "notifications_mark_read",
    "notify",
    "notify_many",
    "outbox_deliver",
    "preference_set",
    "subject_line",
]

logger = logging.getLogger(__name__)

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
            # The feed keeps what was true when it was told (it shows when);
            # an email says how far off a deadline is when it is sent.
            subject=subject_line(expand_deadlines(n.subject, now=now)),
            body=expand_deadlines(n.body, now=now),
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
        # Each person's unread count in the header is read again (notices.selectors).
        standing_cache.renew(standing_cache.notices(user.pk) for _, user in pairs)
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
    marked = unread.update(read_at=timezone.now())
    standing_cache.renew([standing_cache.notices(user.pk)])
    return marked


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
