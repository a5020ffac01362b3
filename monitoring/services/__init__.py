"""Every write of monitoring: schedules, reports, reviews, annual reviews and
complaints. Each runs in one transaction, on rows locked where two people
could race; notices go through notices' messenger inside the transaction and
are emailed after it commits. Moves of the commission itself are made only by
commissioning/services.py: the review functions here call those.

The functions live by concept in this package (common, reports, reviews,
complaints) and are all re-exported here, so callers keep writing
`from monitoring import services as svc; svc.report_submit(...)`.
"""

from __future__ import annotations

from commissioning.policy import (
    Refusal,
    TransitionRefused,
)
from monitoring.services.common import (
    ANSWERS,
    DECOMMISSION_MOVES,
    LIVE,
    TEXT_ANSWERS,
    Refused,
    _contacts,
    _live,
    _officer_only,
    _officers,
    _report_url,
    is_partner_contact,
    refuse,
)
from monitoring.services.complaints import (
    _chair_decides,
    complaint_escalate,
    complaint_log,
    complaint_resolve,
    may_decide_escalated,
)
from monitoring.services.reports import (
    _current_agreement,
    _locked_report,
    _officer_decides,
    _partner_writes,
    _period,
    _release,
    _save_progress,
    on_commission_move,
    releasable_instalments,
    report_accept,
    report_request,
    report_return,
    report_save,
    report_submit,
    schedule_create,
    submission_problems,
)
from monitoring.services.reviews import (
    _open_review,
    _renew,
    annual_review_decide,
    annual_review_due,
    has_term,
    review_close,
    review_move,
    review_open,
    review_recommend,
    review_terminate,
)

__all__ = [
    "ANSWERS",
    "DECOMMISSION_MOVES",
    "LIVE",
    "TEXT_ANSWERS",
    "Refusal",
    "Refused",
    "TransitionRefused",
    "_chair_decides",
    "_contacts",
    "_current_agreement",
    "_live",
    "_locked_report",
    "_officer_decides",
    "_officer_only",
    "_officers",
    "_open_review",
    "_partner_writes",
    "_period",
    "_release",
    "_renew",
    "_report_url",
    "_save_progress",
    "annual_review_decide",
    "annual_review_due",
    "complaint_escalate",
    "complaint_log",
    "complaint_resolve",
    "has_term",
    "is_partner_contact",
    "may_decide_escalated",
    "on_commission_move",
    "refuse",
    "releasable_instalments",
    "report_accept",
    "report_request",
    "report_return",
    "report_save",
    "report_submit",
    "review_close",
    "review_move",
    "review_open",
    "review_recommend",
    "review_terminate",
    "schedule_create",
    "submission_problems",
]
