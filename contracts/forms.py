"""Contract management's forms. They only read what was typed; every rule is
the gate's (contracts/rules.py), whose refusals the views put beside the
field they name. Fields are optional here so that a blank one is refused in
the gate's words."""

from __future__ import annotations

from django import forms

from contracts.measures import Measure, measure_choices
from contracts.models import Frequency, Kpi, Rating

LIKELIHOOD = [
    (1, "1: rare"),
    (2, "2: unlikely"),
    (3, "3: possible"),
    (4, "4: likely"),
    (5, "5: almost certain"),
]
IMPACT = [
    (1, "1: negligible"),
    (2, "2: minor"),
    (3, "3: moderate"),
    (4, "4: major"),
    (5, "5: severe"),
]


def _score(label: str, choices, hint: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "Choose"), *choices],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=hint,
    )


def _date(label: str, hint: str = "") -> forms.DateField:
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text=hint
    )


class KpiForm(forms.Form):
    measure = forms.ChoiceField(label="Measure", choices=[], required=False)
    description = forms.CharField(
        label="What is measured",
        max_length=300,
        required=False,
        help_text="In the words you agree with the partner, e.g. 'Players rating sessions "
        "good or better in the end-of-term survey'.",
    )
    target = forms.DecimalField(
        label="Target", max_digits=12, decimal_places=2, required=False, min_value=0
    )
    unit = forms.CharField(
        label="Unit",
        max_length=40,
        required=False,
        help_text="Leave blank for the measure's own (e.g. '% satisfied').",
    )
    frequency = forms.ChoiceField(
        label="How often it is measured",
        choices=[("", "Choose"), *Frequency.choices],
        required=False,
    )

    def __init__(self, *args, measures: list[Measure], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [("", "Choose"), *measure_choices(measures)]


class KpiReturnsForm(forms.Form):
    """A value and a note for each KPI in force (value_<id>, note_<id>)."""

    def __init__(self, *args, kpis: list[Kpi], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kpis = kpis
        for kpi in kpis:
            self.fields[f"value_{kpi.pk}"] = forms.DecimalField(
                label=f"{kpi.measure_label}: {kpi.description}",
                help_text=f"Target {kpi.target_words}, {kpi.get_frequency_display().lower()}.",
                max_digits=12,
                decimal_places=2,
                required=False,
            )
            self.fields[f"note_{kpi.pk}"] = forms.CharField(
                label=f"Note on {kpi.measure_label.lower()}", max_length=300, required=False
            )

    def rows(self):
        return [(k, self[f"value_{k.pk}"], self[f"note_{k.pk}"]) for k in self.kpis]

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            k.pk: (data.get(f"value_{k.pk}"), data.get(f"note_{k.pk}") or "") for k in self.kpis
        }


class KpiRatingsForm(forms.Form):
    """A rating and a note for each KPI (rating_<id>, why_<id>)."""

    def __init__(self, *args, kpis: list[Kpi], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kpis = kpis
        for kpi in kpis:
            self.fields[f"rating_{kpi.pk}"] = forms.ChoiceField(
                label=f"Rating of {kpi.measure_label.lower()}",
                choices=[("", "Choose"), *Rating.choices],
                required=False,
            )
            self.fields[f"why_{kpi.pk}"] = forms.CharField(
                label=f"Why (for {kpi.measure_label.lower()})", max_length=300, required=False
            )

    def rows(self):
        return [(k, self[f"rating_{k.pk}"], self[f"why_{k.pk}"]) for k in self.kpis]

    def ratings(self) -> dict:
        data = self.cleaned_data
        return {
            k.pk: (data.get(f"rating_{k.pk}") or "", data.get(f"why_{k.pk}") or "")
            for k in self.kpis
        }


class RiskForm(forms.Form):
    title = forms.CharField(label="Risk", max_length=200, required=False)
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What could happen and why (optional).",
    )
    likelihood = _score("Likelihood", LIKELIHOOD, "How likely it is to happen.")
    impact = _score("Impact", IMPACT, "How much harm it would do if it did.")
    owner = forms.CharField(
        label="Owner", max_length=200, required=False, help_text="Who manages it."
    )
    mitigation = forms.CharField(
        label="Mitigation",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What is being done to make it less likely or less harmful.",
    )
    review_on = _date("Next review", "Reviewed with each report, and by this date.")


class RiskReviewForm(forms.Form):
    note = forms.CharField(
        label="What the review found",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    likelihood = _score("Likelihood now", LIKELIHOOD, "")
    impact = _score("Impact now", IMPACT, "")
    mitigation = forms.CharField(
        label="Mitigation from now on",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Leave blank to keep the mitigation as it is.",
    )
    report = forms.TypedChoiceField(
        label="Reviewed with the report",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[],
    )
    close = forms.BooleanField(
        label="Close the risk: it has passed or is fully managed", required=False
    )
    review_on = _date("Next review", "Not needed when you close the risk.")

    def __init__(self, *args, reports=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.reports = {r.pk: r for r in reports}
        self.fields["report"].choices = [
            ("", "None"),
            *(
                (r.pk, f"{r.title} (due {r.due_on:%-d %b %Y}, {r.get_status_display().lower()})")
                for r in reports
            ),
        ]
