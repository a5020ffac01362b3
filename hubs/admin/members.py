"""Who holds which role in a hub."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from hubs.admin.scoping import HubScopedAdmin
from hubs.models import Membership
from hubs.services import membership_grant, membership_revoke

User = get_user_model()

# ── members ──────────────────────────────────────────────────────────────────


class UserByEmailField(forms.EmailField):
    """Find a person by email rather than listing every account in every hub."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return User.objects.filter(pk=value).values_list("email", flat=True).first()
        return super().prepare_value(value)

    def clean(self, value: Any) -> Any:
        email = super().clean(value)
        users = list(User.objects.filter(email__iexact=email)[:2])
        if not users:
            raise ValidationError(
                "No one has an account with that email address; ask a site administrator "
                "to create one first."
            )
        if len(users) > 1:
            raise ValidationError(
                "More than one account uses that email address; ask a site administrator."
            )
        return users[0]


SELF_GRANT = (
    "You cannot give yourself a role: another hub admin or a site administrator must, "
    "so that no one decides their own powers over public money."
)


class MembershipForm(forms.ModelForm):
    user = UserByEmailField(label="Email address", help_text="The person must have an account.")
    granted_by: Any = None  # the person saving the form, set by the admin

    class Meta:
        model = Membership
        fields = ("hub", "user", "role", "service_area", "partner", "title", "is_chair")

    def clean_user(self) -> Any:
        user = self.cleaned_data["user"]
        by = self.granted_by
        if by is not None and not by.is_superuser and user.pk == by.pk:
            raise ValidationError(SELF_GRANT)
        return user


@admin.register(Membership)
class MembershipAdmin(HubScopedAdmin, admin.ModelAdmin):
    """Saving and deleting go through membership_grant / membership_revoke so
    the guardian permissions follow the roles."""

    form = MembershipForm
    list_display = ("user", "role", "hub", "service_area", "partner", "title", "is_chair")
    list_filter = ("role", ("hub", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("user", "hub", "service_area", "partner")
    search_fields = ("user__email", "user__first_name", "user__last_name", "title")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.granted_by = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        # Who and which role is what a membership is: to change it, add the new
        # role and delete the old one.
        if obj is None:
            return ()
        return ("hub", "user", "role", "service_area", "partner")

    def save_model(self, request, obj, form, change):
        saved = membership_grant(
            hub=obj.hub,
            user=obj.user,
            role=obj.role,
            service_area=obj.service_area,
            partner=obj.partner,
            title=obj.title,
            is_chair=obj.is_chair,
        )
        obj.pk = saved.pk
        obj._state.adding = False

    def delete_model(self, request, obj):
        membership_revoke(membership=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("hub", "user"):
            membership_revoke(membership=membership)
