"""Writes for hubs: policies, and turning roles into permissions.

A role is recorded as a Membership; what it allows is granted as a
django-guardian permission on the hub (or the service area). Access to
everything below the hub is derived from these grants, never granted per row.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from hubs import standing_cache
from hubs.grounds import grounds_copy, standard_grounds
from hubs.models import (
    DecisionRoute,
    Hub,
    HubPolicy,
    HubUserObjectPermission,
    Membership,
    Role,
    RouteStep,
    ServiceArea,
    ServiceAreaUserObjectPermission,
)
from hubs.policy_life.models import PolicyStatus
from hubs.policy_life.rules import policy_revise_refusal
from hubs.policy_life.selectors import in_force
from hubs.refusals import raise_first
from hubs.routes import standard_routes

User = get_user_model()

# The one place that says what each role may do, hub-wide.
ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.HLO_STAFF: {"view_hub", "run_commissions"},
    Role.APPROVER: {"view_hub", "approve_commissions"},
    Role.BOARD_MEMBER: {"view_hub", "comment_as_board"},
    Role.SERVICE_LEAD: {"view_hub"},
    Role.PARTNER_CONTACT: set(),
    Role.HUB_ADMIN: {"view_hub", "configure_hub"},
}
CHAIR_PERMISSIONS = {"decide_terminations"}
HUB_PERMISSIONS = set().union(*ROLE_PERMISSIONS.values(), CHAIR_PERMISSIONS)
AREA_PERMISSION = "run_commissions_in_area"


def policy_current(*, hub: Hub, on: date | None = None) -> HubPolicy:
    """The policy version in force for a hub (today, or on a date): the
    newest approved version whose date has come. A newer draft, or an
    approved version whose date is still to come, is not it."""
    policy = in_force(hub, on)
    if policy is None:
        raise HubPolicy.DoesNotExist(f"{hub} has no commissioning policy in force yet.")
    return policy


@transaction.atomic
def policy_revise(*, policy: HubPolicy, user: Any = None) -> HubPolicy:
    """Save an edited policy. A draft is changed in place; any other version
    is saved as the hub's next version, a DRAFT: the version in force stays
    as it is until the body it names approves the draft
    (hubs.policy_life.services). Earlier versions stay as they were: each
    commission keeps the version it ran under. A hub's first policy has no
    body to approve it, and is in force once saved."""
    Hub.objects.select_for_update().filter(pk=policy.hub_id).first()  # one version at a time
    raise_first(policy_revise_refusal(policy))
    if policy.pk and policy.status == PolicyStatus.DRAFT:
        policy.full_clean()
        policy.save()
        return policy
    newest = HubPolicy.objects.filter(hub_id=policy.hub_id).aggregate(v=Max("version"))["v"]
    current = in_force(policy.hub)
    previous = policy.pk or (current.pk if current else None)
    policy.pk = None
    policy._state.adding = True
    policy.version = (newest or 0) + 1
    if previous is not None:
        policy.status, policy.effective_from = PolicyStatus.DRAFT, None
        policy.approved_by, policy.approved_on = "", None
    else:
        policy.status, policy.effective_from = PolicyStatus.APPROVED, timezone.localdate()
    policy.proposed_by = user
    policy.opened_at = policy.comment_closes_on = policy.consultation_closes_on = None
    policy.full_clean()
    policy.save()
    if previous is not None:
        routes_copy(source_id=previous, target=policy)
        grounds_copy(source_id=previous, target=policy)
        for copy in POLICY_COPIERS:
            copy(source_id=previous, target=policy)
    else:  # a hub's first policy starts with routes it can run, edited after them
        standard_routes(policy, approving_body="approvers")
        standard_grounds(policy)
        for start in POLICY_STARTERS:
            start(policy)
    return policy


# Other apps keep lists of their own per policy version (report schedules,
# partnership types...). Each registers, in its AppConfig.ready(), how a new
# version copies them from the one it revises, and what a hub's first policy
# starts with, so hubs never imports them.
POLICY_COPIERS: list[Callable[..., None]] = []
POLICY_STARTERS: list[Callable[[HubPolicy], None]] = []


def routes_copy(*, source_id: int, target: HubPolicy) -> None:
    """A new version starts with the routes of the one it revises."""
    for route in DecisionRoute.objects.filter(policy_id=source_id).prefetch_related("steps"):
        steps = list(route.steps.all())
        route.pk, route.policy = None, target
        route.save()
        for step in steps:
            step.pk, step.route = None, route
        RouteStep.objects.bulk_create(steps)
    target._routes_cache = None


def membership_sync_permissions(*, hub: Hub, user: Any) -> None:
    """Make the user's guardian grants on this hub (and its areas) match their
    memberships: one diff, written in bulk."""
    memberships = list(Membership.objects.filter(hub=hub, user=user))
    wanted: set[str] = set()
    wanted_areas: set[int] = set()
    for m in memberships:
        wanted |= ROLE_PERMISSIONS[m.role]
        if m.is_chair:
            wanted |= CHAIR_PERMISSIONS
        if m.role == Role.SERVICE_LEAD and m.service_area_id:
            wanted_areas.add(m.service_area_id)

    perms = {
        p.codename: p
        for p in Permission.objects.filter(
            content_type__app_label="hubs", codename__in=HUB_PERMISSIONS | {AREA_PERMISSION}
        )
    }
    held = HubUserObjectPermission.objects.filter(user=user, content_object=hub)
    have = set(held.values_list("permission__codename", flat=True))
    held.filter(permission__codename__in=have - wanted).delete()
    HubUserObjectPermission.objects.bulk_create(
        HubUserObjectPermission(user=user, permission=perms[code], content_object=hub)
        for code in wanted - have
    )

    # Hub admins configure their hub in the Django admin, which needs staff status.
    is_admin_anywhere = Membership.objects.filter(user=user, role=Role.HUB_ADMIN).exists()
    if is_admin_anywhere and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])

    area_held = ServiceAreaUserObjectPermission.objects.filter(
        user=user, content_object__hub=hub, permission__codename=AREA_PERMISSION
    )
    have_areas = set(area_held.values_list("content_object_id", flat=True))
    area_held.filter(content_object_id__in=have_areas - wanted_areas).delete()
    ServiceAreaUserObjectPermission.objects.bulk_create(
        ServiceAreaUserObjectPermission(
            user=user, permission=perms[AREA_PERMISSION], content_object_id=area_id
        )
        for area_id in wanted_areas - have_areas
    )
    # The person's next request reads their standing again (hubs.access).
    standing_cache.renew([standing_cache.standing(user.pk)])


@transaction.atomic
def membership_grant(
    *,
    hub: Hub,
    user: Any,
    role: str,
    service_area: ServiceArea | None = None,
    partner: Any = None,
    title: str = "",
    is_chair: bool = False,
) -> Membership:
    membership, _ = Membership.objects.get_or_create(
        hub=hub,
        user=user,
        role=role,
        service_area=service_area,
        partner=partner,
        defaults={"title": title, "is_chair": is_chair},
    )
    if (membership.title, membership.is_chair) != (title, is_chair):
        membership.title, membership.is_chair = title, is_chair
        membership.full_clean()
        membership.save(update_fields=["title", "is_chair"])
    else:
        membership.full_clean()
    membership_sync_permissions(hub=hub, user=user)
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership) -> None:
    hub, user = membership.hub, membership.user
    membership.delete()
    membership_sync_permissions(hub=hub, user=user)
