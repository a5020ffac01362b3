"""A hub admin configures the council's procurement rules and their value
bands (their own hub's only). The Procurement Act's thresholds and the bank
holidays are the site's, kept by the site administrator. A commission's
procurement record and notices are written only from the commission's pages,
through their services and gates, so they have no admin page."""

import itertools

from django import forms
from django.contrib import admin

from hubs.admin import HubScopedAdmin
from hubs.admin.scoping import HubScopedInline
from procurement.models import BankHoliday, NoticeThreshold, ProcurementRules, ValueBand


class BandsFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        bands = sorted(
            (
                form.cleaned_data
                for form in self.forms
                if form.cleaned_data and not self._should_delete_form(form)
            ),
            key=lambda band: band["from_value"],
        )
        for lower, upper in itertools.pairwise(bands):
            applies = {lower["applies_to"], upper["applies_to"]}
            overlap = lower["below_value"] is None or lower["below_value"] > upper["from_value"]
            if overlap and (len(applies) == 1 or "both" in applies):
                raise forms.ValidationError("Two bands cover the same values; make them follow on.")


class ValueBandInline(HubScopedInline, admin.TabularInline):
    model = ValueBand
    formset = BandsFormSet
    hub_lookup = "rules__hub_id"
    parent_hub_lookup = "hub_id"
    extra = 1
    fields = ("from_value", "below_value", "route_needed", "applies_to")


@admin.register(ProcurementRules)
class ProcurementRulesAdmin(HubScopedAdmin, admin.ModelAdmin):
    list_display = ("name", "hub", "effective_from", "effective_to")
    list_filter = (("hub", admin.RelatedOnlyFieldListFilter),)
    inlines = [ValueBandInline]


@admin.register(NoticeThreshold)
class NoticeThresholdAdmin(admin.ModelAdmin):
    list_display = ("regime", "amount", "effective_from", "effective_to")


@admin.register(BankHoliday)
class BankHolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name")
