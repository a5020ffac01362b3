"""Thin Celery tasks for calls: load by id, call the service.

Celery's autodiscovery imports only `tasks.py`; commissioning.calls_services
imports this module, so the task is registered wherever the service is.
"""

import smtplib

from celery import shared_task


@shared_task(bind=True, max_retries=5, default_retry_delay=30, acks_late=True)
def send_receipt(self, proposal_id: int) -> int:
    from commissioning.calls_services import eoi_receipt_send  # the service imports us

    try:
        return eoi_receipt_send(proposal_id=proposal_id)
    except (ConnectionError, smtplib.SMTPException) as exc:  # mail server trouble: retry later
        raise self.retry(exc=exc) from exc
