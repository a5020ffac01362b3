"""Signing: the partner signs, the HLO countersigns; each signature keeps the
content's digest; the PDF is made by Celery after commit.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import transaction
from django.utils import timezone

from agreements import payments
from agreements.models import Agreement, InstalmentStatus, Milestone, Signature, SigningParty
from agreements.notifications import notify
from agreements.rules import AgreementRefused, may_countersign, refuse
from agreements.services.common import CONSENT_STATEMENT, A, _lock, _lock_commission
from agreements.services.drafts import _details
from agreements.services.instalments import _mark_due
from commissioning import services as cs
from commissioning.workflow import Stage
from hubs.models import Membership, Role
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
    """The partner's electronic signature on the issued agreement."""
    with transaction.atomic():
        _lock_commission(agreement.commission)
        locked = _lock(agreement)
        if not Membership.objects.filter(
            hub_id=locked.hub_id,
            user=user,
            role=Role.PARTNER_CONTACT,
            partner_id=locked.commission.partner_id,
        ).exists():
            raise AgreementRefused(
                f"Only a named contact of {locked.commission.partner} can sign for it."
            )
        if locked.status != A.ISSUED:
            raise AgreementRefused(
                f"This agreement is '{locked.get_status_display()}'; it can be signed once "
                "it has been approved and issued."
            )
        signature = _signature(
            locked,
            SigningParty.PARTNER,
            user,
            full_name,
            role_title,
            consent,
            ip_address,
            user_agent,
        )
        locked.status = A.PARTNER_SIGNED
        locked.save(update_fields=["status", "updated_at"])
    notify(agreement=agreement, event="partner_signed", to="countersigners")
    if render_pdf:
        agreement_pdf_request(agreement=agreement)
    return signature


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
    """The HLO's countersignature: the agreement is in force, the commission
    moves to monitoring and instalments due on signature fall due."""
    with transaction.atomic():
        commission = _lock_commission(agreement.commission)
        locked = _lock(agreement)
        refuse(may_countersign(user, locked))
        if locked.status != A.PARTNER_SIGNED:
            raise AgreementRefused(
                "The partner signs first; the Hub Lead Organisation then countersigns."
            )
        partner_signature = locked.signatures.get(party=SigningParty.PARTNER)
        if partner_signature.user_id == user.pk:
            raise AgreementRefused(
                "You signed for the delivery partner, so a different person must countersign "
                "for the Hub Lead Organisation."
            )
        signature = _signature(
            locked, SigningParty.HLO, user, full_name, role_title, consent, ip_address, user_agent
        )
        if locked.is_first and commission.status == Stage.ISSUED:
            # The commission's "sign" move: the partner's signature, now complete.
            cs.commission_sign(commission=commission, user=partner_signature.user)
        else:
            locked.status = A.SIGNED
            locked.save(update_fields=["status", "updated_at"])
        for instalment in locked.instalments.filter(
            milestone=Milestone.SIGNATURE, status=InstalmentStatus.SCHEDULED
        ):
            _mark_due(instalment, user, "The agreement was signed by both parties.")
    notify(agreement=agreement, event="countersigned", to="partner")
    if render_pdf:
        agreement_pdf_request(agreement=agreement)
    return signature


def _signature(
    agreement, party, user, full_name, role_title, consent, ip_address, user_agent
) -> Signature:
    if not full_name.strip():
        raise AgreementRefused("Type your full name to sign.", field="full_name")
    if not role_title.strip():
        raise AgreementRefused("Give your role in the organisation.", field="role_title")
    if not consent:
        raise AgreementRefused(
            "Confirm the statement to sign: it is what makes this your signature.",
            field="consent",
        )
    if agreement.signatures.filter(party=party).exists():
        raise AgreementRefused("This agreement has already been signed for that party.")
    return Signature.objects.create(
        agreement=agreement,
        party=party,
        full_name=full_name.strip(),
        role_title=role_title.strip(),
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
