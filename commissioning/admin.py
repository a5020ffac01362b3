"""Needs analyses in the admin, and a read-only view of commissions.

A commission's stage changes only through commissioning.services, which checks
the hub's policy and writes the transition log; the admin therefore shows
commissions and their log but never edits them.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.forms.models import BaseInlineFormSet

from commissioning.models import (
    Commission,
    Need,
    NeedsAnalysis,
    SmartTarget,
    Stakeholder,
    TransitionLog,
)
from hubs.admin import HubScopedAdmin, HubScopedInline, SameHubForm

# ── needs ────────────────────────────────────────────────────────────────────


class NeedsAnalysisForm(SameHubForm):
    stakeholders_consulted = forms.MultipleChoiceField(
        choices=Stakeholder.choices, widget=forms.CheckboxSelectMultiple, required=False
    )


class NeedInlineFormSet(BaseInlineFormSet):
    def _construct_form(self, i, **kwargs):
        # A need belongs to its analysis's hub.
        form = super()._construct_form(i, **kwargs)
        form.instance.hub_id = self.instance.hub_id
        return form


class NeedInline(HubScopedInline, admin.TabularInline):
    model = Need
    form = SameHubForm
    formset = NeedInlineFormSet
    fields = ("title", "priority", "service_area", "description")
    show_change_link = True
    extra = 0


@admin.register(NeedsAnalysis)
class NeedsAnalysisAdmin(HubScopedAdmin, admin.ModelAdmin):
    form = NeedsAnalysisForm
    list_display = ("title", "cycle", "hub", "completed_on", "created_by")
    list_filter = ("cycle", ("hub", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("hub", "created_by")
    search_fields = ("title", "summary")
    fields = (
        "hub",
        "cycle",
        "title",
        "summary",
        "stakeholders_consulted",
        "completed_on",
        "created_by",
        "created_at",
    )
    inlines = [NeedInline]

    def get_readonly_fields(self, request, obj=None):
        # Its needs and their commissions belong to the hub it was made for.
        return ("hub", "created_by", "created_at") if obj else ("created_by", "created_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class SmartTargetInline(HubScopedInline, admin.TabularInline):
    model = SmartTarget
    hub_lookup = "need__hub_id"
    fields = ("description", "measure", "baseline", "target_value", "due_on")
    extra = 0


class NeedForm(SameHubForm):
    hub_field = "analysis"


@admin.register(Need)
class NeedAdmin(HubScopedAdmin, admin.ModelAdmin):
    form = NeedForm
    list_display = ("title", "analysis", "hub", "priority", "service_area")
    list_filter = ("priority", ("hub", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("analysis", "hub", "service_area")
    search_fields = ("title", "description")
    fields = ("analysis", "title", "description", "priority", "service_area")
    inlines = [SmartTargetInline]

    def get_readonly_fields(self, request, obj=None):
        return ("analysis",) if obj else ()

    def save_model(self, request, obj, form, change):
        obj.hub_id = obj.analysis.hub_id
        super().save_model(request, obj, form, change)


# ── commissions (read-only) ──────────────────────────────────────────────────


class TransitionLogInline(HubScopedInline, admin.TabularInline):
    model = TransitionLog
    fields = ("created_at", "action", "from_stage", "to_stage", "actor", "reason")
    readonly_fields = fields
    can_delete = False
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(HubScopedAdmin, admin.ModelAdmin):
    """Viewable by the hub's admins; written only by commissioning.services."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.editable and not f.primary_key]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Commission)
class CommissionAdmin(ReadOnlyAdmin):
    list_display = ("reference", "title", "hub", "status", "partner", "stage_entered_at")
    list_filter = ("status", ("hub", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("hub", "partner")
    search_fields = ("reference", "title", "partner__name")
    inlines = [TransitionLogInline]


@admin.register(TransitionLog)
class TransitionLogAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "commission", "action", "from_stage", "to_stage", "actor")
    list_filter = ("action", ("hub", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("commission", "actor")
    search_fields = ("commission__reference", "reason")
