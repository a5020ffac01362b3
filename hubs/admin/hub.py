"""The hub's own page (its areas, categories and criteria inline) and the
lists of those rows."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from hubs.admin.scoping import (
    HubScopedAdmin,
    HubScopedInline,
    delete_resyncing_grants,
    members_tied_to,
    resync_grants,
)
from hubs.models import Criterion, Hub, ServiceArea, ServiceCategory

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
    fields = (
        "name",
        "slug",
        "hlo_name",
        "area_description",
        "org_id",
        "enquiries_name",
        "enquiries_email",
        "enquiries_phone",
    )
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
