"""The gates of a review's steps and of the annual review. A step that is a
commission move (recommend, terminate at once, and each step of the
decommissioning route) is judged by the policy engine itself
(`commissioning.policy.move_refusal`), so the hub's board comment, decider
and safeguarding rules hold whichever page takes it."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format

from agreements.rules import renewal_draft_refusal
from commissioning.models import Commission
from commissioning.policy import move_refusal, officer_refusal
from commissioning.routing import comment_step_of
from commissioning.workflow import ACTIONS, Stage
from hubs.decision_routes import Body, DecisionKind
from hubs.refusals import Refusal, first
from hubs.routes import decide_steps, is_member, route_for
from monitoring.models import RenewalDecision, ReviewCase, ReviewComment, ReviewStatus
from monitoring.rules import checker_of, required, user_of
from monitoring.selectors import annual_review_due, decommission_commenters

# The review's own steps, and the commission move each one is.
REVIEW_STEPS = {
    "recommend": ("Recommend decommissioning", "recommend_decommission"),
    "terminate": ("Terminate at once for a safeguarding breach", "terminate_immediately"),
    "close": ("Close the review: the partnership continues", None),
}
# The moves a review page offers once decommissioning is recommended.
DECOMMISSION_MOVES = [
    "send_decommission_to_board",
    "submit_decommission_for_decision",
    "close_decommission_comment",
    "approve_decommission",
    "reject_decommission",
    "withdraw_decommission",
    "end_partnership",
]


def review_open_refusal(
    *, commission: Commission, who: Any, findings: str = "", offering: bool = False
) -> Refusal | None:
    refusal = officer_refusal(who, commission, "open a review")
    if refusal is None and commission.status != Stage.MONITORING:
        refusal = Refusal(
            "not_live",
            f"This commission is '{commission.stage.label}': a review is opened while the "
            "partnership is signed and active.",
        )
    if refusal is not None or offering:
        return refusal
    return required(
        findings,
        "findings_required",
        "Record the findings: what was missed, and the evidence.",
        "findings",
    )


def _still(review: ReviewCase, *statuses: str) -> Refusal | None:
    if review.status in statuses:
        return None
    return Refusal("review_closed", f"This review is '{review.get_status_display()}' already.")


def _move(review: ReviewCase, who: Any, action: str, offering: bool, **params: Any):
    return move_refusal(
        review.commission,
        action,
        user_of(who),
        checker=checker_of(who),
        offering=offering,
        **params,
    )


def review_recommend_refusal(
    *, review: ReviewCase, who: Any, grounds: str = "", reason: str = "", offering: bool = False
) -> Refusal | None:
    return first(
        _still(review, ReviewStatus.OPEN),
        _move(review, who, "recommend_decommission", offering, grounds=grounds, reason=reason),
    )


def review_terminate_refusal(
    *, review: ReviewCase, who: Any, reason: str = "", offering: bool = False
) -> Refusal | None:
    """Where the policy has immediate termination, and only its decider."""
    return first(
        _still(review, ReviewStatus.OPEN, ReviewStatus.RECOMMENDED),
        _move(review, who, "terminate_immediately", offering, reason=reason),
    )


def review_close_refusal(
    *, review: ReviewCase, who: Any, outcome: str = "", offering: bool = False
) -> Refusal | None:
    refusal = first(
        officer_refusal(who, review.commission, "close a review"),
        _still(review, ReviewStatus.OPEN),
    )
    if refusal is not None or offering:
        return refusal
    return required(
        outcome,
        "outcome_required",
        "Record what was agreed, so the partnership continues.",
        "reason",
    )


def review_move_refusal(
    *, review: ReviewCase, who: Any, action: str, reason: str = "", offering: bool = False
) -> Refusal | None:
    """The next step of the recommendation this review led to."""
    if action not in DECOMMISSION_MOVES:
        return Refusal("unknown_action", "Choose one of the steps offered.")
    if review.status != ReviewStatus.RECOMMENDED:
        return Refusal(
            "not_recommended",
            f"This review is '{review.get_status_display()}': its steps to decommissioning "
            "follow a recommendation.",
        )
    return _move(review, who, action, offering, reason=reason)


def review_step_refusal(
    *,
    review: ReviewCase,
    who: Any,
    step: str,
    grounds: str = "",
    reason: str = "",
    offering: bool = False,
) -> Refusal | None:
    """The gate of any step on the review's page, by its name."""
    if step == "recommend":
        return review_recommend_refusal(
            review=review, who=who, grounds=grounds, reason=reason, offering=offering
        )
    if step == "terminate":
        return review_terminate_refusal(review=review, who=who, reason=reason, offering=offering)
    if step == "close":
        return review_close_refusal(review=review, who=who, outcome=reason, offering=offering)
    return review_move_refusal(
        review=review, who=who, action=step, reason=reason, offering=offering
    )


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    needs_reason: bool
    waits: Refusal | None = None  # shown, but not yet possible, with why


def step_label(step: str) -> str:
    return REVIEW_STEPS[step][0] if step in REVIEW_STEPS else ACTIONS[step].label


def review_steps(review: ReviewCase, who: Any) -> list[Step]:
    """What the review's page offers this person: each step whose gate would
    accept it (given a reason), and each that only waits, with why."""
    if review.status == ReviewStatus.OPEN:
        candidates = ["recommend", "terminate", "close"]
    elif review.status == ReviewStatus.RECOMMENDED:
        candidates = [*DECOMMISSION_MOVES, "terminate"]
    else:
        return []
    steps = []
    for name in candidates:
        refusal = review_step_refusal(review=review, who=who, step=name, offering=True)
        if refusal is not None and (refusal.is_role or not refusal.waits):
            continue
        move = REVIEW_STEPS[name][1] if name in REVIEW_STEPS else name
        needs_reason = name == "close" or ACTIONS[move].needs_reason
        steps.append(Step(name, step_label(name), needs_reason, refusal))
    return steps


# ── comments on a recommendation to decommission ────────────────────────────


def _when(moment: Any) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")


def review_comment_refusal(
    *,
    review: ReviewCase,
    who: Any,
    body: str | None = None,
    commenters: Collection[int] | None = None,
    offering: bool = False,
) -> Refusal | None:
    """A comment on the recommendation: by one of its commenters, while the
    recommendation is with them and the window is open. `commenters` is the
    ids of `decommission_commenters`, when the page has read them already."""
    c = review.commission
    user = user_of(who)
    if commenters is None:
        commenters = set(decommission_commenters(c).filter(pk=user.pk).values_list("pk", flat=True))
    step = comment_step_of(c, "send_decommission_to_board")
    board = step.body_name if step is not None else c.policy.board_name
    if user.pk not in commenters:
        return Refusal(
            "board_only",
            f"Only members of the {board} can comment on a recommendation to decommission.",
        )
    if review.status == ReviewStatus.RECOMMENDED and c.status == Stage.DECOMMISSION_RECOMMENDED:
        return Refusal(
            "not_with_board",
            f"The {board} comments once the officer has sent the recommendation to it.",
        )
    if review.status != ReviewStatus.RECOMMENDED or c.status != Stage.DECOMMISSION_BOARD_COMMENT:
        return Refusal(
            "comments_closed",
            f"This recommendation is '{c.stage.label}': the {board}'s comments are no longer "
            "taken.",
        )
    closes = c.board_comment_closes_at
    if closes is None or closes <= timezone.now():
        closed = f" on {_when(closes)}" if closes else ""
        return Refusal(
            "comment_window_closed",
            f"The {board}'s comment window closed{closed}: comments are no longer taken.",
        )
    if offering:
        return None
    return required(body, "comment_required", "Write your comment.", "body")


# Until the decision is made, the officer's response can still inform it.
RESPONDS_IN = [Stage.DECOMMISSION_BOARD_COMMENT, Stage.DECOMMISSION_DECISION]


def review_comment_response_refusal(
    *, comment: ReviewComment, who: Any, response: str | None = None, offering: bool = False
) -> Refusal | None:
    """The officer's one response to a comment, before the decision."""
    review = comment.review
    c = review.commission
    refusal = officer_refusal(who, c, "respond to the board")
    if refusal is not None:
        return refusal
    if comment.responded_at is not None:
        return Refusal(
            "already_responded",
            f"This comment was answered on {_when(comment.responded_at)}; a response is kept "
            "as it was given.",
        )
    if review.status != ReviewStatus.RECOMMENDED or c.status not in RESPONDS_IN:
        return Refusal(
            "decided",
            f"This recommendation is '{c.stage.label}': responses to the board are taken "
            "until it is decided.",
        )
    if offering:
        return None
    return required(response, "response_required", "Write your response.", "response")


# ── the annual review of a one-year agreement ───────────────────────────────


def annual_review_refusal(
    *,
    commission: Commission,
    who: Any,
    decision: str | None = None,
    reason: str = "",
    offering: bool = False,
    due: Any = ...,
) -> Refusal | None:
    """Renewing into a new agreement period, or letting the agreement lapse:
    HLO staff, once a period, where the policy gives agreements a term; a
    renewal also as agreements' own gate for drafting the next period allows.
    `due` is `annual_review_due(commission)`, when the page has it already."""
    if decision == RenewalDecision.LAPSE:
        refusal = non_renewal_refusal(commission, who)
    else:
        refusal = officer_refusal(who, commission, "decide the annual review")
        if decision is None and refusal and non_renewal_refusal(commission, who) is None:
            refusal = None  # not renewing is theirs to decide (Leicestershire's chair)
    if refusal is None and commission.status != Stage.MONITORING:
        refusal = Refusal(
            "not_live", "Only a signed, active partnership comes up for annual review."
        )
    if refusal is not None:
        return refusal
    due = annual_review_due(commission) if due is ... else due
    if due is None:
        return Refusal(
            "no_term",
            f"{commission.hub.name}'s policy sets each agreement's term itself; there is no "
            "annual review to decide.",
        )
    if due.decided:
        return Refusal("already_decided", "The annual review of this period is already decided.")
    if decision == RenewalDecision.RENEW and due.agreement is not None:
        # Renewing drafts the next period's agreement: agreements' own gate.
        refusal = renewal_draft_refusal(due.agreement, user_of(who), checker_of(who))
        if refusal is not None:
            return refusal.at("decision")
    if offering:
        return None
    if decision not in RenewalDecision.values:
        return Refusal(
            "decision_required", "Choose to renew or to let the agreement lapse.", "decision"
        )
    return required(
        reason, "reason_required", "Give the reason for the decision; it is kept.", "reason"
    )


def non_renewal_refusal(commission: Commission, who: Any) -> Refusal | None:
    """Not renewing is decided by whoever the policy's non-renewal route names
    (HLO staff, or in Leicestershire the chair, whose decision is final)."""
    route = route_for(commission.policy, DecisionKind.NON_RENEWAL, commission.hub_grant_amount)
    step = next(iter(decide_steps(route)), None)
    if step is None:
        return officer_refusal(who, commission, "decide not to renew")
    if is_member(who, step, commission):
        return None
    final = ", whose decision is final" if step.body == Body.CHAIR else ""
    return Refusal(
        "chair_decides" if step.body == Body.CHAIR else "officer_only",
        f"{commission.hub.name}'s policy gives the decision not to renew to the "
        f"{step.body_name}{final}.",
    )


def renewal_decisions_offered(commission: Commission, who: Any, due: Any = ...) -> list[str]:
    """The annual review's decisions the page offers ("renew", "lapse")."""
    due = annual_review_due(commission) if due is ... else due
    return [
        d
        for d in RenewalDecision.values
        if annual_review_refusal(commission=commission, who=who, decision=d, offering=True, due=due)
        is None
    ]
