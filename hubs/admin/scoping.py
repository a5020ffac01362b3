"""How every admin here is scoped to the hubs its user configures.

A hub admin is a staff user whose hub_admin membership granted them
`hubs.configure_hub` on one or more hubs. Every admin mixes in HubScopedAdmin,
so a hub admin sees, chooses and edits only their own hubs' rows; another
hub's rows are simply not there (Django's admin answers with its "doesn't
exist" redirect). Superusers see everything.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import HttpRequest
from guardian.shortcuts import get_objects_for_user

from hubs.models import Hub, HubPolicy, Membership, PolicyStatus
from hubs.services import membership_sync_permissions

User = get_user_model()


def configurable_hub_ids(request: HttpRequest) -> frozenset[int]:
    """The hubs this user may configure, worked out once per request: the admin
    asks for every permission check and every choice list."""
    ids = getattr(request, "_configurable_hub_ids", None)
    if ids is None:
        hubs = get_objects_for_user(
            request.user, "hubs.configure_hub", klass=Hub, accept_global_perms=False
        )
        ids = frozenset(hubs.values_list("pk", flat=True))
        request._configurable_hub_ids = ids
    return ids


def _follow(obj: Any, lookup: str) -> Any:
    for name in lookup.split("__"):
        obj = getattr(obj, name)
    return obj


def _owning_hub_id(value: Any) -> int | None:
    if isinstance(value, Hub):
        return value.pk
    return getattr(value, "hub_id", None)


def _hub_owned(model: type[Model]) -> bool:
    return any(
        f.name == "hub" and f.is_relation and f.related_model is Hub for f in model._meta.fields
    )


def hub_choices(model: type[Model], hub_ids: frozenset[int]) -> QuerySet | None:
    """The rows of `model` a person configuring `hub_ids` may choose from: the
    hubs themselves, their rows, parts of their rows (a need's targets), and
    people who are members there. None for a model every hub shares (the
    specialisms), which any hub may choose from."""
    manager = model._default_manager
    if model is Hub:
        return manager.filter(pk__in=hub_ids)
    if model is User:
        return manager.filter(memberships__hub_id__in=hub_ids).distinct()
    if _hub_owned(model):
        return manager.filter(hub_id__in=hub_ids)
    for f in model._meta.fields:
        if f.many_to_one and _hub_owned(f.related_model):
            return manager.filter(**{f"{f.name}__hub_id__in": hub_ids})
    return None


def who_did_it(model: type[Model], people: Iterable[str] = ()) -> list[str]:
    """The model's foreign keys to a person, other than `people` (those a row is
    about, like a membership's member): each records who did something (asked
    for a board pack, made a needs analysis, signed), which is not the admin's
    to rewrite."""
    return [
        f.name
        for f in model._meta.fields
        if f.many_to_one and f.related_model is User and f.name not in people
    ]


class HubScopedAdmin:
    """Mix into a ModelAdmin (before admin.ModelAdmin) for a model that belongs
    to a hub. `hub_lookup` is the path from the model to its hub's id.

    Every choice list offers only the hubs' own rows and members, and the
    fields that record who did something are shown, never edited; list in
    `person_fields` a person the row is about (a membership's member)."""

    hub_lookup = "hub_id"
    person_fields: tuple[str, ...] = ()

    def _hub_id_for_permission(self, obj: Any) -> int:
        return _follow(obj, self.hub_lookup)

    def in_scope(self, request: HttpRequest, obj: Any = None) -> bool:
        user = request.user
        if user.is_superuser:
            return True
        if not (user.is_active and user.is_staff):
            return False
        ids = configurable_hub_ids(request)
        if obj is None:
            return bool(ids)
        return self._hub_id_for_permission(obj) in ids

    def get_queryset(self, request: HttpRequest):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.hub_lookup}__in": configurable_hub_ids(request)})

    def _scope_choices(self, db_field, request: HttpRequest, kwargs: dict[str, Any]) -> None:
        if "queryset" in kwargs or request.user.is_superuser:
            return
        choices = hub_choices(db_field.related_model, configurable_hub_ids(request))
        if choices is not None:
            kwargs["queryset"] = choices

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None):
        fields = tuple(super().get_readonly_fields(request, obj))
        who = [name for name in who_did_it(self.model, self.person_fields) if name not in fields]
        return fields + tuple(who)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        ids = configurable_hub_ids(request)
        if _hub_owned(self.model) and len(ids) == 1 and not request.user.is_superuser:
            initial.setdefault("hub", next(iter(ids)))
        return initial

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.in_scope(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.in_scope(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.in_scope(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        # Inlines are asked with the parent object; top-level admins without one.
        return self.in_scope(request, *args)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.in_scope(request, obj)


class NewestPolicyOnly:
    """Mix in (before HubScopedAdmin) for a policy version's own rows (its
    decision routes, grounds, schedules, types...): they can be chosen and
    changed only on a version still being written (see `rows_editable`);
    the rows of any other version are shown but never changed, as the
    commissions that ran under it, and whoever approved it, saw them."""

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "policy":
            later = HubPolicy.objects.filter(hub=OuterRef("hub"), version__gt=OuterRef("version"))
            commissions = HubPolicy._meta.get_field("commissions").related_model.objects
            used = commissions.filter(policy=OuterRef("pk"))
            newest = (
                HubPolicy.objects.exclude(Exists(later))
                .exclude(status=PolicyStatus.OPEN)
                .exclude(Q(status=PolicyStatus.APPROVED) & (Q(version__gt=1) | Exists(used)))
                .select_related("hub")
            )
            if not request.user.is_superuser:
                newest = newest.filter(hub_id__in=configurable_hub_ids(request))
            kwargs["queryset"] = newest
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and not rows_editable(obj.policy):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and not rows_editable(obj.policy):
            return False
        return super().has_delete_permission(request, obj)


def rows_editable(policy: HubPolicy) -> bool:
    """A version's own rows may change while it is a draft being written,
    or while it is a new hub's first policy that no commission has used yet
    (it is in force once saved: there is no one yet to approve it). Never
    once it is open for comment (the board and the public read it as it is),
    approved (it was approved as it stands: change a new draft instead), or
    an older version."""
    if policy.status == PolicyStatus.OPEN:
        return False
    if HubPolicy.objects.filter(hub_id=policy.hub_id, version__gt=policy.version).exists():
        return False
    if policy.status == PolicyStatus.APPROVED:
        return policy.version == 1 and not policy.commissions.exists()
    return True


class HubScopedInline(HubScopedAdmin):
    """For inlines Django passes the parent object to the permission checks, so
    scope by the parent's hub (or the parent, on the hub's own page)."""

    parent_hub_lookup = "hub_id"

    def _hub_id_for_permission(self, obj: Any) -> int:
        return obj.pk if isinstance(obj, Hub) else _follow(obj, self.parent_hub_lookup)


class SameHubForm(forms.ModelForm):
    """Refuses rows from another hub. A hub admin's choice lists hold only
    their own hubs' rows, but someone who configures two hubs (or a superuser)
    could otherwise pair one hub's record with another's service area."""

    hub_field = "hub"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        hub_id = _owning_hub_id(cleaned.get(self.hub_field)) or getattr(
            self.instance, "hub_id", None
        )
        if hub_id is None:
            return cleaned
        elsewhere = [
            name
            for name, value in cleaned.items()
            if name != self.hub_field and _owning_hub_id(value) not in (None, hub_id)
        ]
        for name in elsewhere:
            self.add_error(name, "That belongs to another hub; choose one of this hub's.")
        return cleaned


# Deleting a service area (or a partner) cascades to the memberships tied to it
# without passing through membership_revoke; re-derive those people's grants.


def members_tied_to(field: str, objects: Iterable[Model]) -> set[tuple[int, int]]:
    rows = Membership.objects.filter(**{f"{field}__in": list(objects)})
    return set(rows.values_list("hub_id", "user_id"))


def resync_grants(pairs: set[tuple[int, int]]) -> None:
    hubs = Hub.objects.in_bulk({hub_id for hub_id, _ in pairs})
    users = User.objects.in_bulk({user_id for _, user_id in pairs})
    for hub_id, user_id in pairs:
        membership_sync_permissions(hub=hubs[hub_id], user=users[user_id])


@transaction.atomic
def delete_resyncing_grants(field: str, objects: Iterable[Model]) -> None:
    objects = list(objects)
    affected = members_tied_to(field, objects)
    for obj in objects:
        obj.delete()
    resync_grants(affected)
