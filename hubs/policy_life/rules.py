"""The one gate for each write of a policy's life: each `<thing>_refusal`
returns the first refusal or None. The service raises it; the page asks the
same function (with `typed=False`: leaving out what judges what a person
types) to decide what to offer.

`who` is a HubAccess (pages) or a user (services); hubs.routes answers both.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from hubs.policy_life.models import (
    COMMENT_MAX,
    NAME_MAX,
    PolicyOutcome,
    PolicyStatus,
    ReviewOutcome,
)
from hubs.policy_life.selectors import (
    Approval,
    consultation_open,
    every_member_commented,
    in_force,
)
from hubs.refusals import Refusal, first
from hubs.routes import is_member, step_words

REVIEW_NOTICE = timedelta(days=30)
CONSULTATION_MAX = timedelta(days=183)


def _user(who: Any) -> Any:
    return getattr(who, "user", who)


def _can(who: Any, hub: Any, codename: str) -> bool:
    if _user(who).is_superuser:
        return True
    if hasattr(who, "can"):
        return who.can(codename) and who.hub.pk == hub.pk
    from guardian.core import ObjectPermissionChecker

    return ObjectPermissionChecker(who).has_perm(f"hubs.{codename}", hub)


def _keeper(who: Any, hub: Any, doing: str) -> Refusal | None:
    if _can(who, hub, "configure_hub"):
        return None
    return Refusal("policy_keeper_only", f"Only a hub admin of {hub.name} {doing}.")


def _text(value: str, field: str, blank: str, limit: int = COMMENT_MAX) -> Refusal | None:
    value = (value or "").strip()
    if not value:
        return Refusal("text_required", blank, field)
    if len(value) > limit:
        return Refusal("text_too_long", f"Keep it to {limit:,} characters.", field)
    return None


def _no_route(approval: Approval) -> Refusal | None:
    if approval.current is None:
        return Refusal("no_policy", f"{approval.policy.hub.name} has no policy in force yet.")
    if not approval.decides:
        return Refusal(
            "no_policy_route",
            f"Version {approval.current.version}, the policy in force, names no one to approve "
            "a new version: a hub admin adds a policy approval route to it in the admin.",
        )
    return None


def _body(step: Any) -> str:
    return f"the {step.body_name}"


def _capital(words: str) -> str:
    return words[:1].upper() + words[1:]


# ── drafting ─────────────────────────────────────────────────────────────────


def policy_revise_refusal(policy: Any) -> Refusal | None:
    """Saving the admin's form: a draft is changed in place; any other version
    is saved as a new draft, one draft at a time; a version open for comment
    is changed only once it is returned to draft."""
    from hubs.models import HubPolicy

    if policy.pk and policy.status == PolicyStatus.OPEN:
        return Refusal(
            "policy_open",
            f"Version {policy.version} is open for comment and decision; it can be changed once "
            "it is returned to draft.",
        )
    if policy.pk and policy.status == PolicyStatus.DRAFT:
        return None
    drafting = HubPolicy.objects.filter(hub_id=policy.hub_id).being_drafted()
    if policy.pk:
        drafting = drafting.exclude(pk=policy.pk)
    other = drafting.order_by("-version").first()
    if other is not None:
        return Refusal(
            "draft_exists",
            f"Version {other.version} is already being drafted; change that version instead.",
        )
    return None


def policy_open_refusal(
    approval: Approval,
    who: Any,
    *,
    consultation_closes_on: date | None = None,
    today: date | None = None,
) -> Refusal | None:
    policy = approval.policy
    today = today or timezone.localdate()
    if policy.status != PolicyStatus.DRAFT:
        return Refusal("not_a_draft", f"Version {policy.version} is not a draft.")
    closes = consultation_closes_on
    return first(
        _keeper(who, policy.hub, "opens a draft of its policy for comment"),
        _no_route(approval),
        Refusal(
            "consultation_date",
            "The public consultation must close after today.",
            "consultation_closes_on",
        )
        if closes is not None and closes <= today
        else None,
        Refusal(
            "consultation_date",
            "A public consultation runs for six months at most.",
            "consultation_closes_on",
        )
        if closes is not None and closes > today + CONSULTATION_MAX
        else None,
    )


# ── comments ─────────────────────────────────────────────────────────────────


def policy_comment_refusal(
    approval: Approval, who: Any, *, body: str = "", today: date | None = None, typed: bool = True
) -> Refusal | None:
    policy, step = approval.policy, approval.comment
    today = today or timezone.localdate()
    if policy.status != PolicyStatus.OPEN:
        return Refusal("not_open", f"Version {policy.version} is not open for comment.")
    if step is None:
        return Refusal(
            "no_comment_step", "The policy in force asks no one to comment on a new version."
        )
    board = _can(who, policy.hub, "comment_as_board")
    if not (board or is_member(who, step, approval.subject)):
        return Refusal("board_only", f"Only {_body(step)} comments on a draft of the policy.")
    if policy.comment_closes_on and policy.comment_closes_on < today:
        return Refusal(
            "comment_closed", f"The comment window closed on {policy.comment_closes_on:%-d %B %Y}."
        )
    return _text(body, "body", "Write your comment.") if typed else None


def comment_response_refusal(comment: Any, who: Any, *, response: str = "") -> Refusal | None:
    return first(
        _keeper(who, comment.policy.hub, "responds to comments on its policy"),
        Refusal("responded", "This comment has a response already.") if comment.response else None,
        _text(response, "response", "Write your response."),
    )


def public_comment_refusal(
    policy: Any,
    *,
    name: str,
    body: str,
    organisation: str = "",
    email: str = "",
    today: date | None = None,
) -> Refusal | None:
    if not consultation_open(policy, today):
        return Refusal("consultation_closed", "This consultation is closed.")
    email_refusal = None
    if email.strip():
        try:
            validate_email(email.strip())
        except ValidationError:
            email_refusal = Refusal(
                "email", "Enter an email address like name@example.org, or leave it blank.", "email"
            )
    return first(
        _text(name, "name", "Give your name.", NAME_MAX),
        Refusal("text_too_long", f"Keep it to {NAME_MAX} characters.", "organisation")
        if len(organisation.strip()) > NAME_MAX
        else None,
        email_refusal,
        _text(body, "body", "Write your comment."),
    )


# ── the decision ─────────────────────────────────────────────────────────────


def policy_decision_refusal(
    approval: Approval,
    who: Any,
    *,
    outcome: str = PolicyOutcome.APPROVE,
    reason: str = "",
    effective_from: date | None = None,
    comments: list | None = None,
    today: date | None = None,
    typed: bool = True,
) -> Refusal | None:
    """Approve, or return to draft with reasons, as a member of the body the
    policy in force names; once its decide step has all the approvals it
    needs, the version is approved."""
    policy = approval.policy
    today = today or timezone.localdate()
    if policy.status != PolicyStatus.OPEN:
        return Refusal("not_open", f"Version {policy.version} is not awaiting a decision.")
    if (refusal := _no_route(approval)) is not None:
        return refusal
    if approval.awaited is None:
        return Refusal("not_open", f"Version {policy.version} has every approval it needs.")
    position, step = approval.awaited
    if not is_member(who, step, approval.subject):
        return Refusal(
            "not_policy_body",
            f"Under version {approval.current.version}, the policy in force, {step_words(step)} "
            "on a new version of the policy; you are not one of them.",
        )
    user = _user(who)
    if step.separate and policy.proposed_by_id == user.pk:
        return Refusal(
            "separate_decider",
            f"You proposed version {policy.version}, so another of {_body(step)} decides it.",
        )
    if any(d.actor_id == user.pk for d in approval.approvals_at(position)):
        left = step.needed - len(approval.approvals_at(position))
        return Refusal(
            "already_approved",
            f"You have approved version {policy.version} already; it waits for {left} more of "
            f"{_body(step)}.",
        )
    comment = approval.comment
    window = policy.comment_closes_on
    if comment is not None and comment.required and window and window >= today:
        if comments is None:
            comments = list(policy.comments.all())
        if not every_member_commented(approval, comments):
            return Refusal(
                "comment_window_open",
                f"{_capital(_body(comment))} may comment until {window:%-d %B %Y} (or until "
                "every member has commented); the decision waits for that.",
                waits=True,
            )
    if consultation_open(policy, today):
        return Refusal(
            "consultation_open",
            f"The public consultation is open until {policy.consultation_closes_on:%-d %B %Y}; "
            "the decision waits for it to close.",
            waits=True,
        )
    if not typed:
        return None
    if outcome not in PolicyOutcome.values:
        return Refusal("outcome", "Approve the version, or return it to draft.", "outcome")
    if outcome == PolicyOutcome.RETURN:
        return _text(reason, "reason", "Say why it goes back to draft.")
    if effective_from is None:
        return Refusal("effective_from", "Give the date it takes effect.", "effective_from")
    if effective_from < today:
        return Refusal("effective_from", "It cannot take effect before today.", "effective_from")
    return None


# ── reviews ──────────────────────────────────────────────────────────────────


def annual_review_refusal(
    approval: Approval,
    who: Any,
    *,
    outcome: str = "",
    reviewed_on: date | None = None,
    note: str = "",
    today: date | None = None,
    typed: bool = True,
) -> Refusal | None:
    """The annual review of the version in force is the decision of the body
    that approves the policy (its policy approval route's decide step)."""
    today = today or timezone.localdate()
    if (refusal := _no_route(approval)) is not None:
        return refusal
    step = approval.decides[0]
    if not is_member(who, step, approval.subject):
        return Refusal(
            "not_policy_body",
            f"Only {_body(step)}, which approves the policy, records its annual review.",
        )
    if not typed:
        return None
    if outcome not in ReviewOutcome.values:
        return Refusal(
            "outcome", "Choose whether the policy is kept as it is or is to be changed.", "outcome"
        )
    if reviewed_on is None:
        return Refusal("reviewed_on", "Give the date of the review.", "reviewed_on")
    if reviewed_on > today:
        return Refusal("reviewed_on", "The review cannot be dated after today.", "reviewed_on")
    return _text(note, "note", "Write a note of the review: what was considered, and by whom.")


def range_review_refusal(
    hub: Any, who: Any, *, body: str = "", reviewed_on: date | None = None, typed: bool = True
) -> Refusal | None:
    if not _can(who, hub, "comment_as_board"):
        return Refusal(
            "board_only",
            "Only a board member records the board's review of the range of partnerships.",
        )
    if not typed:
        return None
    if reviewed_on is None or reviewed_on > timezone.localdate():
        return Refusal(
            "reviewed_on", "Give the date of the review, today or before.", "reviewed_on"
        )
    return _text(body, "body", "Write the board's view of the range of partnerships.")


def range_response_refusal(review: Any, who: Any, *, response: str = "") -> Refusal | None:
    hub = review.hub
    if not (_can(who, hub, "configure_hub") or _can(who, hub, "run_commissions")):
        return Refusal("staff_or_admin_only", "Only HLO staff or a hub admin responds for the hub.")
    if review.response:
        return Refusal("responded", "This review has a response already.")
    return _text(response, "response", "Write the hub's response.")


def current_approval(hub: Any) -> Approval:
    """The version in force and its own policy approval route (for reviews)."""
    from hubs.decision_routes import DecisionKind
    from hubs.routes import route_for

    current = in_force(hub)
    route = route_for(current, DecisionKind.POLICY) if current is not None else None
    return Approval(current, current, route)
