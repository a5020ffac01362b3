"""Compliance in the admin: the hub's own kinds of record, and which records
each policy version requires before an award or a signature. Records
themselves are added and verified on the hub's compliance pages, through
their gate, never edited here."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from compliance.kinds import STANDARD, kind_choices, kinds_of
from compliance.models import ComplianceItemKind, ComplianceRequirement
from compliance.requirements import requirement_save, requirement_words
from hubs.admin import HubScopedAdmin, SameHubForm
from hubs.admin.scoping import NewestPolicyOnly, configurable_hub_ids
from hubs.models import Hub


class ItemKindForm(SameHubForm):
    class Meta:
        model = ComplianceItemKind
        fields = (
            "hub",
            "name",
            "key",
            "description",
            "per_individual",
            "needs_document",
            "expires",
        )

    def clean_key(self):
        key = self.cleaned_data["key"]
        if key in STANDARD:
            raise forms.ValidationError(
                f"'{key}' is a standard kind's key ({STANDARD[key].name}); choose another."
            )
        return key

    def validate_unique(self) -> None:
        try:
            self.instance.validate_constraints()
        except forms.ValidationError:
            self.add_error("key", "Your hub already has a kind of record with that key.")


@admin.register(ComplianceItemKind)
class ComplianceItemKindAdmin(HubScopedAdmin, admin.ModelAdmin):
    """Kinds of record the hub asks for beyond the standard four."""

    form = ItemKindForm
    list_display = ("name", "key", "hub", "per_individual", "expires")
    list_filter = (("hub", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("hub",)
    search_fields = ("name", "key")

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return (*fields, "hub", "key") if obj else fields


class RequirementForm(forms.ModelForm):
    kind = forms.ChoiceField(
        label="Record required",
        help_text="A standard kind, or one of your hub's own (set under Compliance item kinds).",
    )

    class Meta:
        model = ComplianceRequirement
        fields = ("policy", "kind", "before_award", "before_signature", "position")

    def __init__(self, *args, hubs=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices: dict[str, str] = {}
        for hub in hubs:
            for key, name in kind_choices(hub):
                choices.setdefault(key, name if len(hubs) == 1 else f"{name} ({hub})")
        self.fields["kind"].choices = list(choices.items())

    def clean(self):
        cleaned = super().clean()
        policy, key = cleaned.get("policy"), cleaned.get("kind")
        if policy is not None and key and key not in kinds_of(policy.hub):
            self.add_error("kind", f"{policy.hub} has no kind of record '{key}'.")
        return cleaned

    def validate_unique(self) -> None:
        try:
            self.instance.validate_constraints()
        except forms.ValidationError:
            self.add_error("kind", "This policy already requires that record.")


@admin.register(ComplianceRequirement)
class ComplianceRequirementAdmin(NewestPolicyOnly, HubScopedAdmin, admin.ModelAdmin):
    """The records a policy version requires before the award and/or the
    signature. As with the policy's other lists, only a version still being
    written changes; the version in force is changed by a new draft."""

    form = RequirementForm
    hub_lookup = "policy__hub_id"
    list_display = ("said", "policy")
    list_filter = (("policy__hub", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("policy__hub",)

    @admin.display(description="Requirement")
    def said(self, obj):
        return requirement_words(obj, obj.policy.hub)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        hubs = Hub.objects.order_by("name")
        if obj is not None:
            hubs = hubs.filter(pk=obj.policy.hub_id)
        elif not request.user.is_superuser:
            hubs = hubs.filter(pk__in=configurable_hub_ids(request))
        hubs = list(hubs)

        class Bound(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, hubs=hubs, **kw)

        return Bound

    def save_model(self, request, obj, form, change):
        requirement_save(obj)
