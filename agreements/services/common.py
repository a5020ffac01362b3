"""What agreements' services share: the statuses, the consent a signatory
gives, the agreement status each commission move leads to, and the row locks
(the commission first, then the agreement).
"""

from __future__ import annotations

from agreements.models import Agreement, AgreementStatus
from commissioning.models import Commission

A = AgreementStatus

CONSENT_STATEMENT = (
    "I have read this partnership agreement, I am authorised to sign it on behalf of the "
    "organisation named, and I agree that typing my full name and confirming here is my "
    "signature, with the same effect as a handwritten one."
)

# A commission move and the agreement status it leads to.
STATUS_AFTER_MOVE = {
    "send_to_board": A.BOARD_COMMENT,
    "submit_for_approval": A.APPROVAL,
    "close_board_comment": A.APPROVAL,
    "approve": A.ISSUED,
    "return_to_draft": A.DRAFT,
    "sign": A.SIGNED,
    "withdraw": A.WITHDRAWN,
}


# ── helpers ──────────────────────────────────────────────────────────────────


def _lock_commission(commission: Commission) -> Commission:
    return (
        Commission.objects.select_for_update(of=("self",))
        .select_related("hub", "policy", "partner", "need")
        .get(pk=commission.pk)
    )


def _lock(agreement: Agreement) -> Agreement:
    return (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("commission", "commission__hub", "commission__policy", "hub")
        .get(pk=agreement.pk)
    )
