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
    CommissionPartner,
    Need,
    NeedsAnalysis,
    SmartTarget,
    Stakeholder,
    TransitionLog,
)
from commissioning.needs.services import need_record, need_refusal, need_update
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
    """Asks the needs' own gate (commissioning/needs/services.py), so a need
    saved here meets the same rules as one saved on the needs pages."""

    hub_field = "analysis"
    user = None  # set by NeedAdmin.get_form

    def clean(self):
        cleaned = super().clean()
        analysis = cleaned.get("analysis") or getattr(self.instance, "analysis", None)
        if analysis is None or self.errors:
            return cleaned
        refusal = need_refusal(
            hub=analysis.hub, user=self.user, service_area=cleaned.get("service_area")
        )
        if refusal is not None:
            field = refusal.field if refusal.field in self.fields else None
            self.add_error(field, refusal.message)
        return cleaned


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

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def save_model(self, request, obj, form, change):
        # Through the needs' services, never a bare save.
        data = {
            name: form.cleaned_data.get(name, getattr(obj, name))
            for name in ("title", "description", "priority", "service_area")
        }
        if change:
            need_update(need=obj, user=request.user, **data)
            return
        need = need_record(analysis=obj.analysis, user=request.user, **data)
        obj.pk, obj.hub_id = need.pk, need.hub_id  # the inlines hang off this row
        obj._state.adding = False


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


class CommissionPartnerInline(admin.TabularInline):
    """A joint partnership's partners and shares, as the award copied them."""

    model = CommissionPartner
    fields = ("partner", "is_lead", "role_in_bid", "share_of_activity", "grant_amount")
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Commission)
class CommissionAdmin(ReadOnlyAdmin):
    list_display = ("reference", "title", "hub", "status", "partner", "stage_entered_at")
    list_filter = ("status", ("hub", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("hub", "partner")
    search_fields = ("reference", "title", "partner__name")
    inlines = [TransitionLogInline, CommissionPartnerInline]


@admin.register(TransitionLog)
class TransitionLogAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "commission", "action", "from_stage", "to_stage", "actor")
    list_filter = ("action", ("hub", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("commission", "actor")
    search_fields = ("commission__reference", "reason")


# The score scale of each policy version lives with scoring.
from commissioning.scoring import admin as scoring_admin  # noqa: E402, F401
