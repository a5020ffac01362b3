"""Who holds which role in a hub."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
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
                "No one has an account with that email address yet: invite them instead "
                "(Invitations, Add invitation); the role is given when they accept."
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
# What a membership is: changing any of these gives a different role.
IDENTITY = ("hub_id", "user_id", "role", "service_area_id", "partner_id")


def self_grant_refusal(*, by: Any, after: Membership, before: Membership | None) -> str | None:
    """Refuses a membership of `by`'s own that is new (`before` is None) or
    wider than the one stored: another role, or made chair. Narrowing one's
    own (a new title, or leaving it) is not refused; a site administrator may
    do anything."""
    if by is None or by.is_superuser or after.user_id != by.pk:
        return None
    if before is None or any(getattr(after, f) != getattr(before, f) for f in IDENTITY):
        return SELF_GRANT
    if after.is_chair and not before.is_chair:
        return SELF_GRANT
    return None


class MembershipForm(forms.ModelForm):
    user = UserByEmailField(
        label="Email address",
        help_text="The person must have an account; to give a role to someone new, send an "
        "invitation instead (Invitations, Add invitation).",
    )
    granted_by: Any = None  # the person saving the form, set by the admin

    class Meta:
        model = Membership
        fields = ("hub", "user", "role", "service_area", "partner", "title", "is_chair")

    def clean_user(self) -> Any:
        user = self.cleaned_data["user"]
        refusal = self_grant_refusal(by=self.granted_by, after=Membership(user=user), before=None)
        if refusal:
            raise ValidationError(refusal)
        return user

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.instance.pk is not None and "is_chair" in self.fields:
            after = copy.copy(self.instance)
            after.is_chair = cleaned.get("is_chair", after.is_chair)
            refusal = self_grant_refusal(by=self.granted_by, after=after, before=self.instance)
            if refusal:
                self.add_error("is_chair", refusal)
        return cleaned


@admin.register(Membership)
class MembershipAdmin(HubScopedAdmin, admin.ModelAdmin):
    """Saving and deleting go through membership_grant / membership_revoke so
    the guardian permissions follow the roles."""

    form = MembershipForm
    person_fields = ("user",)
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
        fixed = ("hub", "user", "role", "service_area", "partner")
        if obj.user_id == request.user.pk and not request.user.is_superuser:
            return (*fixed, "is_chair")  # whether you chair is for someone else to say
        return fixed

    def save_model(self, request, obj, form, change):
        # The form refuses first, beside the field; this is for any other way in.
        before = Membership.objects.filter(pk=obj.pk).first() if change else None
        refusal = self_grant_refusal(by=request.user, after=obj, before=before)
        if refusal:
            raise PermissionDenied(refusal)
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
