"""Forms for variations and the Hub grant's funding streams. They check
what was typed; the services (and their gates) decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from agreements import variation_kpis as vk
from agreements.forms import DATE
from agreements.rules_variations import Change

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal(0)}


class VariationForm(forms.Form):
    reason = forms.CharField(
        label="Why the change is needed",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The approver and the partner read this.",
    )
    starts_on = forms.DateField(label="Starts on", widget=DATE)
    ends_on = forms.DateField(label="Ends on", widget=DATE)
    hub_grant_amount = forms.DecimalField(label="Hub grant in all (£)", **MONEY)
    hub_grant_capital = forms.DecimalField(
        label="Of which capital (£)",
        help_text="The part paid from the capital grant; the rest is revenue.",
        **MONEY,
    )
    kpi_changes = forms.CharField(
        label="Anything else about the KPIs (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Change a KPI's target or frequency, retire one or add one below; say "
        "here anything else the partner and the approver should know about them.",
    )

    def __init__(self, *args, agreement, **kwargs):
        c = agreement.commission
        initial = {
            "starts_on": agreement.starts_on,
            "ends_on": agreement.ends_on,
            "hub_grant_amount": c.hub_grant_amount,
            "hub_grant_capital": c.hub_grant_capital,
        }
        self.sections = agreement.sections
        for section in self.sections:
            initial[f"section_{section['key']}"] = section["body"]
        super().__init__(*args, initial={**initial, **kwargs.pop("initial", {})}, **kwargs)
        for n, section in enumerate(self.sections, start=1):
            self.fields[f"section_{section['key']}"] = forms.CharField(
                label=f"{n}. {section['title']}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
        self._kpi_fields(agreement)

    def _kpi_fields(self, agreement) -> None:
        """Per KPI the agreement states: its target, frequency and a box to
        retire it, as agreed unless changed; and one new KPI, if chosen."""
        book = vk.book()
        self.kpi_lines = vk.lines_of(agreement) if book is not None else []
        if book is None:
            return
        frequencies = book.frequencies()
        for line in self.kpi_lines:
            self.fields[f"kpi_{line.pk}_target"] = forms.DecimalField(
                label=f"Target: {line.measure} ({line.description})",
                required=False,
                initial=line.target,
                **MONEY,
            )
            self.fields[f"kpi_{line.pk}_frequency"] = forms.ChoiceField(
                label="How often", choices=frequencies, initial=line.frequency, required=False
            )
            self.fields[f"kpi_{line.pk}_retire"] = forms.BooleanField(
                label="Retire this KPI (its ratings so far are kept)", required=False
            )
        hub = agreement.commission.hub
        measures = [("", "No new KPI"), *((k, label) for k, label, _ in book.measures(hub))]
        self.fields["kpi_new_measure"] = forms.ChoiceField(
            label="Add a KPI: its measure", choices=measures, required=False
        )
        self.fields["kpi_new_description"] = forms.CharField(
            label="What is measured", required=False, max_length=vk.DESCRIPTION_MAX
        )
        self.fields["kpi_new_target"] = forms.DecimalField(label="Target", required=False, **MONEY)
        self.fields["kpi_new_frequency"] = forms.ChoiceField(
            label="How often", choices=[("", "Choose"), *frequencies], required=False
        )

    def detail_fields(self):
        names = ("reason", "starts_on", "ends_on", "hub_grant_amount", "hub_grant_capital")
        return [self[name] for name in (*names, "kpi_changes")]

    def section_fields(self):
        return [self[f"section_{s['key']}"] for s in self.sections]

    def kpi_rows(self):
        """Per KPI stated: (its words, its target, frequency and retire fields)."""
        return [
            (line, [self[f"kpi_{line.pk}_{name}"] for name in ("target", "frequency", "retire")])
            for line in self.kpi_lines
        ]

    def new_kpi_fields(self):
        names = ("measure", "description", "target", "frequency")
        return [self[f"kpi_new_{n}"] for n in names if f"kpi_new_{n}" in self.fields]

    def kpi_plan(self) -> list[vk.KpiChange]:
        d = self.cleaned_data
        changes = []
        for line in self.kpi_lines:
            # Left blank: as agreed.
            target = d.get(f"kpi_{line.pk}_target")
            target = line.target if target is None else target
            frequency = d.get(f"kpi_{line.pk}_frequency") or line.frequency
            if d.get(f"kpi_{line.pk}_retire"):
                changes.append(vk.KpiChange(vk.RETIRE, kpi=line.pk))
            elif (target, frequency) != (line.target, line.frequency):
                changes.append(vk.KpiChange(vk.CHANGE, line.pk, target=target, frequency=frequency))
        if d.get("kpi_new_measure"):
            changes.append(
                vk.KpiChange(
                    vk.ADD,
                    measure=d["kpi_new_measure"],
                    description=d.get("kpi_new_description") or "",
                    target=d.get("kpi_new_target"),
                    frequency=d.get("kpi_new_frequency") or "",
                )
            )
        return changes

    def change(self) -> Change:
        d = self.cleaned_data
        return Change(
            reason=d["reason"],
            sections={
                s["key"]: d.get(f"section_{s['key']}") or s["body"]
                for s in self.sections
                if (d.get(f"section_{s['key']}") or s["body"]).strip() != s["body"].strip()
            },
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            hub_grant_amount=d["hub_grant_amount"],
            hub_grant_capital=d["hub_grant_capital"],
            kpi_changes=d.get("kpi_changes") or "",
            kpis=self.kpi_plan(),
        )


class _Named(forms.Form):
    """Several forms share the variation's page: each names its own ids."""

    prefix_id = "form"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.prefix_id}_%s")
        super().__init__(*args, **kwargs)


class VariationDecisionForm(_Named):
    prefix_id = "decide"

    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve the variation"), ("refuse", "Refuse it")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reasons",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when you refuse it: the partner and the officer are told.",
    )


class VariationCommentForm(_Named):
    prefix_id = "comment"

    body = forms.CharField(label="Your comment", widget=forms.Textarea(attrs={"rows": 4}))


class WithdrawForm(_Named):
    prefix_id = "withdraw"

    reason = forms.CharField(label="Why it is withdrawn", widget=forms.Textarea(attrs={"rows": 3}))


class StreamsForm(forms.Form):
    capital = forms.DecimalField(
        label="Of which capital (£)",
        help_text="The part of the Hub grant paid from the capital grant (for instruments, "
        "say); the rest is revenue. Give 0 for none.",
        **MONEY,
    )
