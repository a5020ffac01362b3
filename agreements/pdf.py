"""The agreement as a PDF: its sections, schedule and a signature page with
the audit trail. Rendered by a Celery task after commit (agreements/tasks.py)
and stored privately on the default storage (MEDIA_ROOT, or the S3 bucket of
config/settings/storage.py); served only through a checked view."""

from __future__ import annotations

import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from agreements import payments
from agreements.drafting import kpi_schedule
from agreements.models import Agreement
from commissioning.joint import partners_of
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
    "countersign",
    "withdraw",
]


def agreement_pdf_context(agreement: Agreement, *, audit: bool = False) -> dict:
    """What the PDF shows. Everyone's copy names who signed, in what role and
    when; only the `audit` copy (for HLO staff) adds their accounts' email
    addresses and the IP addresses they signed from."""
    commission = agreement.commission
    instalments = list(agreement.instalments.all())
    return {
        "agreement": agreement,
        "commission": commission,
        "hub": agreement.hub,
        "partner": commission.partner,
        "rows": payments.as_rows(instalments, agreement.grant_amount, agreement.capital_amount),
        "kpi_schedule": kpi_schedule(agreement),
        "signatures": list(agreement.signatures.select_related("user")),
        # A joint partnership: every partner, and each co-applicant's signature.
        "joint_partners": partners_of(commission),
        "co_signatures": list(agreement.co_signatures.select_related("user", "partner")),
        "versions": list(agreement.versions.select_related("created_by")),
        "log": _history(agreement),
        "audit": audit,
        "generated_at": timezone.now(),
    }


def _history(agreement: Agreement) -> list[TransitionLog]:
    """The commission's log entries about this agreement: a renewal's are
    the ones its moves wrote (common.renewal_log_reason), the first
    agreement's are the rest."""
    entries = TransitionLog.objects.filter(
        commission_id=agreement.commission_id, action__in=AGREEMENT_MOVES
    )
    if agreement.is_first:
        entries = entries.exclude(reason__regex=r"^Period [0-9]+ agreement")
    else:
        entries = entries.filter(reason__regex=rf"^Period {agreement.period_number} agreement(:|$)")
    return list(entries.select_related("actor").order_by("created_at", "pk"))


def pdf_is_current(agreement: Agreement) -> bool:
    """Whether the stored PDF was made from this version, after its latest
    signature."""
    if not agreement.pdf or agreement.pdf_generated_at is None:
        return False
    if agreement.pdf_version != agreement.version_number:
        return False
    latest = agreement.signatures.aggregate(at=Max("signed_at"))["at"]
    co_latest = agreement.co_signatures.aggregate(at=Max("signed_at"))["at"]
    latest = max((at for at in (latest, co_latest) if at is not None), default=None)
    return latest is None or latest <= agreement.pdf_generated_at


def agreement_pdf_bytes(agreement: Agreement, *, audit: bool = False) -> bytes:
    html = render_to_string("agreements/pdf.html", agreement_pdf_context(agreement, audit=audit))
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
