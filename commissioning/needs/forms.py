"""The forms of the needs pages. They check what was typed; who may write what,
and what the hub's policy requires, is checked by commissioning.services."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django import forms

from commissioning.models import Need, NeedsAnalysis, SmartTarget, Stakeholder
from hubs.models import Hub, HubPolicy, ServiceArea

CYCLE = re.compile(r"^(\d{4})/(\d{2})$")
DATE_HINT = "For example, 31/07/2026."


def _amount(**attrs) -> forms.TextInput:
    # A text box, not type="number": no spinner to nudge a sum by accident.
    return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", **attrs})


class NeedsAnalysisForm(forms.Form):
    cycle = forms.CharField(
        max_length=20,
        help_text="The academic year it covers, for example 2025/26.",
        error_messages={"required": "Enter the cycle, for example 2025/26."},
    )
    title = forms.CharField(
        max_length=200, error_messages={"required": "Enter a title for the needs analysis."}
    )
    summary = forms.CharField(
        label="Summary (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the analysis found, in a few sentences.",
    )
    stakeholders_consulted = forms.MultipleChoiceField(
        label="Stakeholders consulted (optional)",
        choices=Stakeholder.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select everyone consulted.",
    )
    completed_on = forms.DateField(
        label="Date completed (optional)",
        required=False,
        help_text=DATE_HINT,
        error_messages={"invalid": "Enter the date completed as day/month/year, like 01/07/2025."},
    )

    def __init__(self, *args, hub: Hub, analysis: NeedsAnalysis | None = None, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.hub = hub
        self.analysis = analysis

    def clean_cycle(self) -> str:
        cycle = self.cleaned_data["cycle"].strip()
        match = CYCLE.match(cycle)
        if not match or (int(match[1]) + 1) % 100 != int(match[2]):
            raise forms.ValidationError("Enter the cycle as an academic year, like 2025/26.")
        return cycle

    def clean(self) -> dict:
        data = super().clean()
        cycle, title = data.get("cycle"), data.get("title")
        if cycle and title:
            clash = NeedsAnalysis.objects.filter(hub=self.hub, cycle=cycle, title=title)
            if self.analysis is not None:
                clash = clash.exclude(pk=self.analysis.pk)
            if clash.exists():
                self.add_error(
                    "title",
                    f"{self.hub.name} already has a needs analysis called '{title}' for "
                    f"{cycle}: choose another title.",
                )
        return data


def _set_up_area(form, *, hub, policy, areas, offered) -> None:
    """Drop the area question where the hub has no areas; otherwise offer
    the person's own areas, required where the policy commissions by area."""
    if not areas:
        del form.fields["service_area"]
        return
    _area_field(
        form.fields["service_area"],
        hub=hub,
        offered=offered,
        required_by_policy=bool(policy and policy.commissioning_by_service_area),
    )


def _area_field(
    field: forms.ModelChoiceField,
    *,
    hub: Hub,
    offered: Iterable[ServiceArea],
    required_by_policy: bool,
) -> None:
    """Any of the hub's areas is a valid answer, so that choosing another
    area's is refused by the service in words; only `offered` are listed."""
    field.queryset = ServiceArea.objects.filter(hub=hub)
    blank = "Choose a service area" if required_by_policy else "The whole hub"
    field.widget.choices = [("", blank), *((area.pk, area.name) for area in offered)]
    if not required_by_policy:
        field.label = f"{field.label} (optional)"


class NeedForm(forms.Form):
    title = forms.CharField(
        label="Need", max_length=200, error_messages={"required": "Enter the need."}
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The evidence for it: who said so, and how many children and young "
        "people it affects.",
    )
    priority = forms.TypedChoiceField(
        choices=Need.Priority.choices, coerce=int, initial=Need.Priority.MEDIUM
    )
    service_area = forms.ModelChoiceField(
        label="Service area", queryset=ServiceArea.objects.none(), required=False
    )

    def __init__(
        self,
        *args,
        hub: Hub,
        policy: HubPolicy | None,
        areas: list[ServiceArea],
        areas_offered: list[ServiceArea],
        **kwargs,
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        _set_up_area(self, hub=hub, policy=policy, areas=areas, offered=areas_offered)


class TargetForm(forms.ModelForm):
    """One SMART target; the model's own rules (a target must differ from its
    baseline) are checked as the form is, beside the field."""

    class Meta:
        model = SmartTarget
        fields = ["description", "measure", "baseline", "target_value", "due_on"]
        labels = {
            "description": "Specific target",
            "measure": "Measured by",
            "baseline": "Baseline",
            "target_value": "Target",
            "due_on": "Achieved by",
        }
        help_texts = {
            "description": "What will change, for whom.",
            "measure": "For example, participants enrolled.",
            "baseline": "Where it stands now: 0 if nothing yet.",
            "target_value": "Where it should be by the date below.",
            "due_on": DATE_HINT,
        }
        widgets = {
            "baseline": _amount(),
            "target_value": _amount(),
        }
        error_messages = {
            "description": {"required": "Enter the specific target."},
            "measure": {"required": "Enter how the target will be measured."},
            "baseline": {
                "required": "Enter the baseline, or 0 if there is none yet.",
                "invalid": "Enter the baseline as a number, like 40.",
            },
            "target_value": {
                "required": "Enter the target.",
                "invalid": "Enter the target as a number, like 120.",
            },
            "due_on": {
                "required": "Enter the date the target is to be achieved by.",
                "invalid": "Enter the date as day/month/year, like 31/07/2026.",
            },
        }

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # Typed, not assumed: and an untouched form has nothing in it.
        self.initial["baseline"] = None

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class OpenCommissionForm(forms.Form):
    title = forms.CharField(
        max_length=200, error_messages={"required": "Enter a title for the commission."}
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the partner will deliver to meet the need.",
    )
    service_area = forms.ModelChoiceField(
        label="Service area", queryset=ServiceArea.objects.none(), required=False
    )
    service_category = forms.ModelChoiceField(
        label="Service category",
        queryset=None,
        empty_label="Choose a service category",
        error_messages={"required": "Choose the service category."},
    )
    hub_grant_amount = forms.DecimalField(
        label="Hub grant amount (£)",
        max_digits=12,
        decimal_places=2,
        min_value=0,
        widget=_amount(),
        help_text="The Hub grant set aside for it, in pounds.",
        error_messages={
            "required": "Enter the Hub grant amount, or 0.",
            "invalid": "Enter the Hub grant amount as a number of pounds, like 5000.",
            "min_value": "The Hub grant amount cannot be less than £0.",
        },
    )

    def __init__(
        self,
        *args,
        hub: Hub,
        policy: HubPolicy | None,
        areas: list[ServiceArea],
        areas_offered: list[ServiceArea],
        **kwargs,
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        _set_up_area(self, hub=hub, policy=policy, areas=areas, offered=areas_offered)
        if policy and policy.uses_service_categories:
            self.fields["service_category"].queryset = hub.service_categories.order_by(
                "position", "name"
            )
        else:
            del self.fields["service_category"]
