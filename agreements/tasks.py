"""Thin Celery tasks: load by id, call the service."""

from __future__ import annotations

import smtplib

from celery import shared_task

from agreements.notifications import agreement_notice_send


@shared_task(
    name="agreements.send_notice", bind=True, max_retries=5, default_retry_delay=30, acks_late=True
)
def send_agreement_notice(self, agreement_id: int, event: str, to: str, comment_id=None) -> int:
    try:
        return agreement_notice_send(
            agreement_id=agreement_id, event=event, to=to, comment_id=comment_id
        )
    except (ConnectionError, smtplib.SMTPException) as exc:
        raise self.retry(exc=exc) from exc


@shared_task(name="agreements.render_pdf", acks_late=True)
def render_agreement_pdf(agreement_id: int) -> str:
    from agreements.pdf import agreement_pdf_store

    return agreement_pdf_store(agreement_id=agreement_id)


@shared_task(name="agreements.instalments_fall_due")
def instalments_fall_due() -> int:
    from agreements.services import instalments_fall_due_by_date

    return instalments_fall_due_by_date()
