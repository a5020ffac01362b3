"""Procurement's writes: each in one transaction on a locked row, its gate
(procurement/rules.py) asked first and raised.

The notices a contract owes are kept in step by `notices_sync`, after every
move of its commission (a follower registered in ProcurementConfig.ready),
and after each write here: a notice is added when it becomes owed, its due
date set once its clock starts, and one no longer owed (the value fell below
the threshold) is dropped, unless it was already published, which is never
changed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from commissioning.models import Commission
from hubs.refusals import Refusal, Refused, raise_first
from procurement import planning, rules
from procurement.models import (
    CommissionProcurement,
    ContractValue,
    DepartureApproval,
    Notice,
)

RECORD_FIELDS = (
    "kind",
    "route_taken",
    "quotes_received",
    "evidence",
    "procurement_reference",
    "started_on",
    "advertised_on",
    "light_touch",
    "vat_amount",
    "vat_not_recoverable",
    "supplier_is_sme",
    "supplier_is_vcs",
    "departure_reason",
)
# A change to any of these is something an approver did not see.
ROUND_FIELDS = ("kind", "route_taken", "quotes_received", "departure_reason", "started_on")


def _locked(commission: Commission) -> Commission:
    return (
        Commission.objects.select_for_update(of=("self",))
        .select_related("hub", "policy", "partner")
        .get(pk=commission.pk)
    )


def procurement_record(
    *, commission: Commission, user: Any, **values: Any
) -> CommissionProcurement:
    """Record (or change) how the commission is procured."""
    values = {k: v for k, v in values.items() if k in RECORD_FIELDS}
    with transaction.atomic():
        locked = _locked(commission)
        raise_first(rules.procurement_record_refusal(locked, user, values))
        record = rules.record_of(locked)
        if record is None:
            record = CommissionProcurement(
                hub_id=locked.hub_id,
                commission=locked,
                recorded_by=user,
                started_on=timezone.localdate(),
            )
        changed = record.pk is None or any(
            name in values and values[name] != getattr(record, name) for name in ROUND_FIELDS
        )
        for name, value in values.items():
            setattr(record, name, value)
        record.departure_reason = (record.departure_reason or "").strip()
        record.departure_from = _departing_from(record, locked)
        if changed and record.pk is not None:
            record.departure_round += 1  # approvals given before do not cover this
        if changed:
            record.recorded_by = user
        record.full_clean(exclude=["commission", "hub", "recorded_by"])
        record.save()
        if locked.status not in rules.BEFORE_AWARD and not record.values.exists():
            awarded = planning.dates_of(locked.pk).awarded_on or timezone.localdate()
            ContractValue.objects.create(
                procurement=record,
                value=locked.hub_grant_amount,
                effective_on=awarded,
                reason="The value awarded.",
                recorded_by=user,
            )
        notices_sync(record)
    return record


def _departing_from(record: CommissionProcurement, commission: Commission) -> str:
    """The route the value needs, when the route taken is less open."""
    if not record.route_taken:
        return ""
    _, band = rules.band_needed(
        commission.hub_id, commission.hub_grant_amount, record.kind, record.started_on
    )
    if band is None or rules.route_meets(record.route_taken, band.route_needed):
        return ""
    return band.route_needed


def departure_approve(*, procurement: CommissionProcurement, user: Any) -> DepartureApproval:
    with transaction.atomic():
        _locked(procurement.commission)
        fresh = CommissionProcurement.objects.select_related(
            "commission__policy", "commission__hub"
        ).get(pk=procurement.pk)
        raise_first(rules.departure_approval_refusal(fresh, user))
        step = rules.departure_step(fresh.commission, fresh.commission.hub_grant_amount)
        return DepartureApproval.objects.create(
            procurement=fresh, round=fresh.departure_round, body_name=step.body_name, actor=user
        )


def procurement_value_change(
    *,
    procurement: CommissionProcurement,
    user: Any,
    value: Decimal,
    effective_on: date,
    reason: str,
) -> ContractValue:
    with transaction.atomic():
        _locked(procurement.commission)
        fresh = CommissionProcurement.objects.select_related("commission__hub").get(
            pk=procurement.pk
        )
        raise_first(rules.value_change_refusal(fresh, user, value, effective_on))
        if not reason.strip():
            raise Refused(Refusal("reason_required", "Say why the value changed.", "reason"))
        change = ContractValue.objects.create(
            procurement=fresh,
            value=value,
            effective_on=effective_on,
            reason=reason.strip(),
            recorded_by=user,
        )
        notices_sync(fresh)
    return change


def notice_publish(*, notice: Notice, user: Any, notice_id: str) -> Notice:
    """The officer published the notice on the Central Digital Platform."""
    with transaction.atomic():
        locked = (
            Notice.objects.select_for_update(of=("self",))
            .select_related("procurement__commission__hub")
            .get(pk=notice.pk)
        )
        raise_first(rules.notice_publish_refusal(locked, user, notice_id))
        locked.notice_id = notice_id.strip()
        locked.published_at = timezone.now()
        locked.published_by = user
        locked.save(update_fields=["notice_id", "published_at", "published_by"])
    return locked


def notices_sync(record: CommissionProcurement) -> None:
    """Make the stored notices what the plan says (see the module docstring)."""
    plan = {p.kind: p for p in planning.notice_plan(record)}
    stored = {n.kind: n for n in Notice.objects.filter(procurement=record)}
    for kind, notice in stored.items():
        if notice.published_at is not None:
            continue
        if kind not in plan:
            notice.delete()
        elif (notice.due_by, notice.why) != (plan[kind].due_by, plan[kind].why):
            notice.due_by, notice.why = plan[kind].due_by, plan[kind].why
            notice.save(update_fields=["due_by", "why"])
    Notice.objects.bulk_create(
        [
            Notice(hub_id=record.hub_id, procurement=record, kind=k, due_by=p.due_by, why=p.why)
            for k, p in plan.items()
            if k not in stored
        ]
    )


def follow_commission_move(locked: Commission, log: Any) -> None:
    """Inside every move's transaction: the value awarded starts the value
    history, and the contract's notices follow the move."""
    record = rules.record_of(locked)
    if record is None:
        return
    if log.action == "award" and not record.values.exists():
        ContractValue.objects.create(
            procurement=record,
            value=locked.hub_grant_amount,
            effective_on=timezone.localdate(log.created_at),
            reason="The value awarded.",
            recorded_by=log.actor,
        )
    if record.is_contract:
        notices_sync(record)
