from django.contrib import admin

from hubs.admin import HubScopedAdmin
from oversight.models import BoardPack, GivingPublisher, HubAllocation


@admin.register(HubAllocation)
class HubAllocationAdmin(HubScopedAdmin, admin.ModelAdmin):
    list_display = ("hub", "year", "amount", "capital_amount")
    # Only the hubs in the list: a plain filter would name every hub on the site.
    list_filter = (("hub", admin.RelatedOnlyFieldListFilter),)


@admin.register(GivingPublisher)
class GivingPublisherAdmin(HubScopedAdmin, admin.ModelAdmin):
    list_display = ("hub", "grant_prefix", "regrant_type")


@admin.register(BoardPack)
class BoardPackAdmin(HubScopedAdmin, admin.ModelAdmin):
    list_display = ("hub", "meeting_on", "status", "created_at")
    readonly_fields = ("status", "progress", "step", "file", "error", "finished_at")

    def has_add_permission(self, request, *args):
        return False  # asked for from the hub's board packs page, prepared by a task
