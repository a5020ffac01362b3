"""Signing: the partner signs, the HLO countersigns; each signature keeps the
content's digest; the PDF is made by Celery after commit.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.utils import timezone

from agreements import payments
from agreements.models import Agreement, InstalmentStatus, Milestone, Signature, SigningParty
from agreements.notifications import notify
from agreements.rules import countersign_refusal, sign_refusal
from agreements.services.common import CONSENT_STATEMENT, agreement_move
from agreements.services.drafts import _details
from agreements.services.instalments import _mark_due
from hubs.refusals import raise_first
from notices.services import enqueue_after_commit

# ── signing ──────────────────────────────────────────────────────────────────


def agreement_sign(
    *,
    agreement: Agreement,
    user: Any,
    full_name: str,
    role_title: str,
    consent: bool,
    ip_address: str | None = None,
    user_agent: str = "",
    render_pdf: bool = True,
) -> Signature:
    """The partner's electronic signature on the issued agreement: the
    partner's own move (`sign`), logged as theirs."""
    given = {"full_name": full_name, "role_title": role_title, "consent": consent}
    signed: list[Signature] = []

    def signature(locked: Agreement) -> dict[str, Any]:
        raise_first(sign_refusal(locked, user, **given))
        signed.append(_signature(locked, SigningParty.PARTNER, user, given, ip_address, user_agent))
        return {"signature": signed[0]}

    agreement_move(agreement, "sign", user, before=signature)
    notify(agreement=agreement, event="partner_signed", to="countersigners")
    if render_pdf:
        agreement_pdf_request(agreement=agreement)
    return signed[0]


def agreement_countersign(
    *,
    agreement: Agreement,
    user: Any,
    full_name: str,
    role_title: str,
    consent: bool,
    ip_address: str | None = None,
    user_agent: str = "",
    render_pdf: bool = True,
) -> Signature:
    """The HLO's countersignature (`countersign`, logged as the HLO's): the
    agreement is in force, a first agreement's commission goes live, and
    instalments due on signature fall due."""
    given = {"full_name": full_name, "role_title": role_title, "consent": consent}
    signed: list[Signature] = []

    def signature(locked: Agreement) -> dict[str, Any]:
        raise_first(countersign_refusal(locked, user, **given))
        signed.append(_signature(locked, SigningParty.HLO, user, given, ip_address, user_agent))
        return {"signature": signed[0]}

    def payments_begin(locked: Agreement) -> None:
        for instalment in locked.instalments.filter(
            milestone=Milestone.SIGNATURE, status=InstalmentStatus.SCHEDULED
        ):
            _mark_due(instalment, user, "The agreement was signed by both parties.")

    agreement_move(agreement, "countersign", user, before=signature, also=payments_begin)
    notify(agreement=agreement, event="countersigned", to="partner")
    if render_pdf:
        agreement_pdf_request(agreement=agreement)
    return signed[0]


def _signature(agreement, party, user, given, ip_address, user_agent) -> Signature:
    return Signature.objects.create(
        agreement=agreement,
        party=party,
        full_name=given["full_name"].strip(),
        role_title=given["role_title"].strip(),
        consent_statement=CONSENT_STATEMENT,
        user=user,
        signed_at=timezone.now(),
        ip_address=ip_address or None,
        user_agent=(user_agent or "")[:300],
        version_number=agreement.version_number,
        content_digest=content_digest(agreement),
    )


def content_digest(agreement: Agreement) -> str:
    """SHA-256 of what is signed: the text, term and schedule of this version."""
    content = {
        "sections": agreement.sections,
        "details": _details(agreement),
        "schedule": payments.snapshot(agreement.instalments.all()),
        "grant": str(agreement.grant_amount),
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


# ── the PDF ──────────────────────────────────────────────────────────────────


def agreement_pdf_request(*, agreement: Agreement) -> None:
    """Have the PDF (re)made by Celery once the transaction commits: after an
    approval and after each signature, or when someone asks for a missing one.
    `render_pdf=False` on the signing services leaves it to that first request
    (the demo loader signs dozens of agreements in one go)."""
    from agreements.tasks import render_agreement_pdf

    # If the broker is down, the PDF is made when it is first downloaded.
    enqueue_after_commit(render_agreement_pdf, agreement.pk)


def agreement_pdf_for_download(*, agreement: Agreement) -> Agreement:
    """The agreement with a PDF that says what it now says. A missing one is
    asked of Celery (the page says it is being prepared); a stored one older
    than the agreement's version or its latest signature (its task was lost)
    is made again now, so nobody downloads an agreement without the
    signatures it has."""
    from agreements.pdf import agreement_pdf_store, pdf_is_current

    if not agreement.pdf:
        agreement_pdf_request(agreement=agreement)  # runs at once without a broker
    elif not pdf_is_current(agreement):
        agreement_pdf_store(agreement_id=agreement.pk)
    agreement.refresh_from_db(fields=["pdf", "pdf_generated_at", "pdf_version"])
    return agreement
