"""Thin Celery tasks: load by id, call the service."""

import smtplib

from celery import shared_task

from commissioning.notifications import transition_notify


@shared_task(bind=True, max_retries=5, default_retry_delay=30, acks_late=True)
def notify_transition(self, log_id: int) -> int:
    try:
        return transition_notify(log_id=log_id)
    except (ConnectionError, smtplib.SMTPException) as exc:  # mail server trouble: retry later
        raise self.retry(exc=exc) from exc
