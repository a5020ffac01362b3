from __future__ import annotations

from django import forms
from django.utils import timezone


class BoardPackForm(forms.Form):
    meeting_on = forms.DateField(
        label="Date of the board meeting",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Enter the date of the board meeting.",
            "invalid": "Enter the date of the board meeting as a real date, like 12 03 2026.",
        },
    )

    def clean_meeting_on(self):
        meeting_on = self.cleaned_data["meeting_on"]
        if meeting_on < timezone.localdate():
            raise forms.ValidationError("The board meeting must be today or later.")
        return meeting_on
