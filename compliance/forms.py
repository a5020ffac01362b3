"""The form for adding a compliance record: the fields its kind asks for,
with the kind's own words for its dates. What a record must hold is judged
by compliance.rules.record_checks (asked by the service), beside each field;
the form only reads what was typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from commissioning.uploads import ACCEPTED
from compliance.kinds import Kind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class RecordForm(forms.Form):
    partner = forms.TypedChoiceField(label="Organisation", coerce=int, choices=[])
    person_name = forms.CharField(label="Name of the person", max_length=200, required=False)
    contact_email = forms.EmailField(label="Contact email", required=False)
    certificate_number = forms.CharField(
        label="Certificate number",
        max_length=20,
        required=False,
        help_text="12 digits, at the top right of the certificate. Only HLO staff will see it.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    barred_list_checked = forms.BooleanField(
        label="The certificate includes a check of the children's barred list", required=False
    )
    update_service = forms.BooleanField(
        label="The person is registered with the DBS Update Service", required=False
    )
    insurer = forms.CharField(label="Insurer", max_length=200, required=False)
    cover_amount = forms.DecimalField(
        label="Cover (£)",
        max_digits=12,
        decimal_places=0,
        required=False,
        help_text="For example 5000000 for £5 million.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"}),
    )
    valid_from = forms.DateField(label="Valid from", widget=DateInput())
    expires_on = forms.DateField(label="Expires on", required=False, widget=DateInput())
    review_on = forms.DateField(label="Next review by", required=False, widget=DateInput())
    notes = forms.CharField(
        label="Notes", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    document = forms.FileField(
        label="Document",
        required=False,
        help_text=f"{ACCEPTED}, up to {filesizeformat(settings.UPLOAD_MAX_BYTES)}.",
    )

    def __init__(self, *args: Any, kind: Kind, partners: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["partner"].choices = partners
        for name in (
            "person_name",
            "contact_email",
            "certificate_number",
            "barred_list_checked",
            "update_service",
            "insurer",
            "cover_amount",
        ):
            if name not in kind.asks:
                del self.fields[name]
        if "person_name" in self.fields:
            self.fields["person_name"].label = kind.label("person_name", "Name of the person")
        self.fields["valid_from"].label = kind.valid_from_label
        if kind.reviewed:
            del self.fields["expires_on"]
        else:
            del self.fields["review_on"]
            self.fields["expires_on"].label = kind.expires_label
            if not kind.expires:
                del self.fields["expires_on"]
        if not kind.needs_document:
            self.fields["document"].label = "Document (optional)"
        for name in kind.fields:
            if name in self.fields and name != "barred_list_checked":
                self.fields[name].widget.attrs["aria-required"] = "true"

    def service_fields(self) -> dict[str, Any]:
        """What was typed, for record_add (the kind's fields only)."""
        data = dict(self.cleaned_data)
        data.pop("partner", None)
        data.pop("document", None)
        return data
