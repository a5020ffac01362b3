"""The agreement as a PDF: its sections, schedule and a signature page with
the audit trail. Rendered by a Celery task after commit (agreements/tasks.py)
and stored privately under MEDIA_ROOT; served only through a checked view."""

from __future__ import annotations

import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from agreements import payments
from agreements.models import Agreement
from commissioning.models import TransitionLog
from hubs.pdf import render_pdf

AGREEMENT_MOVES = [
    "award",
    "send_to_board",
    "submit_for_approval",
    "close_board_comment",
    "approve",
    "return_to_draft",
    "sign",
]


def agreement_pdf_context(agreement: Agreement) -> dict:
    commission = agreement.commission
    instalments = list(agreement.instalments.all())
    return {
        "agreement": agreement,
        "commission": commission,
        "hub": agreement.hub,
        "partner": commission.partner,
        "rows": payments.as_rows(instalments, agreement.grant_amount),
        "signatures": list(agreement.signatures.select_related("user")),
        "versions": list(agreement.versions.select_related("created_by")),
        "log": list(
            TransitionLog.objects.filter(commission=commission, action__in=AGREEMENT_MOVES)
            .select_related("actor")
            .order_by("created_at", "pk")
        ),
        "generated_at": timezone.now(),
    }


def agreement_pdf_bytes(agreement: Agreement) -> bytes:
    html = render_to_string("agreements/pdf.html", agreement_pdf_context(agreement))
    return render_pdf(html)


def agreement_pdf_store(*, agreement_id: int) -> str:
    """Render and keep the PDF of the agreement as it now stands."""
    agreement = Agreement.objects.select_related(
        "commission", "commission__partner", "commission__hub", "hub"
    ).get(pk=agreement_id)
    pdf = agreement_pdf_bytes(agreement)
    name = f"{agreement.hub.slug}/{agreement.commission.reference}-p{agreement.period_number}"
    name += f"-v{agreement.version_number}-{secrets.token_hex(8)}.pdf"
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement_id)
        old = locked.pdf.name if locked.pdf else ""
        locked.pdf.save(name, ContentFile(pdf), save=False)
        locked.pdf_version = locked.version_number
        locked.pdf_generated_at = timezone.now()
        locked.save(update_fields=["pdf", "pdf_version", "pdf_generated_at"])
    if old and old != locked.pdf.name:
        locked.pdf.storage.delete(old)
    return locked.pdf.name
