"""Partner organisations in the admin: each hub admin keeps their own list;
specialisms are shared across hubs, so only superusers change them."""

from __future__ import annotations

from django.contrib import admin

from hubs.admin import HubScopedAdmin, SameHubForm, delete_resyncing_grants
from partners.models import PartnerOrganisation, Specialism


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(HubScopedAdmin, admin.ModelAdmin):
    form = SameHubForm
    list_display = (
        "name",
        "hub",
        "organisation_type",
        "partnership_type",
        "reach",
        "is_existing_partner",
    )
    list_filter = (
        "partnership_type",
        "is_existing_partner",
        "organisation_type",
        ("hub", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("hub",)
    search_fields = ("name", "org_id", "charity_number", "company_number")
    filter_horizontal = ("specialisms",)
    fieldsets = [
        (
            None,
            {
                "fields": (
                    "hub",
                    "name",
                    "organisation_type",
                    "partnership_type",
                    "reach",
                    "specialisms",
                    "service_area",
                )
            },
        ),
        (
            "Standing with the hub",
            {
                "fields": (
                    "is_existing_partner",
                    "is_hlo",
                    "is_consortium_member",
                    "introductory_meeting_on",
                )
            },
        ),
        ("Identifiers", {"fields": ("charity_number", "company_number", "org_id")}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return ("hub",) if obj else ()

    # A partner's contacts' memberships go with it; keep their grants in step.
    def delete_model(self, request, obj):
        delete_resyncing_grants("partner", [obj])

    def delete_queryset(self, request, queryset):
        delete_resyncing_grants("partner", queryset)


@admin.register(Specialism)
class SpecialismAdmin(admin.ModelAdmin):
    search_fields = ("name",)

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
