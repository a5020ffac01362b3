"""Monitoring's lists on each policy version, edited by the hub admin: report
schedules (with their terms) and who hears complaints. As with grounds and
routes, only the hub's newest version changes; older versions stay as the
commissions that ran under them saw them."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from hubs.admin.scoping import HubScopedAdmin, HubScopedInline, NewestPolicyOnly, rows_editable
from monitoring.hearers import ComplaintHearer
from monitoring.report_schedules import ReportSchedule, ScheduleTerm, schedule_save
from partners.types import types_of


class TermFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE", False)]
        if self.instance.every_months and kept:
            raise forms.ValidationError(
                "A schedule with a report every few months has no terms: clear the months "
                "to report each term, or remove the terms."
            )
        if not self.instance.every_months and not kept:
            raise forms.ValidationError(
                "Give the months between reports, or the terms (with the day each term's "
                "report is due)."
            )


class TermInline(NewestPolicyOnly, HubScopedInline, admin.TabularInline):
    model = ScheduleTerm
    formset = TermFormSet
    hub_lookup = "schedule__policy__hub_id"
    parent_hub_lookup = "policy__hub_id"
    fields = ("position", "name", "due_day", "due_month")
    extra = 0

    def has_add_permission(self, request, obj=None):
        if obj is not None and not rows_editable(obj.policy):
            return False
        return super().has_add_permission(request, obj)


class ReportScheduleForm(forms.ModelForm):
    class Meta:
        model = ReportSchedule
        fields = (
            "policy",
            "partnership_type",
            "report_kind",
            "every_months",
            "final_evaluation_after_days",
            "review_every_months",
        )

    def clean(self):
        cleaned = super().clean()
        policy, key = cleaned.get("policy"), cleaned.get("partnership_type")
        if policy is not None and key:
            types = types_of(policy)
            if key not in {t.key for t in types}:
                names = ", ".join(f"{t.key} ({t.name})" for t in types)
                self.add_error(
                    "partnership_type",
                    f"'{key}' is not one of this policy's partnership types: {names}. "
                    "Leave it blank for every type.",
                )
        return cleaned

    def validate_unique(self) -> None:
        try:
            self.instance.validate_constraints()
        except forms.ValidationError:
            self.add_error(
                "partnership_type",
                "This policy already has a schedule for that type (blank: every type).",
            )


@admin.register(ReportSchedule)
class ReportScheduleAdmin(NewestPolicyOnly, HubScopedAdmin, admin.ModelAdmin):
    form = ReportScheduleForm
    inlines = [TermInline]
    hub_lookup = "policy__hub_id"
    list_display = ("__str__", "policy")
    list_filter = (("policy__hub", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("policy__hub",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("terms")

    def save_model(self, request, obj, form, change):
        schedule_save(obj)


class HearerForm(forms.ModelForm):
    class Meta:
        model = ComplaintHearer
        fields = ("policy", "level", "title", "name")

    def validate_unique(self) -> None:
        try:
            self.instance.validate_constraints()
        except forms.ValidationError:
            self.add_error("level", "This policy already names who hears complaints at that level.")


@admin.register(ComplaintHearer)
class ComplaintHearerAdmin(NewestPolicyOnly, HubScopedAdmin, admin.ModelAdmin):
    form = HearerForm
    hub_lookup = "policy__hub_id"
    list_display = ("__str__", "policy")
    list_filter = ("level", ("policy__hub", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("policy__hub",)
