"""Writes for oversight: asking for a board pack, and preparing it.

A board pack is prepared by a Celery task after the request commits. The task
records its progress as it goes (each step its own small write, so the
progress page sees it at once) and stores the PDF under private media.

The pack is the board's: it lists only commissions a board member may open
(commissioning.selectors.commissions_visible with the board's access), so no
line of it leads to a page the board gets a 404 for."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone

from commissioning.selectors import commissions_visible
from commissioning.workflow import Stage
from contracts.dashboard import board_pack_part
from hubs.access import HubAccess
from hubs.models import Hub, HubPolicy
from hubs.pdf import render_pdf
from notices.services import enqueue_after_commit
from oversight import dashboard
from oversight.models import BoardPack, BoardPackStatus
from oversight.policy_record import changes_between

log = logging.getLogger(__name__)

FOR_COMMENT = [Stage.BOARD_COMMENT, Stage.DECOMMISSION_BOARD_COMMENT]
UNDERWAY = [BoardPackStatus.QUEUED, BoardPackStatus.RUNNING]
RECOMMENDATIONS = [Stage.APPROVAL, Stage.DECOMMISSION_RECOMMENDED, Stage.DECOMMISSION_DECISION]
# A pack still waiting to start after this long was never picked up (the broker
# was down, or the task was lost): asking again sends it again.
STALE_AFTER = timedelta(minutes=10)


def board_pack_request(*, hub: Hub, user: Any, meeting_on: date) -> BoardPack:
    """Record the request and start preparing the pack once it is saved. A
    second request for the same meeting while the first is being made gets
    the first, so repeated clicks do not queue repeated work; one that has
    waited to start for longer than STALE_AFTER is sent to the worker again."""
    from oversight.tasks import build_board_pack  # the task calls back into this module

    with transaction.atomic():
        Hub.objects.select_for_update().filter(pk=hub.pk).first()  # one request at a time
        underway = BoardPack.objects.filter(
            hub=hub, meeting_on=meeting_on, status__in=UNDERWAY
        ).first()
        if underway is not None:
            if _never_started(underway):  # lost on the way to the worker: send it again
                BoardPack.objects.filter(pk=underway.pk).update(queued_at=timezone.now())
                enqueue_after_commit(build_board_pack, underway.pk)
            return underway  # asked twice: the pack being made already answers both
        pack = BoardPack.objects.create(hub=hub, requested_by=user, meeting_on=meeting_on)
        # If the broker is down the pack stays "waiting to start" (its page says so).
        enqueue_after_commit(build_board_pack, pack.pk)
    return pack


def _never_started(pack: BoardPack) -> bool:
    return pack.status == BoardPackStatus.QUEUED and pack.queued_at < timezone.now() - STALE_AFTER


def _progress(pack: BoardPack, percent: int, step: str, **fields: Any) -> None:
    BoardPack.objects.filter(pk=pack.pk).update(progress=percent, step=step, **fields)


def board_view(hub: Hub, user: Any) -> HubAccess:
    """What a member of the hub's board sees, whoever asked for the pack."""
    return HubAccess(
        hub=hub,
        user=user,
        perms=frozenset({"comment_as_board"}),
        area_ids=frozenset(),
        partner_ids=frozenset(),
    )


def board_pack_content(hub: Hub, user: Any = None) -> dict[str, Any]:
    """What a board meeting needs, as a template's context: only what the
    board may see."""
    stages = commissions_visible(board_view(hub, user))
    policies = list(HubPolicy.objects.in_force().filter(hub=hub).order_by("-version")[:2])
    policy = policies[0] if policies else None
    counted = dashboard.tally(hub)
    year = dashboard.academic_year(timezone.localdate())
    if year not in counted.years and counted.years:
        year = max(counted.years)  # the newest year with commissions
    allocated = dashboard.policy_with_allocation(hub, year)
    return {
        "hub": hub,
        "policy": policy,
        "policy_changes": changes_between(policies[1], policy) if len(policies) == 2 else [],
        "for_comment": list(
            stages.filter(status__in=FOR_COMMENT)
            .annotate(comments=Count("agreements__board_comments"))
            .order_by("stage_entered_at")
        ),
        "recommendations": list(
            stages.filter(status__in=RECOMMENDATIONS)
            .order_by("status", "stage_entered_at")
            .prefetch_related("policy__grounds")  # each row's grounds, in words
        ),
        "partnerships": list(
            stages.filter(status__in=dashboard.CURRENT_STAGES, partner__isnull=False).order_by(
                "partner__name", "reference"
            )
        ),
        "mix": dashboard.partner_mix(hub),
        "money": dashboard.money(
            hub, year, allocated.allocated if allocated else None, policy, counted
        ),
        "today": timezone.localdate(),
        **board_pack_part(board_view(hub, user)),  # high risks, KPIs of concern
    }


def board_pack_build(*, pack_id: int) -> BoardPack:
    pack = BoardPack.objects.select_related("hub").get(pk=pack_id)
    if pack.status == BoardPackStatus.READY:
        return pack  # a retried task finds the work done
    try:
        _progress(pack, 10, "Reading drafts and recommendations", status=BoardPackStatus.RUNNING)
        context = board_pack_content(pack.hub, pack.requested_by) | {"pack": pack}
        _progress(pack, 40, "Writing the pack")
        html = render_to_string("oversight/board_pack_pdf.html", context)
        _progress(pack, 60, "Making the PDF")
        pdf = render_pdf(html)
        _progress(pack, 90, "Storing the PDF")
        pack.file.save(f"board-pack-{pack.pk}.pdf", ContentFile(pdf), save=False)
        _progress(
            pack,
            100,
            "Ready",
            status=BoardPackStatus.READY,
            file=pack.file.name,
            finished_at=timezone.now(),
        )
    except Exception as exc:
        log.exception("Board pack %s failed", pack.pk)
        _progress(
            pack,
            100,
            "Stopped",
            status=BoardPackStatus.FAILED,
            error=f"The pack could not be prepared ({type(exc).__name__}). Ask again, "
            "or tell the site administrator if it keeps failing.",
            finished_at=timezone.now(),
        )
    pack.refresh_from_db()
    return pack
