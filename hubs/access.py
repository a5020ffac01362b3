"""Who may see what in a hub, computed once per request.

Every hub-scoped view starts with `hub_access(request, hub_slug)`. It returns
the user's standing in that hub (hub-wide permissions from django-guardian,
the service areas they lead, the partner organisations they speak for) or
raises Http404: a hub you have no part in does not exist, as far as you know.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, Value
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from guardian.core import ObjectPermissionChecker

from hubs.models import (
    Hub,
    HubUserObjectPermission,
    Membership,
    Role,
    ServiceArea,
    ServiceAreaUserObjectPermission,
)
from hubs.services import HUB_PERMISSIONS

# Hub-wide permissions that see every commission of the hub.
AREA, PARTNER = "area", "partner"

SEES_EVERYTHING = {"run_commissions", "approve_commissions", "configure_hub"}


@dataclass(frozen=True)
class HubAccess:
    hub: Hub
    user: Any
    perms: frozenset[str]
    area_ids: frozenset[int]
    partner_ids: frozenset[int]

    def can(self, codename: str) -> bool:
        return codename in self.perms

    def has_perm(self, perm: str, obj: Any) -> bool:
        """Answers the policy engine's permission questions from what was
        already read, as a guardian checker would, without asking again."""
        if self.user.is_superuser:
            return True
        codename = perm.split(".", 1)[-1]
        if isinstance(obj, Hub):
            return obj.pk == self.hub.pk and codename in self.perms
        if isinstance(obj, ServiceArea):
            return codename == "run_commissions_in_area" and obj.pk in self.area_ids
        return False

    @property
    def sees_everything(self) -> bool:
        return bool(self.perms & SEES_EVERYTHING)

    @property
    def is_officer(self) -> bool:
        return self.can("run_commissions") or bool(self.area_ids)

    @property
    def can_configure(self) -> bool:
        return self.can("configure_hub") or self.user.is_superuser

    @property
    def is_board(self) -> bool:
        return self.can("comment_as_board")

    @property
    def is_internal(self) -> bool:
        """Staff, approvers, hub admins and the board: people who see the
        commission's record, not only what is published to a partner."""
        return self.sees_everything or self.is_officer or self.is_board

    @property
    def is_partner(self) -> bool:
        return bool(self.partner_ids)

    @property
    def role_names(self) -> list[str]:
        """What the interface calls this person here, for the header."""
        names = []
        if self.user.is_superuser:
            names.append("Site administrator")
        for codename, label in (
            ("run_commissions", "HLO staff"),
            ("approve_commissions", "Approver"),
            ("comment_as_board", "Board member"),
            ("decide_terminations", "Chair"),
            ("configure_hub", "Hub admin"),
        ):
            if self.can(codename):
                names.append(label)
        if self.area_ids:
            names.append("Service lead")
        if self.partner_ids:
            names.append("Partner contact")
        return names


def runs_commission(who: Any, commission: Any) -> bool:
    """Whether this person runs the commission: HLO staff of its hub, or the
    service lead for its service area. `who` is a user (asked of guardian
    once), or anything that answers `has_perm(perm, obj)` from what it has
    already read: a HubAccess, or a guardian checker."""
    checker = ObjectPermissionChecker(who) if hasattr(who, "is_authenticated") else who
    if checker.has_perm("hubs.run_commissions", commission.hub):
        return True
    area = commission.service_area
    return area is not None and checker.has_perm("hubs.run_commissions_in_area", area)


def hub_access(request: HttpRequest, hub_slug: str) -> HubAccess:
    hub = get_object_or_404(Hub, slug=hub_slug)
    user = request.user
    if not user.is_authenticated:
        raise Http404("No such hub")
    if user.is_superuser:
        access = HubAccess(hub, user, frozenset(HUB_PERMISSIONS), frozenset(), frozenset())
    else:
        perms = HubUserObjectPermission.objects.filter(user=user, content_object=hub)
        areas = ServiceAreaUserObjectPermission.objects.filter(
            user=user, content_object__hub=hub, permission__codename="run_commissions_in_area"
        )
        partners = Membership.objects.filter(hub=hub, user=user, role=Role.PARTNER_CONTACT)
        # The areas led and the organisations spoken for, in one query.
        as_kind = {kind: Value(kind, output_field=CharField()) for kind in (AREA, PARTNER)}
        standing = (
            areas.order_by()
            .values_list("content_object_id", as_kind[AREA])
            .union(partners.order_by().values_list("partner_id", as_kind[PARTNER]), all=True)
        )
        held: dict[str, set[int]] = {AREA: set(), PARTNER: set()}
        for pk, kind in standing:
            held[kind].add(pk)
        access = HubAccess(
            hub=hub,
            user=user,
            perms=frozenset(perms.values_list("permission__codename", flat=True)),
            area_ids=frozenset(held[AREA]),
            partner_ids=frozenset(held[PARTNER]),
        )
    if not (access.perms or access.area_ids or access.partner_ids):
        raise Http404("No such hub")
    request.hub_access = access  # for the layout's navigation
    return access


def hubs_of(user: Any):
    """The hubs a signed-in user has a part in, for the hub picker."""
    if user.is_superuser:
        return Hub.objects.order_by("name")
    return Hub.objects.filter(memberships__user=user).distinct().order_by("name")
