from django import forms

from notices.models import Delivery


class PreferenceForm(forms.Form):
    delivery = forms.ChoiceField(
        label="How should we tell you about this hub?",
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you want to hear about this hub."},
    )
