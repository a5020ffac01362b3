"""Thin Celery tasks: load by id, call the service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="agreements.render_pdf", acks_late=True)
def render_agreement_pdf(agreement_id: int) -> str:
    from agreements.pdf import agreement_pdf_store

    return agreement_pdf_store(agreement_id=agreement_id)


@shared_task(name="agreements.instalments_fall_due")
def instalments_fall_due() -> int:
    from agreements.services import instalments_fall_due_by_date

    return instalments_fall_due_by_date()
