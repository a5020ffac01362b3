"""What scoring's services share: the refusal they raise and the checks that
guard every write (the officer, the panel, the call closed and undecided).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.formats import date_format

from commissioning.models import Call, PanelMember, Proposal
from commissioning.policy import officer_refusal
from commissioning.scoring.selectors import SCORED_STATUSES, is_closed, is_decided
from hubs.refusals import Refusal, Refused, raise_first


def _refuse(rule: str, message: str, field: str | None = None) -> Refused:
    return Refused(Refusal(rule, message, field))


def _require_officer(call: Call, user: Any, doing: str) -> None:
    raise_first(officer_refusal(user, call.commission, doing))


def _require_panel(call: Call, user: Any) -> None:
    if not PanelMember.objects.filter(call=call, user=user).exists():
        raise _refuse(
            "not_on_panel",
            "Only members of this call's scoring panel declare interests and score its "
            "proposals; ask the commissioning officer to add you to the panel.",
        )


def _require_closed(call: Call) -> None:
    if not is_closed(call):
        when = date_format(timezone.localtime(call.closes_at), "j F Y, H:i")
        raise _refuse(
            "call_open",
            f"The call is open until {when}; proposals are scored once it has closed, so "
            "that every proposal is judged as submitted.",
        )


def _require_undecided(call: Call) -> None:
    if is_decided(call):
        raise _refuse(
            "decided",
            "The award has been made: the scores and moderation of this call are final.",
        )


def _require_in_call(call: Call, proposal: Proposal) -> None:
    if proposal.call_id != call.pk or proposal.status not in SCORED_STATUSES:
        raise _refuse("proposal_not_in_call", "That is not a proposal submitted to this call.")


def _name(user: Any) -> str:
    return user.get_full_name() or user.email


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")
