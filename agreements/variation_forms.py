"""Forms for variations and the Hub grant's funding streams. They check
what was typed; the services (and their gates) decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms

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
        label="Changes to the KPIs (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Which KPIs change and to what; leave blank if they stay as agreed.",
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

    def detail_fields(self):
        names = ("reason", "starts_on", "ends_on", "hub_grant_amount", "hub_grant_capital")
        return [self[name] for name in (*names, "kpi_changes")]

    def section_fields(self):
        return [self[f"section_{s['key']}"] for s in self.sections]

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
