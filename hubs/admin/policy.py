"""The hub's commissioning policy, kept as versions."""

from __future__ import annotations

from django.contrib import admin, messages

from hubs.admin.grounds import grounds_in_list
from hubs.admin.routes import routes_in_words
from hubs.admin.scoping import HubScopedAdmin, SameHubForm
from hubs.models import HubPolicy
from hubs.services import policy_revise

# ── policy ───────────────────────────────────────────────────────────────────


@admin.register(HubPolicy)
class HubPolicyAdmin(HubScopedAdmin, admin.ModelAdmin):
    """Each save records a new version: commissions keep the version they ran
    under, so a policy row is never edited in place."""

    form = SameHubForm
    list_display = ("__str__", "hub", "version", "approved_on", "created_at")
    list_filter = (("hub", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("hub",)
    search_fields = ("hub__name", "title")
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
        ("Who comments and decides", {"fields": ("decision_routes",)}),
        ("Grounds for decommissioning", {"fields": ("grounds",)}),
        (
            "How partners are found",
            {
                "fields": (
                    "existing_partners_first",
                    "open_call_required",
                    "responsive_commissioning_allowed",
                    "eoi_for_needs_gaps",
                    "introductory_meeting_required",
                    "self_commissioning_declaration_required",
                    "min_match_funding_percent",
                    "commissioning_by_service_area",
                    "uses_service_categories",
                    "in_house_reason_required",
                    "awards_within_allocation",
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
        shown = ("version", "decision_routes", "grounds")
        return ("hub", *shown) if obj else shown

    @admin.display(description="Decision routes")
    def decision_routes(self, obj):
        return routes_in_words(obj)

    @admin.display(description="Grounds (edited under Decommissioning grounds)")
    def grounds(self, obj):
        return grounds_in_list(obj)

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
