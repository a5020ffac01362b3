"""The directory's forms. They read what was typed; the rules
(partners/rules.py), asked by the services, judge it, and a refusal is shown
beside its field with everything typed kept."""

from __future__ import annotations

from django import forms

from hubs.refusals import Refused
from partners.directory.models import MeetingOutcome
from partners.models import PartnerOrganisation, Specialism
from partners.types import type_choices


def place(form: forms.Form, refused: Refused) -> None:
    """Each refusal beside its field (or above the form)."""
    for refusal in refused.refusals:
        field = refusal.field if refusal.field in form.fields else None
        form.add_error(field, refusal.message)


class IdsField(forms.ModelMultipleChoiceField):
    """Checkboxes of rows: an id that is not a whole number a database holds
    is refused as any unknown choice, never asked of the database (SQLite
    raises on an integer past 64 bits)."""

    def _check_values(self, value):
        for v in value:
            if not str(v).isdigit() or int(v) >= 2**63:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": v},
                )
        return super()._check_values(value)


class PartnerAddForm(forms.ModelForm):
    partnership_type = forms.ChoiceField(label="Partnership type")
    specialisms = IdsField(
        queryset=Specialism.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Specialisms",
    )

    class Meta:
        model = PartnerOrganisation
        fields = (
            "name",
            "organisation_type",
            "partnership_type",
            "reach",
            "service_area",
            "charity_number",
            "company_number",
            "org_id",
        )
        labels = {"name": "Organisation's name", "organisation_type": "Kind of organisation"}

    def __init__(self, *args, hub, policy, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partnership_type"].choices = type_choices(policy) if policy else []
        self.fields["name"].error_messages["required"] = "Enter the organisation's name."
        self.fields["organisation_type"].error_messages["required"] = (
            "Choose the kind of organisation."
        )
        areas = hub.service_areas.all()
        if hub.service_areas.exists():
            self.fields["service_area"].queryset = areas
        else:
            del self.fields["service_area"]

    def validate_unique(self) -> None:
        """The rule says it (partners.rules.partner_add_refusal), in words."""


class ContactForm(forms.Form):
    email = forms.EmailField(
        label="Their email address",
        help_text="We email them a link to join as this organisation's contact.",
        error_messages={
            "required": "Enter their email address.",
            "invalid": "Enter an email address like name@example.org.",
        },
    )
    title = forms.CharField(
        label="Their role in the organisation (optional)", max_length=200, required=False
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Seen by the hub's own people only, never by the organisation.",
        error_messages={"required": "Write the note."},
    )


class FormerForm(forms.Form):
    reason = forms.CharField(
        label="Why the hub no longer works with it",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class MergeForm(forms.Form):
    duplicate = forms.ModelChoiceField(
        queryset=PartnerOrganisation.objects.none(),
        label="The duplicate record, to fold into this one",
        required=False,
        empty_label="Choose the duplicate",
    )
    reason = forms.CharField(
        label="How you know they are one organisation (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, kept: PartnerOrganisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        others = PartnerOrganisation.objects.filter(hub_id=kept.hub_id).exclude(pk=kept.pk)
        self.fields["duplicate"].queryset = others.order_by("name")


class MeetingRequestForm(forms.Form):
    note = forms.CharField(
        label="What you would like to talk about, and when suits you",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    proposed_for = forms.DateField(
        label="Proposed date (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a date, for example 14 March 2026."},
    )


class MeetingRecordForm(forms.Form):
    held_on = forms.DateField(
        label="Date held",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a date, for example 14 March 2026."},
    )
    attendees = forms.CharField(
        label="Who attended",
        help_text="Names and roles, from the organisation and from the HLO.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    outcome = forms.ChoiceField(
        label="Outcome", choices=MeetingOutcome.choices, widget=forms.RadioSelect, required=False
    )
    partnership_type = forms.ChoiceField(
        label="Partnership type agreed", required=False, help_text="For a successful meeting."
    )
    safeguarding_explained = forms.BooleanField(
        label="The Hub's minimum safeguarding standards were explained", required=False
    )
    quality_explained = forms.BooleanField(
        label="The Hub's quality standards were explained", required=False
    )
    notes = forms.CharField(
        label="Notes on the outcome (optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args, policy, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = type_choices(policy) if policy is not None else []
        self.fields["partnership_type"].choices = [("", "Choose the type"), *choices]


class ContactPersonForm(forms.Form):
    """What is typed; the gate (partners.rules.contact_person_refusals)
    judges it, the address included, and puts each refusal beside its field."""

    name = forms.CharField(label="Their name", max_length=200, required=False)
    email = forms.CharField(
        label="Their email address",
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.CharField(
        label="Their role in the organisation (optional)",
        max_length=200,
        required=False,
        help_text="For example Director, Project lead, Finance officer.",
    )
    phone = forms.CharField(
        label="Their phone number (optional)",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
