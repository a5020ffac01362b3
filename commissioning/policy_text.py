"""A hub's policy in words, written from the rules the services ask.

`rule_table(policy)` gives one row per move of the graph, in the order of
`workflow.ACTIONS`: the move, the stages it goes from and to, who may make
it in the hub's words, whether a reason is asked for, and what the policy's
rules ask of it. The rules listed are `policy.rules_of(action)`, the same
list the gate asks, each put into words by DESCRIPTIONS. A rule that cannot
refuse under this policy says nothing; a rule that always refuses makes the
move "not a step" in this hub's policy, and so does a move whose starting
stage this policy never reaches. It reads the policy (and its hub) only, so
a page can show it without a query per row.

A new rule without a description fails tests/commissioning/test_policy_text.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from commissioning.policy import rules_of
from commissioning.policy_text_apps import APP_DESCRIPTIONS, hlo_of
from commissioning.rules import Rule
from commissioning.rules import deciding as d
from commissioning.rules import finding as f
from commissioning.rules import joint as j
from commissioning.workflow import ACTIONS, Actor, Stage, sources_of, target_of
from hubs.decision_routes import DecisionKind
from hubs.grounds import grounds_in_words
from hubs.models import BoardComment, Decider, HubPolicy
from hubs.routes import decide_steps, routes_of


@dataclass(frozen=True)
class NotAStep:
    """What a description says of a rule that refuses the move whatever is
    given: `rule` is the refusal's name, `why` completes "not a step in X's
    policy: ..."."""

    rule: str
    why: str


Said = str | NotAStep | None
Describe = Callable[[HubPolicy], Said]


@dataclass(frozen=True)
class MoveText:
    action: str
    label: str
    sources: list[str]  # stage labels, only those this policy reaches
    target: str
    who: str
    reason_required: bool
    rules: list[str]
    not_a_step: str | None = None  # why the policy never takes this move
    refused_by: str | None = None  # the refusal's name, when a rule forbids it

    @property
    def is_step(self) -> bool:
        return self.not_a_step is None


def rule_key(rule: Rule) -> str:
    """A rule's name for DESCRIPTIONS. A rule made by a factory
    (`board_comment_offered(setting)`) carries its own name per setting."""
    return f"{rule.__module__}.{rule.__name__}"


def _hub(policy: HubPolicy) -> str:
    return policy.hub.name


# ── who may make a move ──────────────────────────────────────────────────────


def _officer(policy: HubPolicy) -> str:
    if policy.commissioning_by_service_area:
        return "HLO staff or the service lead for the commission's service area"
    return "HLO staff"


def _decider(policy: HubPolicy) -> str:
    if policy.decommission_decided_by == Decider.CHAIR:
        return f"The chair of {_hub(policy)}, whose decision is final"
    return policy.approving_body


def _ending_goes_to(policy: HubPolicy) -> str:
    if policy.decommission_decided_by == Decider.CHAIR:
        return f"the chair of {_hub(policy)}"
    return f"the {policy.approving_body}"


WHO: dict[Actor, Callable[[HubPolicy], str]] = {
    Actor.OFFICER: _officer,
    Actor.APPROVER: lambda p: p.approving_body,
    Actor.DECOMMISSION_DECIDER: _decider,
    Actor.PARTNER: lambda p: "A named contact of the partner organisation",
    Actor.HLO_SIGNATORY: lambda p: (
        f"HLO staff or an approver ({p.approving_body}), countersigning for {hlo_of(p)}"
    ),
}


# ── what each rule asks, in this hub's words ─────────────────────────────────


def _nothing(policy: HubPolicy) -> Said:
    return None


def _route(policy: HubPolicy) -> Said:
    hub, said = _hub(policy), []
    if policy.open_call_required:
        said.append(
            "Every partnership goes through an open call for expressions of interest, the "
            "HLO's and consortium members' services included."
        )
    elif policy.eoi_for_needs_gaps:
        said.append(
            f"Where the needs analysis identifies a gap in provision, {hub} invites "
            "expressions of interest: every commission goes to a call."
        )
    elif policy.responsive_commissioning_allowed:
        said.append(
            "The partner is found by approaching an existing partner, by a call for "
            "proposals, or ad hoc, saying which emerging priority the commission answers."
        )
    else:
        said.append(
            "The partner is found by approaching an existing partner or by a call for "
            "proposals; there is no ad hoc commissioning."
        )
    if policy.existing_partners_first:
        said.append(
            "Existing partners are approached first: a call needs a recorded reason (no "
            "existing partner has the expertise, or several could deliver it)."
        )
    return " ".join(said)


def _fits(policy: HubPolicy) -> Said:
    if policy.open_call_required or policy.eoi_for_needs_gaps:
        return "The award goes to a proposal submitted to the commission's call."
    return (
        "After a call, the award goes to a proposal submitted to it; a partner approached "
        "directly is already a Hub partner."
    )


def _meeting(policy: HubPolicy) -> Said:
    if not policy.introductory_meeting_required:
        return None
    return f"The partner has had an introductory meeting with the HLO ({hlo_of(policy)})."


def _area(policy: HubPolicy) -> Said:
    if not policy.commissioning_by_service_area:
        return None
    return (
        "Each music service commissions its own partners: the partner and its proposal "
        "belong to the commission's service area."
    )


def _match(policy: HubPolicy) -> Said:
    minimum = policy.min_match_funding_percent
    if not minimum:
        return None
    return (
        f"The award has at least {minimum}% of the cost from sources other than the Hub "
        "Grant (from a call, the proposal's figures)."
    )


def _declaration(policy: HubPolicy) -> Said:
    if not policy.self_commissioning_declaration_required:
        return None
    return (
        "When the HLO or a consortium member is awarded the work, its conflict of "
        "interest declaration is recorded."
    )


def _offered(setting: str, what: str, goes_to: Callable[[HubPolicy], str]) -> Describe:
    """send_to_board and send_decommission_to_board."""

    def describe(policy: HubPolicy) -> Said:
        value = getattr(policy, setting)
        if value == BoardComment.SKIPPED:
            return NotAStep("no_board_comment", f"{what} goes to {goes_to(policy)} directly.")
        if value == BoardComment.OPTIONAL:
            return (
                f"Board comment is advisory: the officer may ask the {policy.board_name} "
                "to comment, or submit without it."
            )
        return None

    return describe


def _required(setting: str, what: str, then: str) -> Describe:
    """submit_for_approval and submit_decommission_for_decision."""

    def describe(policy: HubPolicy) -> Said:
        if getattr(policy, setting) != BoardComment.REQUIRED:
            return None
        return NotAStep(
            "board_comment_required",
            f"the {policy.board_name} comments on every {what} first; send it to the "
            f"board, and it goes {then} when board comment closes.",
        )

    return describe


def _window(policy: HubPolicy) -> Said:
    return (
        f"Once the {policy.board_name}'s comment window of {policy.comment_window_days} days "
        "has closed, or every member has commented."
    )


def _separate(policy: HubPolicy) -> Said:
    if not policy.separate_approver:
        return None
    return "Not by whoever submitted the draft for approval: drafting and approving are kept apart."


def _several(policy: HubPolicy) -> Said:
    # The policy's own approval is no move of a commission's: its route is not asked.
    routes = [r for r in routes_of(policy) if r.kind != DecisionKind.POLICY]
    counts = [s.needed for r in routes for s in decide_steps(r)]
    if max(counts, default=1) <= 1:
        return None
    return (
        "Each member of the deciding body decides once; where the route needs several of "
        "them, it moves on once enough have approved."
    )


def _safeguarding(policy: HubPolicy) -> Said:
    if policy.immediate_termination_on_safeguarding:
        return None
    return NotAStep(
        "no_immediate_termination",
        "there is no immediate termination; a partnership is ended by recommending "
        "decommissioning and following its review route.",
    )


DRAFTS, DECOMMISSION = "board_comment_on_drafts", "board_comment_on_decommission"
DRAFT_WORDS = "draft partnership agreement"
DECOMMISSION_WORDS = "recommendation to decommission"

DESCRIPTIONS: dict[str, Describe] = {
    # The stage, the role and the reason are the row's own columns.
    "commissioning.policy._stage_allows": _nothing,
    "commissioning.policy._actor_may": _nothing,
    "commissioning.policy._reason_given": _nothing,
    rule_key(f.route_allowed): _route,
    rule_key(f.in_house_reason_given): lambda p: (
        "Why the HLO cannot deliver the work itself is recorded before a partner is sought."
        if p.in_house_reason_required
        else None
    ),
    rule_key(f.call_decided): lambda p: (
        "A commission that went to a call is awarded from the call's results, once the call "
        "has closed."
    ),
    rule_key(f.partner_in_hub): lambda p: (
        f"The partner is one of {_hub(p)}'s partner organisations."
    ),
    rule_key(f.route_fits_partner): _fits,
    rule_key(f.feedback_given): lambda p: (
        "Every unsuccessful partner in the call has been told why it was not chosen."
    ),
    rule_key(f.introductory_meeting): _meeting,
    rule_key(f.service_area): _area,
    rule_key(f.match_funding): _match,
    rule_key(f.self_commissioning): _declaration,
    rule_key(j.co_applicants_confirmed): lambda p: (
        "A joint bid is awarded once every co-applicant's contact has confirmed its part and "
        "the partners' shares add up to the Hub grant asked for."
    ),
    rule_key(d.board_comment_offered(DRAFTS)): _offered(
        DRAFTS, "a draft", lambda p: f"the {p.approving_body}"
    ),
    rule_key(d.board_comment_not_required(DRAFTS, DRAFT_WORDS)): _required(
        DRAFTS, DRAFT_WORDS, "for approval"
    ),
    rule_key(d.board_comment_offered(DECOMMISSION)): _offered(
        DECOMMISSION, "a recommendation to decommission", _ending_goes_to
    ),
    rule_key(d.board_comment_not_required(DECOMMISSION, DECOMMISSION_WORDS)): _required(
        DECOMMISSION, DECOMMISSION_WORDS, "for decision"
    ),
    rule_key(d.comment_window_closed): _window,
    rule_key(d.separate_approver): _separate,
    rule_key(d.not_decided_already): _several,
    rule_key(d.grounds_given): lambda p: (
        f"The grounds are recorded, from the policy's list: {grounds_in_words(p)}."
    ),
    rule_key(d.safeguarding_termination_allowed): _safeguarding,
    **APP_DESCRIPTIONS,
}


def describe(rule: Rule, policy: HubPolicy) -> Said:
    """What this rule asks under this policy; KeyError for a rule not yet described."""
    return DESCRIPTIONS[rule_key(rule)](policy)


# ── the table ────────────────────────────────────────────────────────────────


def _said(policy: HubPolicy, action: str) -> tuple[list[str], NotAStep | None]:
    sentences = []
    for rule in rules_of(action):
        said = describe(rule, policy)
        if isinstance(said, NotAStep):
            return [], said
        if said:
            sentences.append(said)
    return sentences, None


def _reached(steps: dict[str, list[str]]) -> set[str]:
    """The stages a commission can reach under this policy, from a need, by
    the moves it takes (`steps`: each move's source stages)."""
    reached, grown = {str(Stage.NEEDS)}, True
    while grown:
        grown = False
        for action, sources in steps.items():
            target = target_of(action)
            if target not in reached and reached.intersection(sources):
                reached.add(target)
                grown = True
    return reached


def rule_table(policy: HubPolicy) -> list[MoveText]:
    """Every move, in the order of the graph, as this policy has it."""
    said = {action: _said(policy, action) for action in ACTIONS}
    reached = _reached({a: sources_of(a) for a, (_, no) in said.items() if no is None})
    hub, rows = _hub(policy), []
    for action, move in ACTIONS.items():
        sentences, forbidden = said[action]
        sources = [s for s in sources_of(action) if s in reached]
        not_a_step = forbidden.why if forbidden is not None else None
        if not_a_step is None and not sources:
            stages = " or ".join(f"'{Stage(s).label}'" for s in sources_of(action))
            not_a_step = f"a commission is never {stages} under it."
        if not_a_step is not None:
            not_a_step = f"Not a step in {hub}'s policy: {not_a_step}"
            sources, sentences = sources_of(action), []
        rows.append(
            MoveText(
                action=action,
                label=move.label,
                sources=[str(Stage(s).label) for s in sources],
                target=str(Stage(target_of(action)).label),
                who=WHO[move.actor](policy),
                reason_required=move.needs_reason,
                rules=sentences,
                not_a_step=not_a_step,
                refused_by=forbidden.rule if forbidden is not None else None,
            )
        )
    return rows
