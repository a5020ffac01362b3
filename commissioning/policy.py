"""The policy engine: the one gate every move passes, and what a page offers.

`move_refusal(subject, action, user, **params)` returns the first refusal for
a move, or None when the hub's policy allows it. The subject is the
commission, or for a renewal the agreement of a later period, which runs the
same steps (board comment, approval) under the same rules. Services raise
what it returns; pages call `moves_offered(...)`, which asks the same rules
without the ones that judge what a person types (`@needs_input`), so a page
offers a move if and only if the service could accept it, and shows a move
that only waits (a comment window still open) with the reason it waits.

RULES lists, per move, the rules asked in order after the stage and the
role; apps above commissioning add theirs through commissioning/hooks.py.
The hub's policy page (`rule_table`) is written from the same table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from guardian.core import ObjectPermissionChecker

from commissioning import hooks
from commissioning.models import POSITIVE_GROUNDS, Commission
from commissioning.rules import Rule, is_input_rule, needs_input, text
from commissioning.rules import deciding as d
from commissioning.rules import finding as f
from commissioning.rules import joint as j
from commissioning.workflow import ACTIONS, Actor
from hubs.access import runs_commission
from hubs.models import HubPolicy, Membership, Role
from hubs.refusals import ROLE_RULES, Refusal, Refused

__all__ = ["ROLE_RULES", "Refusal", "Refused"]


@dataclass
class Context:
    commission: Commission
    user: Any
    action: str
    params: dict[str, Any] = field(default_factory=dict)
    # Anything with guardian's `has_perm(perm, obj)`: one checker per decision
    # caches the user's permissions, so several rules cost one lookup; a view
    # passes its HubAccess, which already holds them.
    checker: Any = None
    # What the move changes: the commission, or a renewal's agreement.
    subject: Any = None

    def __post_init__(self) -> None:
        if self.subject is None:
            self.subject = self.commission

    def has_perm(self, perm: str, obj: Any) -> bool:
        if self.checker is None:
            self.checker = ObjectPermissionChecker(self.user)
        return self.checker.has_perm(perm, obj)

    @property
    def policy(self) -> HubPolicy:
        return self.commission.policy

    @property
    def hub_name(self) -> str:
        return self.commission.hub.name


# ── who may act ──────────────────────────────────────────────────────────────


def is_officer(user: Any, commission: Commission, checker: Any = None) -> bool:
    """Whether this person runs the commission (HLO staff, or its area's lead)."""
    return runs_commission(checker if checker is not None else user, commission)


def officer_refusal(who: Any, commission: Commission, doing: str) -> Refusal | None:
    """The one "officer only" refusal, for every app: `doing` completes
    "Only HLO staff can ...", e.g. "record payments"."""
    if runs_commission(who, commission):
        return None
    label = "HLO staff"
    if commission.service_area_id is not None:
        label = f"HLO staff or the service lead for {commission.service_area}"
    return Refusal("officer_only", f"Only {label} can {doing} for this commission.")


def _actor_may(ctx: Context) -> Refusal | None:
    c = ctx.commission
    actor = ACTIONS[ctx.action].actor
    label = ACTIONS[ctx.action].label.lower()
    if ctx.checker is None:
        ctx.checker = ObjectPermissionChecker(ctx.user)
    if actor is Actor.OFFICER:
        return officer_refusal(ctx.checker, c, label)
    if actor in (Actor.APPROVER, Actor.DECOMMISSION_DECIDER):
        return d.decider_only(ctx)  # whoever the route's current decision step names
    if actor is Actor.PARTNER and not _is_partner_contact(ctx):
        return Refusal(
            "partner_signs",
            f"Only a named contact of {c.partner} can sign this partnership agreement.",
        )
    if actor is Actor.HLO_SIGNATORY and not (
        ctx.has_perm("hubs.run_commissions", c.hub)
        or ctx.has_perm("hubs.approve_commissions", c.hub)
    ):
        hlo = c.hub.hlo_name or "the Hub Lead Organisation"
        return Refusal(
            "countersigner_only", f"Only HLO staff or an approver can countersign for {hlo}."
        )
    return None


def _is_partner_contact(ctx: Context) -> bool:
    c = ctx.commission
    partner_ids = getattr(ctx.checker, "partner_ids", None)
    if partner_ids is not None:  # a HubAccess already knows
        return c.partner_id in partner_ids
    return Membership.objects.filter(
        hub=c.hub, user=ctx.user, role=Role.PARTNER_CONTACT, partner=c.partner_id
    ).exists()


@needs_input
def _reason_given(ctx: Context) -> Refusal | None:
    if ACTIONS[ctx.action].needs_reason and not text(ctx, "reason"):
        label = ACTIONS[ctx.action].label
        return Refusal(
            "reason_required",
            f"Give a reason to {label.lower()}; it is kept in the commission's record.",
            field="reason",
        )
    return None


def _stage_allows(ctx: Context) -> Refusal | None:
    subject = ctx.subject
    method = getattr(subject, ctx.action, None)
    meta = getattr(method, "_django_fsm", None)
    if meta is not None and meta.has_transition(subject.status):
        return None
    label = ACTIONS[ctx.action].label
    if meta is None:
        return Refusal("wrong_stage", f"'{label}' is not a step of this {_kind(subject)}.")
    choices = dict(type(subject)._meta.get_field("status").choices)
    sources = " or ".join(f"'{choices.get(s, s)}'" for s in meta.transitions)
    return Refusal(
        "wrong_stage",
        f"This {_kind(subject)} is '{choices.get(subject.status, subject.status)}'; "
        f"'{label}' is only possible when it is {sources}.",
    )


def _kind(subject: Any) -> str:
    return str(type(subject)._meta.verbose_name)


# ── the rule table ───────────────────────────────────────────────────────────

DRAFTS, DECOMMISSION = "board_comment_on_drafts", "board_comment_on_decommission"

RULES: dict[str, list[Rule]] = {
    "begin_identification": [f.route_allowed, f.in_house_reason_given],
    "award": [
        f.call_decided,
        f.partner_in_hub,
        f.route_fits_partner,
        f.feedback_given,
        f.introductory_meeting,
        f.service_area,
        f.match_funding,
        f.self_commissioning,
        j.co_applicants_confirmed,
    ],
    "send_to_board": [d.board_comment_offered(DRAFTS)],
    "submit_for_approval": [d.board_comment_not_required(DRAFTS, "draft partnership agreement")],
    "close_board_comment": [d.comment_window_closed],
    "approve": [d.not_decided_already, d.separate_approver],
    "return_to_draft": [],
    "sign": [],
    "countersign": [],
    "complete": [],
    "recommend_decommission": [d.grounds_given],
    "withdraw_decommission": [],
    "send_decommission_to_board": [d.board_comment_offered(DECOMMISSION)],
    "submit_decommission_for_decision": [
        d.board_comment_not_required(DECOMMISSION, "recommendation to decommission")
    ],
    "close_decommission_comment": [d.comment_window_closed],
    "approve_decommission": [d.not_decided_already],
    "reject_decommission": [],
    "end_partnership": [],
    "terminate_immediately": [d.safeguarding_termination_allowed, d.not_decided_already],
    "withdraw": [],
}


def rules_of(action: str) -> list[Rule]:
    """Every rule a move asks, in order: stage, role, reason, the policy's, other apps'."""
    return [_stage_allows, _actor_may, _reason_given, *RULES[action], *hooks.rules_for(action)]


def move_refusal(
    subject: Any,
    action: str,
    user: Any,
    *,
    checker: Any = None,
    offering: bool = False,
    **params: Any,
) -> Refusal | None:
    """The first refusal for this move, or None when the policy allows it.
    With `offering`, the rules that judge a person's input are left out: the
    answer says whether a page should offer the move at all."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    commission = subject if isinstance(subject, Commission) else subject.commission
    ctx = Context(
        commission=commission,
        user=user,
        action=action,
        params=params,
        checker=checker,
        subject=subject,
    )
    for rule in rules_of(action):
        if offering and is_input_rule(rule):
            continue
        refusal = rule(ctx)
        if refusal is not None:
            return refusal
    return None


def check(commission: Commission, action: str, user: Any, **params: Any) -> Refusal | None:
    """The gate for a commission's move (move_refusal on the commission)."""
    return move_refusal(commission, action, user, **params)


@dataclass(frozen=True)
class Offer:
    action: str
    waits: Refusal | None = None  # shown, but not yet possible, with why


def moves_offered(subject: Any, user: Any, checker: Any = None) -> list[Offer]:
    """What a page offers this person now: every move the gate would accept
    (given suitable input), and every move that only waits, with its reason.
    A move the policy or the person's role forbids is not offered."""
    checker = checker or ObjectPermissionChecker(user)
    offers = []
    for action in ACTIONS:
        if hooks.is_hidden(action) or not hasattr(subject, action):
            continue  # taken on another page (signing), or not a step of this subject
        refusal = move_refusal(subject, action, user, checker=checker, offering=True)
        if refusal is None:
            offers.append(Offer(action))
        elif refusal.waits and not refusal.is_role:
            offers.append(Offer(action, refusal))
    return offers


def available_actions(commission: Commission, user: Any, checker: Any = None) -> list[str]:
    """The moves a page offers as forms now (moves that wait are left out)."""
    return [o.action for o in moves_offered(commission, user, checker) if o.waits is None]


def is_positive(grounds: str) -> bool:
    return grounds in POSITIVE_GROUNDS


# ── expressions of interest ──────────────────────────────────────────────────
# The award rules a partner can meet before it submits, asked of the proposal
# itself: the same rules, the same words, so nobody is told one thing when
# they submit and another at the award. Each refusal names the EOI form's
# field it belongs beside ("funding" for the funding sources).

EOI_RULES: list[tuple[Rule, str | None, str]] = [
    (
        f.introductory_meeting,
        None,
        " Ask the HLO to arrange one before you submit an expression of interest.",
    ),
    (f.service_area, None, ""),
    (f.match_funding, "funding", ""),
]


def proposal_checks(proposal: Any) -> list[Refusal]:
    """Every refusal the hub's policy gives this expression of interest (its
    totals already worked out from its budget), empty when it may go in."""
    ctx = Context(
        commission=proposal.commission,
        user=None,
        action="award",
        params={"proposal": proposal, "partner": proposal.partner},
    )
    refusals = []
    for rule, where, advice in EOI_RULES:
        refusal = rule(ctx)
        if refusal is not None:
            refusals.append(Refusal(refusal.rule, refusal.message + advice, where))
    return refusals + j.joint_bid_refusals(proposal)  # a joint bid's partners confirmed it


def proposal_refusal(proposal: Any) -> Refusal | None:
    """The gate for submitting an expression of interest, by any route."""
    refusals = proposal_checks(proposal)
    return refusals[0] if refusals else None


def eoi_meeting_refusal(commission: Any, partner: Any) -> Refusal | None:
    """The introductory meeting rule (EOI_RULES' first), asked when an
    expression of interest is started: the page says at the start what its
    submission would be refused for, in the same words."""
    ctx = Context(commission=commission, user=None, action="award", params={"partner": partner})
    rule, where, advice = EOI_RULES[0]
    refusal = rule(ctx)
    return Refusal(refusal.rule, refusal.message + advice, where) if refusal else None
