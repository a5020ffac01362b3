"""Partner organisations in the admin: each hub admin keeps their own list;
specialisms are shared across hubs, so only superusers change them."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from hubs.admin import HubScopedAdmin, SameHubForm, delete_resyncing_grants
from hubs.admin.scoping import NewestPolicyOnly, configurable_hub_ids
from hubs.models import HubPolicy
from partners.identifiers import partner_identifier_refusals
from partners.models import PartnerOrganisation, Specialism
from partners.services import partner_save
from partners.types import (
    PolicyPartnershipType,
    partner_type_refusal,
    type_choices,
    type_save,
    types_load,
)


def _newest_policies(hub_ids) -> list[HubPolicy]:
    newest: dict[int, HubPolicy] = {}
    rows = HubPolicy.objects.order_by("hub_id", "-version").select_related("hub")
    for policy in rows if hub_ids is None else rows.filter(hub_id__in=hub_ids):
        newest.setdefault(policy.hub_id, policy)
    types_load(list(newest.values()))
    return list(newest.values())


class PartnerForm(SameHubForm):
    """The type is chosen from the hub's current policy's list; a type the
    list does not hold is refused beside the field, in words."""

    partnership_type = forms.ChoiceField(
        label="Partnership type",
        help_text="One of the partnership types your hub's policy lists (set under "
        "Partnership types).",
    )

    def __init__(self, *args, policies: list[HubPolicy] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.policies = {p.hub_id: p for p in policies}
        choices: dict[str, str] = {}
        for policy in policies:
            for key, name in type_choices(policy):
                label = name if len(policies) == 1 else f"{name} ({policy.hub})"
                choices.setdefault(key, label)
        self.fields["partnership_type"].choices = list(choices.items())

    def clean(self):
        cleaned = super().clean()
        hub = cleaned.get("hub") or getattr(self.instance, "hub", None)
        key = cleaned.get("partnership_type")
        if hub is not None and key:
            self.instance.hub, self.instance.partnership_type = hub, key
            refusal = partner_type_refusal(partner=self.instance, policy=self.policies.get(hub.pk))
            if refusal is not None:
                self.add_error("partnership_type", refusal.message)
        # The identifiers' formats, as partner_save asks them, beside each field.
        for name in ("charity_number", "company_number", "school_urn"):
            if name in cleaned:
                setattr(self.instance, name, cleaned[name])
        for refusal in partner_identifier_refusals(self.instance):
            if refusal.field in self.fields and refusal.field not in self.errors:
                self.add_error(refusal.field, refusal.message)
        return cleaned


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(HubScopedAdmin, admin.ModelAdmin):
    form = PartnerForm
    list_display = (
        "name",
        "hub",
        "organisation_type",
        "partnership_type",
        "reach",
        "is_existing_partner",
    )
    list_filter = (
        "partnership_type",
        "is_existing_partner",
        "organisation_type",
        ("hub", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("hub",)
    search_fields = ("name", "org_id", "charity_number", "company_number")
    filter_horizontal = ("specialisms",)
    fieldsets = [
        (
            None,
            {
                "fields": (
                    "hub",
                    "name",
                    "organisation_type",
                    "partnership_type",
                    "reach",
                    "specialisms",
                    "service_area",
                )
            },
        ),
        (
            "Standing with the hub",
            {
                "fields": (
                    "is_existing_partner",
                    "is_hlo",
                    "is_consortium_member",
                    "introductory_meeting_on",
                    "former_on",
                    "former_reason",
                )
            },
        ),
        ("Identifiers", {"fields": ("charity_number", "company_number", "school_urn", "org_id")}),
        (
            "Profile",
            {
                "fields": (
                    "address_line_1",
                    "address_line_2",
                    "town",
                    "postcode",
                    "website",
                    "phone",
                    "registered_by",
                    "registered_at",
                )
            },
        ),
    ]

    # A partner's standing changes only from its page in the partner
    # directory, where the rules ask for it (partners/rules.py): an official
    # Hub partner the way the policy says, a meeting recorded in full, former
    # with a reason.
    STANDING = ("is_existing_partner", "introductory_meeting_on", "former_on", "former_reason")

    # Who registered it, and when, is the registration's record.
    REGISTERED = ("registered_by", "registered_at")

    def get_readonly_fields(self, request, obj=None):
        fixed = (*self.STANDING, *self.REGISTERED)
        return ("hub", *fixed) if obj else fixed

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        hub_ids = None if request.user.is_superuser else configurable_hub_ids(request)
        if obj is not None:
            hub_ids = {obj.hub_id}
        policies = _newest_policies(hub_ids)

        class Bound(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, policies=policies, **kw)

        return Bound

    def save_model(self, request, obj, form, change):
        partner_save(partner=obj)

    # A partner's contacts' memberships go with it; keep their grants in step.
    def delete_model(self, request, obj):
        delete_resyncing_grants("partner", [obj])

    def delete_queryset(self, request, queryset):
        delete_resyncing_grants("partner", queryset)


@admin.register(Specialism)
class SpecialismAdmin(admin.ModelAdmin):
    search_fields = ("name",)

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class PartnershipTypeForm(forms.ModelForm):
    class Meta:
        model = PolicyPartnershipType
        fields = ("policy", "position", "key", "name", "description")

    def validate_unique(self) -> None:
        try:
            self.instance.validate_constraints()
        except forms.ValidationError:
            self.add_error("key", "This policy's list already has a type with that key.")


@admin.register(PolicyPartnershipType)
class PartnershipTypeAdmin(NewestPolicyOnly, HubScopedAdmin, admin.ModelAdmin):
    """The policy's list of partnership types. As with grounds, only the
    newest version's list changes; a key partners use stays."""

    form = PartnershipTypeForm
    hub_lookup = "policy__hub_id"
    list_display = ("name", "key", "position", "policy")
    list_filter = (("policy__hub", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("policy__hub",)
    search_fields = ("name", "key")

    def save_model(self, request, obj, form, change):
        type_save(obj)

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and _in_use(obj):
            fields += ("key",)  # partners keep this key
        return fields

    def has_delete_permission(self, request, obj=None):
        if obj is not None and _in_use(obj):
            return False
        return super().has_delete_permission(request, obj)


def _in_use(row: PolicyPartnershipType) -> bool:
    return PartnerOrganisation.objects.filter(
        hub_id=row.policy.hub_id, partnership_type=row.key
    ).exists()
