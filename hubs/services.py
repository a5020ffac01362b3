"""Writes for hubs: policies, and turning roles into permissions.

A role is recorded as a Membership; what it allows is granted as a
django-guardian permission on the hub (or the service area). Access to
everything below the hub is derived from these grants, never granted per row.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from guardian.shortcuts import assign_perm, remove_perm

from hubs.models import Hub, HubPolicy, Membership, Role, ServiceArea

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


def policy_current(*, hub: Hub) -> HubPolicy:
    """The policy version in force for a hub."""
    policy = hub.policies.order_by("-version").first()
    if policy is None:
        raise HubPolicy.DoesNotExist(f"{hub} has no commissioning policy yet.")
    return policy


def membership_sync_permissions(*, hub: Hub, user: Any) -> None:
    """Make the user's guardian grants on this hub match their memberships."""
    memberships = list(Membership.objects.filter(hub=hub, user=user))
    wanted: set[str] = set()
    wanted_areas: set[int] = set()
    for m in memberships:
        wanted |= ROLE_PERMISSIONS[m.role]
        if m.is_chair:
            wanted |= CHAIR_PERMISSIONS
        if m.role == Role.SERVICE_LEAD and m.service_area_id:
            wanted_areas.add(m.service_area_id)
    for codename in HUB_PERMISSIONS:
        if codename in wanted:
            assign_perm(f"hubs.{codename}", user, hub)
        else:
            remove_perm(f"hubs.{codename}", user, hub)
    for area in ServiceArea.objects.filter(hub=hub):
        if area.pk in wanted_areas:
            assign_perm(f"hubs.{AREA_PERMISSION}", user, area)
        else:
            remove_perm(f"hubs.{AREA_PERMISSION}", user, area)


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
