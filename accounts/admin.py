"""Invitations in the admin, for hub admins as for site administrators.

Here rather than in hubs/admin/ because accounts sits above hubs: it mixes in
hubs' HubScopedAdmin, so a hub admin lists, chooses and sends only their own
hub's invitations, with that hub's service areas and partners to choose from.
Adding one sends it; "Send again" gives a new link and a new expiry, and
"Withdraw" stops the link working. An invitation is never edited or deleted:
it is the record of who was asked to hold which role, by whom.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.invitations.rules import invitation_refusal, resend_refusal, revoke_refusal, when
from accounts.invitations.services import invitation_create, invitation_resend, invitation_revoke
from accounts.models import Invitation
from hubs.admin.scoping import HubScopedAdmin, SameHubForm
from hubs.refusals import Refused

EDITABLE = ("hub", "email", "role", "service_area", "partner", "title", "is_chair")


class InvitationForm(SameHubForm):
    invited_by: Any = None  # the person sending it, set by the admin

    class Meta:
        model = Invitation
        fields = EDITABLE

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors or not cleaned.get("hub") or not cleaned.get("email"):
            return cleaned
        refusal = invitation_refusal(
            by=self.invited_by,
            hub=cleaned["hub"],
            email=cleaned["email"],
            role=cleaned.get("role"),
            service_area=cleaned.get("service_area"),
            partner=cleaned.get("partner"),
            is_chair=cleaned.get("is_chair", False),
        )
        if refusal:
            field = refusal.field if refusal.field in self.fields else None
            self.add_error(field, refusal.message)
        return cleaned


@admin.register(Invitation)
class InvitationAdmin(HubScopedAdmin, admin.ModelAdmin):
    form = InvitationForm
    list_display = ("email", "role", "hub", "status", "invited_by", "expires_at")
    list_filter = ("role", ("hub", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("hub", "invited_by")
    search_fields = ("email",)
    actions = ("send_again", "withdraw")
    ordering = ("-created_at", "-pk")

    @admin.display(description="status")
    def status(self, obj: Invitation) -> str:
        return obj.get_state_display()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.invited_by = request.user
        return form

    def get_fields(self, request, obj=None):
        if obj is None:
            return EDITABLE
        return (*EDITABLE, "status", "invited_by", "created_at", "sent_at", "expires_at",
                "accepted_at", "accepted_by", "revoked_at")  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return self.get_fields(request, obj)

    # Invitations are sent, sent again or withdrawn; never edited or deleted.
    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        try:
            saved, _ = invitation_create(
                by=request.user,
                hub=obj.hub,
                email=obj.email,
                role=obj.role,
                service_area=obj.service_area,
                partner=obj.partner,
                title=obj.title,
                is_chair=obj.is_chair,
            )
        except Refused as exc:  # the form asked first; this is a race lost
            raise PermissionDenied(exc.message) from exc
        obj.pk = saved.pk
        obj._state.adding = False
        self.message_user(
            request,
            f"Invitation sent to {saved.email}. The link works until {when(saved.expires_at)}.",
            messages.SUCCESS,
        )

    def _each(self, request, queryset, refusal_of, write, done: str) -> None:
        ok, refused = 0, []
        for invitation in queryset.select_related("hub"):
            refusal = refusal_of(by=request.user, invitation=invitation)
            if refusal:
                refused.append(f"Invitation to {invitation.email}: {refusal.message}")
                continue
            with transaction.atomic():
                write(by=request.user, invitation=invitation)
            ok += 1
        if ok:
            self.message_user(request, done.format(n=ok), messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.ERROR)

    @admin.action(description="Send again, with a new link and a new expiry")
    def send_again(self, request, queryset) -> None:
        self._each(
            request, queryset, resend_refusal, invitation_resend, "Sent {n} invitation(s) again."
        )

    @admin.action(description="Withdraw: the link stops working")
    def withdraw(self, request, queryset) -> None:
        self._each(
            request, queryset, revoke_refusal, invitation_revoke, "Withdrew {n} invitation(s)."
        )


from accounts import sso_admin  # noqa: E402, F401  (single sign-on, its own module)
