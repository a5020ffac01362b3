"""What every agreement page shares: loading the agreement the person may
see (anything else is a 404), the way back to it, and turning a refusal into
an answer: a role refusal ("not yours to do") is a 403 with the reason, any
other is shown on the page."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import redirect

from agreements import selectors as sel
from agreements.models import Agreement
from commissioning.selectors import commission_for
from hubs.access import hub_access
from hubs.refusals import Refusal


def load(request, hub_slug: str, reference: str, period: int):
    access = hub_access(request, hub_slug)
    commission = commission_for(access, reference)
    return access, sel.agreement_for(access, commission, period)


def back(agreement: Agreement):
    return redirect(
        "agreements:detail",
        hub_slug=agreement.hub.slug,
        reference=agreement.commission.reference,
        period=agreement.period_number,
    )


def forbid_role(refusal: Refusal | None) -> None:
    """A refusal that says the step is not this person's is a 403."""
    if refusal is not None and refusal.is_role:
        raise PermissionDenied(refusal.message)


def forbid(refusal: Refusal | None) -> None:
    if refusal is not None:
        raise PermissionDenied(refusal.message)


def client_ip(request: HttpRequest) -> str | None:
    proxies = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [ip.strip() for ip in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= proxies:
            return forwarded[-proxies] or None
    return request.META.get("REMOTE_ADDR") or None


def field_of(refused, form) -> str | None:
    return refused.field if refused.field in form.fields else None
