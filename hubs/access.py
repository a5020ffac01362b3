"""Who may see what in a hub, computed once per request.

Every hub-scoped view starts with `hub_access(request, hub_slug)`. It returns
the user's standing in that hub (hub-wide permissions from django-guardian,
the service areas they lead, the partner organisations they speak for) or
raises Http404: a hub you have no part in does not exist, as far as you know.
The standing (with the hub's row) is kept in the cache between requests
(hubs.standing_cache): no query on a hit, and a role changed is read again on
the person's very next request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, Value
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from guardian.core import ObjectPermissionChecker

from hubs import standing_cache
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
    def nav_key(self) -> str:
        """What the layout's navigation depends on (templates/base.html keeps
        one per hub, page, count and this key in the cache)."""
        flags = (self.sees_everything, self.is_officer, self.is_board, self.can_configure)
        return "".join("1" if flag else "0" for flag in flags)

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
    user = request.user
    if not user.is_authenticated:
        raise Http404("No such hub")
    gens = standing_cache.tokens(
        [standing_cache.HUBS, standing_cache.standing(user.pk), standing_cache.notices(user.pk)]
    )
    request.hub_cache_tokens = gens  # notices' unread count reads its token from here
    key = gens and _cache_key(gens, hub_slug, user)
    access = _from_cache(standing_cache.get(key), user) if key else None
    if access is None:
        access = _read_standing(get_object_or_404(Hub, slug=hub_slug), user)
        if key:
            standing_cache.put(key, _to_cache(access))
    if not (access.perms or access.area_ids or access.partner_ids):
        raise Http404("No such hub")
    request.hub_access = access  # for the layout's navigation
    return access


def standing_of(hub: Hub, user: Any) -> HubAccess:
    """A person's standing in a hub, read without a request (a service called
    by a script, the demo loader or a task), as hub_access reads it."""
    return _read_standing(hub, user)


def _read_standing(hub: Hub, user: Any) -> HubAccess:
    if user.is_superuser:
        return HubAccess(hub, user, frozenset(HUB_PERMISSIONS), frozenset(), frozenset())
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
    return HubAccess(
        hub=hub,
        user=user,
        perms=frozenset(perms.values_list("permission__codename", flat=True)),
        area_ids=frozenset(held[AREA]),
        partner_ids=frozenset(held[PARTNER]),
    )


# ── the standing in the cache (hubs.standing_cache) ──────────────────────────
# The key names everything the standing was read from: every hub's generation
# (a hub renamed or deleted), the person's (a role granted or revoked), the
# person as the request knows them (superuser or not; when they joined, so a
# reused id is another key) and the hub as the URL names it. Never a grant
# the database has not got: whatever changes a role renews the person's token.
def _cache_key(gens: dict[str, str], hub_slug: str, user: Any) -> str:
    joined = user.date_joined.timestamp() if getattr(user, "date_joined", None) else 0
    return ":".join(
        (
            "hub-access",
            gens[standing_cache.HUBS],
            gens[standing_cache.standing(user.pk)],
            hub_slug,
            str(user.pk),
            f"{joined:.6f}",
            "1" if user.is_superuser else "0",
        )
    )


def _hub_fields() -> tuple[str, ...]:
    return tuple(f.attname for f in Hub._meta.concrete_fields)


def _to_cache(access: HubAccess) -> tuple:
    hub = access.hub
    names = _hub_fields()
    return (
        names,
        tuple(getattr(hub, name) for name in names),
        hub._state.db,
        tuple(sorted(access.perms)),
        tuple(sorted(access.area_ids)),
        tuple(sorted(access.partner_ids)),
    )


def _from_cache(value: Any, user: Any) -> HubAccess | None:
    if not value:
        return None
    names, values, db, perms, area_ids, partner_ids = value
    if names != _hub_fields():  # cached by another version of the code
        return None
    return HubAccess(
        hub=Hub.from_db(db, names, values),
        user=user,
        perms=frozenset(perms),
        area_ids=frozenset(area_ids),
        partner_ids=frozenset(partner_ids),
    )


def hubs_of(user: Any):
    """The hubs a signed-in user has a part in, for the hub picker."""
    if user.is_superuser:
        return Hub.objects.order_by("name")
    return Hub.objects.filter(memberships__user=user).distinct().order_by("name")
