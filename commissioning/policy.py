"""The policy engine: which moves a hub's policy allows, and who may make them.

Each rule is a small function that returns None when it has nothing to say,
or a Refusal naming the rule and explaining it in words a hub officer uses.
RULES lists, per action, the rules checked in order; the first refusal wins.
Nothing here writes: services.py asks `check()` before every move.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from guardian.core import ObjectPermissionChecker

from commissioning import hooks
from commissioning.models import POSITIVE_GROUNDS, Commission, DecommissionGrounds, Route
from commissioning.workflow import ACTIONS, Actor, Stage
from hubs.models import BoardComment, Decider, HubPolicy, Membership, Role


@dataclass(frozen=True)
class Refusal:
    rule: str
    message: str
    field: str | None = None

    def __str__(self) -> str:
        return self.message


class TransitionRefused(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal

    @property
    def rule(self) -> str:
        return self.refusal.rule

    @property
    def field(self) -> str | None:
        """The form field the message belongs beside, if any."""
        return self.refusal.field


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


Rule = Callable[[Context], Refusal | None]


# ── who may act ──────────────────────────────────────────────────────────────


def is_officer(user: Any, commission: Commission, checker=None) -> bool:
    checker = checker or ObjectPermissionChecker(user)
    if checker.has_perm("hubs.run_commissions", commission.hub):
        return True
    area = commission.service_area
    return area is not None and checker.has_perm("hubs.run_commissions_in_area", area)


def _actor_may(ctx: Context) -> Refusal | None:
    c, user, policy = ctx.commission, ctx.user, ctx.policy
    actor = ACTIONS[ctx.action].actor
    label = ACTIONS[ctx.action].label.lower()
    if ctx.checker is None:
        ctx.checker = ObjectPermissionChecker(user)
    if actor is Actor.OFFICER and not is_officer(user, c, ctx.checker):
        who = "HLO staff"
        if policy.commissioning_by_service_area and c.service_area:
            who = f"HLO staff or the service lead for {c.service_area}"
        return Refusal("officer_only", f"Only {who} can {label} for this commission.")
    if actor is Actor.APPROVER and not ctx.has_perm("hubs.approve_commissions", c.hub):
        return Refusal(
            "approver_only",
            f"{ctx.hub_name}'s policy gives this decision to the {policy.approving_body}; "
            "you are not one of its members here.",
        )
    if actor is Actor.DECOMMISSION_DECIDER:
        if policy.decommission_decided_by == Decider.CHAIR:
            if not ctx.has_perm("hubs.decide_terminations", c.hub):
                return Refusal(
                    "chair_decides",
                    f"{ctx.hub_name}'s policy gives the chair the final say on ending a "
                    "partnership; only the chair can take this decision.",
                )
        elif not ctx.has_perm("hubs.approve_commissions", c.hub):
            return Refusal(
                "approver_only",
                f"{ctx.hub_name}'s policy gives decommissioning decisions to the "
                f"{policy.approving_body}; you are not one of its members here.",
            )
    if actor is Actor.PARTNER:
        is_contact = Membership.objects.filter(
            hub=c.hub, user=user, role=Role.PARTNER_CONTACT, partner=c.partner_id
        ).exists()
        if not is_contact:
            return Refusal(
                "partner_signs",
                f"Only a named contact of {c.partner} can sign this partnership agreement.",
            )
    return None


def _reason_given(ctx: Context) -> Refusal | None:
    if ACTIONS[ctx.action].needs_reason and not str(ctx.params.get("reason", "")).strip():
        label = ACTIONS[ctx.action].label
        return Refusal(
            "reason_required",
            f"Give a reason to {label.lower()}; it is kept in the commission's record.",
            field="reason",
        )
    return None


# ── finding a partner ────────────────────────────────────────────────────────


def _route_allowed(ctx: Context) -> Refusal | None:
    route, policy = ctx.params.get("route"), ctx.policy
    if route not in Route.values:
        return Refusal("route_required", "Choose how the partner will be found.", field="route")
    if policy.open_call_required and route != Route.OPEN_CALL:
        return Refusal(
            "open_call_required",
            f"{ctx.hub_name}'s policy puts every partnership through an open call for "
            "expressions of interest, the HLO's and consortium members' services included.",
            field="route",
        )
    if route == Route.RESPONSIVE and not policy.responsive_commissioning_allowed:
        return Refusal(
            "no_responsive_commissioning",
            f"{ctx.hub_name}'s policy does not allow ad hoc commissioning; approach a partner "
            "or publish a call.",
            field="route",
        )
    if route == Route.RESPONSIVE and not str(ctx.params.get("reason", "")).strip():
        return Refusal(
            "responsive_needs_reason",
            "Say which emerging priority this ad hoc commission answers.",
            field="reason",
        )
    if (
        route == Route.OPEN_CALL
        and policy.existing_partners_first
        and not str(ctx.params.get("reason", "")).strip()
    ):
        return Refusal(
            "existing_partners_first",
            f"{ctx.hub_name} approaches existing partners first: say why a call for proposals "
            "is needed (no existing partner has the expertise, or several could deliver it).",
            field="reason",
        )
    return None


def _partner_in_hub(ctx: Context) -> Refusal | None:
    partner = ctx.params.get("partner")
    if partner is None or partner.hub_id != ctx.commission.hub_id:
        return Refusal("partner_required", "Choose a partner organisation of this hub.", "partner")
    return None


def _route_fits_partner(ctx: Context) -> Refusal | None:
    c, partner, proposal = ctx.commission, ctx.params["partner"], ctx.params.get("proposal")
    if c.route == Route.OPEN_CALL and proposal is None:
        return Refusal(
            "award_from_call",
            "This commission went to an open call: award it to a proposal submitted to the call.",
            field="proposal",
        )
    if proposal is not None and (
        proposal.commission_id != c.pk or proposal.partner_id != partner.pk
    ):
        return Refusal(
            "proposal_mismatch",
            f"That proposal is not {partner}'s proposal for this commission.",
            field="proposal",
        )
    if c.route == Route.EXISTING_PARTNER and not partner.is_existing_partner:
        return Refusal(
            "not_existing_partner",
            f"{partner} is not yet a Hub partner; a new organisation is found through a call "
            "for proposals.",
            field="partner",
        )
    return None


def _introductory_meeting(ctx: Context) -> Refusal | None:
    partner = ctx.params["partner"]
    if ctx.policy.introductory_meeting_required and partner.introductory_meeting_on is None:
        return Refusal(
            "introductory_meeting_required",
            f"{ctx.hub_name} requires an introductory meeting with the HLO before an "
            f"organisation can become a partner; none is recorded for {partner}.",
            field="partner",
        )
    return None


def _match_funding(ctx: Context) -> Refusal | None:
    proposal, minimum = ctx.params.get("proposal"), ctx.policy.min_match_funding_percent
    if proposal is None or not minimum:
        return None
    share = proposal.match_funding_percent
    if share < minimum:
        return Refusal(
            "match_funding",
            f"{ctx.hub_name} requires at least {minimum}% of the cost from sources other than "
            f"the Hub Grant; this proposal has {share.normalize():f}%.",
            field="proposal",
        )
    return None


def _service_area(ctx: Context) -> Refusal | None:
    c = ctx.commission
    if not ctx.policy.commissioning_by_service_area:
        return None
    proposal, partner = ctx.params.get("proposal"), ctx.params["partner"]
    area_id = proposal.service_area_id if proposal else partner.service_area_id
    if proposal is not None and area_id is None:
        return Refusal(
            "one_service_area",
            f"In {ctx.hub_name} each music service commissions its own partners: this "
            f"proposal must name its service area ({c.service_area}).",
            field="proposal",
        )
    if proposal is not None and area_id != c.service_area_id:
        return Refusal(
            "one_service_area",
            f"This proposal is for another service area; this commission belongs to "
            f"{c.service_area}.",
            field="proposal",
        )
    return None


def _self_commissioning(ctx: Context) -> Refusal | None:
    partner = ctx.params["partner"]
    if not partner.is_self_commissioning:
        return None
    if (
        ctx.policy.self_commissioning_declaration_required
        and not str(ctx.params.get("conflict_declaration", "")).strip()
    ):
        who = "the HLO" if partner.is_hlo else "a consortium member"
        return Refusal(
            "conflict_declaration_required",
            f"{partner} is {who}: record its conflict of interest declaration, as "
            f"{ctx.hub_name}'s policy requires when a consortium member commissions itself.",
            field="conflict_declaration",
        )
    return None


# ── board comment and approval ───────────────────────────────────────────────


def _board_comment_offered(setting_name: str) -> Rule:
    def rule(ctx: Context) -> Refusal | None:
        if getattr(ctx.policy, setting_name) == BoardComment.SKIPPED:
            return Refusal(
                "no_board_comment",
                f"Board comment is not a step in {ctx.hub_name}'s policy; submit it to the "
                f"{ctx.policy.approving_body} directly.",
            )
        return None

    return rule


def _board_comment_not_required(setting_name: str, what: str) -> Rule:
    def rule(ctx: Context) -> Refusal | None:
        if getattr(ctx.policy, setting_name) == BoardComment.REQUIRED:
            return Refusal(
                "board_comment_required",
                f"{ctx.hub_name}'s policy requires the {ctx.policy.board_name} to comment on "
                f"every {what} before it is decided; send it to the board first.",
            )
        return None

    return rule


def _comment_window_closed(ctx: Context) -> Refusal | None:
    closes_at: datetime | None = ctx.commission.board_comment_closes_at
    if closes_at and timezone.now() < closes_at:
        when = date_format(timezone.localtime(closes_at), "j F Y, H:i")
        return Refusal(
            "comment_window_open",
            f"The {ctx.policy.board_name}'s comment window is open until {when}; it can move "
            "on once the window has closed.",
        )
    return None


def _separate_approver(ctx: Context) -> Refusal | None:
    c = ctx.commission
    if ctx.policy.separate_approver and c.submitted_for_approval_by_id == ctx.user.pk:
        return Refusal(
            "separate_approver",
            "You submitted this draft for approval, so someone else must approve it: the "
            "policy keeps drafting and approving apart.",
        )
    return None


# ── decommissioning ──────────────────────────────────────────────────────────


def _grounds_given(ctx: Context) -> Refusal | None:
    grounds = ctx.params.get("grounds")
    allowed = set(DecommissionGrounds.values) - {DecommissionGrounds.SAFEGUARDING}
    if grounds not in allowed:
        return Refusal(
            "grounds_required",
            "Choose the grounds for decommissioning: positive (objectives met, sustainable "
            "without the Hub) or negative (quality, objectives, alignment, conditions, late "
            "data, reputation).",
            field="grounds",
        )
    return None


def _safeguarding_termination_allowed(ctx: Context) -> Refusal | None:
    if not ctx.policy.immediate_termination_on_safeguarding:
        return Refusal(
            "no_immediate_termination",
            f"{ctx.hub_name}'s policy has no immediate termination; recommend decommissioning "
            "and follow its review route.",
        )
    return None


RULES: dict[str, list[Rule]] = {
    "begin_identification": [_route_allowed],
    "award": [
        _partner_in_hub,
        _route_fits_partner,
        _introductory_meeting,
        _service_area,
        _match_funding,
        _self_commissioning,
    ],
    "send_to_board": [_board_comment_offered("board_comment_on_drafts")],
    "submit_for_approval": [
        _board_comment_not_required("board_comment_on_drafts", "draft partnership agreement")
    ],
    "close_board_comment": [_comment_window_closed],
    "approve": [_separate_approver],
    "return_to_draft": [],
    "sign": [],
    "complete": [],
    "recommend_decommission": [_grounds_given],
    "withdraw_decommission": [],
    "send_decommission_to_board": [_board_comment_offered("board_comment_on_decommission")],
    "submit_decommission_for_decision": [
        _board_comment_not_required(
            "board_comment_on_decommission", "recommendation to decommission"
        )
    ],
    "close_decommission_comment": [_comment_window_closed],
    "approve_decommission": [],
    "reject_decommission": [],
    "end_partnership": [],
    "terminate_immediately": [_safeguarding_termination_allowed],
    "withdraw": [],
}


def _stage_allows(ctx: Context) -> Refusal | None:
    method = getattr(ctx.commission, ctx.action)
    meta = method._django_fsm
    if meta.has_transition(ctx.commission.status):
        return None
    label = ACTIONS[ctx.action].label
    sources = " or ".join(f"'{Stage(s).label}'" for s in meta.transitions)
    return Refusal(
        "wrong_stage",
        f"This commission is '{ctx.commission.stage.label}'; '{label}' is only possible "
        f"when it is {sources}.",
    )


def check(commission: Commission, action: str, user: Any, **params: Any) -> Refusal | None:
    """The first refusal for this move, or None when the policy allows it."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    ctx = Context(commission=commission, user=user, action=action, params=params)
    for rule in (
        _stage_allows,
        _actor_may,
        _reason_given,
        *RULES[action],
        *hooks.rules_for(action),
    ):
        refusal = rule(ctx)
        if refusal is not None:
            return refusal
    return None


def is_positive(grounds: str) -> bool:
    return grounds in POSITIVE_GROUNDS


def available_actions(commission: Commission, user: Any, checker: Any = None) -> list[str]:
    """The moves this person could make now: the stage allows them and their
    role may take them. Input rules (reasons, proposals) are checked when
    they submit, so the refusal can sit beside the field."""
    actions = []
    checker = checker or ObjectPermissionChecker(user)
    for action in ACTIONS:
        if hooks.is_hidden(action):
            continue  # taken on another app's page (signing an agreement)
        ctx = Context(commission=commission, user=user, action=action, checker=checker)
        if _stage_allows(ctx) is None and _actor_may(ctx) is None:
            actions.append(action)
    return actions


ROLE_RULES = {"officer_only", "approver_only", "chair_decides", "partner_signs"}


# ── expressions of interest ──────────────────────────────────────────────────
# The award rules a partner can meet before it submits, asked of the proposal
# itself: the same rules, the same words, so nobody is told one thing when
# they submit and another at the award. Each refusal names the EOI form's
# field it belongs beside ("funding" for the funding sources).

EOI_RULES: list[tuple[Rule, str | None, str]] = [
    (
        _introductory_meeting,
        None,
        " Ask the HLO to arrange one before you submit an expression of interest.",
    ),
    (_service_area, None, ""),
    (_match_funding, "funding", ""),
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
    return refusals
