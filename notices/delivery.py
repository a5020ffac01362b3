"""Sending the outbox, one message at a time, each on its own.

A worker claims one due message (SELECT ... FOR UPDATE SKIP LOCKED, so two
workers never claim the same one), marks it *sending* and commits; only then
does it talk to the mail server, and it marks the message *sent* (or failed,
or due again later) in a commit of its own right after. So:

- one message's trouble stays its own. A message the mail library refuses
  outright (a line break in a header, say) is marked failed with its error at
  once and never tried again; a mail-server error is retried later, with
  back-off, up to MAX_ATTEMPTS. Neither stops or repeats any other message.
- through an email service (django-anymail, MAIL_PROVIDER), the same: a
  recipient it rejects, or a message it refuses (most 4xx answers), is failed
  at once; an outage (5xx, no answer, rate limits, a wrong key) is retried.
  The service's id for the message and its word (queued, sent) are kept on
  the row; for SMTP, the Message-ID we gave it.
- a worker killed mid-run does not send again what it had sent: those are
  committed as sent. What it had not reached is still pending, for the next
  run.
- the one message it was sending when it died stays *sending*. After
  SENDING_TIMEOUT another run takes it as due again. We chose to retry it
  rather than give up on it: the mail server may or may not have accepted it,
  and a rare second copy is better than a lost notice. (A message that keeps
  killing its worker is marked failed after MAX_ATTEMPTS.) SENDING_TIMEOUT is
  far longer than a send can take, since the SMTP connection times out after
  SMTP_TIMEOUT_SECONDS, so a slow send is never taken for a dead one.

Run it outside a transaction (a task, or after a commit): inside one, the
claims are not committed before the sends and the guarantees above are lost.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from typing import Any

from anymail.backends.base import AnymailBaseBackend
from anymail.exceptions import AnymailError, AnymailRecipientsRefused
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import make_msgid
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from hubs.deadlines import expand_deadlines
from notices.models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
SENDING_TIMEOUT = timedelta(minutes=15)
SMTP_TIMEOUT_SECONDS = 60
ERROR_LENGTH = OutboxMessage._meta.get_field("last_error").max_length


# ── asking a worker ──────────────────────────────────────────────────────────


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


# ── sending ──────────────────────────────────────────────────────────────────


def outbox_deliver(*, now: datetime | None = None) -> int:
    """Send every email that is due, each claimed and settled on its own; the
    number sent."""
    now = now or timezone.now()
    timeout = getattr(settings, "EMAIL_TIMEOUT", None) or SMTP_TIMEOUT_SECONDS
    connection = get_connection(timeout=timeout)
    sent = 0
    while (row := _claim_next(now)) is not None:
        sent += _send_one(connection, row, now)
    return sent


def _due(now: datetime) -> Q:
    pending = Q(status=OutboxStatus.PENDING, available_at__lte=now)
    abandoned = Q(status=OutboxStatus.SENDING, claimed_at__lte=now - SENDING_TIMEOUT)
    return pending | abandoned


def _claim_next(now: datetime) -> OutboxMessage | None:
    """The next due message, marked sending and committed; None when none is
    left. One a worker died sending MAX_ATTEMPTS times is marked failed."""
    while True:
        with transaction.atomic():
            row = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(_due(now))
                .order_by("pk")
                .first()
            )
            if row is None:
                return None
            if row.status == OutboxStatus.SENDING and row.attempts >= MAX_ATTEMPTS:
                row.status = OutboxStatus.FAILED
                row.last_error = f"The worker stopped while sending it, {row.attempts} times."
                row.save(update_fields=["status", "last_error"])
                logger.error("Gave up sending outbox message %s: %s", row.pk, row.last_error)
                continue
            row.status = OutboxStatus.SENDING
            row.claimed_at = now
            row.attempts += 1
            row.save(update_fields=["status", "claimed_at", "attempts"])
            return row


def _send_one(connection: Any, row: OutboxMessage, now: datetime) -> int:
    """Send one claimed message and save how it went; 1 if it was sent."""
    # A deadline's words ("due tomorrow") are worked out now, at sending,
    # from the date stored in the message, not when it was queued.
    message = EmailMessage(
        subject=expand_deadlines(row.subject, now=now),
        body=expand_deadlines(row.body, now=now),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.to_email],
        connection=connection,
    )
    if not isinstance(connection, AnymailBaseBackend):
        # Ours, so the mail server's log can be searched for it (an email
        # service gives its own id instead).
        message.extra_headers["Message-ID"] = make_msgid(domain=DNS_NAME)
    try:
        message.send(fail_silently=False)
        receipt = _receipt(message)
    except AnymailRecipientsRefused as exc:  # the service will not send to them
        _refused(row, exc, status="rejected")
    except AnymailError as exc:
        if _service_may_recover(exc):
            _retry_later(row, exc, now)
        else:  # the service refuses this message: the same again cannot help
            _refused(row, exc, status="refused")
    except (OSError, smtplib.SMTPException) as exc:  # the mail server's trouble: retry later
        _retry_later(row, exc, now)
    except Exception as exc:  # the message itself is wrong: trying again cannot help
        _refused(row, exc)
    else:
        row.status = OutboxStatus.SENT
        row.sent_at = now
        row.last_error = ""
        row.provider_message_id, row.provider_status = receipt
    row.save(
        update_fields=[
            "status",
            "last_error",
            "available_at",
            "sent_at",
            "provider_message_id",
            "provider_status",
        ]
    )
    return 1 if row.status == OutboxStatus.SENT else 0


# An email service's answers that say "not now" rather than "not this message":
# it is down or busy (5xx, 408, 429), or our key or domain is wrong (401, 403,
# 404), which an operator can put right while the message waits.
RECOVERABLE_STATUSES = {401, 403, 404, 408, 429}


def _service_may_recover(exc: AnymailError) -> bool:
    status = exc.status_code
    return status is None or status >= 500 or status in RECOVERABLE_STATUSES


def _receipt(message: EmailMessage) -> tuple[str, str]:
    """The id the mail server or email service knows it by, and the service's
    word for it (queued, sent; blank for SMTP)."""
    status = getattr(message, "anymail_status", None)
    if status is None or not status.status:
        return message.extra_headers.get("Message-ID", ""), ""
    said = sorted(status.status)
    if REFUSED_STATUSES.issuperset(said):
        # Only when ANYMAIL's IGNORE_RECIPIENT_STATUS is on; otherwise raised.
        raise AnymailRecipientsRefused(f"The email service said: {', '.join(said)}")
    message_id = status.message_id
    if isinstance(message_id, set):
        message_id = ",".join(sorted(str(m) for m in message_id if m))
    return str(message_id or "")[:255], ",".join(said)[:40]


REFUSED_STATUSES = {"rejected", "invalid"}


def _retry_later(row: OutboxMessage, exc: Exception, now: datetime) -> None:
    row.last_error = str(exc)[:ERROR_LENGTH]
    row.available_at = now + timedelta(minutes=2**row.attempts)
    if row.attempts >= MAX_ATTEMPTS:
        row.status = OutboxStatus.FAILED
        logger.error("Gave up sending outbox message %s: %s", row.pk, exc)
    else:
        row.status = OutboxStatus.PENDING
        logger.warning("Outbox message %s will be tried again: %s", row.pk, exc)


def _refused(row: OutboxMessage, exc: Exception, status: str = "") -> None:
    row.last_error = f"{type(exc).__name__}: {exc}"[:ERROR_LENGTH]
    row.status = OutboxStatus.FAILED
    row.provider_status = status
    logger.error("Outbox message %s cannot be sent: %s", row.pk, row.last_error)
