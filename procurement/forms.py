"""The procurement page's forms. They check what a form can (numbers, dates,
choices); the rules are the services' (procurement/rules.py), whose refusals
the view puts beside the field they name."""

from __future__ import annotations

from django import forms

from procurement.models import CommissionProcurement

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProcurementForm(forms.ModelForm):
    class Meta:
        model = CommissionProcurement
        fields = [
            "kind",
            "route_taken",
            "quotes_received",
            "evidence",
            "procurement_reference",
            "started_on",
            "advertised_on",
            "light_touch",
            "vat_amount",
            "vat_not_recoverable",
            "supplier_is_sme",
            "supplier_is_vcs",
            "departure_reason",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "evidence": forms.Textarea(attrs={"rows": 3}),
            "departure_reason": forms.Textarea(attrs={"rows": 3}),
            "started_on": DATE,
            "advertised_on": DATE,
        }
        labels = {"route_taken": "Route taken"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [c for c in self.fields["kind"].choices if c[0]]
        self.fields["route_taken"].required = False
        for name in ("evidence", "departure_reason"):
            self.fields[name].max_length = 4000


class ValueChangeForm(forms.Form):
    value = forms.DecimalField(label="New value (£)", min_value=0, max_digits=12, decimal_places=2)
    effective_on = forms.DateField(label="In force from", widget=DATE)
    reason = forms.CharField(label="Why it changed", max_length=300)


class PublishForm(forms.Form):
    notice_id = forms.CharField(
        label="Notice id",
        max_length=100,
        help_text="As the Central Digital Platform gave it, e.g. 012345-2026.",
    )
