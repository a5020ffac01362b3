"""The gate of every write to a variation of a signed agreement. Each
`variation_<write>_refusal(...)` returns the first refusal or None: the
service (agreements/variations.py) raises it, the page asks the same
function (leaving out what judges typed input: `None` for an input means
"not judged yet") to decide what it offers.

A variation runs the route the commission's policy sets for variations
(DecisionKind.VARIATION; a policy without one decides variations as it
decides awards, hubs.decision_routes.FALLBACK): a comment step opens a
window when it is proposed (a required one holds the decision until it
closes or every member has commented), then each decide step needs its
members' approvals; one refusal ends it.

`who` is a HubAccess (pages) or a user (services); hubs.routes answers both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from agreements.models import (
    Agreement,
    AgreementStatus,
    Instalment,
    InstalmentStatus,
    Variation,
    VariationStatus,
)
from agreements.payments import values
from agreements.rules import _signature_given
from agreements.rules_streams import funding_refusal
from agreements.variation_kpis import KpiChange, kpi_changes_refusal
from agreements.variation_models import OPEN_VARIATION, VariationOutcome
from commissioning.models import FundingStream
from commissioning.policy import officer_refusal
from commissioning.workflow import Stage
from hubs.access import runs_commission
from hubs.decision_routes import DecisionKind, RouteStep
from hubs.models import Membership, Role
from hubs.refusals import Refusal, first
from hubs.routes import comment_step, decide_steps, is_member, members_of, route_for

V = VariationStatus
REASON_MAX = 3000


@dataclass
class Change:
    """What a proposal changes, as typed: None (or an absent key) is "as now"."""

    reason: str = ""
    sections: dict[str, str] = field(default_factory=dict)
    starts_on: date | None = None
    ends_on: date | None = None
    hub_grant_amount: Decimal | None = None
    hub_grant_capital: Decimal | None = None
    kpi_changes: str = ""
    kpis: list[KpiChange] = field(default_factory=list)


def _user(who: Any) -> Any:
    return getattr(who, "user", who)


def is_partner_of(who: Any, commission: Any) -> bool:
    ids = getattr(who, "partner_ids", None)
    if ids is not None:
        return commission.partner_id in ids
    return Membership.objects.filter(
        hub_id=commission.hub_id,
        user_id=_user(who).pk,
        role=Role.PARTNER_CONTACT,
        partner_id=commission.partner_id,
    ).exists()


# ── the route ────────────────────────────────────────────────────────────────


def route_of(variation_or_agreement: Any, grant: Decimal | None = None):
    agreement = getattr(variation_or_agreement, "agreement", variation_or_agreement)
    c = agreement.commission
    if grant is None and isinstance(variation_or_agreement, Variation):
        grant = variation_or_agreement.hub_grant_amount
    value = c.hub_grant_amount if grant is None else grant
    return route_for(c.policy, DecisionKind.VARIATION, value, c.service_category_id)


@dataclass(frozen=True)
class Standing:
    comment: RouteStep | None
    decides: list[RouteStep]
    awaited: RouteStep | None  # the decide step the variation waits on
    approved_by: tuple[int, ...]  # at the awaited step


def standing(variation: Variation) -> Standing:
    """Where the variation's decision stands, from its decisions (read once
    per variation object)."""
    route = route_of(variation)
    decides = decide_steps(route)
    cache = variation.__dict__
    if "_decisions" not in cache:
        cache["_decisions"] = list(variation.decisions.all())
    approvals = [d for d in cache["_decisions"] if d.outcome == VariationOutcome.APPROVE]
    for step in decides:
        approved = tuple(d.actor_id for d in approvals if d.step_position == step.position)
        if len(approved) < step.needed:
            return Standing(comment_step(route), decides, step, approved)
    return Standing(comment_step(route), decides, None, ())


def all_commented(variation: Variation, step: RouteStep) -> bool:
    members = set(members_of(step, variation.agreement.commission).values_list("pk", flat=True))
    commented = set(variation.comments.values_list("author_id", flat=True))
    return bool(members) and members <= commented


# ── proposing ────────────────────────────────────────────────────────────────


def committed_by_stream(instalments: list[Instalment], grant, capital) -> dict[str, Decimal]:
    """What is already due, approved or paid, per funding stream: a change of
    funding cannot take a stream below it."""
    kept = dict.fromkeys(FundingStream.values, Decimal(0))
    for item, value in zip(instalments, values(instalments, grant, capital), strict=True):
        if item.status != InstalmentStatus.SCHEDULED:
            kept[item.stream] += value
    return kept


def _who_may_propose(who: Any, agreement: Agreement) -> Refusal | None:
    c = agreement.commission
    if runs_commission(who, c) or is_partner_of(who, c):
        return None
    return Refusal(
        "officer_only",
        f"Only HLO staff running this commission or a named contact of {c.partner} can "
        "propose a change to its agreement.",
    )


def variation_propose_refusal(
    agreement: Agreement, who: Any, *, change: Change | None = None
) -> Refusal | None:
    """Proposing a variation. Without `change`, whether a proposal may be made
    at all (what the page asks before it offers the form)."""
    c = agreement.commission
    refusal = _who_may_propose(who, agreement)
    if refusal is not None:
        return refusal
    if agreement.status != AgreementStatus.SIGNED:
        return Refusal(
            "not_signed",
            "Only a signed agreement can be varied; until it is signed, change the draft "
            "itself (an approver can return it to draft).",
        )
    if c.status != Stage.MONITORING:
        return Refusal("not_live", "Only the agreement of a live partnership can be varied.")
    open_one = next((v for v in variations_read(agreement) if v.status in OPEN_VARIATION), None)
    if open_one is not None:
        return Refusal(
            "variation_open",
            f"Variation {open_one.number} is still open ({open_one.get_status_display().lower()}); "
            "one change at a time: it is decided, signed or withdrawn first.",
        )
    if not decide_steps(route_of(agreement)):
        return Refusal(
            "no_route",
            f"{c.hub.name}'s policy names no one to decide a variation; a hub admin sets it in "
            "the policy's decision routes.",
        )
    return None if change is None else change_refusal(agreement, change)


def change_refusal(agreement: Agreement, change: Change) -> Refusal | None:
    """What a proposed change itself must be, each beside its field."""
    c = agreement.commission
    reason = change.reason.strip()
    if not reason:
        return Refusal("reason_required", "Say why the change is needed.", "reason")
    if len(reason) > REASON_MAX:
        return Refusal("text_too_long", f"Keep it to {REASON_MAX:,} characters.", "reason")
    keys = {s["key"] for s in agreement.sections}
    if set(change.sections) - keys:
        return Refusal("no_such_section", "Change only the sections of this agreement.")
    starts = change.starts_on or agreement.starts_on
    ends = change.ends_on or agreement.ends_on
    if ends <= starts:
        return Refusal("term_order", "The agreement must end after it starts.", "ends_on")
    grant = c.hub_grant_amount if change.hub_grant_amount is None else change.hub_grant_amount
    capital = c.hub_grant_capital if change.hub_grant_capital is None else change.hub_grant_capital
    if grant <= 0:
        return Refusal("grant_positive", "The Hub grant must be more than £0.", "hub_grant_amount")
    if (grant, capital) != (c.hub_grant_amount, c.hub_grant_capital):
        refusal = first(
            funding_refusal(c, grant, capital),
            _below_committed(agreement, grant, capital),
        )
        if refusal is not None:
            return refusal
    refusal = kpi_changes_refusal(agreement, change.kpis)
    if refusal is not None:
        return refusal
    changed = (
        any(agreement.section(k)["body"] != v.strip() for k, v in change.sections.items())
        or (starts, ends) != (agreement.starts_on, agreement.ends_on)
        or (grant, capital) != (c.hub_grant_amount, c.hub_grant_capital)
        or bool(change.kpi_changes.strip())
        or bool(change.kpis)
    )
    if not changed:
        return Refusal(
            "no_change",
            "Nothing is changed: change the text, the term, the funding or the KPIs.",
        )
    return None


def _below_committed(agreement: Agreement, grant: Decimal, capital: Decimal) -> Refusal | None:
    instalments = list(agreement.instalments.all())
    kept = committed_by_stream(instalments, agreement.grant_amount, agreement.capital_amount)
    parts = {FundingStream.REVENUE: grant - capital, FundingStream.CAPITAL: capital}
    for stream, floor in kept.items():
        if parts[stream] < floor:
            where = "hub_grant_capital" if stream == FundingStream.CAPITAL else "hub_grant_amount"
            return Refusal(
                "below_committed",
                f"£{floor:,.2f} of the {FundingStream(stream).label.lower()} grant is already "
                f"due or paid, so its part cannot go below that (it would be "
                f"£{parts[stream]:,.2f}).",
                where,
            )
    return None


def variations_read(agreement: Agreement) -> list[Variation]:
    cache = agreement.__dict__
    if "_variations" not in cache:
        rows = list(Variation.objects.filter(agreement=agreement).select_related("proposed_by"))
        for v in rows:
            v.agreement = agreement
        cache["_variations"] = rows
    return cache["_variations"]


# ── the route's comment and decision ─────────────────────────────────────────


def variation_comment_refusal(
    variation: Variation, who: Any, *, body: str | None = None
) -> Refusal | None:
    step = standing(variation).comment
    c = variation.agreement.commission
    if step is None:
        return Refusal(
            "no_board_comment", f"{c.hub.name}'s policy asks no one to comment on a variation."
        )
    if not is_member(who, step, c):
        return Refusal("board_only", f"Only members of the {step.body_name} comment on it.")
    closes = variation.comment_closes_at
    if variation.status != V.PROPOSED or closes is None or timezone.now() >= closes:
        return Refusal("comments_closed", "Comments on this variation are no longer taken.")
    if body is not None and not body.strip():
        return Refusal("comment_required", "Write your comment.", "body")
    return None


def variation_decision_refusal(
    variation: Variation, who: Any, *, outcome: str | None = None, reason: str | None = None
) -> Refusal | None:
    """Approve or refuse, as a member of the decide step it waits on."""
    c = variation.agreement.commission
    if variation.status != V.PROPOSED:
        return Refusal("not_proposed", "This variation is not awaiting a decision.")
    now = standing(variation)
    if now.awaited is None:
        return Refusal(
            "no_route",
            f"{c.hub.name}'s policy names no one to decide a variation; a hub admin sets it in "
            "the policy's decision routes.",
        )
    step = now.awaited
    if not is_member(who, step, c):
        return Refusal(
            "approver_only",
            f"{c.hub.name}'s policy gives variations to the {step.body_name}; you are not one "
            "of its members here.",
        )
    user = _user(who)
    if step.separate and variation.proposed_by_id == user.pk:
        return Refusal(
            "separate_approver",
            "You proposed this variation, so someone else decides it: the policy keeps "
            "proposing and approving apart.",
        )
    if user.pk in now.approved_by:
        left = step.needed - len(now.approved_by)
        return Refusal(
            "already_decided",
            f"You have approved this variation already; it waits for {left} more of the "
            f"{step.body_name}.",
            waits=True,
        )
    closes = variation.comment_closes_at
    comment = now.comment
    waiting = comment is not None and comment.required and closes and timezone.now() < closes
    if waiting and not all_commented(variation, comment):
        when = f"{timezone.localtime(closes):%-d %B %Y, %H:%M}"
        return Refusal(
            "comment_window_open",
            f"The {comment.body_name} may comment until {when} (or until every member has "
            "commented); the decision waits for that.",
            waits=True,
        )
    if outcome is not None and outcome not in VariationOutcome.values:
        return Refusal("outcome", "Approve the variation, or refuse it.", "decision")
    if outcome == VariationOutcome.REFUSE and reason is not None and not reason.strip():
        return Refusal(
            "reason_required", "Give the reason for refusing; the partner is told it.", "reason"
        )
    return None


# ── signatures, withdrawal ───────────────────────────────────────────────────


def variation_sign_refusal(
    variation: Variation,
    who: Any,
    *,
    full_name: str | None = None,
    role_title: str | None = None,
    consent: bool | None = None,
) -> Refusal | None:
    """The partner signs an approved variation; the HLO then countersigns
    (HLO staff or an approver, not whoever signed for the partner)."""
    c = variation.agreement.commission
    user = _user(who)
    if variation.status == V.APPROVED:
        if not is_partner_of(who, c):
            return Refusal(
                "partner_signs", f"Only a named contact of {c.partner} signs the variation first."
            )
    elif variation.status == V.PARTNER_SIGNED:
        hub = c.hub
        if not (
            who.has_perm("hubs.run_commissions", hub)
            or who.has_perm("hubs.approve_commissions", hub)
        ):
            return Refusal(
                "countersigner_only", "Only HLO staff or an approver countersign a variation."
            )
        partner = next((s for s in variation.signatures.all() if s.party == "partner"), None)
        if partner is not None and partner.user_id == user.pk:
            return Refusal(
                "different_countersigner",
                "You signed for the partner, so a different person countersigns.",
            )
    else:
        return Refusal(
            "not_for_signature", "A variation is signed once it is approved, and only once."
        )
    return _signature_given(full_name, role_title, consent)


def variation_withdraw_refusal(
    variation: Variation, who: Any, *, reason: str | None = None
) -> Refusal | None:
    """The officer, or whoever proposed it, withdraws an open variation."""
    c = variation.agreement.commission
    if not (runs_commission(who, c) or variation.proposed_by_id == _user(who).pk):
        return officer_refusal(who, c, "withdraw a variation someone else proposed")
    if variation.status not in OPEN_VARIATION:
        return Refusal("not_open", "Only an open variation can be withdrawn.")
    if reason is not None and not reason.strip():
        return Refusal("reason_required", "Say why it is withdrawn.", "reason")
    return None
