"""Agreement pages: the agreement with what each role can do with it
(detail), drafting and versions (drafting), signing, the PDF, payments and
renewal (signing).

Every view starts with `hub_access`, gets the commission through
`commission_for` and the agreement through `agreement_for`: anything the
person may not see is a 404. Seeing but not being allowed to act is a 403,
with the reason in words; what a page offers is what the write's own
`<thing>_refusal` (agreements/rules.py) allows.
"""

from agreements.views.detail import (
    agreement_decide,
    agreement_detail,
    agreement_step,
    comment_add,
    comment_respond,
)
from agreements.views.drafting import agreement_create, agreement_edit, schedule_edit, versions
from agreements.views.signing import countersign, instalment_action, pdf, renew, sign

__all__ = [
    "agreement_create",
    "agreement_decide",
    "agreement_detail",
    "agreement_edit",
    "agreement_step",
    "comment_add",
    "comment_respond",
    "countersign",
    "instalment_action",
    "pdf",
    "renew",
    "schedule_edit",
    "sign",
    "versions",
]
