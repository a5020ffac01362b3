"""Writes to needs analyses, needs and their SMART targets.

Service leads may write only their own service area's needs; the hub's policy
says whether a need must name a service area at all.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from commissioning.models import Need, NeedsAnalysis, SmartTarget
from commissioning.policy import Refusal, Refused
from hubs.models import Hub, ServiceArea
from hubs.services import policy_current

# ── needs ────────────────────────────────────────────────────────────────────


def analysis_refusal(*, hub: Hub, user: Any) -> Refusal | None:
    """Who may write a needs analysis: it covers the whole hub, so HLO staff
    alone; a service lead records their own area's needs within it, but does
    not change the analysis itself. `user` may be the page's HubAccess, which
    answers from what it has already read."""
    if user.has_perm("hubs.run_commissions", hub):
        return None
    area_ids = getattr(user, "area_ids", None)
    if area_ids if area_ids is not None else _led_areas(hub=hub, user=user):
        return Refusal(
            "officer_only",
            f"A needs analysis covers the whole of {hub.name}: HLO staff record and change it. "
            "As a service lead you add and change your own area's needs within it.",
        )
    return Refusal(
        "officer_only", f"Only HLO staff can record or change a needs analysis for {hub.name}."
    )


def needs_analysis_create(
    *,
    hub: Hub,
    user: Any,
    cycle: str,
    title: str,
    summary: str = "",
    stakeholders_consulted: list[str] | None = None,
    completed_on=None,
) -> NeedsAnalysis:
    _refuse(analysis_refusal(hub=hub, user=user))
    analysis = NeedsAnalysis(
        hub=hub,
        cycle=cycle,
        title=title,
        summary=summary,
        stakeholders_consulted=stakeholders_consulted or [],
        completed_on=completed_on,
        created_by=user,
    )
    analysis.full_clean()
    analysis.save()
    return analysis


def need_add(
    *,
    analysis: NeedsAnalysis,
    title: str,
    description: str = "",
    priority: int = Need.Priority.MEDIUM,
    service_area: ServiceArea | None = None,
    targets: list[dict[str, Any]] | None = None,
) -> Need:
    with transaction.atomic():
        need = Need(
            hub=analysis.hub,
            analysis=analysis,
            title=title,
            description=description,
            priority=priority,
            service_area=service_area,
        )
        need.full_clean()
        need.save()
        for spec in targets or []:
            target = SmartTarget(need=need, **spec)
            target.full_clean()
            target.save()
    return need


# ── needs pages: editing analyses, needs and targets ────────────────────────


def _led_areas(*, hub: Hub, user: Any) -> list[ServiceArea]:
    return list(
        ServiceArea.objects.filter(
            hub=hub,
            serviceareauserobjectpermission__user=user,
            serviceareauserobjectpermission__permission__codename="run_commissions_in_area",
        ).order_by("name")
    )


def need_area_refusal(*, hub: Hub, service_area: ServiceArea | None) -> Refusal | None:
    """What the hub's policy says about a need's service area."""
    if service_area is not None and service_area.hub_id != hub.pk:
        return Refusal(
            "service_area_required", "Choose a service area of this hub.", field="service_area"
        )
    if service_area is None and policy_current(hub=hub).commissioning_by_service_area:
        return Refusal(
            "service_area_required",
            f"In {hub.name} each music service commissions its own partners: choose the "
            "service area this need belongs to.",
            field="service_area",
        )
    return None


def need_person_refusal(*, hub: Hub, user: Any, service_area: ServiceArea | None) -> Refusal | None:
    """Whether this person may write a need of this service area: HLO staff
    any, a service lead their own area's only; hub admins, who configure the
    hub, in the admin."""
    if user.has_perm("hubs.run_commissions", hub) or user.has_perm("hubs.configure_hub", hub):
        return None
    led = _led_areas(hub=hub, user=user)
    if not led:
        return Refusal(
            "officer_only", f"Only HLO staff or a service lead can record needs for {hub.name}."
        )
    if service_area not in led:
        names = " and ".join(area.name for area in led)
        other = service_area.name if service_area else "the whole hub"
        return Refusal(
            "officer_only",
            f"You lead the service for {names}, so you can record needs for {names} only, "
            f"not for {other}; HLO staff record the others.",
            field="service_area",
        )
    return None


def need_refusal(*, hub: Hub, user: Any, service_area: ServiceArea | None) -> Refusal | None:
    """The gate for writing a need, by any route (the needs pages, the admin)."""
    return need_area_refusal(hub=hub, service_area=service_area) or need_person_refusal(
        hub=hub, user=user, service_area=service_area
    )


def _refuse(*refusals: Refusal | None) -> None:
    for refusal in refusals:
        if refusal is not None:
            raise Refused(refusal)


def needs_analysis_update(
    *,
    analysis: NeedsAnalysis,
    user: Any,
    cycle: str,
    title: str,
    summary: str = "",
    stakeholders_consulted: list[str] | None = None,
    completed_on=None,
) -> NeedsAnalysis:
    _refuse(analysis_refusal(hub=analysis.hub, user=user))
    analysis.cycle = cycle
    analysis.title = title
    analysis.summary = summary
    analysis.stakeholders_consulted = stakeholders_consulted or []
    analysis.completed_on = completed_on
    analysis.full_clean()
    analysis.save()
    return analysis


def need_record(
    *,
    analysis: NeedsAnalysis,
    user: Any,
    title: str,
    description: str = "",
    priority: int = Need.Priority.MEDIUM,
    service_area: ServiceArea | None = None,
    targets: list[dict[str, Any]] | None = None,
) -> Need:
    """`need_add` on someone's behalf: the hub's policy on service areas and
    the person's own area are checked first."""
    hub = analysis.hub
    _refuse(
        need_area_refusal(hub=hub, service_area=service_area),
        need_person_refusal(hub=hub, user=user, service_area=service_area),
    )
    return need_add(
        analysis=analysis,
        title=title,
        description=description,
        priority=priority,
        service_area=service_area,
        targets=targets,
    )


def need_update(
    *,
    need: Need,
    user: Any,
    title: str,
    description: str = "",
    priority: int = Need.Priority.MEDIUM,
    service_area: ServiceArea | None = None,
) -> Need:
    """Change a need; a service lead may neither edit another area's need nor
    move one of theirs out of their area."""
    hub = need.hub
    _refuse(
        need_person_refusal(hub=hub, user=user, service_area=need.service_area),
        need_area_refusal(hub=hub, service_area=service_area),
        need_person_refusal(hub=hub, user=user, service_area=service_area),
    )
    need.title = title
    need.description = description
    need.priority = priority
    need.service_area = service_area
    need.full_clean()
    need.save()
    return need


def smart_target_add(
    *,
    need: Need,
    user: Any,
    description: str,
    measure: str,
    baseline: Decimal,
    target_value: Decimal,
    due_on,
) -> SmartTarget:
    _refuse(need_person_refusal(hub=need.hub, user=user, service_area=need.service_area))
    target = SmartTarget(
        need=need,
        description=description,
        measure=measure,
        baseline=baseline,
        target_value=target_value,
        due_on=due_on,
    )
    target.full_clean()
    target.save()
    return target
