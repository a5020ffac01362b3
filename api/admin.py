"""API tokens in the admin: a hub admin issues them for people with a role
in their hub and revokes them; the key is shown once, in the message after
issuing. A token is never edited (revoke it and issue another) or deleted
(its record says who had access, and when)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html

from api.models import ApiToken
from api.services import token_issue, token_issue_refusal, token_revoke
from hubs.admin.scoping import HubScopedAdmin
from hubs.refusals import Refused


class IssueForm(forms.ModelForm):
    issued_by = None  # the person saving the form, set by the admin
    # One labelled input (the admin's split date and time inputs carry no
    # label of their own: axe's 'label', critical).
    expires_at = forms.DateTimeField(
        required=False,
        label="Expires at",
        help_text="Leave empty for a token that works until it is revoked.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    class Meta:
        model = ApiToken
        fields = ("hub", "user", "name", "expires_at")

    def clean(self):
        cleaned = super().clean()
        hub, user = cleaned.get("hub"), cleaned.get("user")
        if hub is None or "name" in self.errors:
            return cleaned
        refusal = token_issue_refusal(
            hub=hub,
            user=user,
            by=self.issued_by,
            name=cleaned.get("name", ""),
            expires_at=cleaned.get("expires_at"),
        )
        if refusal is not None:
            field = refusal.field if refusal.field in self.fields else None
            self.add_error(field, refusal.message)
        return cleaned


@admin.register(ApiToken)
class ApiTokenAdmin(HubScopedAdmin, admin.ModelAdmin):
    form = IssueForm
    person_fields = ("user",)
    list_display = ("name", "user", "hub", "prefix", "state", "created_at", "last_used_at")
    list_filter = (("hub", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("user", "hub")
    search_fields = ("name", "prefix", "user__email")
    actions = ["revoke"]
    SHOWN = (
        "hub",
        "user",
        "name",
        "prefix",
        "state",
        "created_by",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
        "revoked_by",
    )

    def get_fields(self, request, obj=None):
        return ("hub", "user", "name", "expires_at") if obj is None else self.SHOWN

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return super().get_readonly_fields(request, obj)
        return self.SHOWN

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.issued_by = request.user
        return form

    @admin.display(description="State")
    def state(self, obj: ApiToken) -> str:
        return obj.state

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing of a token is changed here
        # The form refused first, beside its field; the service asks again.
        token, key = token_issue(
            hub=obj.hub,
            user=obj.user,
            name=obj.name,
            by=request.user,
            expires_at=obj.expires_at,
        )
        obj.pk = token.pk
        obj._state.adding = False
        messages.warning(
            request,
            format_html(
                "The key for “{}”, shown this once (copy it now; only its fingerprint is "
                'kept): <code class="api-key">{}</code>',
                token.name,
                key,
            ),
        )

    def response_add(self, request, obj, post_url_continue=None):
        # Straight back to the list, where the key is shown: not the usual
        # "added successfully" message beside it.
        return self.response_post_save_add(request, obj)

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        done = 0
        for token in queryset.select_related("hub"):
            try:
                token_revoke(token=token, by=request.user)
                done += 1
            except Refused as refused:
                messages.error(request, f"{token}: {refused.message}")
        if done:
            messages.success(request, f"Revoked {done} token{'s' if done != 1 else ''}.")
