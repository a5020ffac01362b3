"""The form for adding to a commission's record. It checks what was typed;
the service and its gate decide."""

from __future__ import annotations

from django import forms

from commissioning.models import RecordKind

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class RecordForm(forms.Form):
    kind = forms.ChoiceField(
        label="What it is", choices=RecordKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example: Meeting with the partner before drafting.",
    )
    held_on = forms.DateField(label="Held on (a meeting)", required=False, widget=DATE)
    attendees = forms.CharField(
        label="Who took part (a meeting)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    agreed = forms.CharField(
        label="What was agreed (a meeting)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    body = forms.CharField(
        label="Note, or a few words about the document",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    document = forms.FileField(
        label="Document (PDF, Word, Excel, PNG or JPEG)",
        required=False,
        help_text="Checked by its content; kept privately.",
    )
