"""The admin through which hub admins configure their hub.

A hub admin is a staff user whose hub_admin membership granted them
`hubs.configure_hub` on one or more hubs. Every admin here mixes in
HubScopedAdmin, so a hub admin sees, chooses and edits only their own hubs'
rows; another hub's rows are simply not there (Django's admin answers with its
"doesn't exist" redirect). Superusers see everything.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from guardian.shortcuts import get_objects_for_user

from hubs.models import Criterion, Hub, HubPolicy, Membership, ServiceArea, ServiceCategory
from hubs.services import (
    membership_grant,
    membership_revoke,
    membership_sync_permissions,
    policy_revise,
)

User = get_user_model()


# ── scoping ──────────────────────────────────────────────────────────────────


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


class HubScopedAdmin:
    """Mix into a ModelAdmin (before admin.ModelAdmin) for a model that belongs
    to a hub. `hub_lookup` is the path from the model to its hub's id."""

    hub_lookup = "hub_id"

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

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        related = db_field.related_model
        if "queryset" not in kwargs and not request.user.is_superuser:
            ids = configurable_hub_ids(request)
            if related is Hub:
                kwargs["queryset"] = Hub.objects.filter(pk__in=ids)
            elif _hub_owned(related):
                kwargs["queryset"] = related._default_manager.filter(hub_id__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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


# ── the hub and its inlines ──────────────────────────────────────────────────


class CriterionFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        weights = [
            form.cleaned_data["weight"]
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]
        # A hub that has not set its criteria yet has none; once set, they add up.
        if weights and sum(weights) != 100:
            raise ValidationError(
                f"The weights add up to {sum(weights)}%; they must add up to 100%.",
                code="weights_total",
            )


class CriterionInline(HubScopedInline, admin.TabularInline):
    model = Criterion
    formset = CriterionFormSet
    fields = ("position", "name", "weight", "description")
    extra = 0


class ServiceAreaInline(HubScopedInline, admin.TabularInline):
    model = ServiceArea
    fields = ("name", "local_authority")
    extra = 0


class ServiceCategoryInline(HubScopedInline, admin.TabularInline):
    model = ServiceCategory
    fields = ("position", "name", "description")
    extra = 0


@admin.register(Hub)
class HubAdmin(HubScopedAdmin, admin.ModelAdmin):
    hub_lookup = "pk"
    list_display = ("name", "hlo_name", "org_id")
    search_fields = ("name", "hlo_name")
    fields = ("name", "slug", "hlo_name", "area_description", "org_id")
    inlines = [ServiceAreaInline, ServiceCategoryInline, CriterionInline]

    def get_readonly_fields(self, request, obj=None):
        # The slug is in public URLs and commission references.
        return () if request.user.is_superuser else ("slug",)

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ("name",)} if request.user.is_superuser else {}

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_formset(self, request, form, formset, change):
        if formset.model is not ServiceArea:
            return super().save_formset(request, form, formset, change)
        affected = members_tied_to("service_area", [f.instance for f in formset.deleted_forms])
        super().save_formset(request, form, formset, change)
        resync_grants(affected)


# ── policy ───────────────────────────────────────────────────────────────────


@admin.register(HubPolicy)
class HubPolicyAdmin(HubScopedAdmin, admin.ModelAdmin):
    """Each save records a new version: commissions keep the version they ran
    under, so a policy row is never edited in place."""

    form = SameHubForm
    list_display = ("__str__", "hub", "version", "approving_body", "approved_on", "created_at")
    list_filter = (("hub", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("hub",)
    search_fields = ("hub__name", "title", "approving_body")
    fieldsets = [
        (
            None,
            {
                "fields": (
                    "hub",
                    "version",
                    "title",
                    "approved_by",
                    "approved_on",
                    "next_review_on",
                    "review_arrangements",
                )
            },
        ),
        (
            "Who decides",
            {
                "fields": (
                    "approving_body",
                    "board_name",
                    "decommission_decided_by",
                    "separate_approver",
                )
            },
        ),
        (
            "Board comment",
            {
                "fields": (
                    "board_comment_on_drafts",
                    "board_comment_on_decommission",
                    "comment_window_days",
                )
            },
        ),
        (
            "How partners are found",
            {
                "fields": (
                    "existing_partners_first",
                    "open_call_required",
                    "responsive_commissioning_allowed",
                    "introductory_meeting_required",
                    "self_commissioning_declaration_required",
                    "min_match_funding_percent",
                    "commissioning_by_service_area",
                    "uses_service_categories",
                )
            },
        ),
        (
            "Agreements and monitoring",
            {
                "fields": (
                    "agreement_term_months",
                    "agreement_term_is_academic_year",
                    "reporting_cadence",
                    "immediate_termination_on_safeguarding",
                )
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        return ("hub", "version") if obj else ("version",)

    def has_change_permission(self, request, obj=None):
        # Editing an older version would quietly undo the newer one's changes;
        # older versions stay as the record of what commissions ran under.
        superseded = (
            obj is not None
            and HubPolicy.objects.filter(hub_id=obj.hub_id, version__gt=obj.version).exists()
        )
        return not superseded and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        # The form has already run HubPolicy.full_clean(), so clean()'s messages
        # are shown beside their fields before we get here.
        if change and not form.has_changed():
            return
        previous = obj.version if change else None
        policy_revise(policy=obj)
        if previous is not None:
            self.message_user(
                request,
                f"Saved as version {obj.version}; version {previous} is kept unchanged for "
                "the commissions that ran under it.",
                messages.INFO,
            )


# ── areas, categories, criteria ──────────────────────────────────────────────


@admin.register(ServiceArea)
class ServiceAreaAdmin(HubScopedAdmin, admin.ModelAdmin):
    list_display = ("name", "hub", "local_authority")
    list_filter = (("hub", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("hub",)
    search_fields = ("name", "local_authority")

    def delete_model(self, request, obj):
        delete_resyncing_grants("service_area", [obj])

    def delete_queryset(self, request, queryset):
        delete_resyncing_grants("service_area", queryset)


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(HubScopedAdmin, admin.ModelAdmin):
    list_display = ("name", "hub", "position")
    list_filter = (("hub", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("hub",)
    search_fields = ("name",)


@admin.register(Criterion)
class CriterionAdmin(HubScopedAdmin, admin.ModelAdmin):
    """A list only: the weights must add up to 100 across the hub, so they are
    edited together on the hub's page."""

    list_display = ("name", "hub", "weight", "position")
    list_filter = (("hub", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("hub",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# ── members ──────────────────────────────────────────────────────────────────


class UserByEmailField(forms.EmailField):
    """Find a person by email rather than listing every account in every hub."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return User.objects.filter(pk=value).values_list("email", flat=True).first()
        return super().prepare_value(value)

    def clean(self, value: Any) -> Any:
        email = super().clean(value)
        users = list(User.objects.filter(email__iexact=email)[:2])
        if not users:
            raise ValidationError(
                "No one has an account with that email address; ask a site administrator "
                "to create one first."
            )
        if len(users) > 1:
            raise ValidationError(
                "More than one account uses that email address; ask a site administrator."
            )
        return users[0]


SELF_GRANT = (
    "You cannot give yourself a role: another hub admin or a site administrator must, "
    "so that no one decides their own powers over public money."
)


class MembershipForm(forms.ModelForm):
    user = UserByEmailField(label="Email address", help_text="The person must have an account.")
    granted_by: Any = None  # the person saving the form, set by the admin

    class Meta:
        model = Membership
        fields = ("hub", "user", "role", "service_area", "partner", "title", "is_chair")

    def clean_user(self) -> Any:
        user = self.cleaned_data["user"]
        by = self.granted_by
        if by is not None and not by.is_superuser and user.pk == by.pk:
            raise ValidationError(SELF_GRANT)
        return user


@admin.register(Membership)
class MembershipAdmin(HubScopedAdmin, admin.ModelAdmin):
    """Saving and deleting go through membership_grant / membership_revoke so
    the guardian permissions follow the roles."""

    form = MembershipForm
    list_display = ("user", "role", "hub", "service_area", "partner", "title", "is_chair")
    list_filter = ("role", ("hub", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("user", "hub", "service_area", "partner")
    search_fields = ("user__email", "user__first_name", "user__last_name", "title")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.granted_by = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        # Who and which role is what a membership is: to change it, add the new
        # role and delete the old one.
        if obj is None:
            return ()
        return ("hub", "user", "role", "service_area", "partner")

    def save_model(self, request, obj, form, change):
        saved = membership_grant(
            hub=obj.hub,
            user=obj.user,
            role=obj.role,
            service_area=obj.service_area,
            partner=obj.partner,
            title=obj.title,
            is_chair=obj.is_chair,
        )
        obj.pk = saved.pk
        obj._state.adding = False

    def delete_model(self, request, obj):
        membership_revoke(membership=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("hub", "user"):
            membership_revoke(membership=membership)
