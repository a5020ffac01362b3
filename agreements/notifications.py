"""Who hears about an agreement, and what they are told.

Everything goes through `notify`, which sends after commit through a Celery
task: one place to switch to the notices messenger when it arrives. Moves
of the commission itself (sent to the board, approved...) are told by
commissioning's own notifications; these cover what only agreements know.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from hubs.models import Membership, Role

SUBJECTS = {
    "send_to_board": "a renewal is with the board for comment",
    "submit_for_approval": "a renewal awaits approval",
    "close_board_comment": "a renewal awaits approval",
    "approve": "the partnership agreement is issued for signature",
    "return_to_draft": "the agreement was returned to draft",
    "board_comment": "a board member commented on the draft agreement",
    "comment_response": "the officer responded to your comment",
    "partner_signed": "the partner has signed: please countersign",
    "countersigned": "the partnership agreement is signed by both parties",
    "instalment_due": "a payment instalment is due for approval",
    "instalment_approved": "a payment instalment is approved for payment",
}


def notify(*, agreement, event: str, to: str, comment=None) -> None:
    """Tell `to` (officers, approvers, board, partner, countersigners, author)
    about `event`, once the current transaction commits."""
    from agreements.tasks import send_agreement_notice

    comment_id = comment.pk if comment is not None else None
    transaction.on_commit(lambda: send_agreement_notice.delay(agreement.pk, event, to, comment_id))


def recipients(agreement, to: str, comment=None) -> list[str]:
    roles = {
        "officers": Q(role=Role.HLO_STAFF)
        | Q(role=Role.SERVICE_LEAD, service_area_id=agreement.commission.service_area_id),
        "approvers": Q(role=Role.APPROVER),
        "board": Q(role=Role.BOARD_MEMBER),
        "partner": Q(role=Role.PARTNER_CONTACT, partner_id=agreement.commission.partner_id),
        "countersigners": Q(role__in=[Role.HLO_STAFF, Role.APPROVER]),
    }
    if to == "author":
        return [comment.author.email] if comment and comment.author.email else []
    members = Membership.objects.filter(roles[to], hub_id=agreement.hub_id).select_related("user")
    return sorted({m.user.email for m in members if m.user.is_active and m.user.email})


def agreement_notice_send(*, agreement_id: int, event: str, to: str, comment_id=None) -> int:
    from agreements.models import Agreement, BoardComment

    agreement = Agreement.objects.select_related("commission", "hub").get(pk=agreement_id)
    comment = None
    if comment_id:
        comment = BoardComment.objects.select_related("author").get(pk=comment_id)
    emails = recipients(agreement, to, comment)
    if not emails:
        return 0
    c = agreement.commission
    subject = f"[{agreement.hub.name}] {c.reference}: {SUBJECTS.get(event, event)}"
    body = "\n".join(
        [
            f"{c.reference} {c.title}",
            f"Partnership agreement, period {agreement.period_number}: "
            f"{agreement.get_status_display()}.",
            "",
            f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{_path(agreement)}",
        ]
    )
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [email]) for email in emails]
    return send_mass_mail(messages, fail_silently=False)


def _path(agreement) -> str:
    return reverse(
        "agreements:detail",
        args=[agreement.hub.slug, agreement.commission.reference, agreement.period_number],
    )
