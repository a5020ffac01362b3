"""Procurement's gates.

- `procurement_route_refusal(ctx)`: asked by every award of a commission
  (added to the award's rules through commissioning's hooks, so the
  commission page, a call's results, the API and the demo loader all ask
  it). Where the hub's council rules are in force, the route taken must be
  at least as open as the route the value's band needs, with its evidence;
  a less open route is a departure, which needs a recorded reason and the
  approval of the body the commission's award route names.
- `standstill_refusal(ctx)`: a public contract is not entered into (the HLO's
  countersignature) before its award notice is published and the standstill
  has run.
- One refusal function for each of procurement's own writes: recording the
  route, approving a departure, recording a change of value, marking a
  notice published.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q
from django.utils import timezone

from commissioning.policy import officer_refusal
from commissioning.workflow import Stage
from hubs.refusals import Refusal
from hubs.routes import decide_steps, is_member, money, route_for
from procurement import planning
from procurement.models import (
    CommissionKind,
    CommissionProcurement,
    NoticeKind,
    ProcurementRoute,
    ProcurementRules,
    ValueBand,
    route_meets,
)
from procurement.models.rules import QUOTES_NEEDED

BEFORE_AWARD = {Stage.NEEDS, Stage.IDENTIFY}
PANEL = "Record it in the procurement section of the commission page."


def rules_in_force(hub_id: int, day: date, holder: Any = None) -> ProcurementRules | None:
    """The hub's council rules in force on a day, with their bands (two
    queries), kept on `holder` (the commission a page or a move asks about),
    so the page's panel and the award's rule read them once."""
    memo = holder.__dict__.setdefault("_procurement_rules", {}) if holder is not None else {}
    if (hub_id, day) not in memo:
        memo[hub_id, day] = (
            ProcurementRules.objects.filter(hub_id=hub_id, effective_from__lte=day)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
            .prefetch_related(Prefetch("bands", queryset=ValueBand.objects.order_by("from_value")))
            .order_by("-effective_from")
            .first()
        )
    return memo[hub_id, day]


def record_of(commission: Any) -> CommissionProcurement | None:
    try:
        return commission.procurement
    except CommissionProcurement.DoesNotExist:
        return None


def band_needed(
    hub_id: int, value: Decimal, kind: str, day: date, holder: Any = None
) -> tuple[ProcurementRules | None, ValueBand | None]:
    rules = rules_in_force(hub_id, day, holder)
    return rules, (rules.band_for(value, kind) if rules else None)


def needs_words(rules: ProcurementRules, band: ValueBand, value: Decimal) -> str:
    return (
        f"Under {rules.name}, a value of {money(value)} ({band.words}) needs "
        f"{band.get_route_needed_display().lower()}"
    )


def departure_step(commission: Any, value: Decimal):
    """The decision step that approves a departure: the first decision of the
    commission's award route for its value and category."""
    route = route_for(commission.policy, "award", value, commission.service_category_id)
    steps = decide_steps(route)
    return steps[0] if steps else None


def approvals_of(procurement: CommissionProcurement) -> list:
    return [a for a in procurement.approvals.all() if a.round == procurement.departure_round]


def departure_approved(procurement: CommissionProcurement, value: Decimal) -> bool:
    step = departure_step(procurement.commission, value)
    return step is not None and len(approvals_of(procurement)) >= step.needed


def evidence_refusal(procurement: CommissionProcurement) -> Refusal | None:
    """What the route taken must show for itself, whatever the band."""
    route = procurement.route_taken
    wanted = QUOTES_NEEDED.get(route)
    if wanted and procurement.quotes_received < wanted:
        return Refusal(
            "quotes_missing",
            f"{ProcurementRoute(route).label} needs {wanted} quote{'s' if wanted > 1 else ''} "
            f"received; {procurement.quotes_received} recorded.",
            field="quotes_received",
        )
    if route == ProcurementRoute.OPEN_TENDER and not (
        procurement.procurement_reference or getattr(procurement.commission, "call", None)
    ):
        return Refusal(
            "tender_unevidenced",
            "An open tender needs its call for proposals or the council's procurement reference.",
            field="procurement_reference",
        )
    return None


def _award_value(ctx) -> Decimal:
    proposal = ctx.params.get("proposal")
    if proposal is not None:
        return Decimal(proposal.hub_grant_requested)
    grant = ctx.params.get("hub_grant_amount")
    return Decimal(ctx.commission.hub_grant_amount if grant in (None, "") else grant)


def procurement_route_refusal(ctx) -> Refusal | None:
    """The award's procurement rule (see the module docstring). It waits, not
    refuses: what it asks for is recorded on the commission page, not typed
    into the award."""
    commission = ctx.commission
    record = record_of(commission)
    day = record.started_on if record else timezone.localdate()
    kind = record.kind if record else CommissionKind.GRANT
    value = _award_value(ctx)
    rules, band = band_needed(commission.hub_id, value, kind, day, holder=commission)
    if band is None:
        return None
    needs = needs_words(rules, band, value)
    if record is None or not record.route_taken:
        return Refusal("procurement_not_recorded", f"{needs}. {PANEL}", waits=True)
    evidence = evidence_refusal(record)
    if evidence is not None:
        return Refusal(evidence.rule, f"{evidence.message} {PANEL}", waits=True)
    if route_meets(record.route_taken, band.route_needed):
        return None
    taken = record.get_route_taken_display().lower()
    if not record.departure_reason.strip():
        return Refusal(
            "departure_needs_reason",
            f"{needs}, and {taken} was recorded: a departure from the rules needs its reason. "
            f"{PANEL}",
            waits=True,
        )
    if record.departure_from != band.route_needed:
        return Refusal(
            "departure_for_another_band",
            f"{needs}; the departure recorded was from "
            f"{ProcurementRoute(record.departure_from or band.route_needed).label.lower()}. "
            f"{PANEL}",
            waits=True,
        )
    if not departure_approved(record, value):
        step = departure_step(commission, value)
        who = f"the {step.body_name}" if step else "the approving body"
        return Refusal(
            "departure_not_approved",
            f"{needs}, and {taken} was recorded: the departure awaits the approval of {who}.",
            waits=True,
        )
    return None


def standstill_refusal(ctx) -> Refusal | None:
    record = record_of(ctx.commission)
    if record is None or not planning.is_public_contract(record):
        return None
    notice = record.notices.filter(kind=NoticeKind.CONTRACT_AWARD).first()
    if notice is None or notice.published_at is None:
        return Refusal(
            "award_notice_unpublished",
            "This is a public contract: publish its contract award notice on the Central "
            "Digital Platform, and let the standstill run, before the contract is signed.",
            waits=True,
        )
    ends = planning.working_days_after(
        timezone.localdate(notice.published_at), planning.STANDSTILL_WORKING_DAYS
    )
    if timezone.localdate() <= ends:
        return Refusal(
            "standstill_running",
            f"The standstill runs until the end of {ends:%-d %B %Y} "
            f"({planning.STANDSTILL_WORKING_DAYS} working days after the award notice): "
            "the contract may be entered into after it.",
            waits=True,
        )
    return None


# ── procurement's own writes ─────────────────────────────────────────────────

ROUTE_FIELDS = ("kind", "route_taken", "quotes_received", "departure_reason", "started_on")


def procurement_record_refusal(
    commission: Any, who: Any, changes: dict[str, Any] | None = None
) -> Refusal | None:
    """Whether this person may record (or change) the commission's
    procurement; with `changes`, whether these values may be saved."""
    refusal = officer_refusal(who, commission, "record how it is procured")
    if refusal is not None or changes is None:
        return refusal
    record = record_of(commission)
    if record is not None and commission.status not in BEFORE_AWARD:
        for name in ROUTE_FIELDS:
            if name in changes and changes[name] != getattr(record, name):
                return Refusal(
                    "procurement_settled",
                    "The route was settled at the award; it is kept as it was recorded.",
                    field=name,
                )
    return vat_refusal(commission, record, changes)


def vat_refusal(commission: Any, record: Any, changes: dict[str, Any]) -> Refusal | None:
    """The VAT on the contract and the part of it that cannot be recovered
    (the Transparency Code's column): £0 or more, the part no more than the
    VAT charged nor than the contract's value."""
    for name, what in (
        ("vat_amount", "VAT"),
        ("vat_not_recoverable", "VAT that cannot be recovered"),
    ):
        if name in changes and (changes[name] is None or changes[name] < 0):
            return Refusal("vat_negative", f"Give the {what} as £0 or more.", field=name)
    kept = {
        n: getattr(record, n) if record else Decimal(0)
        for n in ("vat_amount", "vat_not_recoverable")
    }
    vat = changes.get("vat_amount", kept["vat_amount"])
    lost = changes.get("vat_not_recoverable", kept["vat_not_recoverable"])
    value = (
        planning.value_in_force(record, timezone.localdate())
        if record is not None and record.pk
        else commission.hub_grant_amount
    )
    if lost > value:
        return Refusal(
            "vat_more_than_value",
            f"The VAT that cannot be recovered ({money(lost)}) is more than the contract's "
            f"value ({money(value)}).",
            field="vat_not_recoverable",
        )
    if lost > vat:
        return Refusal(
            "vat_more_than_charged",
            f"The VAT that cannot be recovered ({money(lost)}) is more than the VAT charged "
            f"({money(vat)}).",
            field="vat_not_recoverable",
        )
    return None


def departure_approval_refusal(procurement: CommissionProcurement, who: Any) -> Refusal | None:
    commission = procurement.commission
    if commission.status not in BEFORE_AWARD:
        return Refusal("procurement_settled", "The commission is awarded: nothing to approve.")
    value = commission.hub_grant_amount
    if not procurement.departure_reason.strip() or not procurement.departure_from:
        return Refusal("no_departure", "No departure from the council's rules is recorded.")
    step = departure_step(commission, value)
    if step is None:
        return Refusal("no_award_route", "The policy names no one to approve an award.")
    user = getattr(who, "user", who)
    if not is_member(who, step, commission):
        return Refusal(
            "departure_approver_only",
            f"Only the {step.body_name} approve a departure from the council's rules.",
        )
    if step.separate and procurement.recorded_by_id == user.pk:
        return Refusal(
            "separate_decider", "Whoever recorded the departure may not approve it themselves."
        )
    if any(a.actor_id == user.pk for a in approvals_of(procurement)):
        return Refusal("already_approved", "You have already approved this departure.")
    return None


def value_change_refusal(
    procurement: CommissionProcurement, who: Any, value: Any = None, effective_on: Any = None
) -> Refusal | None:
    commission = procurement.commission
    refusal = officer_refusal(who, commission, "record a change of value")
    if refusal is not None:
        return refusal
    if commission.status in BEFORE_AWARD or commission.status == Stage.WITHDRAWN:
        return Refusal("not_awarded", "The value is recorded at the award; change it after that.")
    if value is not None and value < 0:
        return Refusal("value_negative", "A value cannot be below £0.", field="value")
    first = procurement.values.order_by("effective_on").first()
    if effective_on is not None and first is not None and effective_on < first.effective_on:
        return Refusal(
            "before_first_value",
            f"The first value is in force from {first.effective_on:%-d %B %Y}; a change "
            "comes after it.",
            field="effective_on",
        )
    return None


def notice_publish_refusal(notice: Any, who: Any, notice_id: str | None = None) -> Refusal | None:
    refusal = officer_refusal(who, notice.procurement.commission, "mark a notice published")
    if refusal is not None:
        return refusal
    if notice.published_at is not None:
        return Refusal("already_published", f"Already published as {notice.notice_id}.")
    if notice.due_by is None:
        return Refusal(
            "notice_not_yet_due", "Nothing to publish yet: what starts its clock has not happened."
        )
    if notice_id is not None and not notice_id.strip():
        return Refusal(
            "notice_id_required",
            "Give the notice id the Central Digital Platform gave it.",
            field="notice_id",
        )
    return None
