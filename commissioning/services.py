"""Every write to a commission goes through a function here.

Each move runs in one transaction on the commission's row locked with
SELECT ... FOR UPDATE; the policy engine is asked first; the move, the row
and its log entry are saved together; notifications are sent only after the
transaction commits.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from commissioning import hooks
from commissioning import policy as engine
from commissioning.models import Commission, Proposal, ProposalStatus, TransitionLog

# The needs' writes live in commissioning/needs/services.py; re-exported so
# `commissioning.services.need_add` and the like keep working.
from commissioning.needs.services import (
    _led_areas,
    _refuse,
    analysis_refusal,
    need_add,
    need_area_refusal,
    need_person_refusal,
    need_record,
    need_update,
    needs_analysis_create,
    needs_analysis_update,
    smart_target_add,
)
from commissioning.opening import commission_open, proposal_submit
from commissioning.routing import DECISION_MOVES, decision_record, window_days
from commissioning.workflow import Stage
from hubs.refusals import Refusal, Refused
from partners.models import PartnerOrganisation

__all__ = [
    "Refusal",
    "Refused",
    "_led_areas",
    "_refuse",
    "analysis_refusal",
    "commission_open",
    "need_add",
    "need_area_refusal",
    "need_person_refusal",
    "need_record",
    "need_update",
    "needs_analysis_create",
    "needs_analysis_update",
    "proposal_submit",
    "smart_target_add",
]


# ── moves ────────────────────────────────────────────────────────────────────


def _notify_after_commit(log: TransitionLog) -> None:
    """Record the move's notices in its own transaction (activity feed and email
    outbox, through notices' messenger); the email is sent once it commits."""
    from commissioning.notifications import transition_notify

    transition_notify(log=log)


def _move(
    *,
    commission: Commission,
    user: Any,
    action: str,
    reason: str = "",
    also: Callable[[Commission], None] | None = None,
    **params: Any,
) -> TransitionLog:
    """Make one move. `also` writes rows that belong with the move, inside
    the same transaction."""
    with transaction.atomic():
        locked = (
            Commission.objects.select_for_update(of=("self",))
            .select_related("hub", "policy", "partner", "service_area")
            .get(pk=commission.pk)
        )
        refusal = engine.check(locked, action, user, reason=reason, **params)
        if refusal is not None:
            raise Refused(refusal)
        from_stage = locked.status
        # A decision needing several people is recorded; the move is made
        # once the route's last decision step has all it needs.
        moves_on = action not in DECISION_MOVES or decision_record(locked, action, user, reason)
        if moves_on:
            getattr(locked, action)(user=user, reason=reason, **params)
            locked.stage_entered_at = timezone.now()
            locked.save()
        log = TransitionLog.objects.create(
            hub_id=locked.hub_id,
            commission=locked,
            actor=user,
            action=action,
            from_stage=from_stage,
            to_stage=locked.status,
            reason=reason.strip(),
        )
        if moves_on:  # one approval of several moves nothing else yet
            if also is not None:
                also(locked)
            for follow in hooks.followers():
                follow(locked, log)  # apps above keep their rows in step (commissioning/hooks.py)
        _notify_after_commit(log)  # the rest of the deciding body hear of an approval too
    commission.refresh_from_db()
    return log


def commission_begin_identification(
    *, commission: Commission, user: Any, route: str, reason: str = "", in_house_reason: str = ""
) -> TransitionLog:
    return _move(
        commission=commission,
        user=user,
        action="begin_identification",
        route=route,
        reason=reason,
        in_house_reason=in_house_reason,
    )


def commission_award(
    *,
    commission: Commission,
    user: Any,
    partner: PartnerOrganisation,
    proposal: Proposal | None = None,
    conflict_declaration: str = "",
    reason: str = "",
    feedback: dict[int, str] | None = None,
    hub_grant_amount: Decimal | None = None,
    match_funding_amount: Decimal | None = None,
) -> TransitionLog:
    """Award the commission, by any route: straight to a partner, or to a
    proposal (a call's, with `feedback` by proposal id for the partners not
    chosen). The same rules hold whichever page calls it."""
    feedback = {pk: str(text).strip() for pk, text in (feedback or {}).items()}

    def settle_proposals(locked: Commission) -> None:
        if proposal is None:
            return
        submitted = Proposal.objects.filter(commission=locked, status=ProposalStatus.SUBMITTED)
        for given in submitted.filter(pk__in=list(feedback)):  # the chosen one's too
            if feedback[given.pk]:
                given.feedback = feedback[given.pk]
                given.save(update_fields=["feedback"])
        submitted.exclude(pk=proposal.pk).update(status=ProposalStatus.UNSUCCESSFUL)
        submitted.filter(pk=proposal.pk).update(status=ProposalStatus.SUCCESSFUL)

    amounts = {}
    if proposal is None and hub_grant_amount is not None:
        amounts["hub_grant_amount"] = hub_grant_amount
    if proposal is None and match_funding_amount is not None:
        amounts["match_funding_amount"] = match_funding_amount
    return _move(
        commission=commission,
        user=user,
        action="award",
        partner=partner,
        proposal=proposal,
        conflict_declaration=conflict_declaration.strip(),
        reason=reason or f"Awarded to {partner}",
        also=settle_proposals,
        feedback=feedback,
        **amounts,
    )


def commission_send_to_board(*, commission: Commission, user: Any) -> TransitionLog:
    closes_at = timezone.now() + timedelta(days=window_days(commission, "send_to_board"))
    return _move(commission=commission, user=user, action="send_to_board", closes_at=closes_at)


def commission_submit_for_approval(*, commission: Commission, user: Any) -> TransitionLog:
    return _move(commission=commission, user=user, action="submit_for_approval")


def commission_close_board_comment(*, commission: Commission, user: Any) -> TransitionLog:
    return _move(commission=commission, user=user, action="close_board_comment")


def commission_approve(*, commission: Commission, user: Any, reason: str = "") -> TransitionLog:
    return _move(commission=commission, user=user, action="approve", reason=reason)


def commission_return_to_draft(*, commission: Commission, user: Any, reason: str) -> TransitionLog:
    return _move(commission=commission, user=user, action="return_to_draft", reason=reason)


def commission_sign(*, commission: Commission, user: Any, signature: Any = None) -> TransitionLog:
    """The partner's signature, made on the agreement's signing page (which
    passes the `signature` for agreements' rules to judge)."""
    return _move(commission=commission, user=user, action="sign", signature=signature)


def commission_countersign(
    *, commission: Commission, user: Any, signature: Any = None
) -> TransitionLog:
    """The HLO's countersignature: the partnership goes live."""
    return _move(commission=commission, user=user, action="countersign", signature=signature)


def commission_close_comment_window(*, commission: Commission, at: Any) -> Commission:
    """The board's comment window closes early (every member has commented),
    so the draft can move on; only while the commission is with the board."""
    with transaction.atomic():
        locked = Commission.objects.select_for_update(of=("self",)).get(pk=commission.pk)
        if locked.status in (Stage.BOARD_COMMENT, Stage.DECOMMISSION_BOARD_COMMENT):
            locked.board_comment_closes_at = at
            locked.save(update_fields=["board_comment_closes_at"])
    return locked


def commission_complete(*, commission: Commission, user: Any, reason: str = "") -> TransitionLog:
    return _move(commission=commission, user=user, action="complete", reason=reason)


def commission_recommend_decommission(
    *, commission: Commission, user: Any, grounds: str, reason: str
) -> TransitionLog:
    return _move(
        commission=commission,
        user=user,
        action="recommend_decommission",
        grounds=grounds,
        reason=reason,
    )


def commission_withdraw_decommission(
    *, commission: Commission, user: Any, reason: str
) -> TransitionLog:
    return _move(commission=commission, user=user, action="withdraw_decommission", reason=reason)


def commission_send_decommission_to_board(*, commission: Commission, user: Any) -> TransitionLog:
    days = window_days(commission, "send_decommission_to_board")
    closes_at = timezone.now() + timedelta(days=days)
    return _move(
        commission=commission,
        user=user,
        action="send_decommission_to_board",
        closes_at=closes_at,
    )


def commission_submit_decommission_for_decision(
    *, commission: Commission, user: Any
) -> TransitionLog:
    return _move(commission=commission, user=user, action="submit_decommission_for_decision")


def commission_close_decommission_comment(*, commission: Commission, user: Any) -> TransitionLog:
    return _move(commission=commission, user=user, action="close_decommission_comment")


def commission_approve_decommission(
    *, commission: Commission, user: Any, reason: str
) -> TransitionLog:
    return _move(commission=commission, user=user, action="approve_decommission", reason=reason)


def commission_reject_decommission(
    *, commission: Commission, user: Any, reason: str
) -> TransitionLog:
    return _move(commission=commission, user=user, action="reject_decommission", reason=reason)


def commission_end_partnership(
    *, commission: Commission, user: Any, reason: str = ""
) -> TransitionLog:
    return _move(commission=commission, user=user, action="end_partnership", reason=reason)


def commission_terminate_immediately(
    *, commission: Commission, user: Any, reason: str
) -> TransitionLog:
    return _move(commission=commission, user=user, action="terminate_immediately", reason=reason)


def commission_withdraw(*, commission: Commission, user: Any, reason: str) -> TransitionLog:
    return _move(commission=commission, user=user, action="withdraw", reason=reason)


def commission_take(
    *, commission: Commission, user: Any, action: str, reason: str = "", **params: Any
) -> TransitionLog:
    """Take a move chosen in the browser, by name, through its own service."""
    c, u = commission, user
    moves: dict[str, Callable[[], TransitionLog]] = {
        "begin_identification": lambda: commission_begin_identification(
            commission=c,
            user=u,
            route=params.get("route") or "",
            reason=reason,
            in_house_reason=params.get("in_house_reason") or "",
        ),
        "award": lambda: commission_award(
            commission=c,
            user=u,
            partner=params.get("partner"),
            proposal=params.get("proposal"),
            conflict_declaration=params.get("conflict_declaration") or "",
            hub_grant_amount=params.get("hub_grant_amount"),
            match_funding_amount=params.get("match_funding_amount"),
            reason=reason,
        ),
        "send_to_board": lambda: commission_send_to_board(commission=c, user=u),
        "submit_for_approval": lambda: commission_submit_for_approval(commission=c, user=u),
        "close_board_comment": lambda: commission_close_board_comment(commission=c, user=u),
        "approve": lambda: commission_approve(commission=c, user=u, reason=reason),
        "return_to_draft": lambda: commission_return_to_draft(commission=c, user=u, reason=reason),
        "sign": lambda: commission_sign(commission=c, user=u, signature=params.get("signature")),
        "countersign": lambda: commission_countersign(
            commission=c, user=u, signature=params.get("signature")
        ),
        "complete": lambda: commission_complete(commission=c, user=u, reason=reason),
        "recommend_decommission": lambda: commission_recommend_decommission(
            commission=c, user=u, grounds=params.get("grounds") or "", reason=reason
        ),
        "withdraw_decommission": lambda: commission_withdraw_decommission(
            commission=c, user=u, reason=reason
        ),
        "send_decommission_to_board": lambda: commission_send_decommission_to_board(
            commission=c, user=u
        ),
        "submit_decommission_for_decision": lambda: commission_submit_decommission_for_decision(
            commission=c, user=u
        ),
        "close_decommission_comment": lambda: commission_close_decommission_comment(
            commission=c, user=u
        ),
        "approve_decommission": lambda: commission_approve_decommission(
            commission=c, user=u, reason=reason
        ),
        "reject_decommission": lambda: commission_reject_decommission(
            commission=c, user=u, reason=reason
        ),
        "end_partnership": lambda: commission_end_partnership(commission=c, user=u, reason=reason),
        "terminate_immediately": lambda: commission_terminate_immediately(
            commission=c, user=u, reason=reason
        ),
        "withdraw": lambda: commission_withdraw(commission=c, user=u, reason=reason),
    }
    if action not in moves:
        raise Refused(Refusal("unknown_action", "Choose one of the moves offered."))
    return moves[action]()
