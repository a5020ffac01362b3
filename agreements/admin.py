"""Hub admins edit their hub's agreement templates here; agreements
themselves are read-only (they are written by agreements/services/)."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from agreements.drafting import SECTION_TITLES, agreement_type_refusal
from agreements.models import Agreement, AgreementTemplate, CoSignature, Instalment, Signature
from commissioning.admin import ReadOnlyAdmin
from hubs.admin import HubScopedAdmin
from partners.types import current_policy

REQUIRED_KEYS = [key for key, _ in SECTION_TITLES]


class AgreementTemplateForm(forms.ModelForm):
    class Meta:
        model = AgreementTemplate
        fields = ("hub", "partnership_type", "sections")
        help_texts = {
            "partnership_type": "The key of one of the hub's partnership types (its policy "
            "lists them under Policy partnership types), e.g. delivery or strategic."
        }

    def clean(self):
        cleaned = super().clean()
        hub, key = cleaned.get("hub"), cleaned.get("partnership_type")
        policy = hub and current_policy(hub.pk)
        if policy is not None and key:
            refusal = agreement_type_refusal(policy, key)
            if refusal is not None:
                self.add_error("partnership_type", refusal.message)
        return cleaned

    def clean_sections(self):
        sections = self.cleaned_data["sections"]
        if not isinstance(sections, list) or not all(
            isinstance(s, dict) and {"key", "title", "body"} <= s.keys() for s in sections
        ):
            raise forms.ValidationError(
                'Give a list of sections, each with "key", "title" and "body".'
            )
        missing = [key for key in REQUIRED_KEYS if key not in {s["key"] for s in sections}]
        if missing:
            raise forms.ValidationError(
                "Every agreement covers the minimum contents; add the sections: "
                + ", ".join(missing)
                + "."
            )
        return sections


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(HubScopedAdmin, admin.ModelAdmin):
    form = AgreementTemplateForm
    list_display = ("hub", "partnership_type", "updated_at")
    list_filter = ("partnership_type",)
    list_select_related = ("hub",)


class InstalmentInline(admin.TabularInline):
    model = Instalment
    fields = ("position", "description", "amount", "percent", "due_on", "milestone", "status")
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


class SignatureInline(admin.TabularInline):
    model = Signature
    fields = ("party", "full_name", "role_title", "user", "signed_at", "ip_address")
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


class CoSignatureInline(SignatureInline):
    """A joint partnership's co-applicants' signatures, read-only like the rest."""

    model = CoSignature
    fields = ("partner", "full_name", "role_title", "user", "signed_at", "ip_address")
    readonly_fields = fields


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ("commission", "period_number", "status", "starts_on", "ends_on", "hub")
    list_filter = ("status", ("hub", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("commission", "hub")
    search_fields = ("commission__reference", "commission__title")
    inlines = [InstalmentInline, SignatureInline, CoSignatureInline]
