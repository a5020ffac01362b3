"""What agreements' services share: the consent a signatory gives, the row
locks (the commission first, then the agreement) and the one way an
agreement makes a move: the first agreement's moves are its commission's
(commissioning's services, whose follower moves the agreement), a renewal's
are made here under the same rules and written to the commission's log.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from agreements.models import Agreement, AgreementStatus
from commissioning import services as cs
from commissioning.models import Commission, TransitionLog
from commissioning.policy import move_refusal
from commissioning.routing import COMMENT_MOVES, DECISION_MOVES, decision_record, window_days
from hubs.refusals import raise_first

A = AgreementStatus

CONSENT_STATEMENT = (
    "I have read this partnership agreement, I am authorised to sign it on behalf of the "
    "organisation named, and I agree that typing my full name and confirming here is my "
    "signature, with the same effect as a handwritten one."
)


def _lock_commission(commission: Commission) -> Commission:
    return (
        Commission.objects.select_for_update(of=("self",))
        .select_related("hub", "policy", "partner", "need")
        .get(pk=commission.pk)
    )


def _lock(agreement: Agreement) -> Agreement:
    return (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("commission", "commission__hub", "commission__policy", "hub")
        .get(pk=agreement.pk)
    )


def renewal_log_reason(agreement: Agreement, reason: str = "") -> str:
    """How a renewal's move reads in the commission's log (and is told apart)."""
    said = f"Period {agreement.period_number} agreement"
    return f"{said}: {reason.strip()}" if reason.strip() else said


def agreement_move(
    agreement: Agreement,
    action: str,
    user: Any,
    *,
    reason: str = "",
    before: Callable[[Agreement], dict[str, Any]] | None = None,
    also: Callable[[Agreement], None] | None = None,
) -> Agreement:
    """Make one of the agreement's moves through the one gate, in one
    transaction on the locked rows. `before` makes what the move is made
    with (a signature) and returns it as the move's parameters, for the gate
    to judge; `also` writes what follows from the move (instalments due)."""
    with transaction.atomic():
        commission = _lock_commission(agreement.commission)
        locked = _lock(agreement)
        params = before(locked) if before is not None else {}
        if agreement.is_first:
            cs.commission_take(
                commission=commission, user=user, action=action, reason=reason, **params
            )
        else:
            raise_first(move_refusal(locked, action, user, reason=reason, **params))
            closes_at = None
            if action in COMMENT_MOVES:
                closes_at = timezone.now() + timedelta(days=window_days(locked, action))
            moves_on = action not in DECISION_MOVES or decision_record(locked, action, user, reason)
            if moves_on:
                getattr(locked, action)(user=user, reason=reason, closes_at=closes_at)
                locked.save()
            TransitionLog.objects.create(
                hub_id=commission.hub_id,
                commission=commission,
                actor=user,
                action=action,
                from_stage=commission.status,
                to_stage=commission.status,
                reason=renewal_log_reason(locked, reason),
            )
        if also is not None:
            also(locked)
    agreement.refresh_from_db()
    return agreement
