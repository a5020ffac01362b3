"""Every write to a partnership agreement goes through a function of this package.

Each runs in one transaction. Rows two people could race for are locked in
one order, the commission first and then the agreement, the same order a
commission move takes them in (commissioning/services.py `_move`, then the
follower in decisions.py), so a board comment and an approval queue behind
each other instead of deadlocking. The first agreement's steps are commission moves,
made through the commission services; its status follows them in
`follow_commission_move`. A renewal runs the same steps on its own.
Notifications and PDFs are sent to Celery after commit.

The functions live by concept in this package (common, drafts, decisions,
signing, instalments) and are all re-exported here, so callers keep writing
`from agreements import services as ag; ag.agreement_sign(...)`.
"""

from __future__ import annotations

from agreements.rules import (
    AgreementRefused,
)
from agreements.services.common import (
    CONSENT_STATEMENT,
    STATUS_AFTER_MOVE,
    A,
    _lock,
    _lock_commission,
)
from agreements.services.decisions import (
    _all_members_commented,
    _close_window_now,
    _notify_step,
    _record_step,
    _step,
    agreement_approve,
    agreement_close_board_comment,
    agreement_return_to_draft,
    agreement_send_to_board,
    agreement_submit_for_approval,
    board_comment_add,
    board_comment_respond,
    follow_commission_move,
)
from agreements.services.drafts import (
    _a_year_on,
    _default_schedule,
    _details,
    _keep_version,
    _refuse_unless_draft,
    _sections_from_template,
    agreement_create,
    agreement_renew,
    agreement_save,
    schedule_save,
)
from agreements.services.instalments import (
    _mark_due,
    instalment_approve,
    instalment_due_at_milestone,
    instalment_mark_due,
    instalment_mark_paid,
    instalments_fall_due_by_date,
)
from agreements.services.signing import (
    _signature,
    agreement_countersign,
    agreement_pdf_request,
    agreement_sign,
    content_digest,
)

__all__ = [
    "CONSENT_STATEMENT",
    "STATUS_AFTER_MOVE",
    "A",
    "AgreementRefused",
    "_a_year_on",
    "_all_members_commented",
    "_close_window_now",
    "_default_schedule",
    "_details",
    "_keep_version",
    "_lock",
    "_lock_commission",
    "_mark_due",
    "_notify_step",
    "_record_step",
    "_refuse_unless_draft",
    "_sections_from_template",
    "_signature",
    "_step",
    "agreement_approve",
    "agreement_close_board_comment",
    "agreement_countersign",
    "agreement_create",
    "agreement_pdf_request",
    "agreement_renew",
    "agreement_return_to_draft",
    "agreement_save",
    "agreement_send_to_board",
    "agreement_sign",
    "agreement_submit_for_approval",
    "board_comment_add",
    "board_comment_respond",
    "content_digest",
    "follow_commission_move",
    "instalment_approve",
    "instalment_due_at_milestone",
    "instalment_mark_due",
    "instalment_mark_paid",
    "instalments_fall_due_by_date",
    "schedule_save",
]
