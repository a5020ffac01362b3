"""Thin Celery tasks: each calls one service. Scheduled in CELERY_BEAT_SCHEDULE."""

from celery import shared_task

from notices.reminders import reminders_sweep
from notices.services import digests_send, outbox_deliver


@shared_task(name="notices.deliver_outbox", acks_late=True, ignore_result=True)
def deliver_outbox() -> int:
    return outbox_deliver()


@shared_task(name="notices.send_reminders", acks_late=True, ignore_result=True)
def send_reminders() -> int:
    return reminders_sweep()


@shared_task(name="notices.send_digests", acks_late=True, ignore_result=True)
def send_digests() -> int:
    return digests_send()
