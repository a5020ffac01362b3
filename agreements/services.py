"""Every write to a partnership agreement goes through a function here.

Each runs in one transaction. Rows two people could race for are locked in
one order, the commission first and then the agreement, the same order a
commission move takes them in (commissioning/services.py `_move`, then the
follower below), so a board comment and an approval queue behind each other
instead of deadlocking. The first agreement's steps are commission moves,
made through the commission services; its status follows them in
`follow_commission_move`. A renewal runs the same steps on its own.
Notifications and PDFs are sent to Celery after commit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from agreements import drafting, payments
from agreements.models import (
    OPEN_FOR_COMMENT,
    Agreement,
    AgreementStatus,
    AgreementTemplate,
    AgreementVersion,
    BoardComment,
    Instalment,
    InstalmentStatus,
    Milestone,
    PaymentBasis,
    Signature,
    SigningParty,
)
from agreements.notifications import notify
from agreements.rules import (
    AgreementRefused,
    may_countersign,
    refuse,
    refuse_unless_board_member,
    refuse_unless_officer,
    refuse_unless_payments_officer,
    renewal_refusal,
)
from commissioning import services as cs
from commissioning.models import Commission
from commissioning.workflow import Stage
from hubs.models import Membership, Role
from notices.services import enqueue_after_commit

__all__ = ["AgreementRefused"]

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


# ── drafting ─────────────────────────────────────────────────────────────────


def agreement_create(
    *,
    commission: Commission,
    user: Any,
    partnership_type: str | None = None,
    starts_on: date | None = None,
) -> Agreement:
    """The first agreement of an awarded commission, drafted from the hub's
    template, with the policy's term and a schedule paying the whole grant."""
    with transaction.atomic():
        locked = _lock_commission(commission)
        refuse(refuse_unless_officer(user, locked))
        if locked.status != Stage.DRAFT:
            raise AgreementRefused(
                "An agreement is drafted once the commission has been awarded to a partner."
            )
        if Agreement.objects.filter(commission=locked, period_number=1).exists():
            raise AgreementRefused("This commission already has its partnership agreement.")
        kind = partnership_type or locked.partner.partnership_type
        starts_on, ends_on = drafting.default_term(locked.policy, starts_on or timezone.localdate())
        agreement = Agreement.objects.create(
            hub_id=locked.hub_id,
            commission=locked,
            period_number=1,
            partnership_type=kind,
            starts_on=starts_on,
            ends_on=ends_on,
            sections=_sections_from_template(locked, kind, starts_on, ends_on),
            hlo_signatory_role=f"For {locked.hub.hlo_name}",
            created_by=user,
        )
        _default_schedule(agreement)
        _keep_version(agreement, user, note="Drafted from the hub's template")
    return agreement


def agreement_save(
    *,
    agreement: Agreement,
    user: Any,
    bodies: dict[str, str],
    partnership_type: str,
    starts_on: date,
    ends_on: date,
    hlo_signatory_name: str = "",
    hlo_signatory_role: str = "",
    partner_signatory_name: str = "",
    partner_signatory_role: str = "",
    note: str = "",
) -> Agreement:
    """Save the draft's text and details as a new version."""
    if ends_on <= starts_on:
        raise AgreementRefused("The agreement must end after it starts.", field="ends_on")
    with transaction.atomic():
        locked = _lock(agreement)
        refuse(refuse_unless_officer(user, locked.commission), _refuse_unless_draft(locked))
        locked.sections = [
            {**section, "body": bodies.get(section["key"], section["body"]).strip()}
            for section in locked.sections
        ]
        locked.partnership_type = partnership_type
        locked.starts_on, locked.ends_on = starts_on, ends_on
        locked.hlo_signatory_name = hlo_signatory_name.strip()
        locked.hlo_signatory_role = hlo_signatory_role.strip()
        locked.partner_signatory_name = partner_signatory_name.strip()
        locked.partner_signatory_role = partner_signatory_role.strip()
        _keep_version(locked, user, note=note or "Text and details edited")
    agreement.refresh_from_db()
    return agreement


def schedule_save(
    *,
    agreement: Agreement,
    user: Any,
    basis: str,
    instalments: Sequence[payments.PlannedInstalment],
    note: str = "",
) -> Agreement:
    """Replace the draft's payment schedule; it must pay exactly the grant."""
    with transaction.atomic():
        locked = _lock(agreement)
        refuse(refuse_unless_officer(user, locked.commission), _refuse_unless_draft(locked))
        problems = payments.schedule_problems(
            basis=basis, instalments=instalments, grant=locked.grant_amount
        )
        if problems:
            raise AgreementRefused(" ".join(problems), field="instalments")
        locked.instalments.all().delete()
        Instalment.objects.bulk_create(
            Instalment(
                agreement=locked,
                position=position,
                description=item.description,
                amount=item.amount,
                percent=item.percent,
                due_on=item.due_on,
                milestone=item.milestone,
            )
            for position, item in enumerate(instalments, start=1)
        )
        locked.payment_basis = basis
        _keep_version(locked, user, note=note or "Payment schedule changed")
    agreement.refresh_from_db()
    return agreement


def _sections_from_template(commission, kind: str, starts_on, ends_on) -> list[dict]:
    template = AgreementTemplate.objects.filter(hub_id=commission.hub_id, partnership_type=kind)
    template = template.first()
    sections = template.sections if template and template.sections else None
    sections = sections or drafting.standard_sections(kind)
    values = {
        "partner": str(commission.partner),
        "hub": commission.hub.name,
        "hlo": commission.hub.hlo_name or commission.hub.name,
        "title": commission.title,
        "need": commission.need.title,
        "grant": f"{commission.hub_grant_amount:,.2f}",
        "match": f"{commission.match_funding_amount:,.2f}",
        "starts": f"{starts_on:%-d %B %Y}",
        "ends": f"{ends_on:%-d %B %Y}",
    }
    filled = []
    for section in sections:
        body = drafting.fill(section.get("body", ""), values)
        if section.get("key") == "signatories" and commission.partner.is_hlo:
            body += drafting.fill(drafting.SELF_DELIVERY_NOTE, values)
        filled.append({"key": section["key"], "title": section["title"], "body": body})
    return filled


def _default_schedule(agreement: Agreement) -> None:
    """Half on signature and half when the first report is accepted: a
    schedule that adds up, for the officer to change."""
    Instalment.objects.bulk_create(
        [
            Instalment(
                agreement=agreement,
                position=1,
                description="On signature",
                percent=Decimal(50),
                milestone=Milestone.SIGNATURE,
            ),
            Instalment(
                agreement=agreement,
                position=2,
                description="After the progress report is accepted",
                percent=Decimal(50),
                milestone=Milestone.REPORT_ACCEPTED,
            ),
        ]
    )
    agreement.payment_basis = PaymentBasis.PERCENTAGES


def _keep_version(agreement: Agreement, user: Any, *, note: str) -> AgreementVersion:
    newest = agreement.versions.aggregate(n=Max("number"))["n"] or 0
    agreement.version_number = newest + 1
    agreement.save()
    return AgreementVersion.objects.create(
        agreement=agreement,
        number=agreement.version_number,
        sections=agreement.sections,
        schedule=payments.snapshot(agreement.instalments.all()),
        details=_details(agreement),
        note=note[:300],
        created_by=user,
    )


def _details(agreement: Agreement) -> dict[str, str]:
    return {
        "Type of partnership": agreement.get_partnership_type_display(),
        "Starts": f"{agreement.starts_on:%-d %B %Y}",
        "Ends": f"{agreement.ends_on:%-d %B %Y}",
        "Payments": agreement.get_payment_basis_display(),
        "Signs for the Hub Lead Organisation": ", ".join(
            x for x in (agreement.hlo_signatory_name, agreement.hlo_signatory_role) if x
        ),
        "Signs for the partner": ", ".join(
            x for x in (agreement.partner_signatory_name, agreement.partner_signatory_role) if x
        ),
    }


def _refuse_unless_draft(agreement: Agreement):
    if agreement.status != A.DRAFT:
        return (
            f"This agreement is '{agreement.get_status_display()}'; only a draft can be "
            "changed. The approver can return it to draft."
        )
    return None


# ── board comment, approval ──────────────────────────────────────────────────


def agreement_send_to_board(*, agreement: Agreement, user: Any) -> Agreement:
    return _step(agreement, user, "send_to_board")


def agreement_submit_for_approval(*, agreement: Agreement, user: Any) -> Agreement:
    return _step(agreement, user, "submit_for_approval")


def agreement_close_board_comment(*, agreement: Agreement, user: Any) -> Agreement:
    return _step(agreement, user, "close_board_comment")


def agreement_approve(*, agreement: Agreement, user: Any, note: str = "") -> Agreement:
    agreement = _step(agreement, user, "approve", reason=note)
    agreement_pdf_request(agreement=agreement)
    return agreement


def agreement_return_to_draft(*, agreement: Agreement, user: Any, reason: str) -> Agreement:
    if not reason.strip():
        raise AgreementRefused(
            "Give your reasons for returning the draft; the officer sees them.", field="reason"
        )
    return _step(agreement, user, "return_to_draft", reason=reason)


def _step(agreement: Agreement, user: Any, action: str, reason: str = "") -> Agreement:
    """One step of the agreement's route. For the first agreement it is the
    commission's move (whose rules and log apply); a renewal checks the same
    policy itself."""
    if agreement.is_first:
        moves = {
            "send_to_board": lambda c: cs.commission_send_to_board(commission=c, user=user),
            "submit_for_approval": lambda c: cs.commission_submit_for_approval(
                commission=c, user=user
            ),
            "close_board_comment": lambda c: cs.commission_close_board_comment(
                commission=c, user=user
            ),
            "approve": lambda c: cs.commission_approve(commission=c, user=user, reason=reason),
            "return_to_draft": lambda c: cs.commission_return_to_draft(
                commission=c, user=user, reason=reason
            ),
        }
        moves[action](agreement.commission)
    else:
        with transaction.atomic():
            _lock_commission(agreement.commission)
            locked = _lock(agreement)
            refuse(renewal_refusal(locked, action, user))
            _record_step(locked, action, user, reason)
            locked.save()
        _notify_step(agreement, action)
    agreement.refresh_from_db()
    return agreement


def follow_commission_move(commission: Commission, log: Any) -> None:
    """Keep the first agreement in step with its commission, whichever page
    made the move (registered in commissioning/hooks.py). Runs inside the
    move's transaction, after the commission's row was locked."""
    if log.action not in STATUS_AFTER_MOVE:
        return
    agreement = Agreement.objects.select_for_update().filter(commission=commission, period_number=1)
    agreement = agreement.first()
    if agreement is None:
        return
    if log.action == "send_to_board":
        agreement.board_comment_closes_at = commission.board_comment_closes_at
    _record_step(agreement, log.action, log.actor, log.reason)
    agreement.save()


def _record_step(agreement: Agreement, action: str, user: Any, reason: str) -> None:
    now = timezone.now()
    if action == "send_to_board" and agreement.board_comment_closes_at is None:
        days = agreement.commission.policy.comment_window_days
        agreement.board_comment_closes_at = now + timedelta(days=days)
    if action in ("submit_for_approval", "close_board_comment"):
        agreement.submitted_by = user
    if action in ("approve", "return_to_draft"):
        agreement.decided_by, agreement.decided_at = user, now
        agreement.decision_note = reason.strip()
        agreement.comments_before_decision = agreement.board_comments.count()
    if action == "approve":
        agreement.issued_at = now
    if action == "return_to_draft":
        agreement.board_comment_closes_at = None
    agreement.status = STATUS_AFTER_MOVE[action]


def _notify_step(agreement: Agreement, action: str) -> None:
    """A renewal's steps are not commission moves, so they tell people here."""
    to = {
        "send_to_board": "board",
        "submit_for_approval": "approvers",
        "close_board_comment": "approvers",
        "approve": "partner",
        "return_to_draft": "officers",
    }
    notify(agreement=agreement, event=action, to=to[action])


def board_comment_add(
    *, agreement: Agreement, user: Any, body: str, section_key: str = ""
) -> BoardComment:
    """A board member's comment on the whole draft or one section. Once every
    member has commented, the window closes early and the draft can move on."""
    if not body.strip():
        raise AgreementRefused("Write your comment.", field="body")
    with transaction.atomic():
        commission = _lock_commission(agreement.commission)
        locked = _lock(agreement)
        refuse(refuse_unless_board_member(user, locked))
        if locked.status == A.DRAFT:
            raise AgreementRefused("The board comments once the draft has been sent to it.")
        if locked.status not in OPEN_FOR_COMMENT or locked.board_comment_closes_at is None:
            raise AgreementRefused(
                f"This agreement is '{locked.get_status_display()}': the board's comments "
                "are no longer taken."
            )
        if section_key and locked.section(section_key) is None:
            raise AgreementRefused("Choose a section of this agreement.", field="section_key")
        comment = BoardComment.objects.create(
            agreement=locked,
            version_number=locked.version_number,
            section_key=section_key,
            author=user,
            body=body.strip(),
        )
        if locked.status == A.BOARD_COMMENT and _all_members_commented(locked):
            _close_window_now(locked, commission)
    notify(agreement=agreement, event="board_comment", to="officers")
    return comment


def board_comment_respond(*, comment: BoardComment, user: Any, response: str) -> BoardComment:
    if not response.strip():
        raise AgreementRefused("Write your response.", field="response")
    with transaction.atomic():
        locked = BoardComment.objects.select_for_update().get(pk=comment.pk)
        refuse(refuse_unless_officer(user, comment.agreement.commission))
        locked.response = response.strip()
        locked.responded_by, locked.responded_at = user, timezone.now()
        locked.save(update_fields=["response", "responded_by", "responded_at"])
    notify(agreement=comment.agreement, event="comment_response", to="author", comment=locked)
    return locked


def _all_members_commented(agreement: Agreement) -> bool:
    members = set(
        Membership.objects.filter(hub_id=agreement.hub_id, role=Role.BOARD_MEMBER).values_list(
            "user_id", flat=True
        )
    )
    commented = set(agreement.board_comments.values_list("author_id", flat=True))
    return bool(members) and members <= commented


def _close_window_now(agreement: Agreement, commission: Commission) -> None:
    now = timezone.now()
    agreement.board_comment_closes_at = now
    agreement.save(update_fields=["board_comment_closes_at", "updated_at"])
    if agreement.is_first and commission.status == Stage.BOARD_COMMENT:
        # The window is the commission's: every member has spoken, so it
        # closes now and the officer can submit the draft for approval.
        Commission.objects.filter(pk=commission.pk).update(board_comment_closes_at=now)


# ── signing ──────────────────────────────────────────────────────────────────


def agreement_sign(
    *,
    agreement: Agreement,
    user: Any,
    full_name: str,
    role_title: str,
    consent: bool,
    ip_address: str | None = None,
    user_agent: str = "",
    render_pdf: bool = True,
) -> Signature:
    """The partner's electronic signature on the issued agreement."""
    with transaction.atomic():
        _lock_commission(agreement.commission)
        locked = _lock(agreement)
        if not Membership.objects.filter(
            hub_id=locked.hub_id,
            user=user,
            role=Role.PARTNER_CONTACT,
            partner_id=locked.commission.partner_id,
        ).exists():
            raise AgreementRefused(
                f"Only a named contact of {locked.commission.partner} can sign for it."
            )
        if locked.status != A.ISSUED:
            raise AgreementRefused(
                f"This agreement is '{locked.get_status_display()}'; it can be signed once "
                "it has been approved and issued."
            )
        signature = _signature(
            locked,
            SigningParty.PARTNER,
            user,
            full_name,
            role_title,
            consent,
            ip_address,
            user_agent,
        )
        locked.status = A.PARTNER_SIGNED
        locked.save(update_fields=["status", "updated_at"])
    notify(agreement=agreement, event="partner_signed", to="countersigners")
    if render_pdf:
        agreement_pdf_request(agreement=agreement)
    return signature


def agreement_countersign(
    *,
    agreement: Agreement,
    user: Any,
    full_name: str,
    role_title: str,
    consent: bool,
    ip_address: str | None = None,
    user_agent: str = "",
    render_pdf: bool = True,
) -> Signature:
    """The HLO's countersignature: the agreement is in force, the commission
    moves to monitoring and instalments due on signature fall due."""
    with transaction.atomic():
        commission = _lock_commission(agreement.commission)
        locked = _lock(agreement)
        refuse(may_countersign(user, locked))
        if locked.status != A.PARTNER_SIGNED:
            raise AgreementRefused(
                "The partner signs first; the Hub Lead Organisation then countersigns."
            )
        partner_signature = locked.signatures.get(party=SigningParty.PARTNER)
        if partner_signature.user_id == user.pk:
            raise AgreementRefused(
                "You signed for the delivery partner, so a different person must countersign "
                "for the Hub Lead Organisation."
            )
        signature = _signature(
            locked, SigningParty.HLO, user, full_name, role_title, consent, ip_address, user_agent
        )
        if locked.is_first and commission.status == Stage.ISSUED:
            # The commission's "sign" move: the partner's signature, now complete.
            cs.commission_sign(commission=commission, user=partner_signature.user)
        else:
            locked.status = A.SIGNED
            locked.save(update_fields=["status", "updated_at"])
        for instalment in locked.instalments.filter(
            milestone=Milestone.SIGNATURE, status=InstalmentStatus.SCHEDULED
        ):
            _mark_due(instalment, user, "The agreement was signed by both parties.")
    notify(agreement=agreement, event="countersigned", to="partner")
    if render_pdf:
        agreement_pdf_request(agreement=agreement)
    return signature


def _signature(
    agreement, party, user, full_name, role_title, consent, ip_address, user_agent
) -> Signature:
    if not full_name.strip():
        raise AgreementRefused("Type your full name to sign.", field="full_name")
    if not role_title.strip():
        raise AgreementRefused("Give your role in the organisation.", field="role_title")
    if not consent:
        raise AgreementRefused(
            "Confirm the statement to sign: it is what makes this your signature.",
            field="consent",
        )
    if agreement.signatures.filter(party=party).exists():
        raise AgreementRefused("This agreement has already been signed for that party.")
    return Signature.objects.create(
        agreement=agreement,
        party=party,
        full_name=full_name.strip(),
        role_title=role_title.strip(),
        consent_statement=CONSENT_STATEMENT,
        user=user,
        signed_at=timezone.now(),
        ip_address=ip_address or None,
        user_agent=(user_agent or "")[:300],
        version_number=agreement.version_number,
        content_digest=content_digest(agreement),
    )


def content_digest(agreement: Agreement) -> str:
    """SHA-256 of what is signed: the text, term and schedule of this version."""
    content = {
        "sections": agreement.sections,
        "details": _details(agreement),
        "schedule": payments.snapshot(agreement.instalments.all()),
        "grant": str(agreement.grant_amount),
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


# ── payments ─────────────────────────────────────────────────────────────────


def instalment_mark_due(*, instalment: Instalment, user: Any, reason: str = "") -> Instalment:
    """An instalment falls due: on its date, at its milestone (a monitoring
    report accepted calls this), or when an officer says so."""
    with transaction.atomic():
        locked = (
            Instalment.objects.select_for_update().select_related("agreement").get(pk=instalment.pk)
        )
        if locked.agreement.status != A.SIGNED:
            raise AgreementRefused("Payments begin once the agreement is signed by both parties.")
        if locked.status != InstalmentStatus.SCHEDULED:
            raise AgreementRefused(f"This instalment is already {locked.get_status_display()}.")
        _mark_due(locked, user, reason)
    instalment.refresh_from_db()
    return instalment


def instalment_due_at_milestone(
    *, agreement: Agreement, milestone: str, user: Any, reason: str = ""
) -> Instalment | None:
    """The next scheduled instalment tied to `milestone` falls due (monitoring
    calls this with "report_accepted" when it accepts a report); None when
    no instalment waits on that milestone."""
    waiting = agreement.instalments.filter(milestone=milestone, status=InstalmentStatus.SCHEDULED)
    instalment = waiting.order_by("position").first()
    if instalment is None:
        return None
    return instalment_mark_due(instalment=instalment, user=user, reason=reason)


def _mark_due(instalment: Instalment, user: Any, reason: str) -> None:
    instalment.status = InstalmentStatus.DUE
    instalment.due_at = timezone.now()
    instalment.due_reason = reason.strip()[:300]
    instalment.save(update_fields=["status", "due_at", "due_reason"])
    notify(agreement=instalment.agreement, event="instalment_due", to="approvers")


def instalment_approve(*, instalment: Instalment, user: Any) -> Instalment:
    with transaction.atomic():
        locked = Instalment.objects.select_for_update().select_related(
            "agreement", "agreement__hub"
        )
        locked = locked.get(pk=instalment.pk)
        if not user.has_perm("hubs.approve_commissions", locked.agreement.hub):
            raise AgreementRefused(
                f"Payments are approved by the {locked.agreement.commission.policy.approving_body}."
            )
        if locked.status != InstalmentStatus.DUE:
            raise AgreementRefused("Only an instalment that is due can be approved for payment.")
        locked.status = InstalmentStatus.APPROVED
        locked.approved_by, locked.approved_at = user, timezone.now()
        locked.save(update_fields=["status", "approved_by", "approved_at"])
    notify(agreement=instalment.agreement, event="instalment_approved", to="officers")
    instalment.refresh_from_db()
    return instalment


def instalment_mark_paid(*, instalment: Instalment, user: Any, reference: str = "") -> Instalment:
    with transaction.atomic():
        locked = (
            Instalment.objects.select_for_update().select_related("agreement").get(pk=instalment.pk)
        )
        refuse(refuse_unless_payments_officer(user, locked.agreement))
        if locked.status != InstalmentStatus.APPROVED:
            raise AgreementRefused("An instalment is paid once it has been approved for payment.")
        locked.status = InstalmentStatus.PAID
        locked.paid_by, locked.paid_at = user, timezone.now()
        locked.payment_reference = reference.strip()[:100]
        locked.save(update_fields=["status", "paid_by", "paid_at", "payment_reference"])
    instalment.refresh_from_db()
    return instalment


def instalments_fall_due_by_date(*, today: date | None = None) -> int:
    """Mark due every scheduled instalment of a signed agreement whose date has
    come (run daily by Celery beat)."""
    today = today or timezone.localdate()
    ids = Instalment.objects.filter(
        status=InstalmentStatus.SCHEDULED, due_on__lte=today, agreement__status=A.SIGNED
    ).values_list("pk", flat=True)
    count = 0
    for pk in ids:
        with transaction.atomic():
            instalment = Instalment.objects.select_for_update().get(pk=pk)
            if instalment.status == InstalmentStatus.SCHEDULED:
                _mark_due(instalment, None, f"Due on {instalment.due_on:%-d %B %Y}.")
                count += 1
    return count


# ── renewal ──────────────────────────────────────────────────────────────────


def agreement_renew(*, agreement: Agreement, user: Any) -> Agreement:
    """Draft the next period's agreement (annual renewal): the same text and
    schedule, the term the policy sets, starting the day after this one ends."""
    with transaction.atomic():
        commission = _lock_commission(agreement.commission)
        current = _lock(agreement)
        refuse(refuse_unless_officer(user, commission))
        if current.status != A.SIGNED:
            raise AgreementRefused("Only a signed agreement can be renewed.")
        if commission.status != Stage.MONITORING:
            raise AgreementRefused("Only a live partnership (signed and active) can be renewed.")
        if Agreement.objects.filter(
            commission=commission, period_number=current.period_number + 1
        ).exists():
            raise AgreementRefused("The next period's agreement has already been drafted.")
        starts_on = current.ends_on + timedelta(days=1)
        starts_on, ends_on = drafting.default_term(commission.policy, starts_on)
        renewal = Agreement.objects.create(
            hub_id=current.hub_id,
            commission=commission,
            period_number=current.period_number + 1,
            partnership_type=current.partnership_type,
            starts_on=starts_on,
            ends_on=ends_on,
            sections=current.sections,
            payment_basis=current.payment_basis,
            hlo_signatory_name=current.hlo_signatory_name,
            hlo_signatory_role=current.hlo_signatory_role,
            partner_signatory_name=current.partner_signatory_name,
            partner_signatory_role=current.partner_signatory_role,
            created_by=user,
        )
        Instalment.objects.bulk_create(
            Instalment(
                agreement=renewal,
                position=item.position,
                description=item.description,
                amount=item.amount,
                percent=item.percent,
                due_on=_a_year_on(item.due_on),
                milestone=item.milestone,
            )
            for item in current.instalments.all()
        )
        _keep_version(renewal, user, note=f"Renewed from period {current.period_number}")
    return renewal


def _a_year_on(day: date | None) -> date | None:
    if day is None:
        return None
    return drafting.add_months(day, 12)


# ── the PDF ──────────────────────────────────────────────────────────────────


def agreement_pdf_request(*, agreement: Agreement) -> None:
    """Have the PDF (re)made by Celery once the transaction commits: after an
    approval and after each signature, or when someone asks for a missing one.
    `render_pdf=False` on the signing services leaves it to that first request
    (the demo loader signs dozens of agreements in one go)."""
    from agreements.tasks import render_agreement_pdf

    # If the broker is down, the PDF is made when it is first downloaded.
    enqueue_after_commit(render_agreement_pdf, agreement.pk)


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
