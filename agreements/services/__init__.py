"""Every write to a partnership agreement goes through a function of this package.

Each runs in one transaction and raises what its gate in agreements/rules.py
refuses (a `hubs.refusals.Refused`). Rows two people could race for are
locked in one order, the commission first and then the agreement, the same
order a commission move takes them in (commissioning/services.py `_move`,
then the follower in decisions.py), so a board comment and an approval queue
behind each other instead of deadlocking. The first agreement's moves are
its commission's, made through the commission services; a renewal makes the
same moves under the same rules (common.agreement_move). Notifications and
PDFs are sent to Celery after commit.

The functions live by concept in this package (common, drafts, decisions,
signing, instalments) and are all re-exported here, so callers keep writing
`from agreements import services as ag; ag.agreement_sign(...)`.
"""

from __future__ import annotations

from agreements.services.common import CONSENT_STATEMENT, agreement_move
from agreements.services.decisions import (
    STEPS,
    agreement_approve,
    agreement_close_board_comment,
    agreement_return_to_draft,
    agreement_send_to_board,
    agreement_submit_for_approval,
    agreement_withdraw,
    board_comment_add,
    board_comment_respond,
    follow_commission_move,
)
from agreements.services.drafts import (
    agreement_create,
    agreement_renew,
    agreement_save,
    schedule_save,
)
from agreements.services.instalments import (
    instalment_approve,
    instalment_due_at_milestone,
    instalment_mark_due,
    instalment_mark_paid,
    instalments_fall_due_by_date,
)
from agreements.services.signing import (
    agreement_countersign,
    agreement_pdf_for_download,
    agreement_pdf_request,
    agreement_sign,
    content_digest,
)
from agreements.services.streams import grant_streams_save

__all__ = [
    "CONSENT_STATEMENT",
    "STEPS",
    "agreement_approve",
    "agreement_close_board_comment",
    "agreement_countersign",
    "agreement_create",
    "agreement_move",
    "agreement_pdf_for_download",
    "agreement_pdf_request",
    "agreement_renew",
    "agreement_return_to_draft",
    "agreement_save",
    "agreement_send_to_board",
    "agreement_sign",
    "agreement_submit_for_approval",
    "agreement_withdraw",
    "board_comment_add",
    "board_comment_respond",
    "content_digest",
    "follow_commission_move",
    "grant_streams_save",
    "instalment_approve",
    "instalment_due_at_milestone",
    "instalment_mark_due",
    "instalment_mark_paid",
    "instalments_fall_due_by_date",
    "schedule_save",
]
