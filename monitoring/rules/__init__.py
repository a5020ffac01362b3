"""Monitoring's gates: for each write, one `<thing>_refusal(...)` that returns
the first refusal (a `hubs.refusals.Refusal`) or None. The service raises what
it returns; the page asks the same function to decide what to offer, so a page
never offers what the service would refuse. Nothing here writes.

Each takes `who`: the person (a user), or the HubAccess a page already holds,
which answers the same questions without asking the database again. With
`offering=True` the rules that judge what a person types (a reason, the
findings) are left out: the answer says whether to offer the form at all.
The commission's own moves are judged by `commissioning.policy.move_refusal`,
which the review rules call.

- reports.py: asking for a report, the partner's writing, the officer's decision;
- reviews.py: a review's steps and the annual review of a one-year agreement;
- complaints.py: logging, escalating, resolving;
- ending.py: the rule registered on the commission's `complete` move.
"""

from __future__ import annotations

from typing import Any

from commissioning.models import Commission
from commissioning.workflow import DECOMMISSIONING, Stage
from hubs.access import HubAccess
from hubs.models import Membership, Role
from hubs.refusals import Refusal

# A partnership is live from signature until it ends: while it is monitored,
# and while a recommendation to decommission it is being decided.
LIVE = [Stage.MONITORING, *DECOMMISSIONING]
ENDED = [Stage.COMPLETED, Stage.DECOMMISSIONED]


def user_of(who: Any) -> Any:
    return who.user if isinstance(who, HubAccess) else who


def checker_of(who: Any) -> Any:
    """What the policy engine may ask permissions of: the HubAccess, if given."""
    return who if isinstance(who, HubAccess) else None


def is_partner_contact(who: Any, commission: Commission) -> bool:
    if isinstance(who, HubAccess):
        return commission.partner_id is not None and commission.partner_id in who.partner_ids
    return Membership.objects.filter(
        hub_id=commission.hub_id,
        user=who,
        role=Role.PARTNER_CONTACT,
        partner_id=commission.partner_id,
    ).exists()


def live_refusal(commission: Commission, doing: str) -> Refusal | None:
    if commission.status in LIVE:
        return None
    return Refusal(
        "not_live",
        f"This commission is '{commission.stage.label}': you can {doing} only while the "
        "partnership is signed and active.",
    )


def required(value: str | None, rule: str, message: str, field: str) -> Refusal | None:
    """A text the person must give, refused beside its field when blank."""
    if str(value or "").strip():
        return None
    return Refusal(rule, message, field)
