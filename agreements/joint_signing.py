"""A co-applicant's signature on a joint partnership's agreement: typed
name, role and consent, with the time, account, address and the digest of
what was signed, as the lead's signature keeps; the PDF is made again after
commit. The HLO countersigns once every partner has signed."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from agreements.joint_rules import co_sign_refusal, co_signing_partner
from agreements.models import Agreement, CoSignature
from agreements.notifications import recipients
from agreements.services.common import CONSENT_STATEMENT
from agreements.services.signing import agreement_pdf_request, content_digest
from commissioning.models import CommissionPartner
from hubs.refusals import raise_first
from notices.services import notify


def agreement_co_sign(
    *,
    agreement: Agreement,
    user: Any,
    full_name: str,
    role_title: str,
    consent: bool,
    ip_address: str | None = None,
    user_agent: str = "",
    render_pdf: bool = True,
) -> CoSignature:
    given = {"full_name": full_name, "role_title": role_title, "consent": consent}
    with transaction.atomic():
        locked = (
            Agreement.objects.select_for_update(of=("self",))
            .select_related("hub", "commission", "commission__hub", "commission__partner")
            .get(pk=agreement.pk)
        )
        raise_first(co_sign_refusal(locked, user, **given))
        cp = co_signing_partner(locked, user)
        signature = CoSignature.objects.create(
            agreement=locked,
            partner_id=cp.partner_id,
            full_name=full_name.strip(),
            role_title=role_title.strip(),
            consent_statement=CONSENT_STATEMENT,
            user=user,
            signed_at=timezone.now(),
            ip_address=ip_address or None,
            user_agent=(user_agent or "")[:300],
            version_number=locked.version_number,
            content_digest=content_digest(locked),
        )
        c = locked.commission
        notify(
            hub=locked.hub,
            recipients=recipients(locked, "countersigners"),
            kind="agreement_co_signed",
            subject=f"[{locked.hub.name}] {c.reference}: {cp.partner} has signed the joint "
            "partnership agreement",
            body=f"{c.reference} {c.title}\n{cp.partner} signed as a co-applicant of "
            f"{c.partner}'s joint partnership, period {locked.period_number}.",
            url=reverse(
                "agreements:detail", args=[locked.hub.slug, c.reference, locked.period_number]
            ),
        )
    if render_pdf:
        agreement_pdf_request(agreement=agreement)
    return signature


def co_sign_todos(access) -> dict[str, Q]:
    """A co-applicant's contact signs while its signature is missing
    (commissioning/hooks.py to-do source)."""
    if not access.partner_ids:
        return {}
    named = CommissionPartner.objects.filter(
        commission=OuterRef("pk"), partner_id__in=access.partner_ids, is_lead=False
    )
    unsigned = Agreement.objects.filter(
        commission=OuterRef("pk"), status__in=["issued", "partner_signed"]
    ).exclude(
        Exists(
            CoSignature.objects.filter(agreement=OuterRef("pk"), partner_id__in=access.partner_ids)
        )
    )
    return {"Sign the joint partnership agreement": Q(Exists(named)) & Q(Exists(unsigned))}
