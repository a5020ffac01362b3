"""Payments: instalments go due (on a date, at a milestone or by hand), are
approved, then paid. Each move asks agreements.rules.instalment_refusal.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from agreements.models import Agreement, Instalment, InstalmentStatus
from agreements.notifications import notify
from agreements.rules import instalment_refusal
from agreements.services.common import A
from hubs.refusals import raise_first

# ── payments ─────────────────────────────────────────────────────────────────


def _locked(instalment: Instalment) -> Instalment:
    return (
        Instalment.objects.select_for_update(of=("self",))
        .select_related("agreement", "agreement__hub", "agreement__commission")
        .get(pk=instalment.pk)
    )


def instalment_mark_due(*, instalment: Instalment, user: Any, reason: str = "") -> Instalment:
    """An instalment falls due: at its milestone (a monitoring report accepted
    calls this), or when an officer says so."""
    with transaction.atomic():
        locked = _locked(instalment)
        raise_first(instalment_refusal(locked, "mark_due", user))
        _mark_due(locked, user, reason)
    instalment.refresh_from_db()
    return instalment


def instalment_due_at_milestone(
    *, agreement: Agreement, milestone: str, user: Any, reason: str = ""
) -> Instalment | None:
    """The next scheduled instalment tied to `milestone` falls due (monitoring
    calls this with "report_accepted" when it accepts a report); None when
    no instalment waits on that milestone."""
    waiting = agreement.instalments.filter(milestone=milestone, status=InstalmentStatus.SCHEDULED)
    instalment = waiting.order_by("position").first()
    if instalment is None:
        return None
    return instalment_mark_due(instalment=instalment, user=user, reason=reason)


def _mark_due(instalment: Instalment, user: Any, reason: str) -> None:
    instalment.status = InstalmentStatus.DUE
    instalment.due_at = timezone.now()
    instalment.due_reason = reason.strip()[:300]
    instalment.save(update_fields=["status", "due_at", "due_reason"])
    notify(agreement=instalment.agreement, event="instalment_due", to="approvers")


def instalment_approve(*, instalment: Instalment, user: Any) -> Instalment:
    with transaction.atomic():
        locked = _locked(instalment)
        raise_first(instalment_refusal(locked, "approve", user))
        locked.status = InstalmentStatus.APPROVED
        locked.approved_by, locked.approved_at = user, timezone.now()
        locked.save(update_fields=["status", "approved_by", "approved_at"])
    notify(agreement=instalment.agreement, event="instalment_approved", to="officers")
    instalment.refresh_from_db()
    return instalment


def instalment_mark_paid(*, instalment: Instalment, user: Any, reference: str = "") -> Instalment:
    with transaction.atomic():
        locked = _locked(instalment)
        raise_first(instalment_refusal(locked, "paid", user))
        locked.status = InstalmentStatus.PAID
        locked.paid_by, locked.paid_at = user, timezone.now()
        locked.payment_reference = reference.strip()[:100]
        locked.save(update_fields=["status", "paid_by", "paid_at", "payment_reference"])
    instalment.refresh_from_db()
    return instalment


def instalments_fall_due_by_date(*, today: date | None = None) -> int:
    """Mark due every scheduled instalment of a signed agreement whose date has
    come (run daily by Celery beat)."""
    today = today or timezone.localdate()
    ids = Instalment.objects.filter(
        status=InstalmentStatus.SCHEDULED, due_on__lte=today, agreement__status=A.SIGNED
    ).values_list("pk", flat=True)
    count = 0
    for pk in ids:
        with transaction.atomic():
            instalment = Instalment.objects.select_for_update().get(pk=pk)
            if instalment.status == InstalmentStatus.SCHEDULED:
                _mark_due(instalment, None, f"Due on {instalment.due_on:%-d %B %Y}.")
                count += 1
    return count
