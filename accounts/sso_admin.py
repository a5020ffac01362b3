"""A hub's single sign-on in the admin: its hub admin sees and edits only
their own hub's (hubs.admin.scoping). The client secret is written, never
shown back; leaving it blank keeps the one stored."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.html import format_html

from accounts.sso import set_client_secret
from accounts.sso_models import HubSignOn, parse_domains
from hubs.admin.scoping import HubScopedAdmin, SameHubForm


class HubSignOnForm(SameHubForm):
    client_secret = forms.CharField(
        label="client secret",
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="The secret the provider gave. Never shown again; leave blank to keep it.",
    )

    server_url = forms.URLField(
        label="issuer URL",
        max_length=300,
        assume_scheme="https",
        help_text=HubSignOn._meta.get_field("server_url").help_text,
    )

    class Meta:
        model = HubSignOn
        fields = (
            "hub",
            "provider_name",
            "server_url",
            "client_id",
            "client_secret",
            "email_domains",
            "passwords_allowed",
            "provider_requires_mfa",
        )

    def clean_email_domains(self) -> str:
        domains = parse_domains(self.cleaned_data.get("email_domains", ""))
        bad = [d for d in domains if "." not in d or "@" in d or "/" in d]
        if not domains:
            raise forms.ValidationError("Enter at least one email domain, e.g. kent.gov.uk.")
        if bad:
            raise forms.ValidationError(
                f"{', '.join(bad)}: enter domains only, like kent.gov.uk (no @ or web address)."
            )
        return "\n".join(domains)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("client_secret") and not self.instance.client_secret_encrypted:
            self.add_error("client_secret", "Enter the client secret the provider gave.")
        return cleaned

    def save(self, commit: bool = True) -> HubSignOn:
        sign_on = super().save(commit=False)
        if self.cleaned_data.get("client_secret"):
            set_client_secret(sign_on, self.cleaned_data["client_secret"])
        if commit:
            sign_on.save()
        return sign_on


@admin.register(HubSignOn)
class HubSignOnAdmin(HubScopedAdmin, admin.ModelAdmin):
    form = HubSignOnForm
    list_display = ("hub", "provider_name", "passwords_allowed", "provider_requires_mfa")
    list_select_related = ("hub",)
    readonly_fields = ("redirect_uri_to_register",)

    @admin.display(description="redirect URI to register with the provider")
    def redirect_uri_to_register(self, obj: HubSignOn | None) -> str:
        if obj is None or obj.pk is None:
            return "Shown once saved."
        return format_html("<code>{}</code>", obj.redirect_uri)
