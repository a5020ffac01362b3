"""Every write of monitoring: schedules, reports, reviews, annual reviews and
complaints. Each runs in one transaction, on rows locked where two people
could race, and asks its gate (monitoring/rules/) first: the same function
the page asks to decide what to offer. A refusal is `hubs.refusals.Refused`.
Notices go through notices' messenger inside the transaction and are
emailed after it commits. Moves of the commission itself are made only by
commissioning/services.py: the review functions here call those.

The functions live by concept in this package (reports, ending, reviews,
review_comments, complaints) and are all re-exported here, so callers keep writing
`from monitoring import services as svc; svc.report_submit(...)`.
"""

from __future__ import annotations

from hubs.refusals import Refusal, Refused
from monitoring.rules import LIVE
from monitoring.rules.reports import submission_problems
from monitoring.rules.reviews import DECOMMISSION_MOVES
from monitoring.selectors import annual_review_due, has_term
from monitoring.services.common import ANSWERS, TEXT_ANSWERS
from monitoring.services.complaints import complaint_escalate, complaint_log, complaint_resolve
from monitoring.services.ending import on_commission_move, reports_close
from monitoring.services.reports import (
    releasable_instalments,
    report_accept,
    report_request,
    report_return,
    report_save,
    report_submit,
    schedule_create,
)
from monitoring.services.review_comments import (
    all_have_commented,
    decommission_commenters,
    review_comment_add,
    review_comment_respond,
)
from monitoring.services.reviews import (
    annual_review_decide,
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
    "all_have_commented",
    "annual_review_decide",
    "annual_review_due",
    "complaint_escalate",
    "complaint_log",
    "complaint_resolve",
    "decommission_commenters",
    "has_term",
    "on_commission_move",
    "releasable_instalments",
    "report_accept",
    "report_request",
    "report_return",
    "report_save",
    "report_submit",
    "reports_close",
    "review_close",
    "review_comment_add",
    "review_comment_respond",
    "review_move",
    "review_open",
    "review_recommend",
    "review_terminate",
    "schedule_create",
    "submission_problems",
]
