"""The profile an organisation, or an individual practitioner, gives when it
registers with a hub. Only the shape is checked here; what the profile must
say is the gate's (partners.registration.rules), placed beside each field."""

from __future__ import annotations

from typing import Any

from django import forms

from partners.models import OrganisationType

# The hub's own kinds for its records, not for registering oneself.
NOT_SELF_REGISTERED = {OrganisationType.LOCAL_AUTHORITY}


class ProfileForm(forms.Form):
    organisation_type = forms.ChoiceField(
        label="What kind of organisation is it?",
        help_text="An individual practitioner registers themself: choose 'Individual "
        "practitioner' and give your own name below.",
    )
    name = forms.CharField(
        label="Legal name",
        max_length=200,
        help_text="As registered with the Charity Commission or Companies House, or your own "
        "name if you work on your own.",
    )
    charity_number = forms.CharField(
        label="Charity number (if it is a registered charity)",
        max_length=20,
        required=False,
        help_text="For example 1123456, SC012345 or NIC100123.",
    )
    company_number = forms.CharField(
        label="Company number (companies and CICs)",
        max_length=20,
        required=False,
        help_text="8 characters, for example 01234567 or SC123456.",
    )
    school_urn = forms.CharField(
        label="School URN (schools)",
        max_length=20,
        required=False,
        help_text="The school's unique reference number: 6 digits.",
    )
    address_line_1 = forms.CharField(label="Address line 1", max_length=200, required=False)
    address_line_2 = forms.CharField(
        label="Address line 2 (optional)", max_length=200, required=False
    )
    town = forms.CharField(label="Town or city", max_length=100, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    website = forms.URLField(label="Website (optional)", required=False, assume_scheme="https")
    phone = forms.CharField(label="Phone number (optional)", max_length=30, required=False)
    contact_title = forms.CharField(
        label="Your role there (optional)",
        max_length=200,
        required=False,
        help_text="For example Director, Project manager. You will be its contact.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(k, v) for k, v in OrganisationType.choices if k not in NOT_SELF_REGISTERED]
        self.fields["organisation_type"].choices = [("", "Choose one"), *choices]
        self.fields["organisation_type"].required = False  # the gate says what is missing
        self.fields["name"].required = False
        self.fields["website"].error_messages["invalid"] = (
            "Enter the website's address, like https://example.org."
        )

    def profile(self) -> dict[str, Any]:
        """What was typed, as the service takes it (read even when a field
        was refused, so the gate can say everything at once)."""
        data = getattr(self, "cleaned_data", {})
        names = [n for n in self.fields if n != "contact_title"]
        return {name: data.get(name, self.data.get(name, "")) for name in names}
