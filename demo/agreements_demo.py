"""Demo partnership agreements: drafted at the award, signed by both parties
at the signing step, with a board comment and a paid instalment where the
hub's policy gives the board a say. Called from the demo Pipeline
(demo/pipeline.py), so every commission from draft onwards has its agreement."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from agreements import services as agreements
from agreements.models import Agreement, InstalmentStatus, Milestone
from commissioning.models import Commission
from demo import clock

DEMO_IP = "192.0.2.10"  # documentation range (RFC 5737)
DEMO_BROWSER = "Demo loader"


def draft(cast: Any, c: Commission, officer: Any) -> Agreement:
    """The commission has just been awarded: draft its agreement."""
    c.refresh_from_db()
    # In the demo's story the work starts three weeks after the award.
    starts = timezone.localdate() + timedelta(days=21) if clock.is_running() else None
    agreement = agreements.agreement_create(commission=c, user=officer, starts_on=starts)
    contact = cast.contacts.get(c.partner_id)
    return agreements.agreement_save(
        agreement=agreement,
        user=officer,
        bodies={},
        partnership_type=agreement.partnership_type,
        starts_on=agreement.starts_on,
        ends_on=agreement.ends_on,
        hlo_signatory_name=cast.officer.get_full_name(),
        hlo_signatory_role=cast.officer.memberships.filter(hub=cast.hub).first().title
        or "HLO staff",
        partner_signatory_name=contact.get_full_name() if contact else "",
        partner_signatory_role="Director",
        note="Signatories named",
    )


def partner_signs(cast: Any, c: Commission) -> Agreement:
    """The partner signs; the HLO's countersignature is still to come."""
    agreement = Agreement.objects.get(commission=c, period_number=1)
    contact = cast.contacts[c.partner_id]
    agreements.agreement_sign(
        agreement=agreement,
        user=contact,
        full_name=contact.get_full_name(),
        role_title="Director",
        consent=True,
        ip_address=DEMO_IP,
        user_agent=DEMO_BROWSER,
        render_pdf=False,  # made when first downloaded: keeps the demo quick to load
    )
    return agreement


def sign(cast: Any, c: Commission) -> Agreement:
    """The partner signs and the HLO's named signatory countersigns: the
    commission goes live."""
    partner_signs(cast, c)
    clock.later(days=2)  # the demo's clock only: the HLO countersigns two days on
    return countersigns(cast, c)


def countersigns(cast: Any, c: Commission) -> Agreement:
    """The HLO countersigns the agreement the partner has signed."""
    agreement = Agreement.objects.get(commission=c, period_number=1)
    # The agreement names the officer, by their title, as the HLO's signatory.
    agreements.agreement_countersign(
        agreement=agreement,
        user=cast.officer,
        full_name=cast.officer.get_full_name(),
        role_title=agreement.hlo_signatory_role or "For the Hub Lead Organisation",
        consent=True,
        ip_address=DEMO_IP,
        user_agent=DEMO_BROWSER,
        render_pdf=False,  # made when first downloaded: keeps the demo quick to load
    )
    agreement.refresh_from_db()
    c.refresh_from_db()
    return agreement


def comment(cast: Any, c: Commission) -> None:
    """A board member comments on the payments section and the officer replies."""
    agreement = Agreement.objects.get(commission=c, period_number=1)
    remark = agreements.board_comment_add(
        agreement=agreement,
        user=cast.board[0],
        section_key="payments",
        body="Could the second instalment wait for the progress report, not a date?",
    )
    agreements.board_comment_respond(
        comment=remark,
        user=cast.officer,
        response="It does: the second half is paid when the progress report is accepted.",
    )


def pay_first_instalment(cast: Any, c: Commission) -> None:
    agreement = Agreement.objects.get(commission=c, period_number=1)
    first = agreement.instalments.filter(
        milestone=Milestone.SIGNATURE, status=InstalmentStatus.DUE
    ).first()
    if first is None:
        return
    agreements.instalment_approve(instalment=first, user=cast.approver)
    agreements.instalment_mark_paid(instalment=first, user=cast.officer, reference="BACS 0001")


def renew(cast: Any, c: Commission, officer: Any) -> Agreement:
    """Next period's agreement, drafted for the annual renewal."""
    return agreements.agreement_renew(
        agreement=Agreement.objects.get(commission=c, period_number=1), user=officer
    )
