"""Who hears about an agreement, and what they are told.

Everything goes through `notify`, which hands the notice to the notices
messenger inside the current transaction: each person's activity feed, and an
email in the outbox sent after commit, or once the broker is back if it is
down. Moves of the commission itself (sent to the board, approved...) are
told by commissioning's own notifications; these cover what only agreements
know.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from hubs.models import Membership, Role
from notices.services import notify as messenger_notify

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


def notify(*, agreement, event: str, to: str, comment=None) -> int:
    """Tell `to` (officers, approvers, board, partner, countersigners, author)
    about `event`; sent once the current transaction commits."""
    people = recipients(agreement, to, comment)
    if not people:
        return 0
    c = agreement.commission
    return messenger_notify(
        hub=agreement.hub,
        recipients=people,
        kind=f"agreement_{event}",
        subject=f"[{agreement.hub.name}] {c.reference}: {SUBJECTS.get(event, event)}",
        body=f"{c.reference} {c.title}\nPartnership agreement, period "
        f"{agreement.period_number}: {agreement.get_status_display()}.",
        url=_path(agreement),
    )


def recipients(agreement, to: str, comment=None) -> list:
    """The active people (users) to tell."""
    roles = {
        "officers": Q(role=Role.HLO_STAFF)
        | Q(role=Role.SERVICE_LEAD, service_area_id=agreement.commission.service_area_id),
        "approvers": Q(role=Role.APPROVER),
        "board": Q(role=Role.BOARD_MEMBER),
        "partner": Q(role=Role.PARTNER_CONTACT, partner_id=agreement.commission.partner_id),
        "countersigners": Q(role__in=[Role.HLO_STAFF, Role.APPROVER]),
    }
    if to == "author":
        author = comment.author if comment is not None else None
        return [author] if author is not None and author.is_active else []
    members = Membership.objects.filter(roles[to], hub_id=agreement.hub_id).select_related("user")
    people = {m.user.pk: m.user for m in members if m.user.is_active}
    return [people[pk] for pk in sorted(people)]


def _path(agreement) -> str:
    return reverse(
        "agreements:detail",
        args=[agreement.hub.slug, agreement.commission.reference, agreement.period_number],
    )
