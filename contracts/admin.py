"""The hub admin's choices for contract management: the hub's own list of
KPI measures, and from what score a risk is high. KPIs, their values and
ratings, and risks are not edited here: they go through their gates on the
hub's pages."""

from __future__ import annotations

from django.contrib import admin

from contracts.models import ContractSettings, KpiMeasure
from hubs.admin import HubScopedAdmin


@admin.register(KpiMeasure)
class KpiMeasureAdmin(HubScopedAdmin, admin.ModelAdmin):
    list_display = ("label", "hub", "unit", "position")
    ordering = ("hub", "position", "pk")
    prepopulated_fields = {"key": ("label",)}


@admin.register(ContractSettings)
class ContractSettingsAdmin(HubScopedAdmin, admin.ModelAdmin):
    list_display = ("hub", "high_risk_from")
