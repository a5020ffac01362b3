"""For the site's operators (superusers): the email outbox, to see what failed
and send it again, and the reminders already sent. Read-only otherwise."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils import timezone

from notices.models import OutboxMessage, OutboxStatus, Reminder


class OperatorsOnly(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(OperatorsOnly):
    list_display = (
        "to_email",
        "subject",
        "status",
        "provider_status",
        "attempts",
        "created_at",
        "sent_at",
    )
    list_filter = ("status",)
    # The id from the mail server's log or the email service's dashboard finds it.
    search_fields = ("to_email", "subject", "provider_message_id")
    list_select_related = ("hub",)
    actions = ["send_again"]

    @admin.action(description="Send the selected failed emails again")
    def send_again(self, request: HttpRequest, queryset) -> None:
        again = queryset.filter(status=OutboxStatus.FAILED).update(
            status=OutboxStatus.PENDING, attempts=0, available_at=timezone.now()
        )
        messages.success(request, f"{again} email(s) will be sent within a minute.")


@admin.register(Reminder)
class ReminderAdmin(OperatorsOnly):
    list_display = ("kind", "object_key", "due_on", "hub", "created_at")
    list_filter = ("kind",)
    list_select_related = ("hub",)
