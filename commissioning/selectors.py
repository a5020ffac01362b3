"""Reads of commissions, always scoped to a hub and to the reader's role."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from functools import reduce

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from commissioning import hooks
from commissioning.models import Commission, TransitionLog
from commissioning.routing import decisions_waiting
from commissioning.workflow import DECOMMISSIONING, Stage
from hubs.access import HubAccess

BOARD_STAGES = [Stage.BOARD_COMMENT, Stage.DECOMMISSION_BOARD_COMMENT]
# The live and finished partnerships a board oversees, and a partner sees once
# its agreement is issued.
PARTNERSHIP_STAGES = [Stage.ISSUED, Stage.MONITORING, Stage.COMPLETED, *DECOMMISSIONING]
BOARD_SEES = [*PARTNERSHIP_STAGES, Stage.DECOMMISSIONED]
PARTNER_SEES = [*PARTNERSHIP_STAGES, Stage.DECOMMISSIONED]


def _visibility(access: HubAccess) -> Q:
    if access.sees_everything:
        return Q()
    q = Q(pk__in=[])
    if access.area_ids:
        q |= Q(service_area_id__in=access.area_ids)
    if access.is_board:
        # The hub narrows the log to this hub's rows (index log_hub_stage), so
        # the planner does not scan every hub's history.
        sent_to_board = TransitionLog.objects.filter(
            hub=access.hub, to_stage__in=BOARD_STAGES, commission=OuterRef("pk")
        )
        q |= Q(status__in=BOARD_SEES) | Q(Exists(sent_to_board))
    if access.partner_ids:
        q |= Q(partner_id__in=access.partner_ids, status__in=PARTNER_SEES)
        q |= Q(_joint_partner(access), status__in=PARTNER_SEES)  # a joint bid's co-applicant
    return q


def _joint_partner(access: HubAccess) -> Exists:
    from commissioning.models import CommissionPartner

    return Exists(
        CommissionPartner.objects.filter(
            commission=OuterRef("pk"), partner_id__in=access.partner_ids, is_lead=False
        )
    )


def commissions_visible(access: HubAccess) -> QuerySet[Commission]:
    return (
        Commission.objects.filter(hub=access.hub)
        .filter(_visibility(access))
        .select_related("partner", "service_area", "need")
    )


def commission_for(access: HubAccess, reference: str) -> Commission:
    """The one access helper for a commission: another hub's, or one this
    role may not see, is a 404."""
    commission = (
        commissions_visible(access)
        .select_related("hub", "policy", "service_category", "awarded_proposal", "call")
        .filter(reference=reference)
        .first()
    )
    if commission is None:
        raise Http404("No such commission")
    return commission


def commission_history(commission: Commission) -> QuerySet[TransitionLog]:
    return TransitionLog.objects.filter(commission=commission).select_related("actor")


@dataclass(frozen=True)
class Todo:
    commission: Commission
    task: str


def _waiting_on(access: HubAccess) -> dict[str, Q]:
    """Per task, which commissions wait on this person."""
    now = timezone.now()
    tasks: dict[str, Q] = {}
    if access.is_officer:
        mine = Q() if access.can("run_commissions") else Q(service_area_id__in=access.area_ids)
        tasks |= {
            "Start identifying a partner": mine & Q(status=Stage.NEEDS),
            "Award to a partner": mine & Q(status=Stage.IDENTIFY),
            "Finish the draft and send it on": mine & Q(status=Stage.DRAFT),
            "Board comment has closed: submit for approval": mine
            & Q(status=Stage.BOARD_COMMENT, board_comment_closes_at__lte=now),
            "Route the decommissioning recommendation": mine
            & Q(status=Stage.DECOMMISSION_RECOMMENDED),
            "Board comment has closed: submit for decision": mine
            & Q(status=Stage.DECOMMISSION_BOARD_COMMENT, board_comment_closes_at__lte=now),
            "Record the partnership as ended": mine & Q(status=Stage.DECOMMISSION_APPROVED),
        }
    for task, pks in (decisions_waiting(access) if access.is_internal else {}).items():
        tasks[task] = Q(pk__in=pks)  # the route's current step names this person
    if access.is_board:
        tasks["Comment as the board"] = Q(status__in=BOARD_STAGES, board_comment_closes_at__gt=now)
    if access.partner_ids:
        tasks["Sign the partnership agreement"] = Q(
            status=Stage.ISSUED, partner_id__in=access.partner_ids
        )
    for source in hooks.todo_sources():
        tasks |= source(access)  # apps above add or refine tasks (commissioning/hooks.py)
    return tasks


def waiting_on_q(access: HubAccess) -> Q:
    """The commissions waiting on this person: the dashboard's to-do list
    (`todo_for`) as a filter, for the commission list's "Waiting on me"."""
    tasks = _waiting_on(access)
    return reduce(operator.or_, tasks.values()) if tasks else Q(pk__in=[])


def todo_for(access: HubAccess, limit: int = 50) -> list[Todo]:
    """What waits on this person in this hub: one query, however many roles."""
    tasks = _waiting_on(access)
    if not tasks:
        return []
    which_task = Case(
        *(When(q, then=Value(task)) for task, q in tasks.items()),
        default=None,
        output_field=CharField(),
    )
    waiting = (
        commissions_visible(access)
        .annotate(task=which_task)
        .filter(task__isnull=False)
        .order_by("stage_entered_at", "pk")[:limit]
    )
    return [Todo(commission, commission.task) for commission in waiting]


def stage_counts(access: HubAccess) -> list[tuple[str, str, int]]:
    """(stage, label, number) for the stages this person can see, in order."""
    rows = dict(
        commissions_visible(access)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [(value, label, rows[value]) for value, label in Stage.choices if rows.get(value)]
